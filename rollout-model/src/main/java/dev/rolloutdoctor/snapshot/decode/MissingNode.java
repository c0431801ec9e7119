package dev.rolloutdoctor.snapshot.decode;

/** The value of a key that is not there, so that lookups chain without null checks. */
public final class MissingNode implements Node {

    public static final MissingNode INSTANCE = new MissingNode();

    private MissingNode() {
    }

    @Override
    public int line() {
        return 0;
    }

    @Override
    public int column() {
        return 0;
    }

    @Override
    public boolean isAbsent() {
        return true;
    }

    @Override
    public String describe() {
        return "nothing";
    }
}

package dev.rolloutdoctor.snapshot.decode;

/** A scalar with its text exactly as written in the input and the type the parser saw. */
public final class ScalarNode implements Node {

    /** The parser's reading of the scalar; the text is kept as written whatever the type. */
    public enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    private final String text;
    private final Type type;
    private final int line;
    private final int column;

    public ScalarNode(String text, Type type, int line, int column) {
        this.text = text;
        this.type = type;
        this.line = line;
        this.column = column;
    }

    public String text() {
        return text;
    }

    public Type type() {
        return type;
    }

    public boolean isNull() {
        return type == Type.NULL;
    }

    @Override
    public boolean isAbsent() {
        return type == Type.NULL;
    }

    @Override
    public int line() {
        return line;
    }

    @Override
    public int column() {
        return column;
    }

    @Override
    public String describe() {
        if (type == Type.NULL) {
            return "null";
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return type == Type.STRING ? "the string \"" + shown + "\"" : shown;
    }

    @Override
    public String toString() {
        return text;
    }
}

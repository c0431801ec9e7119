package dev.rolloutdoctor.snapshot.decode;

/** A value in a parsed document: a mapping, a sequence, a scalar, or the marker for an absent value. */
public sealed interface Node permits MapNode, SeqNode, ScalarNode, MissingNode {

    /** 1-based line the value starts at, 0 when unknown. */
    int line();

    /** 1-based column the value starts at, 0 when unknown. */
    int column();

    /** The value under {@code key} when this is a mapping, else {@link MissingNode#INSTANCE}. */
    default Node get(String key) {
        return MissingNode.INSTANCE;
    }

    /** True for an absent value and for an explicit {@code null}: Kubernetes treats both the same. */
    default boolean isAbsent() {
        return false;
    }

    /** What this node is, as a user reads it in a problem ("a mapping", "the string \"x\""). */
    String describe();
}

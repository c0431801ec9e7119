package dev.rolloutdoctor.snapshot;

import java.util.Objects;

/**
 * Something in the input that could not be read as it should have been: a broken file, a parse error,
 * a field of the wrong type, a refused archive entry.
 *
 * <p>The loader reports a problem and goes on; everything else in the input still loads.
 *
 * @param source    logical path of the input the problem is in ({@code bundle.tar.gz!/cluster-resources/pods/shop.json})
 * @param line      1-based line in that input, or 0 when unknown
 * @param column    1-based column in that input, or 0 when unknown
 * @param fieldPath path of the field inside the object ({@code items[3].spec.replicas}), or empty
 * @param message   what was wrong and, where it helps, what to do about it
 */
public record LoadProblem(String source, int line, int column, String fieldPath, String message) {

    public LoadProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fieldPath, "fieldPath");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative");
        }
    }

    /** A problem with the whole input, not at a particular place in it. */
    public static LoadProblem of(String source, String message) {
        return new LoadProblem(source, 0, 0, "", message);
    }

    /** {@code source:line:column} as far as it is known, the form editors and terminals link. */
    public String location() {
        if (line == 0) {
            return source;
        }
        return column == 0 ? source + ":" + line : source + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return location() + ": " + (fieldPath.isEmpty() ? "" : fieldPath + ": ") + message;
    }
}

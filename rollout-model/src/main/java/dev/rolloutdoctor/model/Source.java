package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * Where an object was read: the logical path of the input, the document within it, and the line and
 * column its text starts at.
 *
 * @param path     logical path ({@code pods.yaml}, {@code bundle.tar.gz!/cluster-resources/pods/shop.json}, {@code -} for stdin)
 * @param document 0-based index of the document in a multi-document input (YAML {@code ---}, concatenated JSON)
 * @param line     1-based line the object starts at, or 0 when unknown
 * @param column   1-based column the object starts at, or 0 when unknown
 */
public record Source(String path, int document, int line, int column) {

    /** The source of objects that were not read from any input (built in code, for instance). */
    public static final Source UNKNOWN = new Source("", 0, 0, 0);

    public Source {
        Objects.requireNonNull(path, "path");
        if (document < 0 || line < 0 || column < 0) {
            throw new IllegalArgumentException("document, line and column must not be negative");
        }
    }

    /** {@code path:line} (or just the path when the line is unknown), as reports print it. */
    @Override
    public String toString() {
        return line == 0 ? path : path + ":" + line;
    }
}

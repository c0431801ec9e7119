package dev.rolloutdoctor.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * The tail of one container's log as the bundle captured it.
 *
 * @param container     the container's name, or "" when the file mixes every container of the pod ({@code kubectl cluster-info dump})
 * @param previous      true for the log of the previous (crashed) instance of the container
 * @param lines         the last lines, oldest first
 * @param firstLine     1-based line number of {@code lines.get(0)} in the source file
 * @param truncated     true when earlier lines were dropped to stay within the log limit
 * @param source        where the log was read
 */
public record PodLog(String namespace, String pod, String container, boolean previous, List<String> lines, int firstLine,
                     boolean truncated, String source) {

    public PodLog {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
        lines = List.copyOf(lines);
        Objects.requireNonNull(source, "source");
    }

    /** The last {@code n} lines (fewer when the log is shorter). */
    public List<String> tail(int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}

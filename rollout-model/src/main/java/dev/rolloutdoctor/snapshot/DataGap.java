package dev.rolloutdoctor.snapshot;

import java.util.Objects;

/**
 * Something the dump says it could not see: a collector's error ({@code pods-errors.json}: forbidden, timed out),
 * objects stripped of their status, logs that could not be fetched. Detectors use gaps to answer "inconclusive"
 * rather than guess.
 *
 * @param kind      the kind the gap concerns, or "" when unknown
 * @param namespace the namespace it concerns, or "" for all or cluster-scoped
 * @param reason    what is missing and why, in the collector's words where it gave any
 * @param source    the file that tells of the gap
 */
public record DataGap(String kind, String namespace, String reason, String source) {

    public DataGap {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
    }
}

package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.ObjectRef;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One moment in the account of a rollout: what happened, to which object, and where the snapshot says so.
 *
 * @param at            when it happened (for a grace period's end, when it will happen)
 * @param beforeCapture capture time minus {@code at} (negative for moments after the capture); empty when the capture
 *                      time is unknown
 * @param object        the object it happened to
 * @param category      what kind of moment it is
 * @param what          a sentence with the real names ("Pod web-7d9c-x2x4 scheduled to node-2")
 * @param source        where the snapshot records it, as {@code file:line}
 */
public record TimelineEntry(Instant at, Optional<Duration> beforeCapture, ObjectRef object, Category category,
        String what, String source) {

    /** Earliest first, then by category, object, text and source: a total, deterministic order. */
    public static final Comparator<TimelineEntry> ORDER = Comparator.comparing(TimelineEntry::at)
            .thenComparing(TimelineEntry::category)
            .thenComparing(TimelineEntry::object)
            .thenComparing(TimelineEntry::what)
            .thenComparing(TimelineEntry::source);

    /** Kinds of moments, in the order they are listed when they share an instant. */
    public enum Category {
        /** The workload or one of its ReplicaSets was created, or a ReplicaSet was scaled. */
        ROLLOUT,
        /** A status condition of the workload or one of its ReplicaSets changed. */
        CONDITION,
        /** A pod was created, scheduled, became ready or not, or is being deleted. */
        POD,
        /** A container started, exited or was restarted. */
        CONTAINER,
        /** A Normal event. */
        EVENT,
        /** A Warning event. */
        WARNING
    }

    public TimelineEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(beforeCapture, "beforeCapture");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(source, "source");
    }
}

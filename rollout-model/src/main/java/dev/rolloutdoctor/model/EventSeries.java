package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code series} of an event that keeps happening (events.k8s.io/v1 and core/v1): how often it was observed up
 * to the last heartbeat, and when it was last observed.
 */
public record EventSeries(int count, Optional<Instant> lastObservedTime) {

    public EventSeries {
        Objects.requireNonNull(lastObservedTime, "lastObservedTime");
    }
}

package dev.rolloutdoctor.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When the snapshot was taken, and how we know. Every deadline and age is measured against this instant, never
 * against the wall clock.
 */
public record CaptureTime(Optional<Instant> instant, Origin origin, String detail) {

    /** How the capture time was found. */
    public enum Origin {
        /** Given by the caller ({@code --now}). */
        OVERRIDE,
        /** Read from the bundle itself (its folder name, a timestamp file). */
        BUNDLE,
        /** The newest timestamp found in the objects and events. */
        NEWEST_TIMESTAMP,
        /** Nothing in the input tells. */
        UNKNOWN
    }

    public static final CaptureTime UNKNOWN = new CaptureTime(Optional.empty(), Origin.UNKNOWN, "no timestamps in the input");

    public CaptureTime {
        Objects.requireNonNull(instant, "instant");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(detail, "detail");
    }

    public static CaptureTime override(Instant instant) {
        return new CaptureTime(Optional.of(instant), Origin.OVERRIDE, "given by the caller");
    }
}

package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A status condition ({@code Progressing}, {@code Available}, {@code Ready}, {@code PodScheduled}, ...), as
 * controllers write them. {@code status} is the text as written: {@code True}, {@code False} or {@code Unknown}.
 */
public record Condition(
        String type,
        String status,
        String reason,
        String message,
        Optional<Instant> lastTransitionTime,
        Optional<Instant> lastUpdateTime,
        Optional<Instant> lastProbeTime,
        Optional<Instant> lastHeartbeatTime) {

    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
        Objects.requireNonNull(lastUpdateTime, "lastUpdateTime");
        Objects.requireNonNull(lastProbeTime, "lastProbeTime");
        Objects.requireNonNull(lastHeartbeatTime, "lastHeartbeatTime");
    }

    /** A condition built in code, without timestamps. */
    public static Condition of(String type, String status, String reason, String message) {
        return new Condition(type, status, reason, message, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isTrue() {
        return "True".equalsIgnoreCase(status);
    }

    public boolean isFalse() {
        return "False".equalsIgnoreCase(status);
    }

    /** The condition of the given type among {@code conditions}, if present. */
    public static Optional<Condition> find(List<Condition> conditions, String type) {
        for (Condition c : conditions) {
            if (c.type().equals(type)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}

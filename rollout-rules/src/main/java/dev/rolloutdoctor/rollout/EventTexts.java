package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Event;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns events into timeline sentences. */
final class EventTexts {

    /**
     * Every wording of the deployment controller's {@code ScalingReplicaSet} message: {@code Scaled up replica set
     * web-7d9c to 3}, {@code ... to 3 from 2} (2021 to 2024) and {@code ... from 2 to 3} (since 2024).
     */
    private static final Pattern SCALED = Pattern.compile(
            "Scaled (up|down) replica set (\\S+) (?:from (\\d+) )?to (\\d+)(?: from (\\d+))?");

    private EventTexts() {
    }

    /** A {@code ScalingReplicaSet} event read back: which ReplicaSet, and a sentence saying what happened to it. */
    record Scaling(String replicaSet, String sentence) {
    }

    static Optional<Scaling> scaling(Event e) {
        if (!"ScalingReplicaSet".equals(e.reason())) {
            return Optional.empty();
        }
        Matcher m = SCALED.matcher(e.message().strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String from = m.group(3) != null ? m.group(3) : m.group(5);
        return Optional.of(new Scaling(m.group(2), "ReplicaSet " + m.group(2) + " scaled " + m.group(1)
                + (from == null ? "" : " from " + from) + " to " + m.group(4)));
    }

    /** {@code Pod web-7d9c-x2x4 container app: BackOff: Back-off restarting failed container}. */
    static String sentence(Event e) {
        String container = e.regarding().containerName();
        String subject = (e.regarding().kind().isEmpty() ? "Object" : e.regarding().kind()) + " " + e.regarding().name()
                + (container.isEmpty() ? "" : " container " + container);
        String reason = e.reason().isEmpty() ? "" : ": " + e.reason();
        String message = e.message().strip();
        return subject + reason + (message.isEmpty() ? "" : ": " + message);
    }
}

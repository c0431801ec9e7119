package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.snapshot.PodLog;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One fact a finding rests on: a field of an object with its value, an event, or a log line, with where it was read
 * ({@code file:line}) so a reader can check it.
 *
 * @param path   for a field, its path in the object ({@code spec.template.spec.containers[0].image}); for a log, the container
 * @param text   for a field, its value; for an event, {@code reason: message}; for a log, the line
 * @param at     when it happened, for events and timestamps
 * @param source {@code file:line} in the input
 */
public record Evidence(Type type, ObjectRef object, String path, String text, Optional<Instant> at, String source) {

    /** What kind of fact. */
    public enum Type {
        EVENT, FIELD, LOG;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Evidence {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
    }

    /** A field of an object and its value as read. */
    public static Evidence field(KubeObject object, String path, String value) {
        return new Evidence(Type.FIELD, object.ref(), path, value, Optional.empty(), object.source().toString());
    }

    /** A field holding a time (a condition's lastTransitionTime, a deletionTimestamp). */
    public static Evidence field(KubeObject object, String path, String value, Optional<Instant> at) {
        return new Evidence(Type.FIELD, object.ref(), path, value, at, object.source().toString());
    }

    /** An event: its type, reason and message, how often and over how long it was seen. */
    public static Evidence event(Event event) {
        StringBuilder text = new StringBuilder();
        if (!event.type().isEmpty()) {
            text.append(event.type()).append(' ');
        }
        text.append(event.reason()).append(": ").append(event.message());
        int count = event.occurrences();
        if (count > 1) {
            text.append(" (x").append(count);
            Optional<Instant> first = event.firstSeen();
            Optional<Instant> last = event.lastSeen();
            if (first.isPresent() && last.isPresent() && last.get().isAfter(first.get())) {
                text.append(" over ").append(Durations.format(Duration.between(first.get(), last.get())));
            }
            text.append(')');
        }
        return new Evidence(Type.EVENT, event.regarding().ref(), "", text.toString(), event.lastSeen(), event.source().toString());
    }

    /** A line of a container log; {@code index} is its 0-based position in {@code log.lines()}. */
    public static Evidence log(ObjectRef pod, PodLog log, int index) {
        String path = log.container().isEmpty() ? "logs" : "logs/" + log.container() + (log.previous() ? " (previous)" : "");
        return new Evidence(Type.LOG, pod, path, log.lines().get(index), Optional.empty(),
                log.source() + ":" + (log.firstLine() + index));
    }
}

package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An event as the timeline tells it, after merging the copies one occurrence leaves when a dump holds both event
 * APIs: a core/v1 and an events.k8s.io/v1 event with the same object, reason and message, and the same name or the
 * same first sighting, are one event. Counts merge by their maximum (a copy never knows more than the original);
 * first and last sightings widen.
 */
record MergedEvent(Event event, Optional<Instant> firstSeen, Optional<Instant> lastSeen, int occurrences) {

    private static final Comparator<Event> ORDER = Comparator
            .comparing((Event e) -> e.firstSeen().or(e::lastSeen).orElse(Instant.MIN))
            .thenComparing(e -> e.source().toString())
            .thenComparing(e -> e.metadata().name())
            .thenComparing(Event::api);

    static List<MergedEvent> merge(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(ORDER);
        Map<Key, List<Group>> groups = new LinkedHashMap<>();
        List<Group> all = new ArrayList<>();
        for (Event e : sorted) {
            List<Group> candidates = groups.computeIfAbsent(Key.of(e), k -> new ArrayList<>());
            Optional<Group> copyOf = candidates.stream().filter(g -> g.isCopy(e)).findFirst();
            if (copyOf.isPresent()) {
                copyOf.get().add(e);
            } else {
                Group g = new Group(e);
                candidates.add(g);
                all.add(g);
            }
        }
        return all.stream().map(Group::merged).toList();
    }

    private record Key(String kind, String namespace, String name, String uid, String fieldPath, String reason,
            String message) {
        static Key of(Event e) {
            return new Key(e.regarding().kind(), e.regarding().namespace(), e.regarding().name(), e.regarding().uid(),
                    e.regarding().fieldPath(), e.reason(), e.message());
        }
    }

    private static final class Group {
        private final Event first;
        private final Set<Event.Api> apis = EnumSet.noneOf(Event.Api.class);
        private final List<Event> members = new ArrayList<>();

        Group(Event first) {
            this.first = first;
            add(first);
        }

        void add(Event e) {
            members.add(e);
            apis.add(e.api());
        }

        boolean isCopy(Event e) {
            if (apis.contains(e.api())) {
                return false;
            }
            return e.metadata().name().equals(first.metadata().name())
                    || e.firstSeen().isPresent() && e.firstSeen().equals(first.firstSeen());
        }

        MergedEvent merged() {
            Optional<Instant> firstSeen = members.stream().map(Event::firstSeen).flatMap(Optional::stream)
                    .min(Instant::compareTo);
            Optional<Instant> lastSeen = members.stream().map(Event::lastSeen).flatMap(Optional::stream)
                    .max(Instant::compareTo);
            int occurrences = members.stream().mapToInt(Event::occurrences).max().orElse(1);
            return new MergedEvent(first, firstSeen, lastSeen, occurrences);
        }
    }

    MergedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }

    /** When the timeline places it: first seen, else last seen. */
    Optional<Instant> at() {
        return firstSeen.or(() -> lastSeen);
    }
}

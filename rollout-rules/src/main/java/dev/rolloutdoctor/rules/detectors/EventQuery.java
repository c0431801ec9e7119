package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Events about a set of objects, by reason, newest last; each event once, however many of the objects it names. */
final class EventQuery {

    private static final Comparator<Event> ORDER = Comparator
            .comparing((Event e) -> e.lastSeen().orElse(Instant.EPOCH))
            .thenComparing(e -> e.metadata().name());

    private EventQuery() {
    }

    static List<Event> about(Snapshot snapshot, Collection<? extends KubeObject> objects, Predicate<Event> filter) {
        Map<String, Event> unique = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            for (Event e : snapshot.eventsFor(o)) {
                if (filter.test(e)) {
                    unique.putIfAbsent(e.metadata().namespace() + "/" + e.metadata().name(), e);
                }
            }
        }
        List<Event> out = new ArrayList<>(unique.values());
        out.sort(ORDER);
        return out;
    }

    static List<Event> about(Snapshot snapshot, Collection<? extends KubeObject> objects, Set<String> reasons) {
        return about(snapshot, objects, e -> reasons.contains(e.reason()));
    }

    static List<Event> about(Snapshot snapshot, KubeObject object, String reason) {
        return about(snapshot, List.of(object), e -> e.reason().equals(reason));
    }

    /** The last {@code n} of a list (the newest events). */
    static <T> List<T> last(List<T> list, int n) {
        return list.subList(Math.max(0, list.size() - n), list.size());
    }
}

package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ReplicaSet;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Orders and immutable copies used across the package. */
final class Sorting {

    /**
     * Oldest first, ties by name: the controller's {@code ReplicaSetsByCreationTimestamp}. An absent timestamp is
     * Go's zero time, so it sorts first.
     */
    static final Comparator<KubeObject> BY_CREATION = Comparator
            .comparing((KubeObject o) -> o.metadata().creationTimestamp().orElse(Instant.MIN))
            .thenComparing(o -> o.metadata().name());

    /** Highest revision first (absent revisions last), then newest first. */
    static final Comparator<ReplicaSet> NEWEST_REVISION_FIRST = Comparator
            .comparingInt((ReplicaSet rs) -> rs.revision().orElse(Integer.MIN_VALUE)).reversed()
            .thenComparing(BY_CREATION.reversed());

    private Sorting() {
    }

    static <V> SortedMap<String, List<V>> frozen(Map<String, List<V>> map) {
        TreeMap<String, List<V>> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableSortedMap(copy);
    }
}

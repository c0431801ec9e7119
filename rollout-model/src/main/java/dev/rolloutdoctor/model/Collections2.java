package dev.rolloutdoctor.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Immutable copies that keep a deterministic order. {@code Map.copyOf} is not used for maps that reach output:
 * its iteration order changes from one JVM run to the next.
 */
public final class Collections2 {

    private Collections2() {
    }

    /** An unmodifiable copy sorted by key; null-free. */
    public static <V> SortedMap<String, V> sortedCopy(Map<String, V> map) {
        if (map.isEmpty()) {
            return Collections.emptySortedMap();
        }
        if (map instanceof CompactSortedMap<V> compact) {
            return compact;
        }
        return CompactSortedMap.copyOf(map);
    }

    /** An unmodifiable copy in the same order; null-free. */
    public static <T> List<T> listCopy(List<T> list) {
        return List.copyOf(list);
    }
}

package dev.rolloutdoctor.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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
        if (map instanceof SortedMap<String, V> sorted && sorted.comparator() == null && isUnmodifiable(map)) {
            return sorted;
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** An unmodifiable copy in the same order; null-free. */
    public static <T> List<T> listCopy(List<T> list) {
        return List.copyOf(list);
    }

    private static boolean isUnmodifiable(Map<?, ?> map) {
        return map.getClass().getName().startsWith("java.util.Collections$Unmodifiable");
    }
}

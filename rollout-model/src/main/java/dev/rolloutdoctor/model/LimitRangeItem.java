package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.SortedMap;

/**
 * One entry of a LimitRange's {@code spec.limits}: bounds and defaults for one type of object. Every map is sorted by
 * resource name and empty when absent.
 *
 * @param type                 {@code Container}, {@code Pod} or {@code PersistentVolumeClaim} as written
 * @param defaultLimits        {@code default}: the limits given to containers that set none
 * @param defaultRequest       the requests given to containers that set none
 * @param maxLimitRequestRatio the largest allowed limit/request ratio per resource
 */
public record LimitRangeItem(
        String type,
        SortedMap<String, Quantity> max,
        SortedMap<String, Quantity> min,
        SortedMap<String, Quantity> defaultLimits,
        SortedMap<String, Quantity> defaultRequest,
        SortedMap<String, Quantity> maxLimitRequestRatio) {

    public LimitRangeItem {
        Objects.requireNonNull(type, "type");
        max = Collections2.sortedCopy(max);
        min = Collections2.sortedCopy(min);
        defaultLimits = Collections2.sortedCopy(defaultLimits);
        defaultRequest = Collections2.sortedCopy(defaultRequest);
        maxLimitRequestRatio = Collections2.sortedCopy(maxLimitRequestRatio);
    }
}

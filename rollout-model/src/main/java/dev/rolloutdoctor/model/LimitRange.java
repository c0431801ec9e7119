package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;

/** A core/v1 LimitRange: per-container, per-pod and per-claim bounds and defaults the admission plugin enforces in a namespace. */
public record LimitRange(String apiVersion, ObjectMeta metadata, List<LimitRangeItem> limits, Source source) implements KubeObject {

    public LimitRange {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        limits = List.copyOf(limits);
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "LimitRange";
    }

    /** The items of the given type ({@code Container}, {@code Pod}, {@code PersistentVolumeClaim}). */
    public List<LimitRangeItem> itemsOfType(String type) {
        return limits.stream().filter(i -> i.type().equals(type)).toList();
    }
}

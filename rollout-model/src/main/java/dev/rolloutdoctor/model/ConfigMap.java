package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;

/**
 * A core/v1 ConfigMap, reduced to the names of its keys: enough to tell whether a pod's reference to a key can
 * resolve. Values are not kept.
 *
 * @param keys the keys of {@code data} and {@code binaryData} together, sorted, without duplicates
 */
public record ConfigMap(String apiVersion, ObjectMeta metadata, List<String> keys, Source source) implements KubeObject {

    public ConfigMap {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        keys = List.copyOf(keys);
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "ConfigMap";
    }

    public boolean hasKey(String key) {
        return keys.contains(key);
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;

/**
 * A core/v1 Secret, reduced to its type and the names of its keys: enough to tell whether a pod's reference to a
 * key can resolve. No value is ever read or kept.
 *
 * @param type the secret type ({@code kubernetes.io/dockerconfigjson}, ...); {@code Opaque} when absent, as the API
 *             server defaults it
 * @param keys the keys of {@code data} and {@code stringData} together, sorted, without duplicates
 */
public record Secret(String apiVersion, ObjectMeta metadata, String type, List<String> keys, Source source) implements KubeObject {

    public static final String OPAQUE = "Opaque";

    public Secret {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(type, "type");
        keys = List.copyOf(keys);
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "Secret";
    }

    public boolean hasKey(String key) {
        return keys.contains(key);
    }
}

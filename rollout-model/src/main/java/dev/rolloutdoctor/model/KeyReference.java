package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * One key of a ConfigMap or Secret that an environment variable takes its value from ({@code configMapKeyRef},
 * {@code secretKeyRef}); the value itself is never read.
 *
 * @param kind     {@code ConfigMap} or {@code Secret}
 * @param optional when true a missing object or key does not stop the container from starting
 */
public record KeyReference(String kind, String name, String key, boolean optional) implements EnvVarSource {

    public static final String CONFIG_MAP = "ConfigMap";
    public static final String SECRET = "Secret";

    public KeyReference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
    }

    /** The object this refers to, in the given namespace. */
    public ObjectRef ref(String namespace) {
        return new ObjectRef(kind, namespace, name);
    }
}

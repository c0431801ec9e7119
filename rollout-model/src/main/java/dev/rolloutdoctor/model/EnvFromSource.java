package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * A whole ConfigMap or Secret a container takes its environment from ({@code spec.containers[].envFrom[]}): names
 * only, never values.
 *
 * @param kind     {@code ConfigMap} or {@code Secret}
 * @param name     the object's name in the pod's namespace
 * @param prefix   prepended to every key ("" for none)
 * @param optional when true a missing object does not stop the container from starting
 */
public record EnvFromSource(String kind, String name, String prefix, boolean optional) {

    public static final String CONFIG_MAP = "ConfigMap";
    public static final String SECRET = "Secret";

    public EnvFromSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The object this refers to, in the given namespace. */
    public ObjectRef ref(String namespace) {
        return new ObjectRef(kind, namespace, name);
    }
}

package dev.rolloutdoctor.snapshot;

import java.util.Objects;

/**
 * What a support bundle's {@code secret} or {@code configMap} collector recorded about one object: whether it
 * exists and whether a key exists in it. The value is never kept.
 *
 * @param kind      {@code Secret} or {@code ConfigMap}
 * @param key       the key that was checked, or "" when none was
 */
public record ReferenceCheck(String kind, String namespace, String name, String key, boolean exists, boolean keyExists, String source) {

    public ReferenceCheck {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
    }
}

package dev.rolloutdoctor.model;

import java.util.Objects;

/** An entry of {@code metadata.ownerReferences}: the object that owns this one; {@code controller} marks the managing owner. */
public record OwnerReference(String apiVersion, String kind, String name, String uid, boolean controller) {

    public OwnerReference {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
    }
}

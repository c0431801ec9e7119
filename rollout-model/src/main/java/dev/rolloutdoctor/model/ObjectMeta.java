package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * The {@code metadata} of an object, with the fields a diagnosis uses. {@code managedFields} and the
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation are dropped when loading.
 *
 * @param generation      {@code metadata.generation}; 0 when absent, as in Kubernetes
 * @param resourceVersion as written; compared numerically when choosing between copies of one object
 */
public record ObjectMeta(
        String name,
        String generateName,
        String namespace,
        String uid,
        String resourceVersion,
        long generation,
        Optional<Instant> creationTimestamp,
        Optional<Instant> deletionTimestamp,
        OptionalLong deletionGracePeriodSeconds,
        SortedMap<String, String> labels,
        SortedMap<String, String> annotations,
        List<OwnerReference> ownerReferences,
        List<String> finalizers) {

    public ObjectMeta {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generateName, "generateName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(resourceVersion, "resourceVersion");
        Objects.requireNonNull(creationTimestamp, "creationTimestamp");
        Objects.requireNonNull(deletionTimestamp, "deletionTimestamp");
        Objects.requireNonNull(deletionGracePeriodSeconds, "deletionGracePeriodSeconds");
        labels = Collections2.sortedCopy(labels);
        annotations = Collections2.sortedCopy(annotations);
        ownerReferences = List.copyOf(ownerReferences);
        finalizers = List.copyOf(finalizers);
    }

    /** Metadata with only a name and namespace, for objects built in code. */
    public static ObjectMeta of(String namespace, String name) {
        return new ObjectMeta(name, "", namespace, "", "", 0, Optional.empty(), Optional.empty(), OptionalLong.empty(),
                Collections2.sortedCopy(Map.of()), Collections2.sortedCopy(Map.of()), List.of(), List.of());
    }

    /** The owner reference marked {@code controller: true}, the one controllers act on. */
    public Optional<OwnerReference> controllerRef() {
        return ownerReferences.stream().filter(OwnerReference::controller).findFirst();
    }

    /** True while the object is being deleted ({@code deletionTimestamp} set): kubectl shows such pods as Terminating. */
    public boolean isTerminating() {
        return deletionTimestamp.isPresent();
    }

    public Optional<String> label(String key) {
        return Optional.ofNullable(labels.get(key));
    }

    public Optional<String> annotation(String key) {
        return Optional.ofNullable(annotations.get(key));
    }
}

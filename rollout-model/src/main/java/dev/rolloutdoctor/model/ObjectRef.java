package dev.rolloutdoctor.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * Names one object: its kind, namespace ("" for cluster-scoped kinds) and name. Sorts by namespace, kind, name,
 * the order reports list objects in.
 */
public record ObjectRef(String kind, String namespace, String name) implements Comparable<ObjectRef> {

    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::namespace)
            .thenComparing(ObjectRef::kind)
            .thenComparing(ObjectRef::name);

    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static ObjectRef of(String kind, String namespace, String name) {
        return new ObjectRef(kind, namespace, name);
    }

    /** A cluster-scoped object (Node, PersistentVolume, StorageClass, Namespace). */
    public static ObjectRef cluster(String kind, String name) {
        return new ObjectRef(kind, "", name);
    }

    public boolean isNamespaced() {
        return !namespace.isEmpty();
    }

    /** The {@code kind/name} form kubectl takes as an argument, lower-cased kind ({@code deployment/web}). */
    public String kubectlName() {
        return kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
    }

    /** The {@code -n namespace} flag for kubectl commands, or "" for cluster-scoped objects. */
    public String namespaceFlag() {
        return namespace.isEmpty() ? "" : " -n " + namespace;
    }

    @Override
    public int compareTo(ObjectRef other) {
        return ORDER.compare(this, other);
    }

    /** {@code Deployment shop/web}, or {@code Node node-1} for cluster-scoped objects. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? kind + " " + name : kind + " " + namespace + "/" + name;
    }
}

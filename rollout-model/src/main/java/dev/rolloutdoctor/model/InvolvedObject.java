package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * The object an event is about: core/v1 {@code involvedObject}, events.k8s.io/v1 {@code regarding}. Every field is
 * "" when left out, as in the must-gather bootstrap events that name only a namespace.
 *
 * @param namespace as written, or the event's own namespace when the event left it empty for a namespaced kind
 *                  (events are stored in the namespace of the object they are about)
 * @param fieldPath the part of the object the event is about ({@code spec.containers{web}}), "" for the whole object
 */
public record InvolvedObject(String apiVersion, String kind, String namespace, String name, String uid, String fieldPath) {

    public static final InvolvedObject NONE = new InvolvedObject("", "", "", "", "", "");

    public InvolvedObject {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(fieldPath, "fieldPath");
    }

    /** The object as a reference; cluster-scoped kinds (Node, PersistentVolume, ...) get no namespace. */
    public ObjectRef ref() {
        return new ObjectRef(kind, Kinds.isClusterScoped(kind) ? "" : namespace, name);
    }

    /**
     * The container a kubelet event is about, from a field path such as {@code spec.containers{web}} or
     * {@code spec.initContainers{init}}; "" when the event is about the whole object.
     */
    public String containerName() {
        int open = fieldPath.indexOf('{');
        int close = fieldPath.lastIndexOf('}');
        if (open < 0 || close < open) {
            return "";
        }
        return fieldPath.substring(open + 1, close);
    }
}

package dev.rolloutdoctor.model;

/**
 * An object of the snapshot: every kind the model knows has its own record, and any other kind is a
 * {@link GenericObject}, so nothing read is lost.
 */
public interface KubeObject {

    /** {@code apiVersion} as written ({@code apps/v1}, {@code v1}, {@code events.k8s.io/v1}); "" when the input left it out. */
    String apiVersion();

    /** The kind ({@code Deployment}); for known kinds fixed by the record. */
    String kind();

    ObjectMeta metadata();

    /** Where the object was read. */
    Source source();

    default ObjectRef ref() {
        return new ObjectRef(kind(), metadata().namespace(), metadata().name());
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An object of a kind the model has no record for (Namespace, ServiceAccount, Job, PodDisruptionBudget, custom
 * resources, ...), kept with its metadata and status conditions so that nothing read is lost.
 *
 * @param kind       as written, or as the loader inferred it when the document left it out
 * @param conditions {@code status.conditions} when it is a list of condition-shaped mappings (each with a string
 *                   {@code type} and {@code status}); empty otherwise
 */
public record GenericObject(String apiVersion, String kind, ObjectMeta metadata, List<Condition> conditions, Source source)
        implements KubeObject {

    public GenericObject {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metadata, "metadata");
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(source, "source");
    }

    /** The status condition of the given type, if present. */
    public Optional<Condition> condition(String type) {
        return Condition.find(conditions, type);
    }

    /** The API group of {@code apiVersion} ({@code apps} for {@code apps/v1}); "" for the core group. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/** A core/v1 ResourceQuota: the limits on a namespace's total resources and object counts, and what is used of them. */
public record ResourceQuota(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source)
        implements KubeObject {

    public ResourceQuota {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "ResourceQuota";
    }

    /**
     * {@code spec}.
     *
     * @param hard   the limits by resource name ({@code requests.cpu}, {@code pods}, {@code count/jobs.batch}), sorted
     * @param scopes {@code Terminating}, {@code NotBestEffort}, ... as written: the quota counts only matching pods
     */
    public record Spec(SortedMap<String, Quantity> hard, List<String> scopes) {

        public Spec {
            hard = Collections2.sortedCopy(hard);
            scopes = List.copyOf(scopes);
        }
    }

    /**
     * {@code status}, as the quota controller last wrote it.
     *
     * @param hard the limits the controller enforces, sorted by resource name
     * @param used the current usage, sorted by resource name
     */
    public record Status(SortedMap<String, Quantity> hard, SortedMap<String, Quantity> used) {

        public Status {
            hard = Collections2.sortedCopy(hard);
            used = Collections2.sortedCopy(used);
        }
    }

    /** The usage of a resource from {@code status.used}. */
    public Optional<Quantity> used(String resource) {
        return Optional.ofNullable(status.used().get(resource));
    }

    /** The limit of a resource: {@code status.hard}, else {@code spec.hard} (before the controller has synced). */
    public Optional<Quantity> hard(String resource) {
        Quantity enforced = status.hard().get(resource);
        return enforced != null ? Optional.of(enforced) : Optional.ofNullable(spec.hard().get(resource));
    }

    /**
     * How much of a resource is left: {@link #hard(String)} minus {@link #used(String)}; negative when over the limit,
     * empty when the quota does not limit the resource or its usage is not recorded.
     */
    public Optional<Quantity> headroom(String resource) {
        Optional<Quantity> hard = hard(resource);
        Optional<Quantity> used = used(resource);
        if (hard.isEmpty() || used.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(hard.get().subtract(used.get()));
    }
}

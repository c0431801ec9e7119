package dev.rolloutdoctor.model;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A workload's pod template ({@code spec.template} of a Deployment, ReplicaSet, StatefulSet, DaemonSet or Job):
 * the labels and annotations its pods get, and their spec.
 */
public record PodTemplate(SortedMap<String, String> labels, SortedMap<String, String> annotations, PodSpec spec) {

    /** A template with nothing in it, for workloads read without one. */
    public static final PodTemplate EMPTY =
            new PodTemplate(Collections.emptySortedMap(), Collections.emptySortedMap(), PodSpec.EMPTY);

    public PodTemplate {
        labels = Collections2.sortedCopy(labels);
        annotations = Collections2.sortedCopy(annotations);
        Objects.requireNonNull(spec, "spec");
    }

    /** The pod template of a Deployment, StatefulSet, DaemonSet or ReplicaSet; empty for any other kind. */
    public static Optional<PodTemplate> of(KubeObject workload) {
        if (workload instanceof Deployment d) {
            return Optional.of(d.spec().template());
        }
        if (workload instanceof StatefulSet s) {
            return Optional.of(s.spec().template());
        }
        if (workload instanceof DaemonSet ds) {
            return Optional.of(ds.spec().template());
        }
        if (workload instanceof ReplicaSet rs) {
            return Optional.of(rs.spec().template());
        }
        return Optional.empty();
    }
}

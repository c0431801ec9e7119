package dev.rolloutdoctor.model;

import java.util.Collections;
import java.util.Objects;
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
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An {@code apps/v1} DaemonSet: one pod per eligible node. */
public record DaemonSet(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source) implements KubeObject {

    public DaemonSet {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "DaemonSet";
    }

    /** {@code spec}. */
    public record Spec(Optional<LabelSelector> selector, PodTemplate template, UpdateStrategy updateStrategy, int minReadySeconds) {

        public Spec {
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(updateStrategy, "updateStrategy");
        }
    }

    /** {@code spec.updateStrategy}: {@code type} as written ("" when absent: the API defaults RollingUpdate). */
    public record UpdateStrategy(String type, Optional<IntOrPercent> maxUnavailable, Optional<IntOrPercent> maxSurge) {

        public UpdateStrategy {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(maxUnavailable, "maxUnavailable");
            Objects.requireNonNull(maxSurge, "maxSurge");
        }
    }

    /** {@code status}, with the controller's counters. */
    public record Status(
            long observedGeneration,
            int currentNumberScheduled,
            int numberMisscheduled,
            int desiredNumberScheduled,
            int numberReady,
            int updatedNumberScheduled,
            int numberAvailable,
            int numberUnavailable,
            List<Condition> conditions) {

        public static final Status EMPTY = new Status(0, 0, 0, 0, 0, 0, 0, 0, List.of());

        public Status {
            conditions = List.copyOf(conditions);
        }
    }
}

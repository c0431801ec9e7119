package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** An {@code apps/v1} Deployment: the desired pod template, the rollout strategy, and the status its controller writes. */
public record Deployment(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source) implements KubeObject {

    /** Annotation the deployment controller keeps on the Deployment and its ReplicaSets. */
    public static final String REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

    public Deployment {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "Deployment";
    }

    /**
     * {@code spec}. {@code replicas} is empty only in hand-made objects: the API server defaults it to 1.
     *
     * @param progressDeadlineSeconds empty when absent; the API default is 600
     */
    public record Spec(
            OptionalInt replicas,
            Optional<LabelSelector> selector,
            PodTemplate template,
            Strategy strategy,
            int minReadySeconds,
            OptionalInt progressDeadlineSeconds,
            OptionalInt revisionHistoryLimit,
            boolean paused) {

        public Spec {
            Objects.requireNonNull(replicas, "replicas");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(progressDeadlineSeconds, "progressDeadlineSeconds");
            Objects.requireNonNull(revisionHistoryLimit, "revisionHistoryLimit");
        }

        /** {@code spec.replicas}, or the API default of 1 when the dump leaves it out. */
        public int desiredReplicas() {
            return replicas.orElse(1);
        }
    }

    /**
     * {@code spec.strategy}: {@code type} is {@code RollingUpdate} or {@code Recreate} ("" when absent, which the API
     * defaults to RollingUpdate); surge and unavailable are empty when absent (API default 25% each).
     */
    public record Strategy(String type, Optional<IntOrPercent> maxSurge, Optional<IntOrPercent> maxUnavailable) {

        public Strategy {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(maxSurge, "maxSurge");
            Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        }

        public boolean isRecreate() {
            return "Recreate".equals(type);
        }
    }

    /**
     * {@code status}. Counters absent from a dump read as 0, as Kubernetes treats them; {@code terminatingReplicas}
     * is empty when absent, which means unknown (clusters before 1.33 never write it), not zero.
     */
    public record Status(
            long observedGeneration,
            int replicas,
            int updatedReplicas,
            int readyReplicas,
            int availableReplicas,
            int unavailableReplicas,
            OptionalInt terminatingReplicas,
            List<Condition> conditions,
            OptionalInt collisionCount) {

        public static final Status EMPTY = new Status(0, 0, 0, 0, 0, 0, OptionalInt.empty(), List.of(), OptionalInt.empty());

        public Status {
            Objects.requireNonNull(terminatingReplicas, "terminatingReplicas");
            conditions = List.copyOf(conditions);
            Objects.requireNonNull(collisionCount, "collisionCount");
        }

        public Optional<Condition> condition(String type) {
            return Condition.find(conditions, type);
        }
    }

    /** The {@code deployment.kubernetes.io/revision} annotation as a number, if present and numeric. */
    public OptionalInt revision() {
        return Revisions.parse(metadata.annotations().get(REVISION_ANNOTATION));
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** An {@code apps/v1} ReplicaSet: one revision of a Deployment's pod template and the pods it keeps. */
public record ReplicaSet(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source) implements KubeObject {

    /** The label the deployment controller adds to a ReplicaSet's selector, template and pods. */
    public static final String POD_TEMPLATE_HASH = "pod-template-hash";

    public ReplicaSet {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "ReplicaSet";
    }

    /** {@code spec}; {@code replicas} empty when absent (the API default is 1). */
    public record Spec(OptionalInt replicas, Optional<LabelSelector> selector, PodTemplate template, int minReadySeconds) {

        public Spec {
            Objects.requireNonNull(replicas, "replicas");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(template, "template");
        }

        public int desiredReplicas() {
            return replicas.orElse(1);
        }
    }

    /** {@code status}; {@code terminatingReplicas} empty means unknown, not zero. */
    public record Status(
            long observedGeneration,
            int replicas,
            int fullyLabeledReplicas,
            int readyReplicas,
            int availableReplicas,
            OptionalInt terminatingReplicas,
            List<Condition> conditions) {

        public static final Status EMPTY = new Status(0, 0, 0, 0, 0, OptionalInt.empty(), List.of());

        public Status {
            Objects.requireNonNull(terminatingReplicas, "terminatingReplicas");
            conditions = List.copyOf(conditions);
        }

        public Optional<Condition> condition(String type) {
            return Condition.find(conditions, type);
        }
    }

    /** The {@code deployment.kubernetes.io/revision} annotation as a number, if present and numeric. */
    public OptionalInt revision() {
        return Revisions.parse(metadata.annotations().get(Deployment.REVISION_ANNOTATION));
    }

    /** The {@code pod-template-hash} label, "" when absent. */
    public String podTemplateHash() {
        return metadata.labels().getOrDefault(POD_TEMPLATE_HASH, "");
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** An {@code apps/v1} StatefulSet: pods with stable identities, updated in order by its controller. */
public record StatefulSet(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source) implements KubeObject {

    public StatefulSet {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "StatefulSet";
    }

    /** {@code spec}; {@code volumeClaimTemplates} keeps the claim names and their storage class. */
    public record Spec(
            OptionalInt replicas,
            Optional<LabelSelector> selector,
            PodTemplate template,
            String serviceName,
            String podManagementPolicy,
            UpdateStrategy updateStrategy,
            List<ClaimTemplate> volumeClaimTemplates,
            int minReadySeconds) {

        public Spec {
            Objects.requireNonNull(replicas, "replicas");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(serviceName, "serviceName");
            Objects.requireNonNull(podManagementPolicy, "podManagementPolicy");
            Objects.requireNonNull(updateStrategy, "updateStrategy");
            volumeClaimTemplates = List.copyOf(volumeClaimTemplates);
        }

        public int desiredReplicas() {
            return replicas.orElse(1);
        }
    }

    /**
     * {@code spec.updateStrategy}: {@code type} as written ("" when absent: the API defaults RollingUpdate);
     * {@code rollingUpdate} empty when the block is absent, which changes kubectl's verdict.
     */
    public record UpdateStrategy(String type, Optional<RollingUpdate> rollingUpdate) {

        public UpdateStrategy {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(rollingUpdate, "rollingUpdate");
        }
    }

    /** {@code spec.updateStrategy.rollingUpdate}. */
    public record RollingUpdate(OptionalInt partition, Optional<IntOrPercent> maxUnavailable) {

        public RollingUpdate {
            Objects.requireNonNull(partition, "partition");
            Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        }
    }

    /** One entry of {@code volumeClaimTemplates}: the claim name prefix, its class and access modes. */
    public record ClaimTemplate(String name, Optional<String> storageClassName, List<String> accessModes) {

        public ClaimTemplate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(storageClassName, "storageClassName");
            accessModes = List.copyOf(accessModes);
        }
    }

    /** {@code status}. */
    public record Status(
            long observedGeneration,
            int replicas,
            int readyReplicas,
            int currentReplicas,
            int updatedReplicas,
            int availableReplicas,
            String currentRevision,
            String updateRevision,
            List<Condition> conditions) {

        public static final Status EMPTY = new Status(0, 0, 0, 0, 0, 0, "", "", List.of());

        public Status {
            Objects.requireNonNull(currentRevision, "currentRevision");
            Objects.requireNonNull(updateRevision, "updateRevision");
            conditions = List.copyOf(conditions);
        }
    }
}

package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.model.StatefulSet;

import java.util.Optional;

/** Decoders of the workload kinds: Deployment, ReplicaSet, StatefulSet, DaemonSet. */
public final class WorkloadDecoders {

    private WorkloadDecoders() {
    }

    public static Deployment deployment(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj strategy = spec.obj("strategy");
        Obj rolling = strategy.obj("rollingUpdate");
        Obj status = root.obj("status");
        return new Deployment(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new Deployment.Spec(
                        spec.optInt("replicas"),
                        spec.selector("selector"),
                        PodDecoder.template(spec.obj("template")),
                        new Deployment.Strategy(strategy.str("type"), rolling.intOrPercent("maxSurge"), rolling.intOrPercent("maxUnavailable")),
                        spec.integer("minReadySeconds", 0),
                        spec.optInt("progressDeadlineSeconds"),
                        spec.optInt("revisionHistoryLimit"),
                        spec.bool("paused", false)),
                new Deployment.Status(
                        status.lng("observedGeneration", 0),
                        status.integer("replicas", 0),
                        status.integer("updatedReplicas", 0),
                        status.integer("readyReplicas", 0),
                        status.integer("availableReplicas", 0),
                        status.integer("unavailableReplicas", 0),
                        status.optInt("terminatingReplicas"),
                        Common.conditions(status, "conditions"),
                        status.optInt("collisionCount")),
                source);
    }

    public static ReplicaSet replicaSet(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj status = root.obj("status");
        return new ReplicaSet(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new ReplicaSet.Spec(spec.optInt("replicas"), spec.selector("selector"), PodDecoder.template(spec.obj("template")),
                        spec.integer("minReadySeconds", 0)),
                new ReplicaSet.Status(
                        status.lng("observedGeneration", 0),
                        status.integer("replicas", 0),
                        status.integer("fullyLabeledReplicas", 0),
                        status.integer("readyReplicas", 0),
                        status.integer("availableReplicas", 0),
                        status.optInt("terminatingReplicas"),
                        Common.conditions(status, "conditions")),
                source);
    }

    public static StatefulSet statefulSet(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj strategy = spec.obj("updateStrategy");
        Optional<StatefulSet.RollingUpdate> rolling = strategy.has("rollingUpdate")
                ? Optional.of(new StatefulSet.RollingUpdate(strategy.obj("rollingUpdate").optInt("partition"),
                        strategy.obj("rollingUpdate").intOrPercent("maxUnavailable")))
                : Optional.empty();
        Obj status = root.obj("status");
        return new StatefulSet(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new StatefulSet.Spec(
                        spec.optInt("replicas"),
                        spec.selector("selector"),
                        PodDecoder.template(spec.obj("template")),
                        spec.str("serviceName"),
                        spec.str("podManagementPolicy"),
                        new StatefulSet.UpdateStrategy(strategy.str("type"), rolling),
                        spec.list("volumeClaimTemplates", t -> new StatefulSet.ClaimTemplate(
                                t.obj("metadata").str("name"),
                                t.obj("spec").optStr("storageClassName"),
                                t.obj("spec").strList("accessModes"))),
                        spec.integer("minReadySeconds", 0)),
                new StatefulSet.Status(
                        status.lng("observedGeneration", 0),
                        status.integer("replicas", 0),
                        status.integer("readyReplicas", 0),
                        status.integer("currentReplicas", 0),
                        status.integer("updatedReplicas", 0),
                        status.integer("availableReplicas", 0),
                        status.str("currentRevision"),
                        status.str("updateRevision"),
                        Common.conditions(status, "conditions")),
                source);
    }

    public static DaemonSet daemonSet(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj strategy = spec.obj("updateStrategy");
        Obj rolling = strategy.obj("rollingUpdate");
        Obj status = root.obj("status");
        return new DaemonSet(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new DaemonSet.Spec(spec.selector("selector"), PodDecoder.template(spec.obj("template")),
                        new DaemonSet.UpdateStrategy(strategy.str("type"), rolling.intOrPercent("maxUnavailable"), rolling.intOrPercent("maxSurge")),
                        spec.integer("minReadySeconds", 0)),
                new DaemonSet.Status(
                        status.lng("observedGeneration", 0),
                        status.integer("currentNumberScheduled", 0),
                        status.integer("numberMisscheduled", 0),
                        status.integer("desiredNumberScheduled", 0),
                        status.integer("numberReady", 0),
                        status.integer("updatedNumberScheduled", 0),
                        status.integer("numberAvailable", 0),
                        status.integer("numberUnavailable", 0),
                        Common.conditions(status, "conditions")),
                source);
    }
}

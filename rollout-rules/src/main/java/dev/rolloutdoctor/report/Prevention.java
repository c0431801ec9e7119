package dev.rolloutdoctor.report;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.LabelSelector;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Follow-up items for a postmortem: the practices that would have caught this failure earlier or limited it, read
 * from the workload's spec (probes, resource requests, image tags, surge settings, disruption budgets) and from
 * what went wrong.
 */
final class Prevention {

    private Prevention() {
    }

    static List<String> items(Snapshot snapshot, RolloutDiagnosis rollout) {
        Set<String> items = new LinkedHashSet<>();
        KubeObject workload = rollout.status().workload();
        PodTemplate.of(workload).ifPresent(t -> {
            for (Container c : t.spec().containers()) {
                if (c.readinessProbe().isEmpty()) {
                    items.add("Add a readiness probe to container `" + c.name() + "`, so that a broken new pod never receives traffic and a rollout stops on it.");
                }
                if (c.resources().requests().isEmpty()) {
                    items.add("Set resource requests on container `" + c.name() + "`, so that the scheduler places pods where they fit and quotas can be planned.");
                }
                if (!c.resources().limits().containsKey("memory") && !c.resources().requests().isEmpty()) {
                    items.add("Consider a memory limit on container `" + c.name() + "`, sized from observed usage.");
                }
                String image = c.image();
                if (image.endsWith(":latest") || (!image.contains("@") && !image.substring(image.lastIndexOf('/') + 1).contains(":"))) {
                    items.add("Pin the image of container `" + c.name() + "` (`" + image + "`) to a version or digest, so that a rollout is repeatable and can be undone.");
                }
            }
        });
        if (workload instanceof Deployment d) {
            if (d.spec().progressDeadlineSeconds().isEmpty()) {
                items.add("Set `spec.progressDeadlineSeconds` explicitly (the default is 600), so that a stuck rollout fails where CI and alerts see it.");
            }
            rollout.status().structure().fenceposts().ifPresent(f -> {
                if (f.maxUnavailable() == 0 && d.spec().desiredReplicas() > 0) {
                    items.add("With `maxUnavailable` at 0 a rollout needs room for " + f.maxSurge()
                            + " extra pod(s) at once: keep quota and node capacity headroom for them, or allow maxUnavailable 1.");
                }
            });
            if (d.spec().desiredReplicas() > 1 && snapshot.collectedKinds().contains("PodDisruptionBudget")
                    && !hasPdb(snapshot, workload.metadata().namespace(), d.spec().selector())) {
                items.add("Add a PodDisruptionBudget for the pods of " + workload.ref() + ", so that node drains during an incident keep enough of them running.");
            }
        }
        items.add("Gate the rollout in CI on `kubectl rollout status " + workload.ref().kubectlName() + workload.ref().namespaceFlag()
                + " --timeout=...` and alert on ProgressDeadlineExceeded.");
        for (RankedFinding f : rollout.findings()) {
            String item = switch (f.finding().ruleId()) {
                case "image-pull-failed" -> "Check in CI that the image tag exists in the registry before the manifest changes, and that the cluster can pull it (pull secret, network).";
                case "container-config-missing", "volume-mount-failed" -> "Deploy ConfigMaps and Secrets before the workloads that use them (or in the same release), and check references in CI.";
                case "crash-loop", "init-container-failed" -> "Run the new image with its real configuration in a pre-production environment; make startup failures log their cause.";
                case "oom-killed" -> "Size memory limits from observed usage (with headroom) and alert on OOMKilled containers.";
                case "readiness-probe-failing", "probe-misconfigured" -> "Test probe paths and ports with the new image before rollout; give slow starters a startupProbe.";
                case "insufficient-resources", "rolling-update-deadlock", "quota-exceeded" -> "Keep capacity and quota headroom for a rollout's surge pods, and alert before it runs out.";
                case "unschedulable-placement", "node-not-ready" -> "Check that nodes matching the pod's selectors, affinity and tolerations exist and are Ready before the rollout.";
                case "pvc-unbound", "volume-attach-conflict" -> "Use strategy Recreate (or a StatefulSet) for workloads with ReadWriteOnce volumes, and check storage classes exist.";
                case "network-policy-isolation" -> "Review NetworkPolicies together with pod label changes.";
                case "rollout-paused" -> "Make paused rollouts visible: alert on Deployments paused for long.";
                default -> null;
            };
            if (item != null) {
                items.add(item);
            }
        }
        return new ArrayList<>(items);
    }

    private static boolean hasPdb(Snapshot snapshot, String namespace, Optional<LabelSelector> selector) {
        // PodDisruptionBudgets are kept as GenericObjects: their selector is not modelled, so a PDB in the namespace counts
        return snapshot.objectsOfKind("PodDisruptionBudget").stream().anyMatch(o -> o.metadata().namespace().equals(namespace))
                || selector.isEmpty();
    }

}

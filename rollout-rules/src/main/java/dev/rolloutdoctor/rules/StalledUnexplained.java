package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutState;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.RolloutStructure;
import dev.rolloutdoctor.snapshot.DataGap;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's answer for a stuck rollout that no detector explains: not a guess, but what the snapshot lacks that
 * would have explained it (no pods, no events, Secrets not collected, values redacted, collector errors), and how
 * to collect it.
 */
@Rule(id = "rollout-stalled-unexplained", title = "Stuck rollout the snapshot cannot explain",
        severity = Severity.WARNING, layer = Layer.WORKLOAD, role = Role.INCONCLUSIVE,
        description = "The rollout is stuck or failed, but no detector found a cause in the snapshot; the finding names "
                + "what the snapshot lacks and how to collect it, rather than guess.")
final class StalledUnexplained {

    private StalledUnexplained() {
    }

    static Optional<Finding> check(DetectionContext context, RolloutStatus status, List<Finding> findings, DetectorRegistry registry) {
        RolloutState state = status.state();
        if (state != RolloutState.FAILED && state != RolloutState.STALLED) {
            return Optional.empty();
        }
        boolean explained = findings.stream().anyMatch(f -> registry.rule(f.ruleId())
                .map(r -> r.role() == Role.CAUSE && f.severity() != Severity.INFO).orElse(false));
        if (explained) {
            return Optional.empty();
        }
        KubeObject workload = status.workload();
        Snapshot snapshot = context.snapshot();
        List<String> missing = missing(snapshot, status);
        String ns = workload.metadata().namespace();
        String name = workload.metadata().name();
        String what = state == RolloutState.FAILED ? "failed (progress deadline exceeded)" : "stalled";
        Finding.Builder f = Finding.of("rollout-stalled-unexplained", state == RolloutState.FAILED ? Severity.ERROR : Severity.WARNING)
                .confidence(Confidence.LOW)
                .workload(workload)
                .title(missing.isEmpty()
                        ? workload.ref() + " is " + what + ", and no known cause shows in the snapshot"
                        : workload.ref() + " is " + what + ", but the snapshot lacks what would explain it")
                .explanation(missing.isEmpty()
                        ? "rollout-doctor checked the new pods, their events and the cluster objects it has and found none of the "
                        + "failure modes it knows. " + status.reason()
                        : "Missing from the snapshot: " + String.join("; ", missing) + ". " + status.reason())
                .evidence(Evidence.field(workload, "status", status.reason()));
        String kind = workload.kind().toLowerCase(java.util.Locale.ROOT);
        f.step("Look at the workload's conditions and recent events", "kubectl describe " + kind + " " + name + " -n " + ns);
        f.step("List the namespace's events, newest last", "kubectl get events -n " + ns + " --sort-by=.lastTimestamp");
        f.step("See the pods of the rollout and where they run", "kubectl get pods -n " + ns + selectorFlag(workload) + " -o wide");
        status.structure().newPods().stream().findFirst().ifPresent(p -> f.step(
                "Read the logs of a new pod, including the previous instance if it restarted",
                "kubectl logs " + p.metadata().name() + " -n " + ns + " --all-containers --previous"));
        f.step("Capture a complete snapshot for next time: events expire after one hour by default",
                "kubectl get deploy,rs,sts,ds,pods,events,pvc,resourcequota,limitrange,networkpolicy -n " + ns + " -o yaml > snapshot.yaml");
        return Optional.of(f.build());
    }

    private static String selectorFlag(KubeObject workload) {
        if (workload instanceof Deployment d && d.spec().selector().isPresent()) {
            String selector = d.spec().selector().get().toString();
            return selector.isEmpty() ? "" : " -l '" + selector + "'";
        }
        return "";
    }

    static List<String> missing(Snapshot snapshot, RolloutStatus status) {
        Set<String> missing = new LinkedHashSet<>();
        KubeObject workload = status.workload();
        RolloutStructure structure = status.structure();
        String ns = workload.metadata().namespace();
        if (workload instanceof Deployment && structure.newReplicaSet().isEmpty()) {
            missing.add(collected(snapshot, "ReplicaSet")
                    ? "a ReplicaSet for the current pod template (the controller has not created one, or it was not captured)"
                    : "ReplicaSets (not collected)");
        }
        if (structure.newPods().isEmpty()) {
            missing.add(collected(snapshot, "Pod")
                    ? "pods of the new revision (none in the snapshot: were they ever created?)"
                    : "pods (not collected)");
        }
        if (!collected(snapshot, "Event")) {
            missing.add("events (not collected)");
        } else if (eventsAbout(snapshot, workload, structure).isEmpty()) {
            missing.add("events about the rollout (none in the snapshot; events expire after one hour by default)");
        }
        boolean usesSecrets = structure.newPods().stream().anyMatch(StalledUnexplained::referencesSecrets);
        if (usesSecrets && !collected(snapshot, "Secret")) {
            missing.add("Secrets (not collected, so a missing Secret or key cannot be ruled out)");
        }
        long redacted = snapshot.redactedFields().stream().filter(r -> r.object().namespace().equals(ns)).count();
        if (redacted > 0) {
            missing.add(redacted + " value" + (redacted == 1 ? "" : "s") + " redacted by the collector in namespace " + ns);
        }
        for (DataGap gap : snapshot.gaps()) {
            if (gap.namespace().isEmpty() || gap.namespace().equals(ns)) {
                missing.add("what the collector could not read (" + (gap.kind().isEmpty() ? "" : gap.kind() + ": ") + gap.reason() + ")");
            }
        }
        boolean restarting = structure.newPods().stream().anyMatch(p -> p.allContainerStatuses().stream().anyMatch(c -> c.restartCount() > 0));
        if (restarting && structure.newPods().stream().allMatch(p -> snapshot.logsOf(p).isEmpty())) {
            missing.add("logs of the restarting containers");
        }
        return new ArrayList<>(missing);
    }

    private static boolean collected(Snapshot snapshot, String kind) {
        return snapshot.collectedKinds().contains(kind);
    }

    private static List<Event> eventsAbout(Snapshot snapshot, KubeObject workload, RolloutStructure structure) {
        List<Event> events = new ArrayList<>(snapshot.eventsFor(workload));
        structure.newReplicaSet().ifPresent(rs -> events.addAll(snapshot.eventsFor(rs)));
        for (ReplicaSet rs : structure.oldReplicaSets()) {
            events.addAll(snapshot.eventsFor(rs));
        }
        for (Pod p : structure.pods()) {
            events.addAll(snapshot.eventsFor(p));
        }
        return events;
    }

    private static boolean referencesSecrets(Pod pod) {
        return pod.spec().allContainers().stream().anyMatch(c ->
                c.envFrom().stream().anyMatch(e -> e.kind().equals("Secret"))
                        || c.env().stream().anyMatch(e -> e.valueFrom().map(v -> v.toString().contains("Secret")).orElse(false)))
                || pod.spec().volumes().stream().anyMatch(v -> v.source().toString().startsWith("SecretSource"));
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pods of a rollout still present after their grace period ended: something holds them. A pod being deleted stays in
 * the API until the kubelet on its node confirms its containers stopped and every finalizer is removed; a node that no
 * longer reports, a kubelet that cannot kill, or a finalizer nobody removes keeps it Terminating for ever.
 */
@Rule(id = "pods-stuck-terminating", title = "Pods stuck terminating", severity = Severity.ERROR, layer = Layer.CLUSTER,
        explains = "old-pods-terminating",
        description = "Pods of a rollout are still there after their deletion deadline (deletionTimestamp): a finalizer "
                + "nobody removes, a node that is NotReady or gone, or a kubelet that fails to kill them holds them. They "
                + "keep their resources, and a StatefulSet does not replace a pod until it is gone.")
public final class PodsStuckTerminating implements Detector {

    /** Time the kubelet and API server normally need after the grace period to remove a pod. */
    static final Duration TOLERANCE = Duration.ofSeconds(30);
    private static final int MAX_PODS_SHOWN = 5;

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        if (context.capturedAt().isEmpty()) {
            return findings;
        }
        Instant now = context.capturedAt().get();
        for (RolloutStatus status : context.rollouts()) {
            Map<String, List<StuckPod>> groups = new LinkedHashMap<>();
            for (Pod pod : status.structure().pods()) {
                if (pod.deletionDeadline().isPresent() && pod.deletionDeadline().get().plus(TOLERANCE).isBefore(now)) {
                    StuckPod stuck = StuckPod.of(context.snapshot(), pod);
                    groups.computeIfAbsent(stuck.groupKey(), k -> new ArrayList<>()).add(stuck);
                }
            }
            groups.values().forEach(g -> findings.add(finding(status, g, now)));
        }
        return findings;
    }

    private static Finding finding(RolloutStatus status, List<StuckPod> group, Instant now) {
        KubeObject w = status.workload();
        StuckPod first = group.get(0);
        Instant earliest = group.stream().map(s -> s.pod().deletionDeadline().get()).min(Instant::compareTo).get();
        Duration overdue = Duration.between(earliest, now);
        String title = OldPodsTerminating.count(group.size(), which(status, group) + "pod") + " of " + w.ref()
                + (group.size() == 1 ? " is" : " are") + " stuck terminating, " + Durations.format(overdue)
                + " past the end of " + (group.size() == 1 ? "its" : "their") + " grace period: " + StuckTexts.cause(group);
        Finding.Builder f = Finding.of(PodsStuckTerminating.class)
                .workload(w)
                .severity(blocks(status) ? Severity.ERROR : Severity.WARNING)
                .confidence(first.cause() == StuckPod.Cause.UNCONFIRMED ? Confidence.LOW : Confidence.HIGH)
                .title(title)
                .explanation(StuckTexts.explanation(status, group, earliest, now));
        first.node().filter(n -> first.nodeCause()).ifPresent(f::culprit);
        group.forEach(s -> f.culprit(s.pod()));
        for (StuckPod s : group.subList(0, Math.min(MAX_PODS_SHOWN, group.size()))) {
            f.evidence(PodDeletion.deadline(s.pod(), Moments.relative(s.pod().deletionDeadline().get(), now)));
            if (!s.pod().metadata().finalizers().isEmpty()) {
                f.evidence(Evidence.field(s.pod(), "metadata.finalizers", s.pod().metadata().finalizers().toString()));
            }
        }
        causeEvidence(first, group).forEach(f::evidence);
        StuckTexts.steps(f, w, group);
        return f.build();
    }

    private static List<Evidence> causeEvidence(StuckPod first, List<StuckPod> group) {
        List<Evidence> out = new ArrayList<>();
        switch (first.cause()) {
            case NODE_MISSING:
                out.add(Evidence.field(first.pod(), "spec.nodeName", first.detail() + " (not among the snapshot's Nodes)"));
                break;
            case NODE_NOT_READY:
                Node node = first.node().orElseThrow();
                node.condition("Ready").ifPresentOrElse(
                        c -> out.add(Evidence.field(node, "status.conditions[Ready]", ProgressDeadlineExceeded.conditionText(c),
                                c.lastTransitionTime())),
                        () -> out.add(Evidence.field(node, "status.conditions[Ready]", "(not reported)")));
                break;
            case NODE_LOST:
                out.add(Evidence.field(first.pod(), "status.reason", "NodeLost"
                        + (first.pod().status().message().isEmpty() ? "" : ": " + first.pod().status().message())));
                break;
            case KILL_FAILED:
                Set<String> seen = new HashSet<>();
                for (StuckPod s : group) {
                    for (var e : EventQuery.last(s.kills(), 1)) {
                        if (seen.add(e.metadata().name()) && seen.size() <= 2) {
                            out.add(Evidence.event(e));
                        }
                    }
                }
                break;
            default:
                first.node().flatMap(n -> n.condition("Ready")).filter(Condition::isTrue).ifPresent(c -> out.add(
                        Evidence.field(first.node().get(), "status.conditions[Ready]", ProgressDeadlineExceeded.conditionText(c),
                                c.lastTransitionTime())));
        }
        return out;
    }

    /**
     * Whether the stuck pods hold the rollout up or are only debris: a StatefulSet waits for a pod to be gone before it
     * recreates it, and a finished rollout is not finished while they are there; the deployment and daemonset controllers
     * of an unfinished rollout do not wait for terminating pods.
     */
    private static boolean blocks(RolloutStatus status) {
        return status.state().isDone() || status.workload() instanceof StatefulSet;
    }

    /** "old ", "new " or "" for a group of both. */
    private static String which(RolloutStatus status, List<StuckPod> group) {
        Set<ObjectRef> newPods = new HashSet<>();
        status.structure().newPods().forEach(p -> newPods.add(p.ref()));
        long fresh = group.stream().filter(s -> newPods.contains(s.pod().ref())).count();
        return fresh == 0 ? "old " : fresh == group.size() ? "new " : "";
    }
}

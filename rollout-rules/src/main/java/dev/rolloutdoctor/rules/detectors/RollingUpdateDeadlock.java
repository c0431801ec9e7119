package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.IntOrPercent;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.RollingUpdateFenceposts;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.RolloutStructure;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.capacity.UnscheduledPod;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A rolling update with no move left. When maxUnavailable resolves to 0 (25% of fewer than 4 replicas rounds down to
 * 0), the deployment controller removes an old pod only once a new one is available, so the rollout rests on its surge
 * pod. If that pod cannot start because the old pods hold what it needs (the room on the nodes, the one slot per node
 * that required anti-affinity allows, a host port, the quota), neither side can move: a deadlock that only a change of
 * strategy, capacity or quota ends. The finding gives the arithmetic of both fenceposts and of the blockage, and checks
 * that the strategy it proposes (maxSurge 0, maxUnavailable k) would indeed let the rollout move.
 */
@Rule(id = "rolling-update-deadlock", title = "Rolling update deadlocked", severity = Severity.ERROR, layer = Layer.WORKLOAD,
        explains = {"quota-exceeded", "insufficient-resources", "unschedulable-placement"},
        description = "maxSurge and maxUnavailable, after rounding, leave the rollout no move: maxUnavailable is 0, so no "
                + "old pod may go before a new one is available, and the surge pod cannot start because the old pods hold "
                + "the capacity, node, host port or quota it needs.")
public final class RollingUpdateDeadlock implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            if (!(status.workload() instanceof Deployment d)) {
                continue;
            }
            RolloutStructure s = status.structure();
            Optional<RollingUpdateFenceposts> fp = s.fenceposts();
            int desired = d.spec().desiredReplicas();
            if (fp.isEmpty() || desired == 0 || fp.get().clampedMaxUnavailable(desired) != 0 || s.newReplicaSet().isEmpty()) {
                continue;
            }
            ReplicaSet newRs = s.newReplicaSet().get();
            List<Pod> oldPods = s.oldPods().stream().filter(p -> !p.isTerminating() && !p.isTerminal()).toList();
            int newUnavailable = newRs.spec().desiredReplicas() - newRs.status().availableReplicas();
            if (oldPods.isEmpty() || newUnavailable < fp.get().maxSurge()) {
                continue;
            }
            blockage(context, status, newRs, oldPods, desired).filter(b -> b.oldPodsToFree() <= desired)
                    .ifPresent(b -> findings.add(finding(d, fp.get(), desired, oldPods.size(), b)));
        }
        return findings;
    }

    private static Optional<DeadlockBlock> blockage(DetectionContext context, RolloutStatus status, ReplicaSet newRs, List<Pod> oldPods,
            int desired) {
        Snapshot snapshot = context.snapshot();
        Optional<DeadlockBlock> quota = DeadlockQuota.analyze(snapshot, newRs, AdmissionFailures.of(snapshot, status), oldPods);
        if (quota.isPresent()) {
            return quota;
        }
        List<UnscheduledPod> pending = UnscheduledPod.of(snapshot, status.structure().podsOf(newRs));
        return DeadlockPlacement.analyze(snapshot, context.nodeFit(), pending, oldPods, desired);
    }

    private static Finding finding(Deployment d, RollingUpdateFenceposts fp, int desired, int oldPods, DeadlockBlock b) {
        int k = b.oldPodsToFree();
        Finding.Builder f = Finding.of(RollingUpdateDeadlock.class)
                .workload(d)
                .culprit(d)
                .confidence(b.confidence())
                .title("Rolling update of " + d.ref() + " is deadlocked: " + zeroUnavailable(d, desired) + " and " + b.reason())
                .explanation(fenceposts(d, fp, desired) + ", so the deployment controller may remove an old pod only once a "
                        + "new one is available, and may add at most " + AdmissionFailures.pods(fp.maxSurge())
                        + " beyond the " + desired + " desired. " + b.why() + " The old pods hold what the surge pod needs, "
                        + "and none of them may go first: neither side can move. " + b.relief() + " "
                        + check(desired, oldPods, k))
                .evidence(Evidence.field(d, "spec.replicas", Integer.toString(desired)))
                .evidence(Evidence.field(d, "spec.strategy.rollingUpdate.maxSurge", raw(d.spec().strategy().maxSurge())))
                .evidence(Evidence.field(d, "spec.strategy.rollingUpdate.maxUnavailable", raw(d.spec().strategy().maxUnavailable())))
                .evidence(b.evidence());
        f.step("Let the controller remove " + (k == 1 ? "an old pod" : k + " old pods") + " before it adds new ones: maxSurge 0, "
                        + "maxUnavailable " + k + " (capacity dips by " + AdmissionFailures.pods(k) + " while it rolls)",
                Kubectl.patch(d.ref(), "{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":" + k + "}}}}"));
        f.step("Or replace all pods at once with strategy Recreate (downtime until the new pods are ready)",
                Kubectl.patch(d.ref(), "{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}"));
        for (RemediationStep other : b.otherFixes()) {
            other.command().ifPresentOrElse(c -> f.step(other.text(), c), () -> f.step(other.text()));
        }
        f.step("Follow the rollout, then restore the strategy you want for the next one", Kubectl.rolloutStatus(d.ref()));
        return f.build();
    }

    /** {@code replicas 3, maxSurge 25% -> 1 (rounded up), maxUnavailable 25% -> 0 (rounded down)}. */
    static String fenceposts(Deployment d, RollingUpdateFenceposts fp, int desired) {
        return "replicas " + desired + ", maxSurge " + resolved(d.spec().strategy().maxSurge(), fp.maxSurge(), "up")
                + ", maxUnavailable " + resolved(d.spec().strategy().maxUnavailable(), fp.clampedMaxUnavailable(desired), "down");
    }

    private static String resolved(Optional<IntOrPercent> written, int value, String rounding) {
        IntOrPercent v = written.orElse(RollingUpdateFenceposts.API_DEFAULT);
        String text = v.toString() + (written.isEmpty() ? " (default)" : "");
        return v.isPercent() ? text + " -> " + value + " (rounded " + rounding + ")" : text;
    }

    /** {@code maxUnavailable 25% of 3 rounds down to 0}, or {@code maxUnavailable is 0}. */
    private static String zeroUnavailable(Deployment d, int desired) {
        IntOrPercent v = d.spec().strategy().maxUnavailable().orElse(RollingUpdateFenceposts.API_DEFAULT);
        return v.isPercent() ? "maxUnavailable " + v + " of " + desired + " rounds down to 0" : "maxUnavailable is 0";
    }

    private static String raw(Optional<IntOrPercent> written) {
        return written.map(IntOrPercent::toString).orElse(RollingUpdateFenceposts.API_DEFAULT + " (default)");
    }

    /** The check that maxSurge 0 / maxUnavailable k lets the rollout move, in the controller's own terms. */
    private static String check(int desired, int oldPods, int k) {
        return "With maxSurge 0 and maxUnavailable " + k + " the controller must keep " + (desired - k) + " of " + desired
                + " pods available, so it may scale the old ReplicaSet down by " + k + " first (" + oldPods + " -> "
                + (oldPods - k) + " old pods); that frees the room, the new pod starts, and each further step repeats it.";
    }
}

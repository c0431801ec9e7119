package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.PendingClaims.Problem;
import dev.rolloutdoctor.rules.detectors.PendingClaims.Why;
import dev.rolloutdoctor.rules.messages.VolumeClaimEventMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * New pods that need a PersistentVolumeClaim that is not bound: the scheduler does not place a pod until its
 * Immediate claims are bound ({@code pod has unbound immediate PersistentVolumeClaims}), so the pods stay Pending and
 * the rollout cannot move. The finding says why the claim is not bound, as the PV controller does.
 */
@Rule(id = "pvc-unbound", title = "PersistentVolumeClaim not bound", severity = Severity.ERROR, layer = Layer.CLUSTER,
        explains = {"volume-mount-failed", "unschedulable-placement"},
        description = "New pods need a PersistentVolumeClaim that is Pending or absent: its StorageClass does not exist, "
                + "it has no class and there is no default, no volume matches it, provisioning failed, its provisioner "
                + "does not run, or its first consumer cannot be scheduled for storage reasons.")
public final class PvcUnbound implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            findings.addAll(forRollout(context, status));
        }
        return findings;
    }

    private static List<Finding> forRollout(DetectionContext context, RolloutStatus status) {
        KubeObject workload = status.workload();
        SortedMap<String, List<Pod>> consumers = new TreeMap<>();
        for (Pod pod : status.structure().newPods()) {
            String phase = pod.status().phase();
            if (pod.isTerminating() || !(phase.isEmpty() || "Pending".equals(phase))) {
                continue;
            }
            for (String claim : PodVolumes.claims(pod, workload).keySet()) {
                consumers.computeIfAbsent(claim, k -> new ArrayList<>()).add(pod);
            }
        }
        PendingClaims claims = new PendingClaims(context.snapshot(), context.capturedAt(), workload);
        Map<String, List<Problem>> groups = new LinkedHashMap<>();
        Map<String, LinkedHashSet<Pod>> podsByGroup = new LinkedHashMap<>();
        for (var e : consumers.entrySet()) {
            claims.diagnose(workload.metadata().namespace(), e.getKey(), e.getValue()).ifPresent(p -> {
                groups.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
                podsByGroup.computeIfAbsent(p.key(), k -> new LinkedHashSet<>()).addAll(e.getValue());
            });
        }
        List<Finding> out = new ArrayList<>();
        groups.forEach((key, problems) -> out.add(finding(context, status, problems, new ArrayList<>(podsByGroup.get(key)))));
        return out;
    }

    private static Finding finding(DetectionContext context, RolloutStatus status, List<Problem> problems, List<Pod> pods) {
        KubeObject workload = status.workload();
        Problem first = problems.get(0);
        String ns = workload.metadata().namespace();
        List<String> claimNames = problems.stream().map(Problem::claimName).toList();
        Confidence confidence = problems.stream().map(Problem::confidence).max(Enum::compareTo).orElse(Confidence.LOW);
        Finding.Builder f = Finding.of(PvcUnbound.class)
                .workload(workload)
                .confidence(confidence)
                .title(title(workload, first, claimNames, pods.size()))
                .explanation(explanation(status, first, claimNames, pods));
        for (Problem p : problems) {
            f.culprit(p.claim().map(KubeObject::ref).orElse(ObjectRef.of("PersistentVolumeClaim", ns, p.claimName())));
        }
        first.storageClass().ifPresent(f::culprit);
        first.provisionerPods().stream().filter(p -> !ProvisionerPods.running(p)).forEach(f::culprit);
        f.evidence(first.evidence());
        problems.stream().skip(1).limit(2).forEach(p -> p.evidence().stream().limit(1).forEach(f::evidence));
        schedulingEvidence(context, pods, first).ifPresent(f::evidence);
        ClaimSteps.add(f, context.snapshot(), workload, first, claimNames, pods);
        return f.build();
    }

    private static String title(KubeObject workload, Problem p, List<String> claims, int pods) {
        String who = PodVolumes.newPods(pods) + " of " + workload.ref();
        if (p.why() == Why.CLAIM_MISSING) {
            return who + (pods == 1 ? " uses" : " use") + " PersistentVolumeClaim" + (claims.size() == 1 ? " " : "s ")
                    + PodVolumes.names(claims, 3) + ", which " + (claims.size() == 1 ? "does" : "do") + " not exist";
        }
        return who + (pods == 1 ? " waits" : " wait") + " for PersistentVolumeClaim" + (claims.size() == 1 ? " " : "s ")
                + PodVolumes.names(claims, 3) + ", " + state(p) + " because " + because(p);
    }

    private static String state(Problem p) {
        if (p.why() == Why.CLAIM_LOST) {
            return "Lost";
        }
        return p.why() == Why.CLAIM_DELETING ? "being deleted" : "Pending";
    }

    private static String because(Problem p) {
        return switch (p.why()) {
            case CLASS_NOT_FOUND -> "StorageClass " + p.subject() + " does not exist";
            case NO_DEFAULT_CLASS -> "it names no StorageClass and no class is marked default";
            case NO_MATCHING_VOLUME -> p.subject().isEmpty()
                    ? "no PersistentVolume matches it and it has no StorageClass to provision one"
                    : "no PersistentVolume of StorageClass " + p.subject() + " matches it, and the class does not provision";
            case PROVISIONING_FAILED -> "provisioning failed" + (p.subject().isEmpty() ? "" : " (StorageClass " + p.subject() + ")");
            case PROVISIONER_NOT_RUNNING -> p.provisionerPods().isEmpty()
                    ? "its provisioner " + p.subject() + " has not created a volume, and no pod of it is in the snapshot"
                    : "its provisioner " + p.subject() + " is not running";
            case PROVISIONER_SLOW -> "its provisioner " + p.subject() + " runs but has not created a volume";
            case CONSUMER_UNSCHEDULABLE -> "it binds only once its first consumer is scheduled, and the scheduler finds no node: "
                    + p.subject();
            case CLAIM_LOST -> "its PersistentVolume " + (p.subject().isEmpty() ? "" : p.subject() + " ") + "is gone";
            case CLAIM_DELETING -> "it was deleted while pods still use it";
            case UNKNOWN, CLAIM_MISSING -> "the snapshot does not show why";
        };
    }

    private static String explanation(RolloutStatus status, Problem p, List<String> claims, List<Pod> pods) {
        String blocks = "The scheduler places a pod only when the claims it uses exist and are bound (or can be bound on "
                + "the node it picks), so " + PodVolumes.names(pods.stream().map(x -> x.metadata().name()).toList(), 3)
                + (pods.size() == 1 ? " stays" : " stay") + " Pending and " + status.workload().ref()
                + " cannot finish its rollout. ";
        return (blocks + ClaimSteps.why(p, claims)).strip();
    }

    /** The newest FailedScheduling of the pods that names a volume reason: what the scheduler made of the claim. */
    private static Optional<Evidence> schedulingEvidence(DetectionContext context, List<Pod> pods, Problem p) {
        if (p.why() == Why.CONSUMER_UNSCHEDULABLE || p.why() == Why.CLAIM_MISSING) {
            return Optional.empty(); // already in the problem's own evidence
        }
        List<Event> events = EventQuery.about(context.snapshot(), pods, e -> "FailedScheduling".equals(e.reason())
                && !VolumeClaimEventMessage.schedulingReasons(e.message()).isEmpty());
        if (!events.isEmpty()) {
            return Optional.of(Evidence.event(events.get(events.size() - 1)));
        }
        for (Pod pod : pods) {
            var cond = pod.status().condition("PodScheduled");
            if (cond.isPresent() && cond.get().isFalse() && !VolumeClaimEventMessage.schedulingReasons(cond.get().message()).isEmpty()) {
                return Optional.of(Evidence.field(pod, "status.conditions[PodScheduled]",
                        cond.get().status() + " " + cond.get().reason() + ": " + cond.get().message(), cond.get().lastTransitionTime()));
            }
        }
        return Optional.empty();
    }
}

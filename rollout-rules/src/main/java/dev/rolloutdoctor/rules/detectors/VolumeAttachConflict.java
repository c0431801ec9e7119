package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.PersistentVolume;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
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
import dev.rolloutdoctor.rules.detectors.VolumeHolders.Conflict;
import dev.rolloutdoctor.rules.messages.VolumeClaimEventMessage;
import dev.rolloutdoctor.rules.messages.VolumeEventMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * New pods that cannot get a volume that attaches to one node (or one pod) at a time, because another pod holds it:
 * the attach/detach controller refuses with {@code Multi-Attach error for volume ...}, or for a ReadWriteOncePod claim
 * the scheduler refuses every node. When the holder is an old pod of a RollingUpdate Deployment, the old pod leaves
 * only after the new one is available, and the new one cannot start without the volume: a deadlock.
 */
@Rule(id = "volume-attach-conflict", title = "Single-node volume held by another pod", severity = Severity.ERROR,
        layer = Layer.CLUSTER, explains = {"volume-mount-failed", "unschedulable-placement", "rolling-update-deadlock"},
        description = "A ReadWriteOnce (or ReadWriteOncePod) volume that new pods need is still attached for another pod, "
                + "typically an old pod on another node during a RollingUpdate: the classic RollingUpdate + RWO deadlock.")
public final class VolumeAttachConflict implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            multiAttach(context.snapshot(), status).forEach(c -> findings.add(AttachConflictText.finding(status, c)));
            readWriteOncePod(context.snapshot(), status).forEach(c -> findings.add(AttachConflictText.finding(status, c)));
        }
        return findings;
    }

    /** One conflict per volume named by Multi-Attach events of new pods that have not started. */
    private static List<Conflict> multiAttach(Snapshot snapshot, RolloutStatus status) {
        KubeObject workload = status.workload();
        List<Pod> waiting = status.structure().newPods().stream().filter(PodVolumes::waitingToStart).toList();
        Map<String, List<Event>> byVolume = new TreeMap<>();
        Map<String, VolumeEventMessage.MultiAttach> messages = new TreeMap<>();
        for (Event e : EventQuery.about(snapshot, waiting, e -> "FailedAttachVolume".equals(e.reason()))) {
            VolumeEventMessage.parse(e.message()).ifPresent(m -> {
                if (m instanceof VolumeEventMessage.MultiAttach ma) {
                    byVolume.computeIfAbsent(ma.volume(), k -> new ArrayList<>()).add(e);
                    messages.put(ma.volume(), ma); // the newest one wins: events come oldest first
                }
            });
        }
        List<Conflict> out = new ArrayList<>();
        byVolume.forEach((volume, events) -> {
            List<Pod> blocked = podsOf(waiting, events);
            Pod first = blocked.get(0);
            Optional<String> claimName = PodVolumes.claimName(snapshot, first, workload, volume);
            Optional<PersistentVolumeClaim> claim = claimName.flatMap(n -> PodVolumes.claim(snapshot, first.metadata().namespace(), n));
            Optional<PersistentVolume> pv = PodVolumes.volume(snapshot, volume)
                    .or(() -> claim.flatMap(c -> PodVolumes.volume(snapshot, c.spec().volumeName())));
            Set<String> named = new LinkedHashSet<>();
            events.forEach(e -> VolumeEventMessage.parse(e.message())
                    .filter(VolumeEventMessage.MultiAttach.class::isInstance)
                    .ifPresent(m -> named.addAll(((VolumeEventMessage.MultiAttach) m).usedBy())));
            VolumeHolders holders = new VolumeHolders(snapshot, status);
            out.add(holders.conflict(Conflict.Kind.MULTI_ATTACH, volume, claimName, claim, pv, blocked,
                    new ArrayList<>(named), events, messages.get(volume).podsInOtherNamespaces()));
        });
        return out;
    }

    /** New pods the scheduler keeps off every node because another pod uses their ReadWriteOncePod claim. */
    private static List<Conflict> readWriteOncePod(Snapshot snapshot, RolloutStatus status) {
        KubeObject workload = status.workload();
        List<Pod> pending = status.structure().newPods().stream()
                .filter(p -> !p.isTerminating() && !p.isScheduled()).toList();
        Map<String, List<Pod>> byClaim = new TreeMap<>();
        Map<String, List<Event>> eventsByClaim = new TreeMap<>();
        for (Pod pod : pending) {
            List<Event> refused = EventQuery.about(snapshot, List.of(pod), e -> "FailedScheduling".equals(e.reason())
                    && VolumeClaimEventMessage.readWriteOncePodConflict(e.message()));
            boolean conditionSays = pod.status().condition("PodScheduled")
                    .map(c -> VolumeClaimEventMessage.readWriteOncePodConflict(c.message())).orElse(false);
            if (refused.isEmpty() && !conditionSays) {
                continue;
            }
            for (String claimName : PodVolumes.claims(pod, workload).keySet()) {
                boolean rwop = PodVolumes.claim(snapshot, pod.metadata().namespace(), claimName)
                        .map(c -> c.spec().accessModes().contains("ReadWriteOncePod")).orElse(false);
                if (rwop) {
                    byClaim.computeIfAbsent(claimName, k -> new ArrayList<>()).add(pod);
                    eventsByClaim.computeIfAbsent(claimName, k -> new ArrayList<>()).addAll(refused);
                }
            }
        }
        List<Conflict> out = new ArrayList<>();
        byClaim.forEach((claimName, pods) -> {
            Optional<PersistentVolumeClaim> claim = PodVolumes.claim(snapshot, pods.get(0).metadata().namespace(), claimName);
            Optional<PersistentVolume> pv = claim.flatMap(c -> PodVolumes.volume(snapshot, c.spec().volumeName()));
            String volume = claim.map(c -> c.spec().volumeName()).filter(v -> !v.isEmpty()).orElse(claimName);
            List<Event> events = new ArrayList<>(new LinkedHashSet<>(eventsByClaim.get(claimName)));
            out.add(new VolumeHolders(snapshot, status).conflict(Conflict.Kind.READ_WRITE_ONCE_POD, volume,
                    Optional.of(claimName), claim, pv, pods, List.of(), events, 0));
        });
        return out;
    }

    private static List<Pod> podsOf(List<Pod> pods, List<Event> events) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods) {
            if (events.stream().anyMatch(e -> e.regarding().name().equals(p.metadata().name()))) {
                out.add(p);
            }
        }
        return out;
    }

    /** The confidence of a conflict: high when the holder is known, medium when only the attachment is. */
    static Confidence confidence(Conflict c) {
        return c.holders().isEmpty() && c.unnamedHolders() == 0 ? Confidence.MEDIUM : Confidence.HIGH;
    }

    static Evidence newest(List<Event> events) {
        return Evidence.event(events.get(events.size() - 1));
    }
}

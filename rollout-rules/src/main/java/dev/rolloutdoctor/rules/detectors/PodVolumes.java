package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.PersistentVolume;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The storage side of pods, for the volume detectors: the claims a pod uses (including those a StatefulSet's
 * volumeClaimTemplates and generic ephemeral volumes give it), which pod volume an event's volume name means, and
 * whether a pod is still waiting to start.
 */
final class PodVolumes {

    private PodVolumes() {
    }

    /**
     * The claims a pod uses, by claim name, each with the pod volume that mounts it. A StatefulSet pod also gets
     * {@code <template>-<statefulset>-<ordinal>} for each claim template, even when the pod spec in the dump lacks it.
     */
    static SortedMap<String, String> claims(Pod pod, KubeObject workload) {
        SortedMap<String, String> claims = new TreeMap<>();
        for (Volume v : pod.spec().volumes()) {
            if (v.source() instanceof VolumeSource.PersistentVolumeClaimSource pvc && !pvc.claimName().isEmpty()) {
                claims.putIfAbsent(pvc.claimName(), v.name());
            } else if (v.source() instanceof VolumeSource.EphemeralSource) {
                claims.putIfAbsent(VolumeSource.EphemeralSource.claimName(pod.metadata().name(), v.name()), v.name());
            }
        }
        if (workload instanceof StatefulSet sts) {
            ordinal(pod.metadata().name(), sts.metadata().name()).ifPresent(ordinal -> {
                for (StatefulSet.ClaimTemplate t : sts.spec().volumeClaimTemplates()) {
                    claims.putIfAbsent(t.name() + "-" + sts.metadata().name() + "-" + ordinal, t.name());
                }
            });
        }
        return claims;
    }

    private static Optional<String> ordinal(String podName, String statefulSetName) {
        String prefix = statefulSetName + "-";
        if (!podName.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = podName.substring(prefix.length());
        return !rest.isEmpty() && rest.chars().allMatch(Character::isDigit) ? Optional.of(rest) : Optional.empty();
    }

    /** The claim object of a name in the pod's namespace, if the snapshot has it. */
    static Optional<PersistentVolumeClaim> claim(Snapshot snapshot, String namespace, String name) {
        return snapshot.get(PersistentVolumeClaim.class, "PersistentVolumeClaim", namespace, name);
    }

    static Optional<PersistentVolume> volume(Snapshot snapshot, String name) {
        return snapshot.get(PersistentVolume.class, "PersistentVolume", "", name);
    }

    /**
     * The pod volume an event's volume name means: a volume of that name, or the claim volume whose claim is bound
     * to the PersistentVolume of that name (kubelet and the attach/detach controller name a claim's volume by its PV).
     */
    static Optional<Volume> podVolume(Snapshot snapshot, Pod pod, KubeObject workload, String eventVolume) {
        Optional<Volume> direct = pod.spec().volume(eventVolume);
        if (direct.isPresent()) {
            return direct;
        }
        String ns = pod.metadata().namespace();
        for (var e : claims(pod, workload).entrySet()) {
            boolean bound = claim(snapshot, ns, e.getKey()).map(c -> c.spec().volumeName().equals(eventVolume)).orElse(false)
                    || volume(snapshot, eventVolume).flatMap(pv -> pv.spec().claimRef())
                    .map(r -> r.namespace().equals(ns) && r.name().equals(e.getKey())).orElse(false);
            if (bound) {
                return pod.spec().volume(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The claim behind an event's volume name: the PV's claimRef, or the pod's claim bound to it, or the claim a pod
     * volume of that name mounts.
     */
    static Optional<String> claimName(Snapshot snapshot, Pod pod, KubeObject workload, String eventVolume) {
        String ns = pod.metadata().namespace();
        Optional<String> viaVolume = volume(snapshot, eventVolume).flatMap(pv -> pv.spec().claimRef())
                .filter(r -> r.namespace().equals(ns)).map(PersistentVolume.ClaimRef::name);
        if (viaVolume.isPresent()) {
            return viaVolume;
        }
        for (var e : claims(pod, workload).entrySet()) {
            if (e.getValue().equals(eventVolume)
                    || claim(snapshot, ns, e.getKey()).map(c -> c.spec().volumeName().equals(eventVolume)).orElse(false)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * True for a pod that has not started its containers: not being deleted, phase Pending (or none), and every
     * container it reports still waiting to be created ({@code ContainerCreating}, {@code PodInitializing}) or none
     * reported yet.
     */
    static boolean waitingToStart(Pod pod) {
        if (pod.isTerminating()) {
            return false;
        }
        String phase = pod.status().phase();
        if (!phase.isEmpty() && !"Pending".equals(phase)) {
            return false;
        }
        List<ContainerStatus> statuses = pod.allContainerStatuses();
        return statuses.stream().allMatch(c -> c.state().isEmpty()
                || c.state().waiting().map(w -> w.reason().isEmpty() || "ContainerCreating".equals(w.reason())
                || "PodInitializing".equals(w.reason())).orElse(false));
    }

    /** "1 new pod" / "3 new pods". */
    static String newPods(int n) {
        return n + " new pod" + (n == 1 ? "" : "s");
    }

    /** Names joined for a sentence, at most {@code max} of them and "and N more". */
    static String names(List<String> names, int max) {
        if (names.size() <= max) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, max)) + " and " + (names.size() - max) + " more";
    }
}

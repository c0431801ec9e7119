package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.PersistentVolume;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Who holds a single-node volume that new pods of a rollout want: the pods named by the event, or found by claim. */
final class VolumeHolders {

    /**
     * A volume new pods cannot get.
     *
     * @param volume         the volume's name as the event gives it (the PersistentVolume for claims)
     * @param blocked        the new pods waiting for it
     * @param holders        the pods that hold it, as far as the snapshot tells
     * @param unnamedHolders pods of other namespaces the controller counted but did not name
     */
    record Conflict(Kind kind, String volume, Optional<String> claimName, Optional<PersistentVolumeClaim> claim,
                    Optional<PersistentVolume> persistentVolume, List<Pod> blocked, List<Holder> holders,
                    int unnamedHolders, List<Event> events) {

        /** How the conflict shows: a Multi-Attach refusal, or the scheduler's ReadWriteOncePod refusal. */
        enum Kind { MULTI_ATTACH, READ_WRITE_ONCE_POD }

        Conflict {
            blocked = List.copyOf(blocked);
            holders = List.copyOf(holders);
            events = List.copyOf(events);
        }

        /** The access modes of the claim, else of the volume; empty for inline volumes. */
        List<String> accessModes() {
            if (claim.isPresent() && !claim.get().spec().accessModes().isEmpty()) {
                return claim.get().spec().accessModes();
            }
            return persistentVolume.map(pv -> pv.spec().accessModes()).orElse(List.of());
        }

        /** The mode that limits the volume to one node or pod, for titles; "" when unknown. */
        String singleMode() {
            List<String> modes = accessModes();
            if (modes.contains("ReadWriteOncePod")) {
                return "ReadWriteOncePod";
            }
            return modes.contains("ReadWriteOnce") ? "ReadWriteOnce" : "";
        }

        /** The role shared by every holder, or OTHER when they differ or none is known. */
        Holder.Role role() {
            if (holders.isEmpty()) {
                return Holder.Role.OTHER;
            }
            Holder.Role first = holders.get(0).role();
            return holders.stream().allMatch(h -> h.role() == first) ? first : Holder.Role.OTHER;
        }
    }

    /**
     * A pod that holds the volume.
     *
     * @param pod        the pod, when the snapshot has it
     * @param replicaSet for an old pod of a Deployment, its ReplicaSet; "" otherwise
     */
    record Holder(String name, Optional<Pod> pod, Role role, String replicaSet) {

        /** Where the holder stands in the rollout. */
        enum Role { OLD, SAME_REVISION, OTHER }

        String node() {
            return pod.map(p -> p.spec().nodeName()).filter(n -> !n.isEmpty()).orElse("");
        }
    }

    private final Snapshot snapshot;
    private final RolloutStatus status;

    VolumeHolders(Snapshot snapshot, RolloutStatus status) {
        this.snapshot = snapshot;
        this.status = status;
    }

    Conflict conflict(Conflict.Kind kind, String volume, Optional<String> claimName, Optional<PersistentVolumeClaim> claim,
                      Optional<PersistentVolume> pv, List<Pod> blocked, List<String> named, List<Event> events,
                      int unnamedHolders) {
        String ns = status.workload().metadata().namespace();
        List<Holder> holders = new ArrayList<>();
        for (String name : named) {
            Optional<Pod> pod = snapshot.get(Pod.class, Pod.KIND, ns, name);
            holders.add(holder(name, pod));
        }
        if (holders.isEmpty() && claimName.isPresent()) {
            for (Pod pod : users(ns, claimName.get(), blocked)) {
                holders.add(holder(pod.metadata().name(), Optional.of(pod)));
            }
        }
        return new Conflict(kind, volume, claimName, claim, pv, blocked, holders, unnamedHolders, events);
    }

    /** Other pods of the namespace that use the claim and still hold their volumes, sorted. */
    private List<Pod> users(String ns, String claimName, List<Pod> blocked) {
        List<Pod> out = new ArrayList<>();
        KubeObject workload = status.workload();
        for (Pod pod : snapshot.objects(Pod.class)) {
            if (!pod.metadata().namespace().equals(ns) || pod.isTerminal() || blocked.contains(pod)) {
                continue;
            }
            if (PodVolumes.claims(pod, workload).containsKey(claimName) && !pod.spec().nodeName().isEmpty()) {
                out.add(pod);
            }
        }
        return out;
    }

    private Holder holder(String name, Optional<Pod> pod) {
        for (ReplicaSet rs : status.structure().oldReplicaSets()) {
            boolean controlled = status.structure().podsOf(rs).stream().anyMatch(p -> p.metadata().name().equals(name));
            if (controlled || pod.isEmpty() && name.startsWith(rs.metadata().name() + "-")) {
                return new Holder(name, pod, Holder.Role.OLD, rs.metadata().name());
            }
        }
        if (status.structure().oldPods().stream().anyMatch(p -> p.metadata().name().equals(name))) {
            return new Holder(name, pod, Holder.Role.OLD, "");
        }
        boolean newByName = pod.isEmpty() && status.structure().newReplicaSet()
                .map(rs -> name.startsWith(rs.metadata().name() + "-")).orElse(false);
        if (newByName || status.structure().newPods().stream().anyMatch(p -> p.metadata().name().equals(name))) {
            return new Holder(name, pod, Holder.Role.SAME_REVISION, "");
        }
        return new Holder(name, pod, Holder.Role.OTHER, "");
    }
}

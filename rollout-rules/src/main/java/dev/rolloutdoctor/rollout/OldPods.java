package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/** Finds the pods of older revisions that are still terminating. */
final class OldPods {

    private OldPods() {
    }

    /**
     * The terminating old pods, by both kinds of evidence: the old ReplicaSets' {@code status.terminatingReplicas}
     * where the cluster reports it (summed over those that do; the Deployment's own when no ReplicaSet was captured)
     * and the old pods in the snapshot with a {@code deletionTimestamp}. Empty when neither shows any.
     */
    static Optional<Terminating> of(KubeObject workload, RolloutStructure structure) {
        List<Pod> deleting = new ArrayList<>();
        TreeSet<String> owners = new TreeSet<>();
        for (Pod pod : structure.oldPods()) {
            if (pod.isTerminating()) {
                deleting.add(pod);
                owners.add(ownerName(workload, pod));
            }
        }
        OptionalInt reported = reported(workload, structure, owners);
        if (deleting.isEmpty() && reported.orElse(0) <= 0) {
            return Optional.empty();
        }
        int count = Math.max(reported.orElse(0), deleting.size());
        Terminating.CountSource source = reported.isPresent() && reported.getAsInt() >= deleting.size()
                ? Terminating.CountSource.STATUS : Terminating.CountSource.PODS;
        Optional<Instant> lastEnd = deleting.stream()
                .map(Pod::deletionDeadline)
                .flatMap(Optional::stream)
                .max(Instant::compareTo);
        List<ObjectRef> pods = deleting.stream().map(Pod::ref).sorted().toList();
        return Optional.of(new Terminating(count, source, reported, deleting.size(), List.copyOf(owners), pods, lastEnd));
    }

    /** Adds the old ReplicaSets that report terminating pods to {@code owners}. */
    private static OptionalInt reported(KubeObject workload, RolloutStructure structure, TreeSet<String> owners) {
        if (!(workload instanceof Deployment d)) {
            return OptionalInt.empty();
        }
        if (structure.podsByReplicaSet().isEmpty()) {
            return d.status().terminatingReplicas();
        }
        boolean any = false;
        int sum = 0;
        for (ReplicaSet rs : structure.oldReplicaSets()) {
            OptionalInt n = rs.status().terminatingReplicas();
            if (n.isPresent()) {
                any = true;
                sum += n.getAsInt();
                if (n.getAsInt() > 0) {
                    owners.add(rs.metadata().name());
                }
            }
        }
        return any ? OptionalInt.of(sum) : OptionalInt.empty();
    }

    private static String ownerName(KubeObject workload, Pod pod) {
        if (workload instanceof Deployment) {
            return pod.metadata().controllerRef().map(r -> r.name()).orElse("");
        }
        return pod.metadata().labels().getOrDefault(Structures.CONTROLLER_REVISION_HASH, "");
    }
}

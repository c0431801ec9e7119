package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.RollingUpdateFenceposts;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * What a rollout is made of, found the way its controller finds it: for a Deployment the ReplicaSets it controls,
 * which of them is the new one, and their pods; for a StatefulSet or DaemonSet its pods, split by revision. With the
 * numbers both as reported by the status block and as counted from the pods.
 *
 * @param workload           the Deployment, StatefulSet or DaemonSet
 * @param strategy           the update strategy in effect: {@code RollingUpdate}, {@code Recreate} or {@code OnDelete}
 *                           (an absent type is the API default, RollingUpdate)
 * @param newReplicaSet      the Deployment's new ReplicaSet: the oldest one whose pod template equals the Deployment's,
 *                           ignoring the {@code pod-template-hash} label (the controller's {@code FindNewReplicaSet})
 * @param newReplicaSetMatch how the new ReplicaSet was found
 * @param oldReplicaSets     the Deployment's other ReplicaSets, newest revision first
 * @param podsByReplicaSet   the pods each ReplicaSet controls, by ReplicaSet name (every ReplicaSet has an entry)
 * @param updateRevision     the revision new pods carry: the new ReplicaSet's {@code pod-template-hash}, a
 *                           StatefulSet's {@code status.updateRevision}, or the {@code controller-revision-hash} of a
 *                           DaemonSet's pods at its current template generation; "" when unknown
 * @param previousReplicaSet the old ReplicaSet with the highest revision: what the rollout started from
 * @param pods               every pod of the workload, sorted
 * @param newPods            the pods of the new template (new ReplicaSet, update revision)
 * @param oldPods            the other pods
 * @param fenceposts         maxSurge and maxUnavailable resolved to pods, for a RollingUpdate Deployment
 * @param reported           the numbers of the status block
 * @param counted            the same numbers counted from the pods in the snapshot, at capture time
 */
public record RolloutStructure(
        ObjectRef workload,
        String strategy,
        Optional<ReplicaSet> newReplicaSet,
        NewReplicaSetMatch newReplicaSetMatch,
        List<ReplicaSet> oldReplicaSets,
        SortedMap<String, List<Pod>> podsByReplicaSet,
        String updateRevision,
        Optional<ReplicaSet> previousReplicaSet,
        List<Pod> pods,
        List<Pod> newPods,
        List<Pod> oldPods,
        Optional<RollingUpdateFenceposts> fenceposts,
        ReplicaCounts reported,
        ReplicaCounts counted) {

    /** How a Deployment's new ReplicaSet was found. */
    public enum NewReplicaSetMatch {
        /** Its pod template equals the Deployment's, ignoring the pod-template-hash label, as the controller decides. */
        TEMPLATE,
        /** No template matched; its revision annotation equals the Deployment's (a weaker hint). */
        REVISION,
        /** None found: the controller has not created it yet, or the ReplicaSets were not captured. */
        NONE,
        /** The workload is not a Deployment. */
        NOT_APPLICABLE
    }

    public RolloutStructure {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(newReplicaSet, "newReplicaSet");
        Objects.requireNonNull(newReplicaSetMatch, "newReplicaSetMatch");
        oldReplicaSets = List.copyOf(oldReplicaSets);
        podsByReplicaSet = Sorting.frozen(podsByReplicaSet);
        Objects.requireNonNull(updateRevision, "updateRevision");
        Objects.requireNonNull(previousReplicaSet, "previousReplicaSet");
        pods = List.copyOf(pods);
        newPods = List.copyOf(newPods);
        oldPods = List.copyOf(oldPods);
        Objects.requireNonNull(fenceposts, "fenceposts");
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(counted, "counted");
    }

    /** The pods a ReplicaSet of this rollout controls (empty for any other ReplicaSet). */
    public List<Pod> podsOf(ReplicaSet replicaSet) {
        return podsByReplicaSet.getOrDefault(replicaSet.metadata().name(), List.of());
    }

    /** The {@code deployment.kubernetes.io/revision} of the new ReplicaSet, if any. */
    public OptionalInt newRevision() {
        return newReplicaSet.map(ReplicaSet::revision).orElse(OptionalInt.empty());
    }

    /** The {@code deployment.kubernetes.io/revision} of the previous ReplicaSet, if any. */
    public OptionalInt previousRevision() {
        return previousReplicaSet.map(ReplicaSet::revision).orElse(OptionalInt.empty());
    }
}

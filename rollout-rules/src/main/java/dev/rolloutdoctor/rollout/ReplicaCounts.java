package dev.rolloutdoctor.rollout;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The numbers of a rollout, either as the workload's status block reports them or as counted from the pods in the
 * snapshot; putting the two side by side shows when a controller's counters or conditions disagree with the pods.
 *
 * @param desired          the pods wanted: {@code spec.replicas} (default 1), or a DaemonSet's
 *                         {@code status.desiredNumberScheduled} (the pods cannot tell how many nodes qualify)
 * @param replicas         pods that exist and are not terminating (nor Succeeded/Failed, when counted from pods)
 * @param updated          of those, pods of the new template (new ReplicaSet, update revision)
 * @param ready            of the {@code replicas}, pods whose Ready condition is True
 * @param available        of the {@code replicas}, pods Ready for at least {@code minReadySeconds}
 * @param unavailable      pods missing from {@code desired} to be available (including ones not created yet)
 * @param terminating      pods being deleted; empty when the status block does not report it (unknown, not 0)
 * @param updatedAvailable of the updated pods, those available; empty when the status block does not report it
 */
public record ReplicaCounts(int desired, int replicas, int updated, int ready, int available, int unavailable,
        OptionalInt terminating, OptionalInt updatedAvailable) {

    public ReplicaCounts {
        Objects.requireNonNull(terminating, "terminating");
        Objects.requireNonNull(updatedAvailable, "updatedAvailable");
    }
}

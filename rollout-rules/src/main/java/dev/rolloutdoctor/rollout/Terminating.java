package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.ObjectRef;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Pods of an older revision that are still terminating: the gap in which kubectl already reports success.
 *
 * <p>A pod's {@code deletionTimestamp} is the <em>end</em> of its grace period, not the moment of the delete: the
 * API server sets it to the time of the request plus the grace period ({@code BeforeDelete} in
 * {@code k8s.io/apiserver/pkg/registry/rest/delete.go}), and moves it earlier if a later request shortens the period.
 *
 * @param count               how many: the larger of {@code reported} and {@code podsInSnapshot}
 * @param countSource         which of the two {@code count} came from
 * @param reported            the old ReplicaSets' {@code status.terminatingReplicas} summed (Kubernetes 1.33+, or the
 *                            Deployment's when no ReplicaSet was captured); empty where the cluster does not report it
 * @param podsInSnapshot      old pods in the snapshot with a {@code deletionTimestamp}
 * @param owners              the old ReplicaSets they belong to (Deployment), or their old revisions'
 *                            {@code controller-revision-hash} (StatefulSet, DaemonSet); sorted
 * @param pods                the terminating old pods found in the snapshot, sorted
 * @param lastGracePeriodEnds the latest {@code deletionTimestamp} among those pods; empty when none was captured
 */
public record Terminating(int count, CountSource countSource, OptionalInt reported, int podsInSnapshot,
        List<String> owners, List<ObjectRef> pods, Optional<Instant> lastGracePeriodEnds) {

    /** Where a count of terminating pods came from. */
    public enum CountSource {
        /** The cluster's {@code status.terminatingReplicas}. */
        STATUS,
        /** Pods with a {@code deletionTimestamp} in the snapshot. */
        PODS
    }

    public Terminating {
        Objects.requireNonNull(countSource, "countSource");
        Objects.requireNonNull(reported, "reported");
        owners = List.copyOf(owners);
        pods = List.copyOf(pods);
        Objects.requireNonNull(lastGracePeriodEnds, "lastGracePeriodEnds");
    }

    /** How the count was found, in words: "reported by status.terminatingReplicas" or "counted from pods in the snapshot". */
    public String sourceDescription() {
        return countSource == CountSource.STATUS ? "reported by status.terminatingReplicas"
                : "counted from pods in the snapshot";
    }
}

package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.capacity.NodeFit;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a detector reads: the snapshot, and the status and structure of every rollout in it (computed once, shared
 * by all detectors). Immutable to detectors; safe to share between threads.
 */
public final class DetectionContext {

    private final Snapshot snapshot;
    private final List<RolloutStatus> rollouts;
    private final Map<ObjectRef, RolloutStatus> byWorkload;
    /** Computed on first use: several detectors place pods on nodes, and it costs a pass over every pod. */
    private volatile NodeFit nodeFit;

    public DetectionContext(Snapshot snapshot, List<RolloutStatus> rollouts) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.rollouts = List.copyOf(rollouts);
        Map<ObjectRef, RolloutStatus> map = new HashMap<>();
        for (RolloutStatus s : this.rollouts) {
            map.put(s.workload().ref(), s);
        }
        this.byWorkload = Map.copyOf(map);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Every Deployment, StatefulSet and DaemonSet with its status, sorted by namespace, kind, name. */
    public List<RolloutStatus> rollouts() {
        return rollouts;
    }

    /** Rollouts that have not finished: every state but COMPLETE and COMPLETE_OLD_PODS_TERMINATING. */
    public List<RolloutStatus> unfinishedRollouts() {
        return rollouts.stream().filter(s -> !s.state().isDone()).toList();
    }

    public Optional<RolloutStatus> rollout(KubeObject workload) {
        return Optional.ofNullable(byWorkload.get(workload.ref()));
    }

    public Optional<RolloutStatus> rollout(ObjectRef workload) {
        return Optional.ofNullable(byWorkload.get(workload));
    }

    /**
     * Every node with the pods bound to it and what they request, computed once per diagnosis however many detectors
     * ask ({@link NodeFit#of(Snapshot)}).
     */
    public NodeFit nodeFit() {
        NodeFit fit = nodeFit;
        if (fit == null) {
            // two threads may both compute it; both get an equal, immutable answer
            fit = NodeFit.of(snapshot);
            nodeFit = fit;
        }
        return fit;
    }

    /** When the snapshot was taken: the "now" of every age and deadline. */
    public Optional<Instant> capturedAt() {
        return snapshot.capturedAt();
    }
}

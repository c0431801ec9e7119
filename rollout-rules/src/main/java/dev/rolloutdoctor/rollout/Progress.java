package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** When a rollout last made progress. */
final class Progress {

    /**
     * Progressing reasons under which the controller is tracking a rollout: it refreshes {@code lastUpdateTime} on
     * every step forward (more updated, fewer old, more ready or available pods), and measures the deadline from it.
     */
    private static final Set<String> TRACKING = Set.of("ReplicaSetUpdated", "NewReplicaSetCreated", "FoundNewReplicaSet",
            "DeploymentResumed");

    private Progress() {
    }

    /**
     * For a Deployment whose Progressing condition is tracking the rollout, that condition's {@code lastUpdateTime}.
     * Otherwise (no deadline, so no condition; or a stale {@code NewReplicaSetAvailable} during a later scale-up, which
     * the controller never refreshes; or a timed-out one) the newest sign of movement among the workload, its
     * ReplicaSets and pods: creations, Ready transitions to True, and deletion requests.
     */
    static Optional<Instant> last(KubeObject workload, RolloutStructure structure) {
        Optional<Instant> newest = workload.metadata().creationTimestamp();
        if (workload instanceof Deployment d) {
            Optional<Condition> progressing = d.status().condition("Progressing");
            if (progressing.isPresent() && TRACKING.contains(progressing.get().reason())
                    && updated(progressing.get()).isPresent()) {
                return updated(progressing.get());
            }
            if (progressing.isPresent() && "NewReplicaSetAvailable".equals(progressing.get().reason())) {
                newest = later(newest, updated(progressing.get()));
            }
            for (ReplicaSet rs : structure.oldReplicaSets()) {
                newest = later(newest, rs.metadata().creationTimestamp());
            }
            if (structure.newReplicaSet().isPresent()) {
                newest = later(newest, structure.newReplicaSet().get().metadata().creationTimestamp());
            }
        }
        for (Pod pod : structure.pods()) {
            newest = later(newest, pod.metadata().creationTimestamp());
            newest = later(newest, pod.status().condition("Ready").filter(Condition::isTrue)
                    .flatMap(Condition::lastTransitionTime));
            newest = later(newest, deletionRequested(pod));
        }
        return newest;
    }

    /**
     * When the pod's deletion was asked for: its deletionTimestamp minus the grace period, when both are known. The
     * API server sets deletionTimestamp to the request time plus the grace period, and when a later request shortens
     * the period it moves the timestamp by the same amount, so the difference stays the first request's time
     * ({@code BeforeDelete} in {@code k8s.io/apiserver/pkg/registry/rest/delete.go}).
     */
    static Optional<Instant> deletionRequested(Pod pod) {
        if (pod.metadata().deletionTimestamp().isEmpty() || pod.metadata().deletionGracePeriodSeconds().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pod.metadata().deletionTimestamp().get()
                .minusSeconds(pod.metadata().deletionGracePeriodSeconds().getAsLong()));
    }

    private static Optional<Instant> updated(Condition condition) {
        return condition.lastUpdateTime().or(condition::lastTransitionTime);
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isAfter(b.get()) ? a : b;
    }
}

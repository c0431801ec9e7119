package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Pod;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;

/** Counts pods the way the ReplicaSet, StatefulSet and DaemonSet controllers count them. */
final class PodCounting {

    private final int minReadySeconds;
    private final Optional<Instant> capturedAt;

    PodCounting(int minReadySeconds, Optional<Instant> capturedAt) {
        this.minReadySeconds = minReadySeconds;
        this.capturedAt = capturedAt;
    }

    /** Not being deleted and not Succeeded/Failed: the controllers' {@code FilterActivePods}. */
    static boolean isActive(Pod pod) {
        return !pod.isTerminating() && !pod.isTerminal();
    }

    /**
     * Ready for at least {@code minReadySeconds} at capture time ({@code IsPodAvailable}: the Ready condition's
     * lastTransitionTime plus minReadySeconds strictly before "now"). Without a capture time a ready pod counts as
     * available: there is no "now" to measure against.
     */
    boolean isAvailable(Pod pod) {
        Optional<Condition> ready = pod.status().condition("Ready");
        if (ready.isEmpty() || !ready.get().isTrue()) {
            return false;
        }
        if (minReadySeconds <= 0 || capturedAt.isEmpty()) {
            return true;
        }
        return ready.get().lastTransitionTime()
                .map(t -> t.plusSeconds(minReadySeconds).isBefore(capturedAt.get()))
                .orElse(false);
    }

    /** The counts of {@code all} pods, where {@code updated} are those of the new template. */
    ReplicaCounts count(int desired, Collection<Pod> all, Collection<Pod> updated) {
        int replicas = 0;
        int ready = 0;
        int available = 0;
        int terminating = 0;
        for (Pod pod : all) {
            if (pod.isTerminating()) {
                terminating++;
            }
            if (isActive(pod)) {
                replicas++;
                ready += pod.isReady() ? 1 : 0;
                available += isAvailable(pod) ? 1 : 0;
            }
        }
        int updatedActive = 0;
        int updatedAvailable = 0;
        for (Pod pod : updated) {
            if (isActive(pod)) {
                updatedActive++;
                updatedAvailable += isAvailable(pod) ? 1 : 0;
            }
        }
        return new ReplicaCounts(desired, replicas, updatedActive, ready, available, Math.max(0, desired - available),
                OptionalInt.of(terminating), OptionalInt.of(updatedAvailable));
    }
}

package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The status of one rollout: kubectl's verdict, our state with a plain-words reason, the rollout's structure, the
 * old pods still terminating, and when it last made progress.
 *
 * @param workload       the Deployment, StatefulSet or DaemonSet
 * @param kubectl        what {@code kubectl rollout status --watch=false} would print (with the options' revision)
 * @param state          our state
 * @param reason         one sentence with the real numbers, e.g. "2 of 3 updated pods are available; no progress for
 *                       12m since 10:04:31Z."
 * @param structure      the ReplicaSets, pods and numbers
 * @param terminating    old pods still terminating, whatever the state
 * @param lastProgress   when the rollout last made progress, if the snapshot tells
 * @param sinceProgress  from {@code lastProgress} to the capture time; empty when either is unknown
 * @param stallThreshold the threshold that separates PROGRESSING from STALLED for this workload
 */
public record RolloutStatus(
        KubeObject workload,
        KubectlVerdict kubectl,
        RolloutState state,
        String reason,
        RolloutStructure structure,
        Optional<Terminating> terminating,
        Optional<Instant> lastProgress,
        Optional<Duration> sinceProgress,
        Duration stallThreshold) {

    public RolloutStatus {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(kubectl, "kubectl");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(structure, "structure");
        Objects.requireNonNull(terminating, "terminating");
        Objects.requireNonNull(lastProgress, "lastProgress");
        Objects.requireNonNull(sinceProgress, "sinceProgress");
        Objects.requireNonNull(stallThreshold, "stallThreshold");
    }

    public ObjectRef ref() {
        return workload.ref();
    }
}

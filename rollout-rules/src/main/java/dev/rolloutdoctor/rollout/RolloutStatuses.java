package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.snapshot.CaptureTime;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes the {@link RolloutStatus} of every Deployment, StatefulSet and DaemonSet of a snapshot.
 *
 * <p>The state is decided in this order: NOT_OBSERVED (kubectl's generation gate fails), FAILED (a Deployment's
 * Progressing condition has reason ProgressDeadlineExceeded), COMPLETE or COMPLETE_OLD_PODS_TERMINATING (kubectl
 * reports success), PAUSED ({@code spec.paused}), then STALLED or PROGRESSING by the time since the last progress,
 * measured against the snapshot's capture time and never the wall clock.
 *
 * <p>Two readings of our own: the state ignores {@code --revision} (a pinned revision that does not match changes
 * kubectl's line, not how far the rollout got); and an OnDelete StatefulSet or DaemonSet, for which kubectl only
 * errors, counts as complete once its pods are ready (available, for a DaemonSet), since its controller has nothing
 * left to do until someone deletes the old pods; the reason says how many still run an older revision.
 */
public final class RolloutStatuses {

    private static final Comparator<KubeObject> BY_REF = Comparator.comparing(KubeObject::ref);

    private RolloutStatuses() {
    }

    /** Every rollout of the snapshot with default options, sorted by namespace, kind, name. */
    public static List<RolloutStatus> of(Snapshot snapshot) {
        return of(snapshot, RolloutOptions.DEFAULTS);
    }

    /** Every rollout of the snapshot, sorted by namespace, kind, name. */
    public static List<RolloutStatus> of(Snapshot snapshot, RolloutOptions options) {
        List<KubeObject> workloads = new ArrayList<>();
        workloads.addAll(snapshot.objects(Deployment.class));
        workloads.addAll(snapshot.objects(StatefulSet.class));
        workloads.addAll(snapshot.objects(DaemonSet.class));
        workloads.sort(BY_REF);
        List<RolloutStatus> out = new ArrayList<>(workloads.size());
        for (KubeObject workload : workloads) {
            out.add(of(snapshot, workload, options));
        }
        return List.copyOf(out);
    }

    /** The status of one Deployment, StatefulSet or DaemonSet of the snapshot, with default options. */
    public static RolloutStatus of(Snapshot snapshot, KubeObject workload) {
        return of(snapshot, workload, RolloutOptions.DEFAULTS);
    }

    /**
     * The status of one workload.
     *
     * @throws IllegalArgumentException if it is not a Deployment, StatefulSet or DaemonSet
     */
    public static RolloutStatus of(Snapshot snapshot, KubeObject workload, RolloutOptions options) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(options, "options");
        RolloutStructure structure = Structures.of(snapshot, workload);
        KubectlVerdict kubectl = KubectlStatus.of(workload, options.revision());
        KubectlVerdict unpinned = options.revision() > 0 ? KubectlStatus.of(workload, 0) : kubectl;
        Optional<Terminating> terminating = OldPods.of(workload, structure);
        Optional<Instant> lastProgress = Progress.last(workload, structure);
        Optional<Instant> capturedAt = snapshot.capturedAt();
        Optional<Duration> since = lastProgress.isPresent() && capturedAt.isPresent()
                ? Optional.of(Duration.between(lastProgress.get(), capturedAt.get())) : Optional.empty();
        Duration threshold = options.stallThresholdFor(workload);

        RolloutState state;
        String reason;
        if (!generationObserved(workload)) {
            state = RolloutState.NOT_OBSERVED;
            reason = Reasons.notObserved(workload);
        } else if (workload instanceof Deployment d && deadlineExceeded(d)) {
            state = RolloutState.FAILED;
            reason = Reasons.failed(d, structure, capturedAt);
        } else if (rolledOut(workload, unpinned)) {
            state = terminating.isPresent() ? RolloutState.COMPLETE_OLD_PODS_TERMINATING : RolloutState.COMPLETE;
            reason = terminating.isPresent() ? Reasons.oldPodsTerminating(workload, terminating.get(), capturedAt)
                    : Reasons.complete(workload, structure);
        } else if (workload instanceof Deployment d && d.spec().paused()) {
            state = RolloutState.PAUSED;
            reason = Reasons.paused(d, structure);
        } else if (since.isPresent() && since.get().compareTo(threshold) > 0) {
            state = RolloutState.STALLED;
            boolean estimated = snapshot.captureTime().origin() == CaptureTime.Origin.NEWEST_TIMESTAMP;
            reason = Reasons.stalled(workload, structure, lastProgress.get(), since.get(), capturedAt, estimated);
        } else {
            state = RolloutState.PROGRESSING;
            reason = Reasons.progressing(workload, structure, lastProgress, since, capturedAt);
        }
        return new RolloutStatus(workload, kubectl, state, reason, structure, terminating, lastProgress, since, threshold);
    }

    /** kubectl's generation gate; a StatefulSet also counts observedGeneration 0 as not observed. */
    static boolean generationObserved(KubeObject workload) {
        long generation = workload.metadata().generation();
        if (workload instanceof Deployment d) {
            return generation <= d.status().observedGeneration();
        }
        if (workload instanceof StatefulSet s) {
            return s.status().observedGeneration() != 0 && generation <= s.status().observedGeneration();
        }
        return generation <= ((DaemonSet) workload).status().observedGeneration();
    }

    /** kubectl's test: the Progressing condition's reason alone, whatever its status. */
    static boolean deadlineExceeded(Deployment d) {
        return d.status().condition("Progressing").map(Condition::reason)
                .filter(KubectlStatus.TIMED_OUT_REASON::equals).isPresent();
    }

    /** kubectl's success, or for OnDelete (which kubectl refuses) every pod ready (available, for a DaemonSet). */
    private static boolean rolledOut(KubeObject workload, KubectlVerdict kubectl) {
        if (workload instanceof StatefulSet s && !KubectlStatus.isRollingUpdate(s.spec().updateStrategy().type())) {
            return s.status().readyReplicas() >= s.spec().desiredReplicas();
        }
        if (workload instanceof DaemonSet ds && !KubectlStatus.isRollingUpdate(ds.spec().updateStrategy().type())) {
            return ds.status().numberAvailable() >= ds.status().desiredNumberScheduled();
        }
        return kubectl.succeeded();
    }
}

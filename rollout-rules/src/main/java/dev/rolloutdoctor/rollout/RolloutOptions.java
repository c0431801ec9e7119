package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings of the rollout status computation.
 *
 * <p>The stall threshold decides between PROGRESSING and STALLED. By default it is half the progress deadline for a
 * Deployment that has one, and {@link #DEFAULT_STALL_THRESHOLD} (5 minutes) otherwise. Half the deadline is exactly
 * 5 minutes for the API default of 600 seconds; it is shorter for a short deadline, so STALLED still shows up before
 * the controller itself declares the rollout failed; and it is longer for a long deadline, because whoever set one
 * said that slow steps are expected (big images, long warm-ups). StatefulSets and DaemonSets have no deadline at
 * all, so for them 5 minutes stands in for the Deployment default.
 *
 * @param revision       kubectl's {@code --revision}: 0 for not pinned; only Deployments have revisions
 * @param stallThreshold a fixed threshold for every workload, or empty for the default described above
 */
public record RolloutOptions(long revision, Optional<Duration> stallThreshold) {

    /** Stall threshold for workloads without a progress deadline. */
    public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofMinutes(5);

    /** Not pinned to a revision, default stall threshold. */
    public static final RolloutOptions DEFAULTS = new RolloutOptions(0, Optional.empty());

    public RolloutOptions {
        if (revision < 0) {
            // kubectl's own validation of the flag
            throw new IllegalArgumentException("revision must be a positive integer: " + revision);
        }
        Objects.requireNonNull(stallThreshold, "stallThreshold");
        if (stallThreshold.isPresent() && (stallThreshold.get().isNegative() || stallThreshold.get().isZero())) {
            throw new IllegalArgumentException("the stall threshold must be positive: " + stallThreshold.get());
        }
    }

    public RolloutOptions withRevision(long value) {
        return new RolloutOptions(value, stallThreshold);
    }

    public RolloutOptions withStallThreshold(Duration value) {
        return new RolloutOptions(revision, Optional.of(value));
    }

    /** The threshold that applies to this workload. */
    public Duration stallThresholdFor(KubeObject workload) {
        if (stallThreshold.isPresent()) {
            return stallThreshold.get();
        }
        if (workload instanceof Deployment d) {
            OptionalInt deadline = ProgressDeadline.seconds(d);
            if (deadline.isPresent()) {
                return Duration.ofSeconds(deadline.getAsInt()).dividedBy(2);
            }
        }
        return DEFAULT_STALL_THRESHOLD;
    }
}

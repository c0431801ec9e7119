package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rollout.RolloutStatus;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One workload's rollout: its status and its findings, most likely root cause first. */
public record RolloutDiagnosis(RolloutStatus status, List<RankedFinding> findings) {

    public RolloutDiagnosis {
        Objects.requireNonNull(status, "status");
        findings = List.copyOf(findings);
    }

    public ObjectRef workload() {
        return status.workload().ref();
    }

    /** The top-ranked finding, if any. */
    public Optional<RankedFinding> rootCause() {
        return findings.stream().findFirst();
    }

    /** True when the rollout has not finished, or has failed; what the exit code counts. */
    public boolean isStuck() {
        return !status.state().isDone() && !status.state().equals(dev.rolloutdoctor.rollout.RolloutState.PAUSED)
                || findings.stream().anyMatch(f -> f.finding().severity().compareTo(Severity.ERROR) <= 0);
    }
}

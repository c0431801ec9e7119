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

    /**
     * True when the rollout failed or is stuck: its state is FAILED, STALLED or PAUSED, or a finding of severity error
     * or worse says it cannot finish. A young rollout still progressing is not stuck. This is what exit code 1 counts.
     */
    public boolean isStuck() {
        return switch (status.state()) {
            case FAILED, STALLED, PAUSED -> true;
            default -> findings.stream().anyMatch(f -> f.finding().severity().compareTo(Severity.ERROR) <= 0);
        };
    }
}

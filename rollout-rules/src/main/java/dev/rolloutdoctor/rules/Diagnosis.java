package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The result of diagnosing a snapshot: every rollout with its ranked findings, and any detector that failed. */
public record Diagnosis(Snapshot snapshot, List<RolloutDiagnosis> rollouts, List<DetectorError> detectorErrors) {

    public Diagnosis {
        Objects.requireNonNull(snapshot, "snapshot");
        rollouts = List.copyOf(rollouts);
        detectorErrors = List.copyOf(detectorErrors);
    }

    public Optional<RolloutDiagnosis> rollout(ObjectRef workload) {
        return rollouts.stream().filter(r -> r.workload().equals(workload)).findFirst();
    }

    /** Rollouts that are stuck or failed. */
    public List<RolloutDiagnosis> stuck() {
        return rollouts.stream().filter(RolloutDiagnosis::isStuck).toList();
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rolloutdoctor.rules.detectors.TerminatingFixtures.ROLLED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

class OldPodsTerminatingTest {

    private static List<Finding> findings(String yaml, String capturedAt) {
        return DetectorHarness.of(new OldPodsTerminating()).yaml(yaml).capturedAt(capturedAt).findings();
    }

    @Test
    void oldPodsInTheirGracePeriodAreReportedWithHowManySinceAndUntilWhen() {
        assertThat(findings(ROLLED_OUT, "2024-05-01T10:00:30Z")).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("old-pods-terminating");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.title()).isEqualTo("kubectl reports Deployment shop/web rolled out, but 2 old pods of ReplicaSet "
                    + "web-6b7c8d9f5 are still terminating until 2024-05-01T10:01:00Z");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("ReplicaSet", "shop", "web-6b7c8d9f5"));
            assertThat(f.explanation())
                    .contains("2 pods reported by status.terminatingReplicas")
                    .contains("Their deletion was requested at 2024-05-01T10:00:00Z (30s before capture)")
                    .contains("The last grace period ends at 2024-05-01T10:01:00Z (30s after capture)")
                    .contains("terminationGracePeriodSeconds (60s)")
                    .contains("the preStop hook of web runs sleep 20s");
            assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text()).contains(
                    "status.terminatingReplicas = 2",
                    "metadata.deletionTimestamp = 2024-05-01T10:01:00Z (end of the grace period; deletion requested at "
                            + "2024-05-01T10:00:00Z, deletionGracePeriodSeconds 60; 30s after capture)",
                    "spec.terminationGracePeriodSeconds = 60",
                    "spec.containers[0].lifecycle.preStop = container web: sleep 20s");
        });
    }

    @Test
    void theStepsWaitForTheOldHashAndPointAtTerminatingReplicas() {
        Finding f = findings(ROLLED_OUT, "2024-05-01T10:00:30Z").get(0);

        assertThat(f.remediation()).extracting(RemediationStep::command).extracting(c -> c.orElse("")).contains(
                "kubectl wait --for=delete pod -l pod-template-hash=6b7c8d9f5 -n shop --timeout=90s",
                "kubectl get deployment/web -n shop -o jsonpath='{.status.terminatingReplicas}'");
        assertThat(f.remediation()).extracting(RemediationStep::text).anySatisfy(t -> assertThat(t).contains("KEP-3973"))
                .anySatisfy(t -> assertThat(t).contains("podReplacementPolicy"));
    }

    @Test
    void withoutTerminatingReplicasThePodsAreCounted() {
        String olderCluster = ROLLED_OUT.replace("  terminatingReplicas: 2\n", "").replace(", terminatingReplicas: 2", "")
                .replace(", terminatingReplicas: 0", "");

        assertThat(findings(olderCluster, "2024-05-01T10:00:30Z")).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("2 pods counted from pods in the snapshot");
            assertThat(f.evidence()).extracting(e -> e.path()).doesNotContain("status.terminatingReplicas");
        });
    }

    @Test
    void aGracePeriodThatEndedBeforeCaptureIsSaidToBeOverAndPointsAtStuckPods() {
        assertThat(findings(ROLLED_OUT, "2024-05-01T10:20:00Z")).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("are still terminating, past the end of the grace period at 2024-05-01T10:01:00Z");
            assertThat(f.explanation()).contains("ended at 2024-05-01T10:01:00Z (19m before capture)")
                    .contains("see pods-stuck-terminating");
        });
    }

    @Test
    void aRolloutWithNothingLeftTerminatingIsNotReported() {
        String clean = ROLLED_OUT.substring(0, ROLLED_OUT.indexOf("---\napiVersion: v1\nkind: Pod"))
                .replace("terminatingReplicas: 2", "terminatingReplicas: 0");

        assertThat(findings(clean, "2024-05-01T10:00:30Z")).isEmpty();
    }

    @Test
    void anUnfinishedRolloutIsLeftToTheOtherRules() {
        String unfinished = ROLLED_OUT.replace("updatedReplicas: 2\n  readyReplicas: 2\n  availableReplicas: 2",
                "updatedReplicas: 2\n  readyReplicas: 1\n  availableReplicas: 1");

        assertThat(findings(unfinished, "2024-05-01T10:00:30Z")).isEmpty();
    }

    @Test
    void theEngineRanksItFirstForARolloutThatLooksDone() {
        var diagnosis = DetectorHarness.of(new OldPodsTerminating()).yaml(ROLLED_OUT).capturedAt("2024-05-01T10:00:30Z").diagnose();

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web")).orElseThrow().rootCause())
                .hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("old-pods-terminating"));
    }
}

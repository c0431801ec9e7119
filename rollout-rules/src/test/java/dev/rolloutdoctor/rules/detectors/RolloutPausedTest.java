package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutPausedTest {

    static final String PAUSED_MID_ROLLOUT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              uid: d-1
              generation: 4
              annotations: {deployment.kubernetes.io/revision: "3"}
            spec:
              paused: true
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: app, image: "shop/web:1.3"}]
            status:
              observedGeneration: 4
              replicas: 3
              updatedReplicas: 0
              readyReplicas: 3
              availableReplicas: 3
              conditions:
              - type: Progressing
                status: Unknown
                reason: DeploymentPaused
                message: Deployment is paused
                lastTransitionTime: "2024-05-01T10:00:00Z"
                lastUpdateTime: "2024-05-01T10:00:00Z"
            """;

    @Test
    void aPausedDeploymentInTheMiddleOfItsRolloutIsReportedWithTheCommandToResume() {
        List<Finding> findings = DetectorHarness.of(new RolloutPaused())
                .yaml(PAUSED_MID_ROLLOUT)
                .capturedAt("2024-05-01T11:00:00Z")
                .findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("rollout-paused");
            assertThat(f.title()).isEqualTo("Deployment shop/web is paused with 0 of 3 pods on the new template");
            assertThat(f.evidence()).extracting(e -> e.path()).contains("spec.paused");
            assertThat(f.remediation()).anySatisfy(s ->
                    assertThat(s.command()).hasValue("kubectl rollout resume deployment/web -n shop"));
        });
    }

    @Test
    void aDeploymentThatIsNotPausedIsNotReported() {
        List<Finding> findings = DetectorHarness.of(new RolloutPaused())
                .yaml(PAUSED_MID_ROLLOUT.replace("paused: true", "paused: false"))
                .capturedAt("2024-05-01T11:00:00Z")
                .findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void theEngineRanksThePauseFirst() {
        var diagnosis = DetectorHarness.of(new RolloutPaused())
                .yaml(PAUSED_MID_ROLLOUT)
                .capturedAt("2024-05-01T11:00:00Z")
                .diagnose();

        assertThat(diagnosis.rollouts()).singleElement()
                .satisfies(r -> assertThat(r.rootCause()).hasValueSatisfying(f ->
                        assertThat(f.finding().ruleId()).isEqualTo("rollout-paused")));
    }
}

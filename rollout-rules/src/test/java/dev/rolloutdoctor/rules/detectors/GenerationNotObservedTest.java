package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GenerationNotObservedTest {

    /** shop/api was changed to image 2.1 (generation 5), but its status still describes generation 4. */
    static final String NOT_OBSERVED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
              uid: d-api
              generation: 5
              creationTimestamp: "2024-04-01T08:00:00Z"
              annotations: {deployment.kubernetes.io/revision: "4"}
            spec:
              replicas: 2
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: api, image: "shop/api:2.1"}]
            status:
              observedGeneration: 4
              replicas: 2
              updatedReplicas: 2
              readyReplicas: 2
              availableReplicas: 2
              conditions:
              - type: Available
                status: "True"
                reason: MinimumReplicasAvailable
                message: Deployment has minimum availability.
                lastUpdateTime: "2024-05-01T09:00:00Z"
                lastTransitionTime: "2024-05-01T09:00:00Z"
              - type: Progressing
                status: "True"
                reason: NewReplicaSetAvailable
                message: ReplicaSet "api-7c9d5f6b8" has successfully progressed.
                lastUpdateTime: "2024-05-01T09:30:00Z"
                lastTransitionTime: "2024-04-01T08:00:10Z"
            """;

    static final String CONTROLLER_MANAGER = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: kube-controller-manager-cp-1
              namespace: kube-system
              uid: p-kcm
              labels: {component: kube-controller-manager, tier: control-plane}
            spec:
              nodeName: cp-1
              containers: [{name: kube-controller-manager, image: "registry.k8s.io/kube-controller-manager:v1.30.2"}]
            status:
              phase: Running
              conditions: [{type: Ready, status: "False", reason: ContainersNotReady, lastTransitionTime: "2024-05-01T09:31:00Z"}]
              containerStatuses:
              - name: kube-controller-manager
                image: registry.k8s.io/kube-controller-manager:v1.30.2
                imageID: ""
                ready: false
                restartCount: 14
                state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container}}
            """;

    static final String COREDNS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: coredns-5d78c9869d-8xk2p, namespace: kube-system, uid: p-dns, labels: {k8s-app: kube-dns}}
            spec:
              containers: [{name: coredns, image: "registry.k8s.io/coredns/coredns:v1.11.1"}]
            status:
              phase: Running
              conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-04-01T08:00:00Z"}]
            """;

    private static List<Finding> findings(String... yaml) {
        DetectorHarness h = DetectorHarness.of(new GenerationNotObserved()).capturedAt("2024-05-01T10:00:00Z");
        for (String y : yaml) {
            h.yaml(y);
        }
        return h.findings();
    }

    @Test
    void aControllerManagerThatIsNotReadyIsNamedAsTheReasonWithHighConfidence() {
        assertThat(findings(NOT_OBSERVED, CONTROLLER_MANAGER)).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("generation-not-observed");
            assertThat(f.title()).isEqualTo("The deployment controller has not observed generation 5 of Deployment shop/api "
                    + "(status.observedGeneration is 4) for at least 30m: kube-controller-manager-cp-1 is not ready");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.culprits()).contains(ObjectRef.of("Pod", "kube-system", "kube-controller-manager-cp-1"));
            assertThat(f.explanation())
                    .contains("kubectl rollout status prints \"Waiting for deployment spec update to be observed...\"")
                    .contains("kube-controller-manager-cp-1 Running, not Ready (CrashLoopBackOff, 14 restarts)");
            assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text()).contains(
                    "metadata.generation = 5",
                    "status.observedGeneration = 4",
                    "status.conditions[Progressing] = True NewReplicaSetAvailable: ReplicaSet \"api-7c9d5f6b8\" has successfully progressed.",
                    "status = Running, not Ready (CrashLoopBackOff, 14 restarts)");
            assertThat(f.remediation()).extracting(RemediationStep::command).extracting(c -> c.orElse("")).contains(
                    "kubectl -n kube-system get pods -l component=kube-controller-manager -o wide",
                    "kubectl -n kube-system logs kube-controller-manager-cp-1 --tail=200",
                    "kubectl -n kube-system get lease kube-controller-manager -o yaml",
                    "kubectl rollout status deployment/api -n shop");
        });
    }

    @Test
    void aHealthyControllerManagerLeavesTheReasonOpenWithMediumConfidence() {
        String healthy = CONTROLLER_MANAGER.replace("status: \"False\", reason: ContainersNotReady", "status: \"True\"")
                .replace("restartCount: 14\n    state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container}}",
                        "restartCount: 0\n    state: {running: {startedAt: \"2024-05-01T09:30:50Z\"}}");

        assertThat(findings(NOT_OBSERVED, healthy)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("for at least 30m");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("running and ready, so the controller runs but does not act on this object");
        });
    }

    @Test
    void kubeSystemWithoutAControllerManagerPodIsExplainedAsAHiddenControlPlane() {
        assertThat(findings(NOT_OBSERVED, COREDNS)).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("a managed control plane (EKS, GKE, AKS)");
            assertThat(f.remediation()).extracting(RemediationStep::text)
                    .contains("On a managed control plane, look at the provider's control-plane health and logs instead");
        });
    }

    @Test
    void aSnapshotWithoutKubeSystemPodsSaysItCannotSeeTheControllerManager() {
        assertThat(findings(NOT_OBSERVED)).singleElement().satisfies(f ->
                assertThat(f.explanation()).contains("The snapshot holds no kube-system pods"));
    }

    @Test
    void aChangeThatMayBeYoungerThanAMinuteIsNotReported() {
        String fresh = NOT_OBSERVED.replace("lastUpdateTime: \"2024-05-01T09:30:00Z\"", "lastUpdateTime: \"2024-05-01T09:59:30Z\"");

        assertThat(findings(fresh, CONTROLLER_MANAGER)).isEmpty();
    }

    @Test
    void anEstimatedCaptureTimeCannotJudgeTheWaitSoConfidenceIsLow() {
        List<Finding> findings = DetectorHarness.of(new GenerationNotObserved()).yaml(NOT_OBSERVED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.LOW);
            assertThat(f.title()).doesNotContain(" for ");
            assertThat(f.explanation()).contains("estimated from the newest timestamp");
        });
    }

    @Test
    void aStatefulSetNeverObservedIsMeasuredFromItsCreation() {
        String statefulSet = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop, uid: s-db, generation: 1, creationTimestamp: "2024-05-01T09:00:00Z"}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: postgres, image: "postgres:16.3"}]
                status: {replicas: 0}
                """;

        assertThat(findings(statefulSet)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("The statefulset controller has not observed generation 1 of StatefulSet shop/db "
                    + "(status.observedGeneration is 0) for 1h");
            assertThat(f.explanation()).contains("Waiting for statefulset spec update to be observed...")
                    .contains("created at 2024-05-01T09:00:00Z (1h before capture) and its controller has never written its status");
        });
    }

    @Test
    void leaderElectionEventsAreCitedAsEvidence() {
        String election = """
                apiVersion: v1
                kind: Event
                metadata: {name: kube-controller-manager.17c4a, namespace: kube-system}
                involvedObject: {apiVersion: coordination.k8s.io/v1, kind: Lease, name: kube-controller-manager, namespace: kube-system}
                reason: LeaderElection
                message: cp-2_6f1d2c3e-8a9b-4c5d-9e0f-1a2b3c4d5e6f became leader
                type: Normal
                source: {component: kube-controller-manager}
                firstTimestamp: "2024-05-01T09:31:05Z"
                lastTimestamp: "2024-05-01T09:31:05Z"
                """;

        assertThat(findings(NOT_OBSERVED, CONTROLLER_MANAGER, election)).singleElement().satisfies(f -> {
            assertThat(f.evidence()).extracting(e -> e.text())
                    .contains("Normal LeaderElection: cp-2_6f1d2c3e-8a9b-4c5d-9e0f-1a2b3c4d5e6f became leader");
            assertThat(f.explanation()).contains("The newest leader election in the snapshot");
        });
    }

    @Test
    void anObservedGenerationIsNotReported() {
        assertThat(findings(NOT_OBSERVED.replace("observedGeneration: 4", "observedGeneration: 5"), CONTROLLER_MANAGER)).isEmpty();
    }

    @Test
    void theEngineRanksTheUnobservedChangeFirst() {
        var diagnosis = DetectorHarness.of(new GenerationNotObserved())
                .yaml(NOT_OBSERVED).yaml(CONTROLLER_MANAGER)
                .capturedAt("2024-05-01T10:00:00Z")
                .diagnose();

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "api")).orElseThrow().rootCause())
                .hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("generation-not-observed"));
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.fakes.Engines;
import dev.rolloutdoctor.rules.fakes.FixedCause;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressDeadlineExceededTest {

    /** Revision 3 of shop/web pulls an image that does not exist; the controller timed out at 10:20. */
    static final String TIMED_OUT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              uid: d-web
              generation: 7
              annotations: {deployment.kubernetes.io/revision: "3"}
            spec:
              replicas: 3
              progressDeadlineSeconds: 600
              selector: {matchLabels: {app: web}}
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "shop/web:1.3"}]
            status:
              observedGeneration: 7
              replicas: 4
              updatedReplicas: 1
              readyReplicas: 3
              availableReplicas: 3
              unavailableReplicas: 1
              conditions:
              - type: Available
                status: "True"
                reason: MinimumReplicasAvailable
                message: Deployment has minimum availability.
                lastUpdateTime: "2024-05-01T09:00:00Z"
                lastTransitionTime: "2024-05-01T09:00:00Z"
              - type: Progressing
                status: "False"
                reason: ProgressDeadlineExceeded
                message: ReplicaSet "web-5d8f7c9b6" has timed out progressing.
                lastUpdateTime: "2024-05-01T10:20:00Z"
                lastTransitionTime: "2024-05-01T10:20:00Z"
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-6b7c8d9f5
              namespace: shop
              uid: rs-old
              creationTimestamp: "2024-04-20T08:00:00Z"
              labels: {app: web, pod-template-hash: 6b7c8d9f5}
              annotations: {deployment.kubernetes.io/revision: "2"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 3
              selector: {matchLabels: {app: web, pod-template-hash: 6b7c8d9f5}}
              template:
                metadata: {labels: {app: web, pod-template-hash: 6b7c8d9f5}}
                spec:
                  containers: [{name: web, image: "shop/web:1.2"}]
            status: {replicas: 3, readyReplicas: 3, availableReplicas: 3}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-5d8f7c9b6
              namespace: shop
              uid: rs-new
              creationTimestamp: "2024-05-01T10:09:30Z"
              labels: {app: web, pod-template-hash: 5d8f7c9b6}
              annotations: {deployment.kubernetes.io/revision: "3"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 1
              selector: {matchLabels: {app: web, pod-template-hash: 5d8f7c9b6}}
              template:
                metadata: {labels: {app: web, pod-template-hash: 5d8f7c9b6}}
                spec:
                  containers: [{name: web, image: "shop/web:1.3"}]
            status: {replicas: 1}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-5d8f7c9b6-x2x9q
              namespace: shop
              uid: p-new
              creationTimestamp: "2024-05-01T10:09:31Z"
              labels: {app: web, pod-template-hash: 5d8f7c9b6}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c9b6, uid: rs-new, controller: true}]
            spec:
              nodeName: worker-1
              containers: [{name: web, image: "shop/web:1.3"}]
            status:
              phase: Pending
              conditions:
              - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [web]", lastTransitionTime: "2024-05-01T10:09:31Z"}
              containerStatuses:
              - name: web
                image: shop/web:1.3
                imageID: ""
                ready: false
                restartCount: 0
                state: {waiting: {reason: ImagePullBackOff, message: Back-off pulling image "shop/web:1.3"}}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-6b7c8d9f5-4kq7z
              namespace: shop
              uid: p-old-1
              creationTimestamp: "2024-04-20T08:00:05Z"
              labels: {app: web, pod-template-hash: 6b7c8d9f5}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6b7c8d9f5, uid: rs-old, controller: true}]
            spec:
              nodeName: worker-1
              containers: [{name: web, image: "shop/web:1.2"}]
            status:
              phase: Running
              conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-04-20T08:00:15Z"}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-6b7c8d9f5-9mfrt
              namespace: shop
              uid: p-old-2
              creationTimestamp: "2024-04-20T08:00:05Z"
              labels: {app: web, pod-template-hash: 6b7c8d9f5}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6b7c8d9f5, uid: rs-old, controller: true}]
            spec:
              nodeName: worker-2
              containers: [{name: web, image: "shop/web:1.2"}]
            status:
              phase: Running
              conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-04-20T08:00:15Z"}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-6b7c8d9f5-vb2lc
              namespace: shop
              uid: p-old-3
              creationTimestamp: "2024-04-20T08:00:05Z"
              labels: {app: web, pod-template-hash: 6b7c8d9f5}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6b7c8d9f5, uid: rs-old, controller: true}]
            spec:
              nodeName: worker-3
              containers: [{name: web, image: "shop/web:1.2"}]
            status:
              phase: Running
              conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-04-20T08:00:15Z"}]
            """;

    @Test
    void aTimedOutRolloutIsReportedWithTheDeadlineWhenItFiredAndTheNewPodsAvailable() {
        List<Finding> findings = DetectorHarness.of(new ProgressDeadlineExceeded())
                .yaml(TIMED_OUT)
                .capturedAt("2024-05-01T10:45:00Z")
                .findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("progress-deadline-exceeded");
            assertThat(f.title()).isEqualTo(
                    "Deployment shop/web exceeded its 10m progress deadline at 2024-05-01T10:20:00Z with 0 of 3 new pods available");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.culprits()).containsExactly(ObjectRef.of("Deployment", "shop", "web"),
                    ObjectRef.of("ReplicaSet", "shop", "web-5d8f7c9b6"));
            assertThat(f.explanation())
                    .contains("error: deployment \"web\" exceeded its progress deadline")
                    .contains("so the last progress it saw was about 2024-05-01T10:10:00Z")
                    .contains("That was 25m before capture: no progress for about 35m at capture.")
                    .contains("This is a symptom");
            assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text()).contains(
                    "status.conditions[Progressing] = False ProgressDeadlineExceeded: ReplicaSet \"web-5d8f7c9b6\" has timed out progressing.",
                    "spec.progressDeadlineSeconds = 600",
                    "status = replicas 4, updatedReplicas 1, readyReplicas 3, availableReplicas 3, unavailableReplicas 1",
                    "pods (counted in the snapshot) = 4 active pods, 1 of them new, 0 new available");
        });
    }

    @Test
    void theStepsFindTheCauseRollBackAndFollowTheRollout() {
        Finding f = DetectorHarness.of(new ProgressDeadlineExceeded())
                .yaml(TIMED_OUT)
                .capturedAt("2024-05-01T10:45:00Z")
                .findings().get(0);

        assertThat(f.remediation()).extracting(RemediationStep::command).extracting(c -> c.orElse("")).containsExactly(
                "kubectl get pods -n shop -l pod-template-hash=5d8f7c9b6 -o wide",
                "kubectl describe replicaset/web-5d8f7c9b6 -n shop",
                "kubectl rollout undo deployment/web -n shop --to-revision=2",
                "kubectl rollout status deployment/web -n shop",
                "kubectl patch deployment/web -n shop --type merge -p '{\"spec\":{\"progressDeadlineSeconds\":1200}}'");
    }

    @Test
    void withoutReplicaSetsOrPodsTheNumbersComeFromTheStatusAndTheReplicaSetFromTheMessage() {
        String deploymentOnly = TIMED_OUT.substring(0, TIMED_OUT.indexOf("---"))
                .replace("message: ReplicaSet \"web-5d8f7c9b6\" has timed out progressing.",
                        "message: ReplicaSet web-5d8f7c9b6 has timed out progressing.")
                .replace("  progressDeadlineSeconds: 600\n", "");

        Finding f = DetectorHarness.of(new ProgressDeadlineExceeded())
                .yaml(deploymentOnly)
                .capturedAt("2024-05-01T10:45:00Z")
                .findings().get(0);

        assertThat(f.title()).isEqualTo("Deployment shop/web exceeded its 10m progress deadline at 2024-05-01T10:20:00Z "
                + "with 1 of 3 pods updated and 3 available");
        assertThat(f.explanation()).contains("the snapshot holds no pods to check that against");
        assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text())
                .contains("spec.progressDeadlineSeconds = 600 (not in the dump: the API default)");
        assertThat(f.remediation()).extracting(RemediationStep::command).extracting(c -> c.orElse(""))
                .contains("kubectl describe deployment/web -n shop", "kubectl describe replicaset/web-5d8f7c9b6 -n shop",
                        "kubectl rollout undo deployment/web -n shop");
    }

    @Test
    void aRolloutThatCompletedIsNotReported() {
        String complete = TIMED_OUT.substring(0, TIMED_OUT.indexOf("---"))
                .replace("replicas: 4\n  updatedReplicas: 1\n  readyReplicas: 3",
                        "replicas: 3\n  updatedReplicas: 3\n  readyReplicas: 3")
                .replace("  unavailableReplicas: 1\n", "")
                .replace("status: \"False\"\n    reason: ProgressDeadlineExceeded", "status: \"True\"\n    reason: NewReplicaSetAvailable")
                .replace("has timed out progressing.", "has successfully progressed.");

        assertThat(DetectorHarness.of(new ProgressDeadlineExceeded()).yaml(complete).capturedAt("2024-05-01T10:45:00Z").findings())
                .isEmpty();
    }

    /** The same rollout, but the controller keeps seeing "progress": the condition still says ReplicaSetUpdated. */
    static final String STILL_PROGRESSING = TIMED_OUT
            .replace("status: \"False\"\n    reason: ProgressDeadlineExceeded", "status: \"True\"\n    reason: ReplicaSetUpdated")
            .replace("has timed out progressing.", "is progressing.")
            .replace("lastUpdateTime: \"2024-05-01T10:20:00Z\"\n    lastTransitionTime: \"2024-05-01T10:20:00Z\"",
                    "lastUpdateTime: \"2024-05-01T10:41:00Z\"\n    lastTransitionTime: \"2024-05-01T10:09:30Z\"");

    @Test
    void aProgressingConditionThatOutlivesTheDeadlineIsReportedWithoutClaimingItFired() {
        List<Finding> findings = DetectorHarness.of(new ProgressDeadlineExceeded())
                .yaml(STILL_PROGRESSING)
                .capturedAt("2024-05-01T10:45:00Z")
                .findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Deployment shop/web still reports Progressing=True (ReplicaSetUpdated), but its 1 new "
                    + "pod has not been ready for 35m, longer than its 10m progress deadline");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("refreshes lastUpdateTime whenever it sees progress")
                    .contains("kubectl rollout status will keep waiting");
            assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text()).contains(
                    "status.conditions[Progressing] = True ReplicaSetUpdated: ReplicaSet \"web-5d8f7c9b6\" is progressing. "
                            + "(lastUpdateTime 2024-05-01T10:41:00Z)",
                    "status.conditions[Ready] = False ContainersNotReady: containers with unready status: [web]");
        });
    }

    @Test
    void newPodsYoungerThanTheDeadlineAreNotCalledStuck() {
        List<Finding> findings = DetectorHarness.of(new ProgressDeadlineExceeded())
                .yaml(STILL_PROGRESSING.replace("creationTimestamp: \"2024-05-01T10:09:31Z\"", "creationTimestamp: \"2024-05-01T10:40:00Z\""))
                .capturedAt("2024-05-01T10:45:00Z")
                .findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void aRecentScaleUpOfTheNewReplicaSetRestartsTheClock() {
        String scaledUp = STILL_PROGRESSING + """
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: web.17c3, namespace: shop}
                involvedObject: {apiVersion: apps/v1, kind: Deployment, name: web, namespace: shop, uid: d-web}
                reason: ScalingReplicaSet
                message: Scaled up replica set web-5d8f7c9b6 from 0 to 1
                type: Normal
                count: 3
                firstTimestamp: "2024-05-01T10:09:30Z"
                lastTimestamp: "2024-05-01T10:39:00Z"
                """;

        assertThat(DetectorHarness.of(new ProgressDeadlineExceeded()).yaml(scaledUp).capturedAt("2024-05-01T10:45:00Z").findings())
                .isEmpty();
    }

    @Test
    void aStaleNewReplicaSetAvailableConditionIsExplainedAsTheControllerBlindSpot() {
        String staleComplete = STILL_PROGRESSING.replace("reason: ReplicaSetUpdated", "reason: NewReplicaSetAvailable")
                .replace("is progressing.", "has successfully progressed.");

        Finding f = DetectorHarness.of(new ProgressDeadlineExceeded()).yaml(staleComplete).capturedAt("2024-05-01T10:45:00Z")
                .findings().get(0);

        assertThat(f.title()).startsWith("Deployment shop/web still reports Progressing=True (NewReplicaSetAvailable)");
        assertThat(f.explanation()).contains("kubernetes/kubernetes#78678");
    }

    @Test
    void aDeploymentWithoutADeadlineIsNeverSaidToOutliveIt() {
        String noDeadline = STILL_PROGRESSING.replace("progressDeadlineSeconds: 600", "progressDeadlineSeconds: 2147483647");

        assertThat(DetectorHarness.of(new ProgressDeadlineExceeded()).yaml(noDeadline).capturedAt("2024-05-01T10:45:00Z").findings())
                .isEmpty();
    }

    @Test
    void theDeadlineIsASymptomThatACauseOnTheSameWorkloadExplains() {
        Diagnosis diagnosis = Engines.diagnose(
                DetectorHarness.of(new ProgressDeadlineExceeded()).yaml(TIMED_OUT).capturedAt("2024-05-01T10:45:00Z").snapshot(),
                new ProgressDeadlineExceeded(), new FixedCause());

        List<RankedFinding> ranked = diagnosis.rollouts().get(0).findings();
        assertThat(ranked).extracting(r -> r.finding().ruleId()).startsWith("test-fixed-cause");
        assertThat(ranked).filteredOn(r -> r.finding().ruleId().equals("progress-deadline-exceeded"))
                .singleElement().satisfies(r -> assertThat(r.explainedBy()).isNotEmpty());
    }
}

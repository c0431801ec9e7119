package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.fakes.Engines;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rolloutdoctor.rules.detectors.TerminatingFixtures.ROLLED_OUT;
import static dev.rolloutdoctor.rules.detectors.TerminatingFixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

class PodsStuckTerminatingTest {

    static final String READY_NODES = node("worker-1", "True", "KubeletReady", "2024-04-01T00:00:00Z")
            + node("worker-2", "True", "KubeletReady", "2024-04-01T00:00:00Z");

    static final String HELD_BY_FINALIZER = ROLLED_OUT.replace("  deletionGracePeriodSeconds: 60\n",
            "  deletionGracePeriodSeconds: 60\n  finalizers: [example.com/drain-connections]\n") + READY_NODES;

    private static List<Finding> findings(String yaml, String capturedAt) {
        return DetectorHarness.of(new PodsStuckTerminating()).yaml(yaml).capturedAt(capturedAt).findings();
    }

    @Test
    void podsHeldByAFinalizerAreReportedOnceWithTheFinalizerNamed() {
        assertThat(findings(HELD_BY_FINALIZER, "2024-05-01T10:20:00Z")).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("pods-stuck-terminating");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("2 old pods of Deployment shop/web are stuck terminating, 19m past the end of "
                    + "their grace period: finalizer example.com/drain-connections not removed");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("Pod", "shop", "web-6b7c8d9f5-4kq7z"),
                    ObjectRef.of("Pod", "shop", "web-6b7c8d9f5-9mfrt"));
            assertThat(f.explanation()).contains("Each still carries the finalizer example.com/drain-connections")
                    .contains("kubectl already reports the rollout done");
            assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text())
                    .contains("metadata.finalizers = [example.com/drain-connections]");
        });
    }

    @Test
    void theFinalizerStepsRemoveItWithAWarningAndForceDeletionComesLast() {
        Finding f = findings(HELD_BY_FINALIZER, "2024-05-01T10:20:00Z").get(0);

        List<RemediationStep> steps = f.remediation();
        assertThat(steps).extracting(s -> s.command().orElse("")).contains(
                "kubectl patch pod/web-6b7c8d9f5-4kq7z -n shop --type merge -p '{\"metadata\":{\"finalizers\":null}}'");
        assertThat(steps.get(steps.size() - 1)).satisfies(s -> {
            assertThat(s.command()).hasValue("kubectl delete pod web-6b7c8d9f5-4kq7z web-6b7c8d9f5-9mfrt -n shop --grace-period=0 --force");
            assertThat(s.text()).startsWith("Last resort").contains("whether or not the containers stopped");
        });
        assertThat(steps).anySatisfy(s -> assertThat(s.text()).contains("its cleanup is then skipped"));
    }

    @Test
    void podsOnANodeThatStoppedReportingBlameTheNode() {
        String unreachable = ROLLED_OUT.replace("nodeName: worker-2", "nodeName: worker-1")
                + node("worker-1", "Unknown", "NodeStatusUnknown", "2024-05-01T09:55:00Z");

        assertThat(findings(unreachable, "2024-05-01T10:20:00Z")).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": node worker-1 is not reporting (Ready Unknown, NodeStatusUnknown)");
            assertThat(f.culprits()).startsWith(ObjectRef.of("Node", "", "worker-1"));
            assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text()).contains(
                    "status.conditions[Ready] = Unknown NodeStatusUnknown: Kubelet stopped posting node status.");
            assertThat(f.remediation()).extracting(s -> s.command().orElse("")).contains(
                    "kubectl describe node/worker-1",
                    "kubectl delete node worker-1",
                    "kubectl taint nodes worker-1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute");
        });
    }

    @Test
    void aNodeMissingFromCollectedNodesIsSaidToBeGone() {
        String gone = ROLLED_OUT.replace("nodeName: worker-2", "nodeName: worker-1")
                + node("worker-3", "True", "KubeletReady", "2024-04-01T00:00:00Z");

        assertThat(findings(gone, "2024-05-01T10:20:00Z")).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": node worker-1 no longer exists");
            assertThat(f.evidence()).extracting(e -> e.path() + " = " + e.text())
                    .contains("spec.nodeName = worker-1 (not among the snapshot's Nodes)");
        });
    }

    @Test
    void differentCausesMakeDifferentFindings() {
        String mixed = ROLLED_OUT + node("worker-1", "Unknown", "NodeStatusUnknown", "2024-05-01T09:55:00Z")
                + node("worker-2", "True", "KubeletReady", "2024-04-01T00:00:00Z");

        assertThat(findings(mixed, "2024-05-01T10:20:00Z")).extracting(Finding::title, Finding::confidence).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1 old pod of Deployment shop/web is stuck terminating, 19m past the end "
                        + "of its grace period: node worker-1 is not reporting (Ready Unknown, NodeStatusUnknown)", Confidence.HIGH),
                org.assertj.core.groups.Tuple.tuple("1 old pod of Deployment shop/web is stuck terminating, 19m past the end "
                        + "of its grace period: the kubelet on worker-2 has not confirmed it stopped", Confidence.LOW));
    }

    @Test
    void aKubeletThatFailsToKillIsCitedByItsEvent() {
        String killFailed = HELD_BY_FINALIZER + """
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: web-6b7c8d9f5-4kq7z.17c4b, namespace: shop}
                involvedObject: {apiVersion: v1, kind: Pod, name: web-6b7c8d9f5-4kq7z, namespace: shop, uid: p-old-1}
                reason: FailedKillPod
                message: 'error killing pod: failed to "KillContainer" for "web" with KillContainerError: "rpc error: code = DeadlineExceeded desc = context deadline exceeded"'
                type: Warning
                source: {component: kubelet, host: worker-1}
                count: 12
                firstTimestamp: "2024-05-01T10:01:02Z"
                lastTimestamp: "2024-05-01T10:18:00Z"
                """;

        List<Finding> found = findings(killFailed, "2024-05-01T10:20:00Z");

        assertThat(found).extracting(Finding::title).containsExactly(
                "1 old pod of Deployment shop/web is stuck terminating, 19m past the end of its grace period: the kubelet on "
                        + "worker-1 fails to kill it (FailedKillPod)",
                "1 old pod of Deployment shop/web is stuck terminating, 19m past the end of its grace period: finalizer "
                        + "example.com/drain-connections not removed");
        assertThat(found.get(0).evidence()).extracting(e -> e.text()).anySatisfy(t -> assertThat(t)
                .startsWith("Warning FailedKillPod: error killing pod").endsWith("(x12 over 16m)"));
    }

    @Test
    void podsStillWithinTheirGracePeriodOrItsToleranceAreNotStuck() {
        assertThat(findings(HELD_BY_FINALIZER, "2024-05-01T10:00:30Z")).isEmpty();
        assertThat(findings(HELD_BY_FINALIZER, "2024-05-01T10:01:20Z")).isEmpty();
    }

    @Test
    void stuckOldPodsOfAnUnfinishedDeploymentAreOnlyAWarning() {
        String unfinished = HELD_BY_FINALIZER.replace("updatedReplicas: 2\n  readyReplicas: 2\n  availableReplicas: 2",
                "updatedReplicas: 2\n  readyReplicas: 1\n  availableReplicas: 1");

        assertThat(findings(unfinished, "2024-05-01T10:20:00Z")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.explanation()).contains("The controller does not wait for terminating pods");
        });
    }

    @Test
    void aStuckStatefulSetPodHoldsItsRolloutAndForceDeletionWarnsOfTwoPodsWithOneIdentity() {
        String statefulSet = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop, uid: s-db, generation: 3}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: postgres, image: "postgres:16.3"}]
                status: {observedGeneration: 3, replicas: 3, readyReplicas: 2, currentReplicas: 3, updatedReplicas: 3,
                         currentRevision: db-7f9c6d8b5, updateRevision: db-7f9c6d8b5}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: db-0
                  namespace: shop
                  uid: p-db-0
                  deletionTimestamp: "2024-05-01T10:01:00Z"
                  deletionGracePeriodSeconds: 30
                  labels: {app: db, controller-revision-hash: db-7f9c6d8b5}
                  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: s-db, controller: true}]
                spec:
                  nodeName: worker-3
                  containers: [{name: postgres, image: "postgres:16.3"}]
                status: {phase: Running}
                """ + node("worker-3", "False", "KubeletNotReady", "2024-05-01T09:58:00Z");

        assertThat(findings(statefulSet, "2024-05-01T10:20:00Z")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.title()).isEqualTo("1 new pod of StatefulSet shop/db is stuck terminating, 19m past the end of its "
                    + "grace period: node worker-3 is NotReady (KubeletNotReady)");
            assertThat(f.explanation()).contains("A StatefulSet does not create the replacement of a pod until the old one is gone");
            assertThat(f.remediation().get(f.remediation().size() - 1).text())
                    .contains("two pods with the same identity and volume may run at once");
        });
    }

    @Test
    void stuckPodsExplainWhyARolledOutDeploymentStillHasTerminatingPods() {
        Diagnosis diagnosis = Engines.diagnose(
                DetectorHarness.of(new PodsStuckTerminating()).yaml(HELD_BY_FINALIZER).capturedAt("2024-05-01T10:20:00Z").snapshot(),
                new OldPodsTerminating(), new PodsStuckTerminating());

        List<RankedFinding> ranked = diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web")).orElseThrow().findings();
        assertThat(ranked).extracting(r -> r.finding().ruleId()).containsSubsequence("pods-stuck-terminating", "old-pods-terminating");
        assertThat(ranked.get(0).finding().ruleId()).isEqualTo("pods-stuck-terminating");
        assertThat(ranked.get(0).explains()).isNotEmpty();
    }
}

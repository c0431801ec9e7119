package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.SchedulingShop.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.boundNewPod;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.deployment;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.docs;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.node;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.oldPod;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.pendingPod;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.replicaSets;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.requesting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NodeNotReadyTest {

    static final String SPEC = requesting("500m");
    static final String NEW_POD = "web-7d9c6b5f4-x2x4p";

    /** The node lifecycle controller's view of a node whose kubelet stopped posting status at 09:55. */
    static final String LOST_NODE = node("node-2", "4", "8Gi", """
                    taints:
                    - {key: node.kubernetes.io/unreachable, effect: NoSchedule, timeAdded: "2024-05-01T09:55:40Z"}
                    - {key: node.kubernetes.io/unreachable, effect: NoExecute, timeAdded: "2024-05-01T09:55:45Z"}""", "", """
                    - {type: MemoryPressure, status: Unknown, reason: NodeStatusUnknown, message: Kubelet stopped posting node status., lastHeartbeatTime: "2024-05-01T09:55:00Z", lastTransitionTime: "2024-05-01T09:55:40Z"}
                    - {type: Ready, status: Unknown, reason: NodeStatusUnknown, message: Kubelet stopped posting node status., lastHeartbeatTime: "2024-05-01T09:55:00Z", lastTransitionTime: "2024-05-01T09:55:40Z"}""");

    static final String NOT_READY_NODE = node("node-3", "4", "8Gi", """
                    taints:
                    - {key: node.kubernetes.io/not-ready, effect: NoSchedule}
                    - {key: node.kubernetes.io/not-ready, effect: NoExecute}""", "", """
                    - {type: Ready, status: "False", reason: KubeletNotReady, message: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized", lastHeartbeatTime: "2024-05-01T10:19:50Z", lastTransitionTime: "2024-05-01T10:02:00Z"}""");

    static final String NODE_NOT_READY_EVENT = """
            apiVersion: v1
            kind: Event
            metadata: {name: web-7d9c6b5f4-x2x4p.17cb2b0000000001, namespace: shop}
            involvedObject: {apiVersion: v1, kind: Pod, name: web-7d9c6b5f4-x2x4p, namespace: shop, uid: uid-web-7d9c6b5f4-x2x4p}
            reason: NodeNotReady
            message: Node is not ready
            type: Warning
            count: 1
            source: {component: node-controller}
            firstTimestamp: "2024-05-01T10:00:45Z"
            lastTimestamp: "2024-05-01T10:00:45Z"
            """;

    static String rollout(String... more) {
        String base = docs(deployment(SPEC), replicaSets(SPEC, 1),
                oldPod("web-5f6d8b9c7-a1b2c", "node-1", SPEC),
                oldPod("web-5f6d8b9c7-d3e4f", "node-1", SPEC),
                oldPod("web-5f6d8b9c7-g5h6i", "node-1", SPEC),
                node("node-1", "4", "8Gi", ""));
        return more.length == 0 ? base : base + "---\n" + docs(more);
    }

    static List<Finding> run(String yaml) {
        return DetectorHarness.of(new NodeNotReady()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    @Test
    void aNewPodBoundToANodeThatStoppedReportingIsAnError() {
        List<Finding> findings = run(rollout(LOST_NODE, boundNewPod(NEW_POD, "node-2", SPEC), NODE_NOT_READY_EVENT));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("node-not-ready");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.title()).isEqualTo("Node node-2 is NotReady (kubelet stopped posting status, last heartbeat 25m ago) "
                    + "and holds 1 new pod of Deployment shop/web");
            assertThat(f.culprits()).extracting(Object::toString).containsExactly("Node node-2");
            assertThat(f.explanation()).contains("Node node-2: Ready=Unknown NodeStatusUnknown \"Kubelet stopped posting node status.\" "
                    + "(last heartbeat 25m ago)").contains("holds new pod " + NEW_POD);
        });
    }

    @Test
    void theEvidenceIsTheReadyConditionTheTaintsAndTheNodeNotReadyEvent() {
        Finding f = run(rollout(LOST_NODE, boundNewPod(NEW_POD, "node-2", SPEC), NODE_NOT_READY_EVENT)).get(0);

        assertThat(f.evidence()).extracting(Evidence::path).contains("status.conditions[Ready]", "spec.taints");
        assertThat(f.evidence()).filteredOn(e -> e.path().equals("spec.taints")).singleElement().satisfies(e ->
                assertThat(e.text()).isEqualTo("node.kubernetes.io/unreachable:NoSchedule, node.kubernetes.io/unreachable:NoExecute"));
        assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.EVENT).singleElement()
                .satisfies(e -> assertThat(e.text()).isEqualTo("Warning NodeNotReady: Node is not ready"));
        assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                Optional.of("kubectl describe node node-2"),
                Optional.of("kubectl drain node-2 --ignore-daemonsets --delete-emptydir-data"));
    }

    @Test
    void pendingPodsWithEveryNodeCordonedCannotBeScheduled() {
        String cordon = "unschedulable: true\ntaints:\n- {key: node.kubernetes.io/unschedulable, effect: NoSchedule}";
        String message = "0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: "
                + "3 Preemption is not helpful for scheduling.";
        String yaml = docs(deployment(SPEC), replicaSets(SPEC, 1),
                node("node-1", "4", "8Gi", cordon), node("node-2", "4", "8Gi", cordon), node("node-3", "4", "8Gi", cordon),
                pendingPod(NEW_POD, SPEC, message));

        Finding f = run(yaml).get(0);

        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web cannot be scheduled: "
                + "node node-1 is cordoned, node-2 is cordoned, node-3 is cordoned");
        assertThat(f.remediation()).extracting(RemediationStep::command).contains(Optional.of("kubectl uncordon node-1 node-2 node-3"));
    }

    @Test
    void aNotReadyNodeThatOnlyTakesCapacityAwayIsAWarningThatExplainsTheShortage() {
        String message = "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. "
                + "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not "
                + "helpful for scheduling.";
        String yaml = rollout(NOT_READY_NODE, pendingPod(NEW_POD, SPEC, message)).replace("requests: {cpu: \"500m\"", "requests: {cpu: \"1500m\"");

        Finding f = run(yaml).get(0);

        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web is pending with fewer nodes: node node-3 is NotReady");
        assertThat(f.explanation()).contains("KubeletNotReady \"container runtime network not ready")
                .contains("These nodes are out of the running");

        var diagnosis = SchedulingShop.diagnose(SchedulingShop.load(yaml), new NodeNotReady(), new InsufficientResources(),
                new UnschedulablePlacement());
        List<RankedFinding> ranked = diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web")).orElseThrow().findings();
        assertThat(ranked).extracting(r -> r.finding().ruleId()).startsWith("node-not-ready").contains("insufficient-resources");
        RankedFinding shortage = ranked.stream().filter(r -> r.finding().ruleId().equals("insufficient-resources")).findFirst().orElseThrow();
        assertThat(ranked.get(0).explains()).contains(shortage.id());
    }

    @Test
    void oldPodsOnALostNodeAreAWarning() {
        String message = "0/2 nodes are available: 2 Insufficient cpu.";
        String yaml = docs(deployment(SPEC), replicaSets(SPEC, 1),
                oldPod("web-5f6d8b9c7-a1b2c", "node-1", SPEC), oldPod("web-5f6d8b9c7-d3e4f", "node-2", SPEC),
                node("node-1", "4", "8Gi", ""), LOST_NODE, pendingPod(NEW_POD, SPEC, message));

        Finding f = run(yaml).get(0);

        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.title()).startsWith("Node node-2 is NotReady (kubelet stopped posting status").endsWith("and holds 1 old pod of Deployment shop/web");
        assertThat(f.explanation()).contains("pods-stuck-terminating");
    }

    @Test
    void withoutNodesTheOldNodeNotReadyPredicateIsReportedFromTheMessage() {
        String message = "No nodes are available that match all of the predicates: NodeNotReady (1).";

        Finding f = run(docs(deployment(SPEC), replicaSets(SPEC, 1), pendingPod(NEW_POD, SPEC, message))).get(0);

        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web cannot be scheduled: 1 node is not ready (NodeNotReady)");
        assertThat(f.explanation()).contains("Nodes were not collected");
    }

    @Test
    void nodesThatHaveRecoveredSinceTheSchedulersLastWordAreNotReported() {
        String message = "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.";

        assertThat(run(rollout(pendingPod(NEW_POD, SPEC, message)))).isEmpty();
    }

    @Test
    void aHealthyRolloutOnReadyNodesIsNotReported() {
        assertThat(run(rollout(boundNewPod(NEW_POD, "node-1", SPEC)))).isEmpty();
    }

    @Test
    void aNodeUnderDiskPressureKeepingThePodsOffIsNamed() {
        String pressure = node("node-1", "4", "8Gi", "taints:\n- {key: node.kubernetes.io/disk-pressure, effect: NoSchedule}", "", """
                - {type: DiskPressure, status: "True", reason: KubeletHasDiskPressure, message: kubelet has disk pressure, lastHeartbeatTime: "2024-05-01T10:19:30Z"}
                - {type: Ready, status: "True", reason: KubeletReady, lastHeartbeatTime: "2024-05-01T10:19:30Z"}""");
        String message = "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }.";

        Finding f = run(docs(deployment(SPEC), replicaSets(SPEC, 1), pressure, pendingPod(NEW_POD, SPEC, message))).get(0);

        assertThat(f.title()).endsWith("cannot be scheduled: node node-1 has DiskPressure");
        assertThat(f.evidence()).extracting(Evidence::path).contains("status.conditions[DiskPressure]");
        assertThat(f.remediation()).anySatisfy(s -> assertThat(s.text()).startsWith("Free disk, memory or PIDs on node-1"));
    }

    @Test
    void theEngineRanksTheLostNodeFirst() {
        var diagnosis = SchedulingShop.diagnose(SchedulingShop.load(rollout(LOST_NODE, boundNewPod(NEW_POD, "node-2", SPEC))),
                new NodeNotReady(), new InsufficientResources(), new UnschedulablePlacement());

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web"))).hasValueSatisfying(r ->
                assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("node-not-ready")));
    }

    @Test
    void noFalsePositiveOnTheRealWorldBundles() {
        assumeTrue(Files.isDirectory(SchedulingShop.REALWORLD),
                "../shared/realworld is absent (it is not part of the project)");
        for (String bundle : List.of("vmware-tanzu__sonobuoy/pkg/client/results/testdata/results-0.10.tar.gz",
                "vmware-tanzu__sonobuoy/test/integration/testdata/results-4-e2e-failures.tar.gz",
                "replicatedhq__troubleshoot/testdata/supportbundle/support-bundle.tar.gz",
                "replicatedhq__sbctl/tests/support-bundle")) {
            var snapshot = SnapshotLoader.create().load(SchedulingShop.REALWORLD.resolve(bundle));
            assertThat(SchedulingShop.findings(new NodeNotReady(), snapshot)).as(bundle).isEmpty();
            assertThat(SchedulingShop.findings(new InsufficientResources(), snapshot)).as(bundle).isEmpty();
            assertThat(SchedulingShop.findings(new UnschedulablePlacement(), snapshot)).as(bundle).isEmpty();
        }
    }

    @Test
    void readsRightOnTheRealOldNodeNotReadyPredicateEventsOfSonobuoy() {
        assumeTrue(Files.isDirectory(SchedulingShop.REALWORLD),
                "../shared/realworld is absent (it is not part of the project)");
        String labels = "k8s-app: calico-kube-controllers";
        String spec = "containers:\n- {name: calico-kube-controllers, image: quay.io/calico/kube-controllers:v1.0.0}";
        String template = "metadata:\n  labels: {" + labels + "}\nspec:\n" + spec.indent(2);
        var snapshot = SchedulingShop.realWorld(
                SchedulingShop.owners("kube-system", "calico-kube-controllers", "calico-kube-controllers-6ff88bf6d4",
                        "rs-calico-1", labels, template)
                        + "---\n" + SchedulingShop.ownedPendingPod("kube-system", "calico-kube-controllers-6ff88bf6d4-t2h9k",
                        "0120ffe4-e027-11e7-8132-0254a9767590", "calico-kube-controllers-6ff88bf6d4", "rs-calico-1", labels, spec),
                "2017-12-13T17:00:00Z", "vmware-tanzu__sonobuoy/_extracted/results-0.10.tar.gz/resources/ns/kube-system/Events.json");

        List<Finding> findings = SchedulingShop.findings(new NodeNotReady(), snapshot);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("1 new pod of Deployment kube-system/calico-kube-controllers cannot be scheduled: "
                    + "1 node is not ready (NodeNotReady)");
            assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.EVENT).singleElement().satisfies(e ->
                    assertThat(e.text()).isEqualTo("Warning FailedScheduling: No nodes are available that match all of the "
                            + "predicates: NodeNotReady (1). (x6 over 15s)"));
        });
    }
}

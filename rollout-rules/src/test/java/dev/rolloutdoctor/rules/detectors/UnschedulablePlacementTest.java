package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.SchedulingShop.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.deployment;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.docs;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.node;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.oldPod;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.pendingPod;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.readyCondition;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.replicaSets;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.schedulerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UnschedulablePlacementTest {

    static final String PENDING = "web-7d9c6b5f4-x2x4p";

    static final String SSD_SPEC = """
            nodeSelector: {disktype: ssd}
            containers:
            - name: app
              image: registry.example.com/shop/web:2.0.1
              resources:
                requests: {cpu: 250m, memory: 256Mi}
            """;

    static String workers(String labels) {
        return docs(node("node-1", "4", "8Gi", "", labels, readyCondition()),
                node("node-2", "4", "8Gi", "", labels, readyCondition()),
                node("node-3", "4", "8Gi", "", "", readyCondition()));
    }

    static List<Finding> run(String... documents) {
        return DetectorHarness.of(new UnschedulablePlacement()).yaml(docs(documents)).capturedAt(CAPTURED_AT).findings();
    }

    static String withOldPods(String spec) {
        return docs(deployment(spec), replicaSets(spec, 1),
                oldPod("web-5f6d8b9c7-a1b2c", "node-1", spec.replace("nodeSelector: {disktype: ssd}\n", "")),
                oldPod("web-5f6d8b9c7-d3e4f", "node-2", spec.replace("nodeSelector: {disktype: ssd}\n", "")),
                oldPod("web-5f6d8b9c7-g5h6i", "node-3", spec.replace("nodeSelector: {disktype: ssd}\n", "")));
    }

    @Test
    void aNodeSelectorNoNodeMatchesIsCheckedAgainstTheNodesLabels() {
        String message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 "
                + "nodes are available: 3 Preemption is not helpful for scheduling.";

        List<Finding> findings = run(withOldPods(SSD_SPEC), workers("disktype: hdd"), pendingPod(PENDING, SSD_SPEC, message),
                schedulerEvent(PENDING, message, 12));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("unschedulable-placement");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web cannot be scheduled: 0/3 nodes are available: "
                    + "3 nodes don't match its node selector/affinity (disktype=ssd)");
            assertThat(f.explanation()).contains("No node has label disktype=ssd; nodes have disktype=hdd (2), no disktype label (1)");
            assertThat(f.evidence()).extracting(Evidence::path).contains("status.conditions[PodScheduled]", "spec.nodeSelector.disktype");
            assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                    Optional.of("kubectl get nodes -L disktype"),
                    Optional.of("kubectl patch deployment/web -n shop --type json -p "
                            + "'[{\"op\":\"remove\",\"path\":\"/spec/template/spec/nodeSelector/disktype\"}]'"));
        });
    }

    @Test
    void requiredNodeAffinityNamesTheRequirementAndHowManyNodesMeetIt() {
        String spec = """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions:
                        - {key: kubernetes.io/arch, operator: In, values: [arm64]}
                containers:
                - {name: app, image: registry.example.com/shop/web:2.0.1}
                """;
        String message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";

        Finding f = run(deployment(spec), replicaSets(spec, 1), workers("kubernetes.io/arch: amd64"),
                pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).endsWith("3 nodes don't match its node selector/affinity (kubernetes.io/arch in (arm64))");
        assertThat(f.explanation()).contains("Required node affinity kubernetes.io/arch in (arm64): 0 of 3 nodes match "
                + "(nodes have kubernetes.io/arch=amd64 (2), no kubernetes.io/arch label (1))");
    }

    @Test
    void anUntoleratedTaintIsNamedWithItsEffectAndATolerationPatchIsOffered() {
        String spec = SSD_SPEC.replace("nodeSelector: {disktype: ssd}\n", "");
        String tainted = "taints:\n- {key: dedicated, value: gpu, effect: NoSchedule}";
        String message = "0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes "
                + "are available: 2 Preemption is not helpful for scheduling.";

        Finding f = run(deployment(spec), replicaSets(spec, 1), node("gpu-1", "8", "32Gi", tainted), node("gpu-2", "8", "32Gi", tainted),
                pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).endsWith("0/2 nodes are available: 2 nodes have untolerated taint dedicated=gpu:NoSchedule");
        assertThat(f.explanation()).contains("taint dedicated=gpu:NoSchedule on gpu-1, gpu-2").contains("The pod tolerates: none.");
        assertThat(f.evidence()).extracting(Evidence::path).contains("spec.taints");
        assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                Optional.of("kubectl patch deployment/web -n shop --type json -p '[{\"op\":\"add\",\"path\":"
                        + "\"/spec/template/spec/tolerations\",\"value\":[{\"key\":\"dedicated\",\"operator\":\"Equal\","
                        + "\"value\":\"gpu\",\"effect\":\"NoSchedule\"}]}]'"),
                Optional.of("kubectl taint nodes gpu-1 gpu-2 dedicated:NoSchedule-"));
    }

    @Test
    void aClusterOfOnlyAControlPlaneNodeSuggestsWorkersOrRemovingTheTaint() {
        String spec = SSD_SPEC.replace("nodeSelector: {disktype: ssd}\n", "");
        String message = "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. "
                + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

        Finding f = run(deployment(spec), replicaSets(spec, 1),
                node("kind-control-plane", "8", "16Gi", "taints:\n- {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}"),
                pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).endsWith("1 node has untolerated taint node-role.kubernetes.io/control-plane:NoSchedule");
        assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                Optional.of("kubectl taint nodes kind-control-plane node-role.kubernetes.io/control-plane:NoSchedule-"));
    }

    @Test
    void hostPortsHeldByTheOldPodsExplainTheSurgeDeadlock() {
        String spec = """
                containers:
                - name: app
                  image: registry.example.com/shop/web:2.0.1
                  ports:
                  - {containerPort: 8443, hostPort: 443, protocol: TCP}
                """;
        String message = "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. preemption: "
                + "0/3 nodes are available: 3 No preemption victims found for incoming pod.";

        Finding f = run(withOldPods(spec), workers(""), pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).endsWith("3 nodes have host port 443/TCP in use");
        assertThat(f.explanation()).contains("443/TCP on node-1 by old pod web-5f6d8b9c7-a1b2c")
                .contains("a rolling update that adds a new pod before removing an old one (maxSurge > 0) needs a node without one");
        assertThat(f.evidence()).extracting(Evidence::path).contains("spec.containers[0].ports[0].hostPort");
        assertThat(f.remediation()).extracting(RemediationStep::command).contains(Optional.of(
                "kubectl patch deployment/web -n shop --type merge -p '{\"spec\":{\"strategy\":{\"rollingUpdate\":"
                        + "{\"maxSurge\":0,\"maxUnavailable\":1}}}}'"));
    }

    @Test
    void cordonedNodesAreNamedAndUncordonIsOffered() {
        String spec = SSD_SPEC.replace("nodeSelector: {disktype: ssd}\n", "");
        String cordon = "unschedulable: true\ntaints:\n- {key: node.kubernetes.io/unschedulable, effect: NoSchedule}";
        String message = "0/2 nodes are available: 2 node(s) were unschedulable.";

        Finding f = run(deployment(spec), replicaSets(spec, 1), node("node-1", "4", "8Gi", cordon), node("node-2", "4", "8Gi", cordon),
                pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).endsWith("0/2 nodes are available: 2 nodes are cordoned");
        assertThat(f.explanation()).contains("Cordoned (spec.unschedulable): node-1, node-2");
        assertThat(f.remediation()).extracting(RemediationStep::command).contains(Optional.of("kubectl uncordon node-1 node-2"));
    }

    @Test
    void withoutTheSchedulersWordNodesThatAllRuleThePodOutAreInferredWithMediumConfidence() {
        Finding f = run(withOldPods(SSD_SPEC), workers("disktype: hdd"), pendingPod(PENDING, SSD_SPEC, null)).get(0);

        assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(f.title()).endsWith("0/3 nodes are available: 3 nodes don't match its node selector/affinity (disktype=ssd)");
        assertThat(f.explanation()).contains("holds no FailedScheduling event and no PodScheduled condition");
    }

    @Test
    void withoutTheSchedulersWordAndWithAMatchingNodeNothingIsClaimed() {
        assertThat(run(withOldPods(SSD_SPEC), workers("disktype: ssd"), pendingPod(PENDING, SSD_SPEC, null))).isEmpty();
    }

    @Test
    void whenSomeNodesLackResourcesTheShortageIsTheFindingNotThePlacement() {
        String message = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.";

        assertThat(run(withOldPods(SSD_SPEC), workers("disktype: ssd"), pendingPod(PENDING, SSD_SPEC, message))).isEmpty();
    }

    @Test
    void withoutNodesInTheSnapshotTheScheduleSaysItAlone() {
        String message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";

        Finding f = run(deployment(SSD_SPEC), replicaSets(SSD_SPEC, 1), pendingPod(PENDING, SSD_SPEC, message)).get(0);

        assertThat(f.explanation()).contains("Nodes were not collected, so which labels and taints they have cannot be checked.");
    }

    @Test
    void aHealthyRolloutIsNotReported() {
        String spec = SSD_SPEC.replace("nodeSelector: {disktype: ssd}\n", "");
        assertThat(run(withOldPods(spec).replace("replicas: 4", "replicas: 3"), workers(""))).isEmpty();
    }

    @Test
    void theEngineRanksThePlacementFirst() {
        String message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";
        var diagnosis = DetectorHarness.of(new UnschedulablePlacement())
                .yaml(docs(withOldPods(SSD_SPEC), workers("disktype: hdd"), pendingPod(PENDING, SSD_SPEC, message)))
                .capturedAt(CAPTURED_AT)
                .diagnose();

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web"))).hasValueSatisfying(r ->
                assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("unschedulable-placement")));
    }

    // ------------------------------------------------------------------ real-world inputs

    @Test
    void readsRightOnTheRealRouterPodBlockedByHostPortsAndTheMasterTaint() {
        assumeTrue(Files.isDirectory(SchedulingShop.REALWORLD), "../shared/realworld is absent (it is not part of the project)");
        String template = """
                metadata:
                  labels: {ingresscontroller.operator.openshift.io/deployment-ingresscontroller: default}
                spec:
                  hostNetwork: true
                  nodeSelector: {kubernetes.io/os: linux, node-role.kubernetes.io/worker: ""}
                  containers:
                  - name: router
                    image: quay.io/openshift/router:4.8
                    ports:
                    - {name: http, containerPort: 80, hostPort: 80, protocol: TCP}
                    - {name: https, containerPort: 443, hostPort: 443, protocol: TCP}
                    - {name: metrics, containerPort: 1936, hostPort: 1936, protocol: TCP}
                """;
        var snapshot = SchedulingShop.realWorld(SchedulingShop.owners("openshift-ingress", "router-default", "router-default-7bbdcfcf9b",
                        "d128b2dd-c007-438a-acf9-95f85b89d8ce",
                        "ingresscontroller.operator.openshift.io/deployment-ingresscontroller: default", template),
                "2021-07-07T16:30:00Z",
                "openshift__insights-operator/docs/insights-archive-sample/config/pod/openshift-ingress/router-default-7bbdcfcf9b-7xdln.json");

        List<Finding> findings = SchedulingShop.findings(new UnschedulablePlacement(), snapshot);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("1 new pod of Deployment openshift-ingress/router-default cannot be scheduled: "
                    + "0/2 nodes are available: 1 node has host ports 80/TCP, 443/TCP, 1936/TCP in use, "
                    + "1 node has untolerated taint node-role.kubernetes.io/master");
            assertThat(f.remediation()).extracting(RemediationStep::command).contains(Optional.of(
                    "kubectl patch deployment/router-default -n openshift-ingress --type merge -p "
                            + "'{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1}}}}'"));
        });
    }

    @Test
    void readsRightOnTheRealKotsadmPodWhoseNodeAffinityMatchesNoNode() {
        assumeTrue(Files.isDirectory(SchedulingShop.REALWORLD), "../shared/realworld is absent (it is not part of the project)");
        String template = """
                metadata:
                  labels: {app: kotsadm}
                spec:
                  containers:
                  - {name: kotsadm, image: kotsadm/kotsadm:v1.100.3}
                """;
        var snapshot = SchedulingShop.realWorld(SchedulingShop.owners("message-pending-node-affinity", "kotsadm", "kotsadm-b6cb54c8f",
                        "6dad9479-a0c9-45af-9212-273ded35e6a1", "app: kotsadm", template), "2023-07-07T05:40:00Z",
                "replicatedhq__troubleshoot/pkg/analyze/files/pods/message-pending-node-affinity.json");

        List<Finding> findings = SchedulingShop.findings(new UnschedulablePlacement(), snapshot);

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.title()).isEqualTo(
                "1 new pod of Deployment message-pending-node-affinity/kotsadm cannot be scheduled: 0/1 nodes are available: "
                        + "1 node doesn't match its node selector/affinity (kubernetes.io/os in (linux), kubernetes.io/arch notin (arm64))"));
    }
}

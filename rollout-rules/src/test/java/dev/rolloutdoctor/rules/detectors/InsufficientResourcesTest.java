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
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.replicaSets;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.requesting;
import static dev.rolloutdoctor.rules.detectors.SchedulingShop.schedulerEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InsufficientResourcesTest {

    static final String SPEC = requesting("2");
    static final String PENDING = "web-7d9c6b5f4-x2x4p";
    static final String CPU_SHORT = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
            + "3 No preemption victims found for incoming pod.";

    /** Three 3-CPU workers, each running an old pod that requests 2 CPU: 1 CPU free on each. */
    static String cluster(String spec) {
        return docs(
                deployment(spec), replicaSets(spec, 1),
                oldPod("web-5f6d8b9c7-a1b2c", "node-1", spec),
                oldPod("web-5f6d8b9c7-d3e4f", "node-2", spec),
                oldPod("web-5f6d8b9c7-g5h6i", "node-3", spec),
                node("node-1", "3", "8Gi", ""), node("node-2", "3", "8Gi", ""), node("node-3", "3", "8Gi", ""));
    }

    static List<Finding> run(String... documents) {
        return DetectorHarness.of(new InsufficientResources()).yaml(docs(documents)).capturedAt(CAPTURED_AT).findings();
    }

    @Test
    void newPodsShortOfCpuAreReportedWithThePerNodeArithmetic() {
        List<Finding> findings = run(cluster(SPEC), pendingPod(PENDING, SPEC, CPU_SHORT),
                schedulerEvent(PENDING, CPU_SHORT, 19));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("insufficient-resources");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web cannot be scheduled: "
                    + "0/3 nodes have 2 CPU free (each pod requests 2 CPU)");
            assertThat(f.explanation())
                    .contains("\"" + CPU_SHORT + "\"")
                    .contains("node-1: 3 allocatable - 2 requested = 1 CPU free")
                    .contains("Preemption cannot make room either")
                    .contains("the old ReplicaSet's pods keep serving");
            assertThat(f.culprits()).extracting(Object::toString).containsExactly("Pod shop/" + PENDING);
        });
    }

    @Test
    void theEvidenceIsTheSchedulersWordThePodsRequestAndTheNodesAllocatable() {
        Finding f = run(cluster(SPEC), pendingPod(PENDING, SPEC, CPU_SHORT), schedulerEvent(PENDING, CPU_SHORT, 19)).get(0);

        assertThat(f.evidence()).extracting(Evidence::path).contains("status.conditions[PodScheduled]",
                "spec.containers[0].resources.requests.cpu", "status.allocatable.cpu");
        assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.EVENT).singleElement()
                .satisfies(e -> assertThat(e.text()).startsWith("Warning FailedScheduling: 0/3 nodes").contains("(x19 over 18m)"));
        assertThat(f.evidence()).filteredOn(e -> e.path().equals("spec.containers[0].resources.requests.cpu"))
                .singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("2"));
    }

    @Test
    void theRemediationLowersTheRequestToWhatTheRoomiestNodeHasFree() {
        Finding f = run(cluster(SPEC), pendingPod(PENDING, SPEC, CPU_SHORT)).get(0);

        assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                Optional.of("kubectl describe pod/" + PENDING + " -n shop"),
                Optional.of("kubectl set resources deployment/web -n shop -c app --requests=cpu=1"),
                Optional.of("kubectl get events -n shop --field-selector reason=NotTriggerScaleUp"));
        assertThat(f.remediation()).anySatisfy(s -> assertThat(s.text()).contains("1 CPU free on node-1"));
    }

    @Test
    void aControlPlaneNodeTheScheduleRulesOutIsShownAsRuledOutNotAsShort() {
        String message = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                + "3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, "
                + "3 No preemption victims found for incoming pod.";
        String controlPlane = node("cp-1", "4", "8Gi", "taints:\n- {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}",
                "node-role.kubernetes.io/control-plane: \"\"", SchedulingShop.readyCondition());

        Finding f = run(cluster(SPEC), controlPlane, pendingPod(PENDING, SPEC, message)).get(0);

        assertThat(f.title()).endsWith("0/3 nodes have 2 CPU free (each pod requests 2 CPU)");
        assertThat(f.explanation())
                .contains("Nodes ruled out for other reasons: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")
                .contains("cp-1: ruled out (taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated)");
    }

    @Test
    void aRequestLargerThanAnyNodeSaysItCanNeverFit() {
        String spec = requesting("999");
        String message = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption "
                + "victims found for incoming pod.";

        Finding f = run(cluster(spec), pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web cannot be scheduled: "
                + "each pod requests 999 CPU, more than any node allocates (largest: 3 CPU)");
    }

    @Test
    void withoutTheSchedulersWordARequestLargerThanAnyNodeIsStillCertain() {
        String spec = requesting("999");

        Finding f = run(cluster(spec), pendingPod(PENDING, spec, null)).get(0);

        assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(f.title()).endsWith("each pod requests 999 CPU, more than any node allocates (largest: 3 CPU)");
        assertThat(f.explanation()).contains("holds no FailedScheduling event and no PodScheduled condition");
    }

    @Test
    void withoutTheSchedulersWordAShortageOnEveryNodeIsInferredWithMediumConfidence() {
        Finding f = run(cluster(SPEC), pendingPod(PENDING, SPEC, null)).get(0);

        assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(f.title()).endsWith("0/3 nodes have 2 CPU free (each pod requests 2 CPU)");
        assertThat(f.explanation()).contains("inferred from the Nodes' allocatable resources")
                .contains("node-3: 3 allocatable - 2 requested = 1 CPU free");
    }

    @Test
    void withoutTheSchedulersWordAndWithRoomOnANodeNothingIsClaimed() {
        assertThat(run(cluster(SPEC), node("node-4", "8", "16Gi", ""), pendingPod(PENDING, SPEC, null))).isEmpty();
    }

    @Test
    void anExtendedResourceWithoutNodesInTheSnapshotIsReportedFromTheMessageAlone() {
        String spec = """
                containers:
                - name: app
                  image: registry.example.com/shop/web:2.0.1
                  resources:
                    limits: {cpu: "3", memory: 5Gi, nvidia.com/gpu: "5"}
                """;
        String message = "0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: "
                + "1 No preemption victims found for incoming pod.";

        Finding f = run(deployment(spec), replicaSets(spec, 1), pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web cannot be scheduled: "
                + "Insufficient nvidia.com/gpu on 1/1 nodes (each pod requests 5 nvidia.com/gpu)");
        assertThat(f.explanation()).contains("Nodes were not collected");
        assertThat(f.remediation()).extracting(RemediationStep::command)
                .contains(Optional.of("kubectl describe nodes | grep -i nvidia.com/gpu"));
    }

    @Test
    void theOldPredicatesWordingIsRead() {
        String message = "No nodes are available that match all of the predicates: Insufficient cpu (3).";

        Finding f = run(deployment(SPEC), replicaSets(SPEC, 1), pendingPod(PENDING, SPEC, message)).get(0);

        assertThat(f.title()).endsWith("cannot be scheduled: Insufficient cpu on 3 nodes (each pod requests 2 CPU)");
    }

    @Test
    void nodesAtTheirPodLimitAreTooManyPods() {
        String message = "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption "
                + "victims found for incoming pod.";

        Finding f = run(deployment(SPEC), replicaSets(SPEC, 1), pendingPod(PENDING, SPEC, message)).get(0);

        assertThat(f.title()).endsWith("cannot be scheduled: 3/3 nodes are at their pod limit (Too many pods)");
        assertThat(f.remediation()).anySatisfy(s -> assertThat(s.text()).contains("maxPods"));
    }

    @Test
    void anInitContainerThatSetsTheRequestIsShownAndNotLoweredThroughTheAppContainer() {
        String spec = """
                initContainers:
                - name: migrate
                  image: registry.example.com/shop/migrate:2.0.1
                  resources:
                    requests: {cpu: "3"}
                containers:
                - name: app
                  image: registry.example.com/shop/web:2.0.1
                  resources:
                    requests: {cpu: "1"}
                """;
        String message = "0/3 nodes are available: 3 Insufficient cpu.";

        Finding f = run(cluster(spec), pendingPod(PENDING, spec, message)).get(0);

        assertThat(f.title()).endsWith("0/3 nodes have 3 CPU free (each pod requests 3 CPU)");
        assertThat(f.explanation()).contains("Each new pod requests 3 CPU (migrate 3, app 1)");
        assertThat(f.remediation()).noneSatisfy(s -> assertThat(s.command().orElse("")).startsWith("kubectl set resources"));
    }

    @Test
    void placementReasonsAloneAreNotThisRulesFinding() {
        String message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";

        assertThat(run(cluster(SPEC), pendingPod(PENDING, SPEC, message))).isEmpty();
    }

    @Test
    void aHealthyRolloutIsNotReported() {
        String spec = requesting("500m");
        assertThat(run(cluster(spec).replace("replicas: 4", "replicas: 3"))).isEmpty();
    }

    @Test
    void aPodHeldBySchedulingGatesIsNotTheSchedulersFailure() {
        String gated = pendingPod(PENDING, SPEC, null).replace("spec:\n", "spec:\n  schedulingGates:\n  - {name: example.com/quota}\n");

        assertThat(run(cluster(SPEC), gated)).isEmpty();
    }

    @Test
    void theEngineRanksTheShortageFirstWhenTheStrategyMayRemoveAnOldPod() {
        // maxUnavailable 1: the controller may take an old pod down, so the strategy is not what holds the rollout
        var diagnosis = DetectorHarness.of(new InsufficientResources())
                .yaml(docs(cluster(SPEC), pendingPod(PENDING, SPEC, CPU_SHORT)).replace("maxUnavailable: 25%", "maxUnavailable: 1"))
                .capturedAt(CAPTURED_AT)
                .diagnose();

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web")))
                .hasValueSatisfying(r -> assertThat(r.rootCause()).hasValueSatisfying(f ->
                        assertThat(f.finding().ruleId()).isEqualTo("insufficient-resources")));
    }

    @Test
    void withMaxUnavailableRoundedToZeroTheSurgeDeadlockExplainsTheShortage() {
        // 3 replicas at 25%/25%: maxSurge 1, maxUnavailable 0; the surge pod finds no room, and no old pod may go
        var diagnosis = DetectorHarness.of(new InsufficientResources())
                .yaml(docs(cluster(SPEC), pendingPod(PENDING, SPEC, CPU_SHORT)))
                .capturedAt(CAPTURED_AT)
                .diagnose();

        var findings = diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web")).orElseThrow().findings();
        assertThat(findings.get(0).finding().ruleId()).isEqualTo("rolling-update-deadlock");
        assertThat(findings).filteredOn(f -> f.finding().ruleId().equals("insufficient-resources")).singleElement()
                .satisfies(f -> assertThat(f.explainedBy()).contains(findings.get(0).id()));
    }

    @Test
    void readsRightOnTheRealPendingGpuPodOfTheTroubleshootCorpus() {
        assumeTrue(Files.isDirectory(SchedulingShop.REALWORLD), "../shared/realworld is absent (it is not part of the project)");
        String template = """
                metadata:
                  labels: {app: pending-pod-resources}
                spec:
                  containers:
                  - name: nginx
                    image: nginx
                    resources:
                      limits: {cpu: "3", memory: 5Gi, nvidia.com/gpu: "5"}
                      requests: {cpu: "3", memory: 5Gi, nvidia.com/gpu: "5"}
                """;
        String inline = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: pending-pod-resources, namespace: message-pending-pod-resources, uid: d-gpu-1, generation: 1,
                  annotations: {deployment.kubernetes.io/revision: "1"}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: pending-pod-resources}}
                  template:
                %s
                status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: pending-pod-resources-5fddcf7688
                  namespace: message-pending-pod-resources
                  uid: f57de73f-8492-4118-b4da-b0f9d7408c9b
                  annotations: {deployment.kubernetes.io/revision: "1"}
                  labels: {app: pending-pod-resources, pod-template-hash: 5fddcf7688}
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: pending-pod-resources, uid: d-gpu-1, controller: true}]
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: pending-pod-resources, pod-template-hash: 5fddcf7688}}
                  template:
                %s
                status: {replicas: 1}
                """.formatted(template.indent(4), template.replace("{app: pending-pod-resources}",
                "{app: pending-pod-resources, pod-template-hash: 5fddcf7688}").indent(4));
        var snapshot = SchedulingShop.realWorld(inline, "2023-07-11T04:40:00Z",
                "replicatedhq__troubleshoot/pkg/analyze/files/pods/message-pending-pod-resources.json",
                "replicatedhq__troubleshoot/pkg/analyze/files/events/message-image-pull-fail.json");

        List<Finding> findings = SchedulingShop.findings(new InsufficientResources(), snapshot);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("1 new pod of Deployment message-pending-pod-resources/pending-pod-resources "
                    + "cannot be scheduled: Insufficient nvidia.com/gpu on 1/1 nodes (each pod requests 5 nvidia.com/gpu)");
            assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.EVENT).singleElement()
                    .satisfies(e -> assertThat(e.text()).contains("Insufficient nvidia.com/gpu"));
            assertThat(f.evidence()).extracting(Evidence::path).contains("spec.containers[0].resources.requests.nvidia.com/gpu");
        });
    }

    @Test
    void readsRightOnTheRealOldInsufficientCpuEventsOfSonobuoy() {
        assumeTrue(Files.isDirectory(SchedulingShop.REALWORLD), "../shared/realworld is absent (it is not part of the project)");
        String labels = "k8s-app: kube-dns";
        String spec = """
                containers:
                - {name: kubedns, image: gcr.io/google_containers/k8s-dns-kube-dns-amd64:1.14.5, resources: {requests: {cpu: 100m, memory: 70Mi}}}
                - {name: dnsmasq, image: gcr.io/google_containers/k8s-dns-dnsmasq-nanny-amd64:1.14.5, resources: {requests: {cpu: 150m, memory: 20Mi}}}
                - {name: sidecar, image: gcr.io/google_containers/k8s-dns-sidecar-amd64:1.14.5, resources: {requests: {cpu: 10m, memory: 20Mi}}}
                """;
        String template = "metadata:\n  labels: {" + labels + "}\nspec:\n" + spec.indent(2);
        var snapshot = SchedulingShop.realWorld(
                SchedulingShop.owners("kube-system", "kube-dns", "kube-dns-545bc4bfd4", "rs-kube-dns-1", labels, template)
                        + "---\n" + SchedulingShop.ownedPendingPod("kube-system", "kube-dns-545bc4bfd4-t4lzx",
                        "fcee18fb-e026-11e7-8132-0254a9767590", "kube-dns-545bc4bfd4", "rs-kube-dns-1", labels, spec),
                "2017-12-13T17:03:00Z", "vmware-tanzu__sonobuoy/_extracted/results-0.10.tar.gz/resources/ns/kube-system/Events.json");

        List<Finding> findings = SchedulingShop.findings(new InsufficientResources(), snapshot);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("1 new pod of Deployment kube-system/kube-dns cannot be scheduled: "
                    + "Insufficient cpu on 1 node (each pod requests 260m CPU)");
            assertThat(f.explanation()).contains("Each new pod requests 260m CPU (kubedns 100m, dnsmasq 150m, sidecar 10m).");
            assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.EVENT).singleElement().satisfies(e ->
                    assertThat(e.text()).contains("Insufficient cpu (1).").contains("(x9 over 2m)"));
        });
    }
}

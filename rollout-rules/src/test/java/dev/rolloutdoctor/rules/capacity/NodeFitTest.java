package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.Category;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NodeFitTest {

    static final String NODES = """
            apiVersion: v1
            kind: Node
            metadata:
              name: node-1
              labels: {kubernetes.io/hostname: node-1, disktype: hdd}
            spec: {}
            status:
              allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
              conditions:
              - {type: Ready, status: "True", reason: KubeletReady}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: node-2
              labels: {kubernetes.io/hostname: node-2, disktype: ssd}
            spec:
              taints:
              - {key: dedicated, value: gpu, effect: NoSchedule}
            status:
              allocatable: {cpu: "8", memory: 16Gi, pods: "110", nvidia.com/gpu: "2"}
              conditions:
              - {type: Ready, status: "True", reason: KubeletReady}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: node-3
              labels: {kubernetes.io/hostname: node-3, disktype: ssd}
            spec:
              unschedulable: true
              taints:
              - {key: node.kubernetes.io/unschedulable, effect: NoSchedule}
            status:
              allocatable: {cpu: "4", memory: 8Gi, pods: "2"}
              conditions:
              - {type: Ready, status: "True", reason: KubeletReady}
            """;

    static String pod(String name, String node, String phase, String containers) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop}
                spec:
                  nodeName: "%s"
                  containers:
                %s
                status: {phase: %s}
                """.formatted(name, node, containers.indent(2), phase);
    }

    static Snapshot load(String... docs) {
        String yaml = String.join("\n---\n", docs);
        return SnapshotLoader.create().withParallelism(1)
                .load("fit.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    static Pod incoming(Snapshot s) {
        return s.get(Pod.class, "Pod", "shop", "incoming").orElseThrow();
    }

    @Test
    void requestedSumsTheNonTerminalPodsBoundToTheNodeTerminatingOnesIncluded() {
        Snapshot s = load(NODES,
                pod("a", "node-1", "Running", "- {name: app, image: x, resources: {requests: {cpu: 1500m, memory: 1Gi}}}"),
                pod("b", "node-1", "Running", "- {name: app, image: x, resources: {requests: {cpu: 1, memory: 1Gi}}}"),
                pod("done", "node-1", "Succeeded", "- {name: app, image: x, resources: {requests: {cpu: 1}}}"),
                pod("elsewhere", "node-2", "Running", "- {name: app, image: x, resources: {requests: {cpu: 1}}}"));

        NodeCapacity node1 = NodeFit.of(s).node("node-1").orElseThrow();

        assertThat(node1.requested("cpu")).isEqualTo(Quantity.parse("2500m"));
        assertThat(node1.free("cpu")).isEqualTo(Quantity.parse("1500m"));
        assertThat(node1.free("memory")).isEqualTo(Quantity.parse("6Gi"));
        assertThat(node1.pods()).extracting(p -> p.metadata().name()).containsExactly("a", "b");
        assertThat(node1.freeText("cpu")).isEqualTo("node-1: 4 allocatable - 2.5 requested = 1.5 CPU free");
    }

    @Test
    void aPodThatAsksForMoreThanIsFreeIsShortOfThatResourceWithTheArithmetic() {
        Snapshot s = load(NODES,
                pod("a", "node-1", "Running", "- {name: app, image: x, resources: {requests: {cpu: 3}}}"),
                pod("incoming", "", "Pending", "- {name: app, image: x, resources: {requests: {cpu: 2}}}"));
        NodeFit fit = NodeFit.of(s);

        Placement p = fit.place(incoming(s).spec(), fit.node("node-1").orElseThrow());

        assertThat(p.fits()).isFalse();
        assertThat(p.onlyShortOfResources()).isTrue();
        assertThat(p.first()).hasValueSatisfying(m -> {
            assertThat(m.reason()).isEqualTo("Insufficient cpu");
            assertThat(m.detail()).isEqualTo("requests 2 CPU, 1 of 4 CPU free");
        });
    }

    @Test
    void eachNodeGivesTheReasonsTheSchedulerWouldInTheOrderItsFiltersRun() {
        Snapshot s = load(NODES, pod("incoming", "", "Pending",
                "- {name: app, image: x, resources: {requests: {cpu: 6}}}"));

        var placements = NodeFit.of(s).place(incoming(s).spec());

        assertThat(placements).extracting(p -> p.node().name()).containsExactly("node-1", "node-2", "node-3");
        assertThat(placements.get(0).first().orElseThrow().category()).isEqualTo(Category.INSUFFICIENT_RESOURCE);
        assertThat(placements.get(1).first().orElseThrow().reason()).isEqualTo("node(s) had untolerated taint {dedicated: gpu}");
        assertThat(placements.get(2).first().orElseThrow().reason()).isEqualTo("node(s) were unschedulable");
        assertThat(placements.get(2).excluded()).isTrue();
    }

    @Test
    void aTolerationLetsThePodOntoTheTaintedNode() {
        Snapshot s = load(NODES, pod("incoming", "", "Pending", "- {name: app, image: x}").replace("  nodeName: \"\"\n",
                "  nodeName: \"\"\n  tolerations:\n  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n"));
        NodeFit fit = NodeFit.of(s);

        assertThat(fit.fitting(incoming(s).spec())).extracting(NodeCapacity::name).containsExactly("node-1", "node-2");
    }

    @Test
    void aNodeSelectorNoNodeMatchesSaysWhatTheNodesHave() {
        Snapshot s = load(NODES, pod("incoming", "", "Pending", "- {name: app, image: x}")
                .replace("  nodeName: \"\"\n", "  nodeName: \"\"\n  nodeSelector: {disktype: nvme}\n"));
        NodeFit fit = NodeFit.of(s);

        Placement p = fit.place(incoming(s).spec(), fit.node("node-1").orElseThrow());

        assertThat(p.first()).hasValueSatisfying(m -> {
            assertThat(m.category()).isEqualTo(Category.NODE_AFFINITY);
            assertThat(m.detail()).isEqualTo("does not satisfy disktype=nvme (has disktype=hdd)");
        });
    }

    @Test
    void requiredNodeAffinityIsCheckedWithTheSchedulersOperators() {
        Snapshot s = load(NODES, pod("incoming", "", "Pending", "- {name: app, image: x}").replace("  nodeName: \"\"\n", """
                  nodeName: ""
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                        - matchExpressions:
                          - {key: disktype, operator: In, values: [ssd]}
                """));
        NodeFit fit = NodeFit.of(s);

        assertThat(fit.place(incoming(s).spec()).stream().filter(p -> p.misfits().stream()
                .anyMatch(m -> m instanceof Misfit.NodeSelectorMismatch)).map(p -> p.node().name()))
                .containsExactly("node-1");
    }

    @Test
    void aHostPortHeldByAPodOnTheNodeConflictsAndNamesTheHolder() {
        String withPort = "- name: app\n  image: x\n  ports:\n  - {containerPort: 8443, hostPort: 443, protocol: TCP}";
        Snapshot s = load(NODES, pod("router-old", "node-1", "Running", withPort), pod("incoming", "", "Pending", withPort));
        NodeFit fit = NodeFit.of(s);

        Placement p = fit.place(incoming(s).spec(), fit.node("node-1").orElseThrow());

        assertThat(p.misfits()).singleElement().isInstanceOfSatisfying(Misfit.HostPortConflict.class, c -> {
            assertThat(c.port()).isEqualTo(443);
            assertThat(c.holder().metadata().name()).isEqualTo("router-old");
            assertThat(c.detail()).isEqualTo("host port 443/TCP is held by pod router-old");
        });
    }

    @Test
    void theSameHostPortOnAnotherProtocolIsFree() {
        Snapshot s = load(NODES,
                pod("dns", "node-1", "Running", "- name: app\n  image: x\n  ports:\n  - {containerPort: 53, hostPort: 53, protocol: UDP}"),
                pod("incoming", "", "Pending", "- name: app\n  image: x\n  ports:\n  - {containerPort: 53, hostPort: 53, protocol: TCP}"));
        NodeFit fit = NodeFit.of(s);

        assertThat(fit.place(incoming(s).spec(), fit.node("node-1").orElseThrow()).fits()).isTrue();
    }

    @Test
    void aFullNodeIsTooManyPods() {
        Snapshot s = load(NODES,
                pod("a", "node-3", "Running", "- {name: app, image: x}"),
                pod("b", "node-3", "Running", "- {name: app, image: x}"),
                pod("incoming", "", "Pending", "- {name: app, image: x}").replace("  nodeName: \"\"\n",
                        "  nodeName: \"\"\n  tolerations:\n  - {key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}\n"));
        NodeFit fit = NodeFit.of(s);

        Placement p = fit.place(incoming(s).spec(), fit.node("node-3").orElseThrow());

        assertThat(p.misfits()).singleElement().satisfies(m -> {
            assertThat(m.reason()).isEqualTo("Too many pods");
            assertThat(m.detail()).isEqualTo("runs 2 of 2 allowed pods");
        });
    }

    @Test
    void anExtendedResourceANodeDoesNotOfferIsShortThere() {
        Snapshot s = load(NODES, pod("incoming", "", "Pending",
                "- {name: app, image: x, resources: {limits: {nvidia.com/gpu: 1}}}").replace("  nodeName: \"\"\n",
                "  nodeName: \"\"\n  tolerations:\n  - {key: dedicated, operator: Exists}\n"));
        NodeFit fit = NodeFit.of(s);

        assertThat(fit.fitting(incoming(s).spec())).extracting(NodeCapacity::name).containsExactly("node-2");
        assertThat(fit.largestAllocatable("nvidia.com/gpu")).hasValue(Quantity.parse("2"));
    }

    @Test
    void aTemplateWithoutAdmissionTolerationsStillToleratesNotReadyNoExecuteLikeAnAdmittedPod() {
        Snapshot s = load("""
                apiVersion: v1
                kind: Node
                metadata: {name: node-9}
                spec:
                  taints:
                  - {key: node.kubernetes.io/unreachable, effect: NoExecute}
                  - {key: node.kubernetes.io/unreachable, effect: NoSchedule}
                status:
                  allocatable: {cpu: "4", pods: "110"}
                """, pod("incoming", "", "Pending", "- {name: app, image: x}"));

        Placement p = NodeFit.of(s).place(incoming(s).spec()).get(0);

        assertThat(p.misfits()).singleElement().isInstanceOfSatisfying(Misfit.UntoleratedTaint.class,
                t -> assertThat(t.taint().effect()).isEqualTo("NoSchedule"));
    }
}

package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.Taint;
import dev.rolloutdoctor.model.Toleration;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decode;
import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class NodeDecoderTest {

    private static final String NOT_READY_CORDONED = """
            apiVersion: v1
            kind: Node
            metadata:
              creationTimestamp: "2024-05-01T08:00:00Z"
              labels:
                kubernetes.io/hostname: worker-2
                node-role.kubernetes.io/worker: ""
                topology.kubernetes.io/zone: eu-west-1b
              name: worker-2
              resourceVersion: "918273"
              uid: 6d1c3f0e-8a55-4d61-9b8e-0f5f1a2b3c4d
            spec:
              podCIDR: 10.244.2.0/24
              providerID: aws:///eu-west-1b/i-0abc123def4567890
              taints:
              - effect: NoSchedule
                key: node.kubernetes.io/unschedulable
                timeAdded: "2024-05-02T10:00:00Z"
              - effect: NoExecute
                key: node.kubernetes.io/unreachable
                timeAdded: "2024-05-02T10:05:00Z"
              - effect: NoSchedule
                key: dedicated
                value: gpu
              unschedulable: true
            status:
              addresses:
              - address: 10.0.12.34
                type: InternalIP
              - address: worker-2
                type: Hostname
              allocatable:
                cpu: 3920m
                ephemeral-storage: "47093746742"
                memory: 15214284Ki
                pods: "110"
              capacity:
                cpu: "4"
                ephemeral-storage: 51099716Ki
                memory: 16265932Ki
                pods: "110"
              conditions:
              - lastHeartbeatTime: "2024-05-02T10:04:00Z"
                lastTransitionTime: "2024-05-02T10:05:00Z"
                message: Kubelet stopped posting node status.
                reason: NodeStatusUnknown
                status: Unknown
                type: MemoryPressure
              - lastHeartbeatTime: "2024-05-02T10:04:00Z"
                lastTransitionTime: "2024-05-01T08:01:00Z"
                message: kubelet has no disk pressure
                reason: KubeletHasNoDiskPressure
                status: "False"
                type: DiskPressure
              - lastHeartbeatTime: "2024-05-02T10:04:00Z"
                lastTransitionTime: "2024-05-02T10:05:00Z"
                message: Kubelet stopped posting node status.
                reason: NodeStatusUnknown
                status: Unknown
                type: Ready
              nodeInfo:
                architecture: amd64
                bootID: 1d9b2c4e-0f7a-4d7e-9a51-3c2b1a0f9e8d
                containerRuntimeVersion: containerd://1.7.13
                kernelVersion: 6.1.79-99.167.amzn2023.x86_64
                kubeProxyVersion: v1.29.3-eks-ae9a62a
                kubeletVersion: v1.29.3-eks-ae9a62a
                machineID: ec2a1b2c3d4e5f60718293a4b5c6d7e8
                operatingSystem: linux
                osImage: Amazon Linux 2023.4.20240416
                systemUUID: ec2a1b2c-3d4e-5f60-7182-93a4b5c6d7e8
            """;

    private static String readyNode(String conditionsYaml) {
        return """
                apiVersion: v1
                kind: Node
                metadata:
                  name: worker-1
                status:
                  conditions:
                """ + conditionsYaml.indent(4);
    }

    @Test
    void decodesSpecAndStatusOfAKubectlNode() {
        Node node = decodeClean(NOT_READY_CORDONED, NodeDecoder::decode);

        assertThat(node.kind()).isEqualTo("Node");
        assertThat(node.apiVersion()).isEqualTo("v1");
        assertThat(node.metadata().name()).isEqualTo("worker-2");
        assertThat(node.metadata().labels()).containsEntry("topology.kubernetes.io/zone", "eu-west-1b");
        assertThat(node.spec().providerID()).isEqualTo("aws:///eu-west-1b/i-0abc123def4567890");
        assertThat(node.spec().podCIDR()).isEqualTo("10.244.2.0/24");
        assertThat(node.status().capacity().get("cpu")).isEqualTo(Quantity.parse("4"));
        assertThat(node.status().allocatable().get("memory")).isEqualTo(Quantity.parse("15214284Ki"));
        assertThat(node.status().allocatable().keySet()).containsExactly("cpu", "ephemeral-storage", "memory", "pods");
        assertThat(node.status().nodeInfo()).isEqualTo(new Node.NodeInfo("v1.29.3-eks-ae9a62a", "containerd://1.7.13",
                "Amazon Linux 2023.4.20240416", "6.1.79-99.167.amzn2023.x86_64", "amd64", "linux"));
        assertThat(node.status().addresses()).containsExactly(
                new Node.Address("InternalIP", "10.0.12.34"), new Node.Address("Hostname", "worker-2"));
        assertThat(node.address("Hostname")).contains("worker-2");
        assertThat(node.ref().toString()).isEqualTo("Node worker-2");
    }

    @Test
    void decodesTaintsWithValueEffectAndTimeAdded() {
        Node node = decodeClean(NOT_READY_CORDONED, NodeDecoder::decode);

        assertThat(node.spec().taints()).containsExactly(
                new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule", Optional.of(Instant.parse("2024-05-02T10:00:00Z"))),
                new Taint("node.kubernetes.io/unreachable", "", "NoExecute", Optional.of(Instant.parse("2024-05-02T10:05:00Z"))),
                new Taint("dedicated", "gpu", "NoSchedule", Optional.empty()));
        assertThat(node.spec().taints().get(2)).hasToString("dedicated=gpu:NoSchedule");
    }

    @Test
    void aTaintIsToleratedByAMatchingToleration() {
        Taint gpu = new Taint("dedicated", "gpu", "NoSchedule", Optional.empty());
        Toleration matching = new Toleration("dedicated", Toleration.Operator.EQUAL, "gpu", "NoSchedule", OptionalLong.empty());
        Toleration other = new Toleration("dedicated", Toleration.Operator.EQUAL, "db", "NoSchedule", OptionalLong.empty());

        assertThat(gpu.isToleratedBy(List.of(other, matching))).isTrue();
        assertThat(gpu.isToleratedBy(List.of(other))).isFalse();
        assertThat(gpu.blocksScheduling()).isTrue();
    }

    @Test
    void aCordonedNodeIsCordoned() {
        Node node = decodeClean(NOT_READY_CORDONED, NodeDecoder::decode);

        assertThat(node.isCordoned()).isTrue();
    }

    @Test
    void readyIsEmptyWhenTheReadyConditionIsUnknown() {
        Node node = decodeClean(NOT_READY_CORDONED, NodeDecoder::decode);

        assertThat(node.ready()).isEmpty();
        assertThat(node.condition("Ready").map(Condition::reason)).contains("NodeStatusUnknown");
    }

    @Test
    void readyIsTrueOrFalseFromTheReadyCondition() {
        Node ready = decodeClean(readyNode("- {type: Ready, status: \"True\", reason: KubeletReady}"), NodeDecoder::decode);
        Node notReady = decodeClean(readyNode("- {type: Ready, status: \"False\", reason: KubeletNotReady}"), NodeDecoder::decode);

        assertThat(ready.ready()).contains(true);
        assertThat(notReady.ready()).contains(false);
        assertThat(ready.isCordoned()).isFalse();
    }

    @Test
    void readyIsEmptyWithoutAReadyCondition() {
        Node node = decodeClean(readyNode("- {type: DiskPressure, status: \"False\"}"), NodeDecoder::decode);

        assertThat(node.ready()).isEmpty();
    }

    @Test
    void unknownPressureIsNoPressure() {
        Node node = decodeClean(NOT_READY_CORDONED, NodeDecoder::decode);

        assertThat(node.hasPressure()).isFalse();
    }

    @Test
    void anyPressureConditionTrueIsPressure() {
        Node node = decodeClean(readyNode("""
                - {type: MemoryPressure, status: "False"}
                - {type: PIDPressure, status: "True", reason: KubeletHasInsufficientPID}
                - {type: Ready, status: "True"}
                """), NodeDecoder::decode);

        assertThat(node.hasPressure()).isTrue();
    }

    @Test
    void redactedAddressesAreDropped() {
        var decoded = decode("""
                apiVersion: v1
                kind: Node
                metadata:
                  name: worker-3
                status:
                  addresses:
                  - address: '***HIDDEN***'
                    type: InternalIP
                  - address: worker-3
                    type: Hostname
                """, NodeDecoder::decode);

        assertThat(decoded.problems()).isEmpty();
        assertThat(decoded.value().status().addresses()).containsExactly(new Node.Address("Hostname", "worker-3"));
    }

    @Test
    void aNodeWithoutSpecOrStatusDecodesToEmptyParts() {
        Node node = decodeClean("""
                apiVersion: v1
                kind: Node
                metadata:
                  name: bare
                """, NodeDecoder::decode);

        assertThat(node.spec().taints()).isEmpty();
        assertThat(node.spec().unschedulable()).isFalse();
        assertThat(node.status().capacity()).isEmpty();
        assertThat(node.status().nodeInfo()).isEqualTo(Node.NodeInfo.EMPTY);
        assertThat(node.ready()).isEmpty();
    }

    @Test
    void wrongTypesAreProblemsWithFieldPathAndLineAndTheRestStillDecodes() {
        var decoded = decode("""
                apiVersion: v1
                kind: Node
                metadata:
                  name: worker-4
                spec:
                  unschedulable: maybe
                  taints: none
                status:
                  capacity:
                    cpu: four
                    memory: 8Gi
                  conditions:
                  - {type: Ready, status: "True"}
                """, NodeDecoder::decode);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line())
                .containsExactlyInAnyOrder("spec.unschedulable@6", "spec.taints@7", "status.capacity.cpu@10");
        Node node = decoded.value();
        assertThat(node.status().capacity()).containsOnlyKeys("memory");
        assertThat(node.ready()).contains(true);
        assertThat(node.metadata().name()).isEqualTo("worker-4");
    }
}

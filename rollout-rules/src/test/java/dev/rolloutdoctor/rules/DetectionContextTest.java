package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.rules.capacity.NodeCapacity;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionContextTest {

    private static final String CLUSTER = """
            apiVersion: v1
            kind: Node
            metadata: {name: node-1, uid: n1}
            status:
              allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
              conditions: [{type: Ready, status: "True"}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, uid: p1}
            spec:
              nodeName: node-1
              containers: [{name: app, image: web:1, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
            status: {phase: Running}
            """;

    @Test
    void theNodeFitIsComputedOnceForEveryDetectorThatAsks() {
        Snapshot snapshot = SnapshotLoader.create().load("cluster.yaml",
                new ByteArrayInputStream(CLUSTER.getBytes(StandardCharsets.UTF_8)));
        DetectionContext context = new DetectionContext(snapshot, List.of());

        assertThat(context.nodeFit()).isSameAs(context.nodeFit());
        assertThat(context.nodeFit().nodes()).singleElement().satisfies(node -> {
            assertThat(node.name()).isEqualTo("node-1");
            assertThat(node.requested("cpu").toString()).isEqualTo("500m");
            assertThat(node.free("cpu").toString()).isEqualTo("1500m");
        });
        assertThat(context.nodeFit().nodes()).extracting(NodeCapacity::name)
                .isEqualTo(dev.rolloutdoctor.rules.capacity.NodeFit.of(snapshot).nodes().stream().map(NodeCapacity::name).toList());
    }
}

package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PodRequestsTest {

    static Pod pod(String spec) {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: shop}
                spec:
                %s""".formatted(spec.indent(2));
        return SnapshotLoader.create().withParallelism(1)
                .load("pod.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .objects(Pod.class).get(0);
    }

    static Quantity q(String text) {
        return Quantity.parse(text);
    }

    @Test
    void appContainersAreSummed() {
        Pod p = pod("""
                containers:
                - {name: app, image: web, resources: {requests: {cpu: 1500m, memory: 1Gi}}}
                - {name: proxy, image: envoy, resources: {requests: {cpu: 500m, memory: 256Mi}}}
                """);

        assertThat(PodRequests.of(p.spec())).containsEntry("cpu", q("2")).containsEntry("memory", q("1280Mi"));
    }

    @Test
    void theLargestInitContainerWinsWhenItNeedsMoreThanTheAppContainers() {
        Pod p = pod("""
                initContainers:
                - {name: migrate, image: tool, resources: {requests: {cpu: "3", memory: 64Mi}}}
                - {name: warm, image: tool, resources: {requests: {cpu: "1", memory: 2Gi}}}
                containers:
                - {name: app, image: web, resources: {requests: {cpu: "2", memory: 1Gi}}}
                """);

        assertThat(PodRequests.of(p.spec())).containsEntry("cpu", q("3")).containsEntry("memory", q("2Gi"));
    }

    @Test
    void aNativeSidecarIsAddedToTheContainersAndToEveryInitContainerAfterIt() {
        // sidecar 1 CPU runs beside the app (2) => 3; the init container after it needs 2.5 + 1 = 3.5 => 3.5 wins
        Pod p = pod("""
                initContainers:
                - {name: mesh, image: envoy, restartPolicy: Always, resources: {requests: {cpu: "1"}}}
                - {name: migrate, image: tool, resources: {requests: {cpu: 2500m}}}
                containers:
                - {name: app, image: web, resources: {requests: {cpu: "2"}}}
                """);

        assertThat(PodRequests.of(p.spec(), "cpu")).isEqualTo(q("3500m"));
    }

    @Test
    void anInitContainerBeforeTheSidecarDoesNotCountIt() {
        Pod p = pod("""
                initContainers:
                - {name: migrate, image: tool, resources: {requests: {cpu: 2500m}}}
                - {name: mesh, image: envoy, restartPolicy: Always, resources: {requests: {cpu: "1"}}}
                containers:
                - {name: app, image: web, resources: {requests: {cpu: "2"}}}
                """);

        assertThat(PodRequests.of(p.spec(), "cpu")).isEqualTo(q("3"));
    }

    @Test
    void theRuntimeClassOverheadIsAdded() {
        Pod p = pod("""
                overhead: {cpu: 250m, memory: 120Mi}
                containers:
                - {name: app, image: web, resources: {requests: {cpu: "1", memory: 1Gi}}}
                """);

        assertThat(PodRequests.of(p.spec())).containsEntry("cpu", q("1250m")).containsEntry("memory", q("1144Mi"));
    }

    @Test
    void aLimitWithoutARequestCountsAsTheRequest() {
        Pod p = pod("""
                containers:
                - {name: app, image: web, resources: {limits: {cpu: "2", nvidia.com/gpu: "1"}, requests: {memory: 1Gi}}}
                """);

        assertThat(PodRequests.of(p.spec())).containsEntry("cpu", q("2")).containsEntry("nvidia.com/gpu", q("1"))
                .containsEntry("memory", q("1Gi"));
    }

    @Test
    void podLevelRequestsReplaceTheContainersForCpuAndMemoryOnly() {
        Pod p = pod("""
                resources: {requests: {cpu: "4"}}
                containers:
                - {name: app, image: web, resources: {requests: {cpu: "1", memory: 1Gi, ephemeral-storage: 2Gi}}}
                """);

        assertThat(PodRequests.of(p.spec())).containsEntry("cpu", q("4")).containsEntry("memory", q("1Gi"))
                .containsEntry("ephemeral-storage", q("2Gi"));
    }

    @Test
    void aPodWithoutRequestsRequestsNothing() {
        Pod p = pod("""
                containers:
                - {name: app, image: web}
                """);

        assertThat(PodRequests.of(p.spec())).isEmpty();
        assertThat(PodRequests.of(p.spec(), "cpu")).isEqualTo(Quantity.ZERO);
    }

    @Test
    void amountsReadAsPeopleWriteThem() {
        assertThat(ResourceAmounts.describe("cpu", q("2"))).isEqualTo("2 CPU");
        assertThat(ResourceAmounts.describe("cpu", q("1500m"))).isEqualTo("1.5 CPU");
        assertThat(ResourceAmounts.describe("cpu", q("250m"))).isEqualTo("250m CPU");
        assertThat(ResourceAmounts.describe("memory", q("4Gi"))).isEqualTo("4Gi memory");
        assertThat(ResourceAmounts.describe("memory", q("1536Mi"))).isEqualTo("1536Mi memory");
        assertThat(ResourceAmounts.describe("memory", q("5M"))).isEqualTo("5M memory");
        assertThat(ResourceAmounts.describe("nvidia.com/gpu", q("5"))).isEqualTo("5 nvidia.com/gpu");
        assertThat(ResourceAmounts.argument("cpu", q("1.5"))).isEqualTo("1500m");
        assertThat(ResourceAmounts.argument("memory", q("1.5Gi"))).isEqualTo("1536Mi");
    }
}

package dev.rolloutdoctor.snapshot;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the loader reads from each input form, and how it reports what it cannot read. */
class SnapshotLoaderTest {

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              uid: d-1
              resourceVersion: "100"
              generation: 2
            spec:
              replicas: 3
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: app
                    image: shop/web:1.2
            status:
              observedGeneration: 2
              replicas: 3
              updatedReplicas: 1
            """;

    static Snapshot load(String name, String text) {
        return SnapshotLoader.create().load(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void singleYamlObject() {
        Snapshot s = load("web.yaml", DEPLOYMENT);

        assertThat(s.problems()).isEmpty();
        Deployment web = s.get(Deployment.class, "Deployment", "shop", "web").orElseThrow();
        assertThat(web.spec().replicas()).hasValue(3);
        assertThat(web.status().updatedReplicas()).isEqualTo(1);
        assertThat(web.source().path()).isEqualTo("web.yaml");
        assertThat(web.source().line()).isEqualTo(1);
    }

    @Test
    void kindListWithItemsThatCarryTheirKind() {
        Snapshot s = load("all.yaml", """
                apiVersion: v1
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: a, namespace: shop}
                - apiVersion: apps/v1
                  kind: ReplicaSet
                  metadata: {name: b, namespace: shop}
                kind: List
                metadata:
                  resourceVersion: ""
                """);

        assertThat(s.objectCounts()).containsEntry("Pod", 1).containsEntry("ReplicaSet", 1);
        assertThat(s.objects(Pod.class).get(0).source().line()).isEqualTo(3);
    }

    @Test
    void typedListWhoseItemsOmitTheKindEvenWhenTheListKindComesLast() {
        Snapshot s = load("pods.yaml", """
                apiVersion: v1
                items:
                - metadata: {name: a, namespace: shop}
                  spec: {containers: [{name: app, image: x}]}
                kind: PodList
                """);

        assertThat(s.problems()).isEmpty();
        assertThat(s.objects(Pod.class)).extracting(p -> p.metadata().name()).containsExactly("a");
    }

    @Test
    void bareJsonArrayTakesItsKindFromTheFileName() {
        Snapshot s = load("Deployments.json", """
                [{"metadata": {"name": "web", "namespace": "shop"}, "spec": {"replicas": 1}}]
                """);

        assertThat(s.objects(Deployment.class)).hasSize(1);
    }

    @Test
    void multiDocumentYamlKeepsGoingAfterABrokenDocument() {
        Snapshot s = load("docs.yaml", """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: first, namespace: shop}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: broken, namespace: shop
                ---
                # only a comment
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: third, namespace: shop}
                """);

        assertThat(s.objects(Pod.class)).extracting(p -> p.metadata().name()).containsExactly("first", "third");
        assertThat(s.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("docs.yaml");
            assertThat(p.line()).isBetween(8, 10);
            assertThat(p.message()).startsWith("invalid YAML");
        });
    }

    @Test
    void aFieldOfTheWrongTypeIsAProblemWithItsPathAndTheRestStillLoads() {
        Snapshot s = load("web.yaml", DEPLOYMENT.replace("  replicas: 3\n  selector", "  replicas: three\n  selector"));

        assertThat(s.objects(Deployment.class)).hasSize(1);
        assertThat(s.objects(Deployment.class).get(0).spec().replicas()).isEmpty();
        assertThat(s.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("web.yaml:10:13");
            assertThat(p.fieldPath()).isEqualTo("spec.replicas");
            assertThat(p.message()).isEqualTo("Deployment shop/web: expected an integer, found the string \"three\"");
        });
    }

    @Test
    void truncatedJsonKeepsTheItemsReadBeforeTheBreak() {
        Snapshot s = load("pods.json", """
                {"kind": "PodList", "apiVersion": "v1", "items": [
                  {"metadata": {"name": "a", "namespace": "shop"}},
                  {"metadata": {"name": "b", "namespace": "shop"}},
                  {"metadata": {"name": "c", "nam""");

        assertThat(s.objects(Pod.class)).extracting(p -> p.metadata().name()).containsExactly("a", "b");
        assertThat(s.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("invalid JSON").contains("the 2 objects before this point were read");
        });
    }

    @Test
    void yaml11TrapsKeepTheTextAsWritten() {
        Snapshot s = load("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: a
                  namespace: shop
                  labels:
                    version: 1.10
                    enabled: yes
                    mode: 0644
                """);

        assertThat(s.objects(Pod.class).get(0).metadata().labels())
                .containsEntry("version", "1.10").containsEntry("enabled", "yes").containsEntry("mode", "0644");
    }

    @Test
    void bothEventApisLoadIntoOneEventRecord() {
        Snapshot s = load("events.yaml", """
                apiVersion: v1
                kind: Event
                metadata: {name: web-1.a, namespace: shop}
                involvedObject: {kind: Pod, name: web-1, namespace: shop}
                reason: BackOff
                message: Back-off pulling image "shop/web:1.3"
                type: Warning
                count: 7
                firstTimestamp: "2024-05-01T10:00:00Z"
                lastTimestamp: "2024-05-01T10:05:00Z"
                ---
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: web-1.b, namespace: shop}
                regarding: {kind: Pod, name: web-1, namespace: shop}
                reason: FailedScheduling
                note: "0/3 nodes are available: 3 Insufficient cpu."
                type: Warning
                eventTime: "2024-05-01T10:06:00.123456Z"
                reportingController: default-scheduler
                series: {count: 4, lastObservedTime: "2024-05-01T10:08:00.000000Z"}
                """);

        assertThat(s.objects(Event.class)).hasSize(2);
        assertThat(s.eventsFor(dev.rolloutdoctor.model.ObjectRef.of("Pod", "shop", "web-1")))
                .extracting(Event::reason).containsExactly("BackOff", "FailedScheduling");
        assertThat(s.capturedAt()).hasValue(Instant.parse("2024-05-01T10:08:00Z"));
        assertThat(s.captureTime().origin()).isEqualTo(CaptureTime.Origin.NEWEST_TIMESTAMP);
    }

    @Test
    void theSameObjectInTwoFilesAppearsOnceAndTheHighestResourceVersionWins(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), DEPLOYMENT.replace("resourceVersion: \"100\"", "resourceVersion: \"99\""));
        Files.writeString(dir.resolve("b.yaml"), DEPLOYMENT.replace("updatedReplicas: 1", "updatedReplicas: 3"));
        Files.writeString(dir.resolve("c.yaml"), DEPLOYMENT.replace("resourceVersion: \"100\"", "resourceVersion: \"20\""));

        Snapshot s = SnapshotLoader.create().load(dir);

        assertThat(s.objects(Deployment.class)).singleElement()
                .satisfies(d -> assertThat(d.status().updatedReplicas()).isEqualTo(3));
    }

    @Test
    void theResultDoesNotDependOnFileOrder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("z.yaml"), DEPLOYMENT);
        Files.writeString(dir.resolve("a.yaml"), DEPLOYMENT);

        Snapshot one = SnapshotLoader.create().load(dir.resolve("z.yaml"), dir.resolve("a.yaml"));
        Snapshot two = SnapshotLoader.create().load(dir.resolve("a.yaml"), dir.resolve("z.yaml"));

        assertThat(one.objects()).isEqualTo(two.objects());
        assertThat(one.objects(Deployment.class).get(0).source().path()).endsWith("a.yaml");
    }

    @Test
    void clusterInfoDumpStdoutSplitsJsonDocumentsAndContainerLogs() {
        Snapshot s = load("dump.txt", """
                {
                    "kind": "PodList",
                    "apiVersion": "v1",
                    "items": [{"metadata": {"name": "web-1", "namespace": "shop"}}]
                }
                {
                    "kind": "EventList",
                    "apiVersion": "v1",
                    "items": []
                }
                ==== START logs for container app of pod shop/web-1 ====
                starting
                panic: config file /etc/web/config.yaml not found
                ==== END logs for container app of pod shop/web-1 ====
                """);

        assertThat(s.problems()).isEmpty();
        assertThat(s.objects(Pod.class)).hasSize(1);
        assertThat(s.collectedKinds()).contains("Event", "Pod");
        assertThat(s.logs()).singleElement().satisfies(log -> {
            assertThat(log.pod()).isEqualTo("web-1");
            assertThat(log.container()).isEqualTo("app");
            assertThat(log.lines()).containsExactly("starting", "panic: config file /etc/web/config.yaml not found");
            assertThat(log.firstLine()).isEqualTo(12);
        });
    }

    @Test
    void supportBundleDirectoryWithLogsErrorsAndAFolderTimestamp(@TempDir Path dir) throws IOException {
        Path bundle = dir.resolve("support-bundle-2024-05-01T10_10_00");
        Path resources = bundle.resolve("cluster-resources");
        Files.createDirectories(resources.resolve("deployments"));
        Files.createDirectories(resources.resolve("pods/logs/shop/web-1"));
        Files.writeString(bundle.resolve("version.yaml"), "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: 0.90.0\n");
        Files.writeString(resources.resolve("deployments/shop.json"), """
                {"kind": "DeploymentList", "apiVersion": "apps/v1", "items": [
                 {"metadata": {"name": "web", "namespace": "shop", "creationTimestamp": "2024-05-01T10:05:00Z"}}]}""");
        Files.writeString(resources.resolve("pods/logs/shop/web-1/app-previous.log"), "line 1\nline 2\n");
        Files.writeString(resources.resolve("events-errors.json"), "[\"events is forbidden: User \\\"x\\\" cannot list resource \\\"events\\\"\"]");

        Snapshot s = SnapshotLoader.create().load(dir);

        assertThat(s.layouts()).containsExactly(Layout.SUPPORT_BUNDLE);
        assertThat(s.objects(Deployment.class)).hasSize(1);
        assertThat(s.logs()).singleElement().satisfies(log -> {
            assertThat(log.container()).isEqualTo("app");
            assertThat(log.previous()).isTrue();
        });
        assertThat(s.gaps()).filteredOn(g -> g.kind().equals("Event")).singleElement()
                .satisfies(g -> assertThat(g.reason()).contains("forbidden"));
        assertThat(s.capturedAt()).hasValue(Instant.parse("2024-05-01T10:10:00Z"));
        assertThat(s.captureTime().origin()).isEqualTo(CaptureTime.Origin.BUNDLE);
    }

    @Test
    void aBundleFolderTimeThatDisagreesWithTheDataIsNotTrusted(@TempDir Path dir) throws IOException {
        // a collector in UTC-5 names its folder five hours "before" the events it collected
        Path deployments = dir.resolve("support-bundle-2024-05-01T05_10_00/cluster-resources/deployments");
        Files.createDirectories(deployments);
        Files.writeString(deployments.resolve("shop.json"), """
                {"kind": "DeploymentList", "items": [
                 {"metadata": {"name": "web", "namespace": "shop", "creationTimestamp": "2024-05-01T10:05:00Z"}}]}""");

        Snapshot s = SnapshotLoader.create().load(dir);

        assertThat(s.capturedAt()).hasValue(Instant.parse("2024-05-01T10:05:00Z"));
        assertThat(s.captureTime().detail()).contains("disagrees with the data");
    }

    @Test
    void mustGatherLayoutGivesNamespaceAndKindFromThePath(@TempDir Path dir) throws IOException {
        Path core = dir.resolve("must-gather.local.123/quay-io-image/namespaces/shop/core");
        Files.createDirectories(core);
        Files.writeString(core.resolve("pods.yaml"), """
                ---
                apiVersion: v1
                items:
                - metadata: {name: web-1}
                kind: PodList
                """);
        Path log = dir.resolve("must-gather.local.123/quay-io-image/namespaces/shop/pods/web-1/app/app/logs");
        Files.createDirectories(log);
        Files.writeString(log.resolve("previous.log"), "boom\n");

        Snapshot s = SnapshotLoader.create().load(dir);

        assertThat(s.layouts()).containsExactly(Layout.MUST_GATHER);
        assertThat(s.objects(Pod.class)).singleElement()
                .satisfies(p -> assertThat(p.metadata().namespace()).isEqualTo("shop"));
        assertThat(s.logOf("shop", "web-1", "app", true)).isPresent();
    }

    @Test
    void tablesApiErrorsAndDescribeOutputAreSkippedWithAReason() {
        Snapshot table = load("pods.json", "{\"kind\": \"Table\", \"apiVersion\": \"meta.k8s.io/v1\", \"rows\": []}");
        Snapshot status = load("err.json", """
                {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden",
                 "message": "pods is forbidden: User \\"x\\" cannot list resource \\"pods\\""}""");
        Snapshot describe = load("describe.txt", "Name:         web-1\nNamespace:    shop\nStatus:       Pending\n");

        assertThat(table.skipped()).singleElement().satisfies(x -> assertThat(x.reason()).contains("table output"));
        assertThat(status.skipped()).singleElement().satisfies(x -> assertThat(x.reason()).contains("Forbidden").contains("cannot list"));
        assertThat(describe.skipped()).singleElement().satisfies(x -> assertThat(x.reason()).contains("kubectl describe"));
        assertThat(table.problems()).isEmpty();
        assertThat(status.problems()).isEmpty();
        assertThat(describe.problems()).isEmpty();
    }

    @Test
    void objectsWithoutStatusAreReportedAsADataGap() {
        Snapshot s = load("neat.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec: {replicas: 2}
                """);

        assertThat(s.gaps()).singleElement().satisfies(g -> {
            assertThat(g.kind()).isEqualTo("Deployment");
            assertThat(g.reason()).contains("without any status").contains("kubectl-neat");
        });
    }

    @Test
    void redactedValuesAreUnknownNotReal() {
        Snapshot s = load("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: shop}
                status:
                  podIP: "***HIDDEN***"
                  hostIP: "***HIDDEN***"
                """);

        Pod pod = s.objects(Pod.class).get(0);
        assertThat(pod.status().podIP()).isEmpty();
        assertThat(s.redactedFields()).extracting(RedactedField::fieldPath)
                .containsExactlyInAnyOrder("status.podIP", "status.hostIP");
    }

    @Test
    void strictModeThrowsWithEveryProblem() {
        SnapshotLoader strict = SnapshotLoader.create().strict(true);

        assertThatThrownBy(() -> strict.load("web.yaml",
                new ByteArrayInputStream(DEPLOYMENT.replace("  replicas: 3\n  selector", "  replicas: three\n  selector").getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(LoadException.class)
                .hasMessageContaining("web.yaml:10:13: spec.replicas");
    }

    @Test
    void theCaptureTimeCanBeFixedByTheCaller() {
        Snapshot s = SnapshotLoader.create().withCapturedAt(Instant.parse("2030-01-01T00:00:00Z"))
                .load("web.yaml", new ByteArrayInputStream(DEPLOYMENT.getBytes(StandardCharsets.UTF_8)));

        assertThat(s.capturedAt()).hasValue(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(s.captureTime().origin()).isEqualTo(CaptureTime.Origin.OVERRIDE);
        assertThat(s.withCapturedAt(Instant.EPOCH).capturedAt()).hasValue(Instant.EPOCH);
    }

    @Test
    void ownersAreFoundByUidAndPodsOfADeploymentThroughItsReplicaSets() {
        Snapshot s = load("all.yaml", DEPLOYMENT + """
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-5d8f7c9b6
                  namespace: shop
                  uid: rs-1
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: Deployment, name: web, uid: d-1, controller: true}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-5d8f7c9b6-x2x4
                  namespace: shop
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c9b6, uid: rs-1, controller: true}
                """);

        Deployment web = s.objects(Deployment.class).get(0);
        assertThat(s.controlledBy(web, ReplicaSet.class)).extracting(rs -> rs.metadata().name()).containsExactly("web-5d8f7c9b6");
        assertThat(s.podsOf(web)).extracting(p -> p.metadata().name()).containsExactly("web-5d8f7c9b6-x2x4");
    }

    @Test
    void aMissingPathIsAProblemNotAnException() {
        Snapshot s = SnapshotLoader.create().load(Path.of("/nonexistent/bundle.tar.gz"));

        assertThat(s.problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("no such file or directory"));
    }

    @Test
    void itemsOfATypedListTakeTheListsApiVersion() {
        Snapshot s = load("deployments.json", """
                {"kind": "DeploymentList", "apiVersion": "apps/v1", "items": [{"metadata": {"name": "web", "namespace": "shop"}}]}""");

        assertThat(s.objects(Deployment.class).get(0).apiVersion()).isEqualTo("apps/v1");
    }

    @Test
    void aClusterInfoDumpPodLogFileIsSplitPerContainer(@TempDir Path dir) throws IOException {
        Path pod = Files.createDirectories(dir.resolve("shop/web-1"));
        Files.writeString(dir.resolve("shop/pods.json"), "{\"kind\": \"PodList\", \"apiVersion\": \"v1\", \"items\": "
                + "[{\"metadata\": {\"name\": \"web-1\", \"namespace\": \"shop\"}}]}");
        Files.writeString(pod.resolve("logs.txt"), """
                ==== START logs for container init of pod shop/web-1 ====
                migrations done
                ==== END logs for container init of pod shop/web-1 ====
                ==== START logs for container app of pod shop/web-1 ====
                listening on :8080
                ==== END logs for container app of pod shop/web-1 ====
                """);

        Snapshot s = SnapshotLoader.create().load(dir);

        assertThat(s.logs()).extracting(PodLog::container).containsExactly("app", "init");
        assertThat(s.logOf("shop", "web-1", "app", false)).hasValueSatisfying(
                log -> assertThat(log.lines()).containsExactly("listening on :8080"));
    }
}

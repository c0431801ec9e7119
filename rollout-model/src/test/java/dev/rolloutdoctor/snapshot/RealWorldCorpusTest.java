package dev.rolloutdoctor.snapshot;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loads every file and archive of the shared real-world corpus and conformance data (../shared, see its
 * PROVENANCE.md) and pins what comes out: objects per kind, and no problem for well-formed input. The expected counts
 * were checked independently with a separate script (Python json/yaml), not only with this loader.
 */
class RealWorldCorpusTest {

    static final Path SHARED = Path.of("..", "..", "shared").toAbsolutePath().normalize();

    /** Inputs that are malformed on purpose upstream, and a fragment of the problem each must produce. */
    static final Map<String, String> MALFORMED = Map.of(
            // API round-trip fixture with placeholder values everywhere: "operatorValue" is no selector operator
            "realworld/kubernetes__api/testdata/HEAD/apps.v1.Deployment.yaml", "expected one of In, NotIn, Exists, DoesNotExist",
            // upstream-edited timestamp "2025-08-2312:13:39Z"
            "realworld/robusta-dev__holmesgpt/tests/llm/fixtures/test_ask_holmes/158_slack_chat_correct_date/kubectl_get_yamlpod_frontend-service_default.txt",
            "expected an RFC 3339 timestamp",
            // the upstream file really has two updateStrategy keys
            "conformance/gitops-engine/statefulset-ondelete.yaml", "duplicate key \"updateStrategy\"");

    static final Map<String, SortedMap<String, Integer>> EXPECTED = Map.ofEntries(
                Map.entry("realworld/DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/deployments/deployment_failed.json", counts("Deployment", 1)),
                Map.entry("realworld/DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/deployments/deployment_pending_scheduling.json", counts("Deployment", 1)),
                Map.entry("realworld/DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/events/failed_to_create_pod_exceeded_quota_event.json", counts("Event", 1)),
                Map.entry("realworld/DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/pods/pod_pending_restarting_waiting.json", counts("Pod", 1)),
                Map.entry("realworld/DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/pods/pod_pending_scheduling.json", counts("Pod", 1)),
                Map.entry("realworld/DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/quotas/resourcequota.json", counts("ResourceQuota", 1)),
                Map.entry("realworld/RedHatQE__must-gather-explorer/must_gather_explorer/tests/manifests/must-gather-data/data/namespaces/kube-system/core/pods.yaml", counts("Pod", 7)),
                Map.entry("realworld/Shopify__krane/test/fixtures/for_unit_tests/deployment_test.yml", counts("Deployment", 1, "ReplicaSet", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/deployment-degraded.yaml", counts("Deployment", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/deployment-progressing.yaml", counts("Deployment", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/deployment-suspended.yaml", counts("Deployment", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/pod-crashloop.yaml", counts("Pod", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/pod-deletion.yaml", counts("Pod", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/pod-imagepullbackoff.yaml", counts("Pod", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/pod-running-not-ready.yaml", counts("Pod", 1)),
                Map.entry("realworld/argoproj__gitops-engine/pkg/health/testdata/pvc-pending.yaml", counts("PersistentVolumeClaim", 1)),
                Map.entry("realworld/derailed__popeye/internal/lint/testdata/core/pod/2.yaml", counts("Pod", 5)),
                Map.entry("realworld/itaysk__kubectl-neat/test/fixtures/list1-raw.json", counts("Pod", 2)),
                Map.entry("realworld/itaysk__kubectl-neat/test/fixtures/list1-raw.yaml", counts("Pod", 2)),
                Map.entry("realworld/kubernetes__api/testdata/HEAD/apps.v1.Deployment.yaml", counts("Deployment", 1)),
                Map.entry("realworld/kubernetes__api/testdata/HEAD/core.v1.Event.yaml", counts("Event", 1)),
                Map.entry("realworld/kubernetes__api/testdata/HEAD/events.k8s.io.v1.Event.json", counts("Event", 1)),
                Map.entry("realworld/kubernetes__api/testdata/HEAD/events.k8s.io.v1.Event.yaml", counts("Event", 1)),
                Map.entry("realworld/newrelic__nri-kubernetes/internal/testutil/data/1_34/kubelet/pods", counts("Pod", 24)),
                Map.entry("realworld/newrelic__nri-kubernetes/internal/testutil/data/1_34/pods.yaml", counts("Pod", 25)),
                Map.entry("realworld/openshift__insights-operator/docs/insights-archive-sample/config/pod/di-288312/vsystem-867f4b77cc-pqcns.json", counts("Pod", 1)),
                Map.entry("realworld/openshift__insights-operator/docs/insights-archive-sample/config/pod/openshift-ingress/router-default-7bbdcfcf9b-7xdln.json", counts("Pod", 1)),
                Map.entry("realworld/openshift__must-gather-clean/pkg/cli/testfiles/release-4.8/namespaces/kube-system/core/events.yaml", counts("Event", 11)),
                Map.entry("realworld/openshift__must-gather-clean/pkg/cli/testfiles/release-4.8/namespaces/openshift-etcd/pods/installer-2-ip-10-0-187-218.ec2.internal/installer-2-ip-10-0-187-218.ec2.internal.yaml", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__sbctl/tests/support-bundle/cluster-resources/deployments/longhorn-system.json", counts("Deployment", 6)),
                Map.entry("realworld/replicatedhq__sbctl/tests/support-bundle/cluster-resources/deployments/velero.json", counts("Deployment", 1)),
                Map.entry("realworld/replicatedhq__sbctl/tests/support-bundle/cluster-resources/events/velero.json", counts("Event", 67)),
                Map.entry("realworld/replicatedhq__sbctl/tests/support-bundle/cluster-resources/pods/velero.json", counts("Pod", 5)),
                Map.entry("realworld/replicatedhq__sbctl/tests/support-bundle/cluster-resources/replicasets/velero.json", counts("ReplicaSet", 2)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/deployments/default.json", counts("Deployment", 4)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/events/message-container-creating-failed-mount.json", counts("Event", 76)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/events/message-image-pull-fail.json", counts("Event", 17)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/events/message-pod-init-crashloop-backoff.json", counts("Event", 17)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/jobs/test.json", counts("Job", 2)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/nodes.json", counts("Node", 7)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/default-unhealthy.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/message-container-creating-failed-mount.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/message-image-pull-fail.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/message-oomkill-pod.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/message-pending-node-affinity.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/message-pending-pod-resources.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/message-pod-crashloop-backoff.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/pkg/analyze/files/pods/message-pod-init-crashloop-backoff.json", counts("Pod", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/test/baselines/supportbundle/baseline.tar.gz", counts("Addon", 13, "ClusterRole", 72, "ClusterRoleBinding", 57, "ConfigMap", 11, "CustomResourceDefinition", 23, "DaemonSet", 1, "Deployment", 4, "EndpointSlice", 4, "Endpoints", 4, "Event", 107, "HelmChart", 2, "IngressRoute", 1, "Job", 2, "Lease", 2, "Namespace", 4, "Node", 1, "Pod", 9, "PriorityClass", 2, "ReplicaSet", 4, "Role", 7, "RoleBinding", 9, "Service", 4, "ServiceAccount", 43, "StorageClass", 1)),
                Map.entry("realworld/replicatedhq__troubleshoot/testdata/supportbundle/support-bundle.tar.gz", counts("Addon", 12, "ClusterRole", 69, "ClusterRoleBinding", 54, "CustomResourceDefinition", 12, "Deployment", 5, "Event", 5, "HelmChart", 2, "IngressRoute", 1, "Job", 2, "Namespace", 4, "Node", 1, "PersistentVolume", 4, "PersistentVolumeClaim", 4, "Pod", 8, "ReplicaSet", 6, "Role", 7, "RoleBinding", 9, "Service", 4, "StorageClass", 1)),
                Map.entry("realworld/robusta-dev__holmesgpt/tests/llm/fixtures/test_ask_holmes/158_slack_chat_correct_date/kubectl_get_yamlpod_frontend-service_default.txt", counts("Pod", 1)),
                Map.entry("realworld/robusta-dev__holmesgpt/tests/llm/fixtures/test_investigate/10_KubeDeploymentReplicasMismatch/kubectl_get_yaml_deployment_user-profile-resources_default.txt", counts("Deployment", 1)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/_extracted/results-0.10.tar.gz/resources/ns/kube-system/Deployments.json", counts("Deployment", 4)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/_extracted/results-0.10.tar.gz/resources/ns/kube-system/Events.json", counts("Event", 135)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/_extracted/results-4-e2e-failures.tar.gz/resources/ns/resourcequota-9871/core_v1_pods.json", counts("Pod", 1)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/_extracted/results-4-e2e-failures.tar.gz/resources/ns/resourcequota-9871/core_v1_resourcequotas.json", counts("ResourceQuota", 2)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/pkg/client/results/testdata/results-0.10.tar.gz", counts("ClusterRole", 44, "ClusterRoleBinding", 39, "ConfigMap", 7, "ControllerRevision", 1, "DaemonSet", 4, "Deployment", 4, "Endpoints", 7, "Event", 214, "Node", 3, "Pod", 19, "ReplicaSet", 4, "Role", 8, "RoleBinding", 7, "Secret", 2, "Service", 5, "ServiceAccount", 33, "StorageClass", 1)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/pkg/client/testdata/PrintPodStatus.json", counts("Pod", 3)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/pkg/discovery/testdata/healthsummary/resources/ns/kube-system/core_v1_pods.json", counts("Pod", 14)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/pkg/discovery/testdata/healthsummary/resources/ns/sonobuoy/core_v1_pods.json", counts("Pod", 5)),
                Map.entry("realworld/vmware-tanzu__sonobuoy/test/integration/testdata/results-4-e2e-failures.tar.gz", counts("APIService", 38, "ClusterRole", 67, "ClusterRoleBinding", 52, "ComponentStatus", 3, "ConfigMap", 31, "ControllerRevision", 3, "CustomResourceDefinition", 1, "DaemonSet", 3, "Deployment", 2, "Endpoints", 207, "Lease", 3, "Namespace", 20, "Node", 1, "Pod", 22, "PriorityClass", 2, "ReplicaSet", 2, "ReplicationController", 2, "ResourceQuota", 2, "Role", 11, "RoleBinding", 11, "Service", 206, "ServiceAccount", 56, "StorageClass", 1)),
                Map.entry("conformance/gitops-engine/daemonset-ondelete.yaml", counts("DaemonSet", 1)),
                Map.entry("conformance/gitops-engine/deployment-degraded.yaml", counts("Deployment", 1)),
                Map.entry("conformance/gitops-engine/deployment-progressing.yaml", counts("Deployment", 1)),
                Map.entry("conformance/gitops-engine/deployment-suspended.yaml", counts("Deployment", 1)),
                Map.entry("conformance/gitops-engine/nginx.yaml", counts("Deployment", 1)),
                Map.entry("conformance/gitops-engine/pod-crashloop.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-deletion.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-error.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-failed.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-imagepullbackoff.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-pending.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-running-not-ready.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-running-restart-always.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-running-restart-never-hook-with-ignore-annotation.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-running-restart-never-with-ignore-annotation-backoff.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-running-restart-never-with-ignore-annotation.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-running-restart-never.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-running-restart-onfailure.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pod-succeeded.yaml", counts("Pod", 1)),
                Map.entry("conformance/gitops-engine/pvc-bound.yaml", counts("PersistentVolumeClaim", 1)),
                Map.entry("conformance/gitops-engine/pvc-pending.yaml", counts("PersistentVolumeClaim", 1)),
                Map.entry("conformance/gitops-engine/statefulset-ondelete.yaml", counts("StatefulSet", 1)),
                Map.entry("conformance/gitops-engine/statefulset.yaml", counts("StatefulSet", 1)));

    @BeforeAll
    static void sharedCorpusIsHere() {
        assumeTrue(Files.isDirectory(SHARED.resolve("realworld")),
                "../shared/realworld is absent (it exists only in the team's workspace and CI): skipping the corpus tests");
    }

    static Stream<String> corpus() throws IOException {
        Path root = Path.of("..", "..", "shared").toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("realworld"))) {
            return Stream.of("(absent)");
        }
        try (Stream<Path> files = Stream.concat(Files.walk(root.resolve("realworld")), Files.walk(root.resolve("conformance")))) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.endsWith("PROVENANCE.md"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyInputLoadsWithTheExpectedObjectsAndNoProblemUnlessMalformed(String file) {
        assumeTrue(!file.equals("(absent)"), "../shared is absent");
        Snapshot snapshot = SnapshotLoader.create().load(SHARED.resolve(file));

        assertThat(snapshot.objectCounts()).as("objects per kind in %s", file)
                .isEqualTo(EXPECTED.getOrDefault(file, new TreeMap<>()));
        String malformed = MALFORMED.get(file);
        if (malformed == null) {
            assertThat(snapshot.problems()).as("problems in %s", file).isEmpty();
        } else {
            assertThat(snapshot.problems()).as("problems in %s", file)
                    .anySatisfy(p -> {
                        assertThat(p.source()).endsWith(Path.of(file).getFileName().toString());
                        assertThat(p.line()).isPositive();
                        assertThat(p.message()).contains(malformed);
                    });
        }
    }

    @Test
    void everyExpectationNamesAFileThatExists() {
        for (String file : EXPECTED.keySet()) {
            assertThat(SHARED.resolve(file)).exists();
        }
    }

    @Test
    void supportBundleLogsAttachToTheirPodsAndSymlinkedCopiesAreNotReadTwice() {
        Snapshot snapshot = SnapshotLoader.create()
                .load(SHARED.resolve("realworld/replicatedhq__troubleshoot/testdata/supportbundle/support-bundle.tar.gz"));

        assertThat(snapshot.layouts()).containsExactly(Layout.SUPPORT_BUNDLE);
        // 19 log files under cluster-resources/pods/logs; the 19 all-logs/ symlinks point at them
        assertThat(snapshot.logs()).hasSize(19);
        assertThat(snapshot.logs()).anySatisfy(log -> {
            assertThat(log.namespace()).isEqualTo("default");
            assertThat(log.pod()).isEqualTo("nginx-deployment-7986654d4-ztx2g");
            assertThat(log.container()).isEqualTo("hello");
            assertThat(log.previous()).isTrue();
        });
        assertThat(snapshot.skipped()).noneMatch(s -> s.source().contains("all-logs/"));
    }

    @Test
    void theSbctlVeleroFilesTogetherFormOneCoherentSnapshot() {
        Path dir = SHARED.resolve("realworld/replicatedhq__sbctl/tests/support-bundle");
        Snapshot snapshot = SnapshotLoader.create().load(dir);

        assertThat(snapshot.problems()).isEmpty();
        var velero = snapshot.get(dev.rolloutdoctor.model.Deployment.class, "Deployment", "velero", "velero").orElseThrow();
        var replicaSets = snapshot.controlledBy(velero, dev.rolloutdoctor.model.ReplicaSet.class);
        assertThat(replicaSets).extracting(rs -> rs.metadata().name())
                .containsExactlyInAnyOrder("velero-6796549f", "velero-6996dd565b");
        assertThat(snapshot.podsOf(velero)).isNotEmpty();
        // hostIP/podIP are "***HIDDEN***" in this bundle: read as unknown and listed as redacted
        assertThat(snapshot.redactedFields()).isNotEmpty();
        assertThat(snapshot.objects(dev.rolloutdoctor.model.Pod.class))
                .allSatisfy(p -> assertThat(p.status().podIP()).doesNotContain("HIDDEN"));
        assertThat(snapshot.capturedAt()).isPresent();
    }

    @Test
    void sonobuoyArchivesTakeKindsFromFileNamesAndAttachPodLogs() {
        Snapshot snapshot = SnapshotLoader.create()
                .load(SHARED.resolve("realworld/vmware-tanzu__sonobuoy/pkg/client/results/testdata/results-0.10.tar.gz"));

        assertThat(snapshot.layouts()).contains(Layout.SONOBUOY);
        assertThat(snapshot.problems()).isEmpty();
        assertThat(snapshot.logs()).isNotEmpty();
        assertThat(snapshot.logs()).allSatisfy(log -> assertThat(log.namespace()).isEqualTo("heptio-sonobuoy"));
        assertThat(Set.copyOf(snapshot.objectCounts().keySet())).contains("Pod", "Event", "Deployment", "Node");
    }

    static SortedMap<String, Integer> counts(Object... kindsAndCounts) {
        SortedMap<String, Integer> map = new TreeMap<>();
        for (int i = 0; i < kindsAndCounts.length; i += 2) {
            map.put((String) kindsAndCounts[i], (Integer) kindsAndCounts[i + 1]);
        }
        return map;
    }
}

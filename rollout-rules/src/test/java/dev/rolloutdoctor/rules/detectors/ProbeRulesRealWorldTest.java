package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.Failure;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The probe, image-tag and network-policy rules on real captures from public projects (skipped when absent). */
class ProbeRulesRealWorldTest {

    static final Path REALWORLD = Path.of("..", "..", "shared", "realworld").toAbsolutePath().normalize();

    private static Path real(String file) {
        assumeTrue(Files.isDirectory(REALWORLD), "the real-world corpus (../shared/realworld) is absent");
        return REALWORLD.resolve(file);
    }

    private static Diagnosis diagnose(Path input) {
        RuleEngine engine = RuleEngine.of(DetectorRegistry.of(List.of(new ReadinessProbeFailing(), new ProbeMisconfigured(),
                new MutableImageTag(), new NetworkPolicyIsolation())));
        Diagnosis d = engine.diagnose(SnapshotLoader.create().load(input));
        assertThat(d.detectorErrors()).isEmpty();
        return d;
    }

    private static List<Finding> findings(Diagnosis d, String ruleId) {
        return d.rollouts().stream().flatMap(r -> r.findings().stream()).map(RankedFinding::finding)
                .filter(f -> f.ruleId().equals(ruleId)).toList();
    }

    @Test
    void everyProbeEventOfTheSonobuoyCaptureIsRead() {
        Snapshot s = SnapshotLoader.create().load(real("vmware-tanzu__sonobuoy/_extracted/results-0.10.tar.gz/resources/ns/kube-system/Events.json"));

        List<ProbeFailureMessage> probes = s.events().stream().filter(e -> e.reason().equals("Unhealthy"))
                .map(Event::message).map(m -> ProbeFailureMessage.parse(m).orElseThrow(() -> new AssertionError(m))).toList();

        assertThat(probes).hasSize(9);
        assertThat(probes).filteredOn(m -> m.failure() == Failure.CONNECTION_REFUSED).hasSize(8)
                .allSatisfy(m -> assertThat(m.address()).isPresent());
        assertThat(probes).filteredOn(m -> m.failure() == Failure.HTTP_STATUS).singleElement()
                .satisfies(m -> assertThat(m.summary()).isEqualTo("HTTP 403 Forbidden"));
    }

    @Test
    void theSilentLivenessFailuresOfTheTroubleshootCaptureAreRead() {
        Snapshot s = SnapshotLoader.create().load(real("replicatedhq__troubleshoot/pkg/analyze/files/events/message-container-creating-failed-mount.json"));

        List<ProbeFailureMessage> probes = s.events().stream().filter(e -> e.reason().equals("Unhealthy"))
                .map(e -> ProbeFailureMessage.parse(e.message()).orElseThrow()).toList();

        assertThat(probes).isNotEmpty().allSatisfy(m -> {
            assertThat(m.probe()).isEqualTo(ProbeFailureMessage.ProbeType.LIVENESS);
            assertThat(m.failure()).isEqualTo(Failure.NO_OUTPUT);
        });
    }

    @Test
    void theNeverReadyPodOfGitopsEngineReadsAsAFailingReadinessProbeOnceItHasAnOwner() throws IOException {
        String pod = Files.readString(real("argoproj__gitops-engine/pkg/health/testdata/pod-running-not-ready.yaml"))
                .replace("  name: never-ready\n", """
                          name: never-ready
                          labels: {app: never-ready, pod-template-hash: 6d4b7f8c9}
                          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: never-ready-6d4b7f8c9, uid: rs-1, controller: true}]
                        """);
        String owners = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: never-ready, namespace: argocd, uid: d-1, generation: 1, annotations: {deployment.kubernetes.io/revision: "1"}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: never-ready}}
                  template:
                    metadata: {labels: {app: never-ready}}
                    spec:
                      containers:
                      - name: main
                        image: alpine:latest
                        command: [sh, -c, sleep 9999]
                        readinessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 10, periodSeconds: 10}
                status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: never-ready-6d4b7f8c9
                  namespace: argocd
                  uid: rs-1
                  annotations: {deployment.kubernetes.io/revision: "1"}
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: never-ready, uid: d-1, controller: true}]
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: never-ready, pod-template-hash: 6d4b7f8c9}}
                  template:
                    metadata: {labels: {app: never-ready, pod-template-hash: 6d4b7f8c9}}
                    spec:
                      containers:
                      - name: main
                        image: alpine:latest
                        command: [sh, -c, sleep 9999]
                        readinessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 10, periodSeconds: 10}
                status: {replicas: 1}
                """;

        List<Finding> readiness = DetectorHarness.of(new ReadinessProbeFailing()).yaml(owners).yaml(pod)
                .capturedAt("2018-12-02T10:45:00Z").findings();
        List<Finding> misconfigured = DetectorHarness.of(new ProbeMisconfigured()).yaml(owners).yaml(pod)
                .capturedAt("2018-12-02T10:45:00Z").findings();

        assertThat(readiness).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("The new pod of Deployment argocd/never-ready is Running but not Ready: the "
                    + "readiness probe of container main (TCP connect to port 8080) has not passed for 14m");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("has not been Ready since 2018-12-02T10:30:57Z")
                    .contains("they were not collected");
        });
        assertThat(misconfigured).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.LOW);
            assertThat(f.title()).endsWith("aims at port 8080; container main declares no ports");
        });
    }

    @Test
    void theToolforgeDeploymentsRunALatestTagThatEachNodeKeeps() {
        Diagnosis d = diagnose(real("DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/deployments/deployment_failed.json"));

        assertThat(findings(d, "mutable-image-tag")).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Deployment default/test-failed runs container test-failed from the mutable "
                    + "image docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web:latest");
            assertThat(f.explanation()).contains("imagePullPolicy IfNotPresent, so each node keeps the build it pulled first");
        });
        assertThat(findings(d, "readiness-probe-failing")).isEmpty();
    }

    @Test
    void theSonobuoyArchiveFlagsOnlyTheDaemonSetOnLatestAndNoProbeTrouble() {
        Diagnosis d = diagnose(real("vmware-tanzu__sonobuoy/pkg/client/results/testdata/results-0.10.tar.gz"));

        assertThat(findings(d, "mutable-image-tag")).singleElement().satisfies(f ->
                assertThat(f.title()).isEqualTo("DaemonSet heptio-sonobuoy/systemd-logs runs container "
                        + "sonobuoy-systemd-logs-config-a0cf5d7168f24710 from the mutable image "
                        + "gcr.io/heptio-images/sonobuoy-plugin-systemd-logs:latest"));
        assertThat(findings(d, "readiness-probe-failing")).isEmpty();
        assertThat(findings(d, "probe-misconfigured")).isEmpty();
        assertThat(findings(d, "network-policy-isolation")).isEmpty();
    }

    @Test
    void bareUntaggedPodsOfKubectlNeatAreNoWorkloadToFlag() {
        Diagnosis d = diagnose(real("itaysk__kubectl-neat/test/fixtures/list1-raw.json"));

        assertThat(d.rollouts()).isEmpty();
    }
}

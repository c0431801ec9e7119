package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.fakes.Engines;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The workload rules (progress deadline, generation, terminating pods, template changes) on real dumps from the shared
 * corpus ({@code ../shared/realworld}, see its PROVENANCE.md). Skipped where the corpus is absent, as in a user's clone.
 */
class WorkloadRulesRealWorldTest {

    static final Path REALWORLD = Path.of("..", "..", "shared", "realworld").toAbsolutePath().normalize();

    private static Path corpus(String path) {
        assumeTrue(Files.isDirectory(REALWORLD), "the shared real-world corpus is absent");
        Path file = REALWORLD.resolve(path);
        assumeTrue(Files.exists(file), path + " is absent from the corpus");
        return file;
    }

    private static List<Detector> rules() {
        return List.of(new ProgressDeadlineExceeded(), new GenerationNotObserved(), new OldPodsTerminating(),
                new PodsStuckTerminating(), new TemplateChanged());
    }

    private static List<Finding> findings(Snapshot snapshot) {
        Diagnosis diagnosis = Engines.only(snapshot, rules().toArray(Detector[]::new));
        assertThat(diagnosis.detectorErrors()).isEmpty();
        return diagnosis.rollouts().stream().flatMap(r -> r.findings().stream()).map(RankedFinding::finding)
                .filter(f -> !f.ruleId().equals("rollout-stalled-unexplained")).toList();
    }

    private static List<Finding> findings(Path... paths) {
        return findings(SnapshotLoader.create().load(paths));
    }

    @Test
    void argoCdsDegradedGuestbookTimedOutWithTheOlderUnquotedMessage() {
        List<Finding> found = findings(corpus("argoproj__gitops-engine/pkg/health/testdata/deployment-degraded.yaml"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Deployment default/guestbook-ui exceeded its 10m progress deadline at "
                    + "2018-07-18T06:29:23Z with 1 of 1 pods updated and 1 available");
            assertThat(f.remediation()).extracting(s -> s.command().orElse(""))
                    .contains("kubectl describe replicaset/guestbook-ui-75dd4d49d5 -n default");
        });
    }

    @Test
    void argoCdsProgressingAndSuspendedGuestbooksAreNotTimedOut() {
        assertThat(findings(corpus("argoproj__gitops-engine/pkg/health/testdata/deployment-progressing.yaml"))).isEmpty();
        assertThat(findings(corpus("argoproj__gitops-engine/pkg/health/testdata/deployment-suspended.yaml"))).isEmpty();
    }

    @Test
    void holmesGpusDeploymentBehindAToolPreambleTimedOutWithNothingAvailable() {
        List<Finding> found = findings(corpus("robusta-dev__holmesgpt/tests/llm/fixtures/test_investigate/"
                + "10_KubeDeploymentReplicasMismatch/kubectl_get_yaml_deployment_user-profile-resources_default.txt"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Deployment default/user-profile-resources exceeded its 10m progress deadline at "
                    + "2025-06-03T11:40:31Z with 1 of 1 pods updated and 0 available");
            assertThat(f.evidence()).extracting(e -> e.text()).contains("False ProgressDeadlineExceeded: "
                    + "ReplicaSet \"user-profile-resources-659d4dd659\" has timed out progressing.");
        });
    }

    @Test
    void veleroRevision8ChangedOnlyTheArgsOfItsServerContainer() {
        List<Finding> found = findings(corpus("replicatedhq__sbctl/tests/support-bundle"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("template-changed");
            assertThat(f.title()).isEqualTo("Revision 8 of Deployment velero/velero changed the args of container velero");
            assertThat(f.evidence()).extracting(e -> e.path() + ": " + e.text()).containsExactly(
                    "spec.template.spec.containers[velero].args: [\"server\", \"--features=\"] -> [\"server-junk\", \"--features=\"]");
            assertThat(f.remediation()).extracting(s -> s.command().orElse(""))
                    .contains("kubectl rollout undo deployment/velero -n velero --to-revision=7");
        });
    }

    @Test
    void kranesHandWrittenDeploymentGivesNoWorkloadFinding() {
        assertThat(findings(corpus("Shopify__krane/test/fixtures/for_unit_tests/deployment_test.yml"))).isEmpty();
    }

    @Test
    void podsWithoutTheirWorkloadInTheSnapshotAreNotJudged() {
        assertThat(findings(corpus("argoproj__gitops-engine/pkg/health/testdata/pod-deletion.yaml"))).isEmpty();
        assertThat(findings(corpus("vmware-tanzu__sonobuoy/pkg/discovery/testdata/healthsummary/resources/ns/sonobuoy/core_v1_pods.json")))
                .isEmpty();
    }

    /**
     * Sonobuoy's real terminating DaemonSet pods (deletionTimestamp 14:44:54, 30 s grace) with their DaemonSet, which the
     * capture did not hold, written here: generation 2 of its template, so the captured pods (generation 1) are old.
     */
    static final String SONOBUOY_DAEMON_SET = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: sonobuoy-systemd-logs-daemon-set-7a10f4effeb44d32
              namespace: sonobuoy
              uid: 27c46bd0-b139-486f-ac07-df0d9c665547
              generation: 2
              annotations: {deprecated.daemonset.template.generation: "2"}
            spec:
              selector: {matchLabels: {sonobuoy-run: 7a10f4effeb44d32}}
              template:
                metadata: {labels: {sonobuoy-run: 7a10f4effeb44d32}}
                spec:
                  containers: [{name: systemd-logs, image: "sonobuoy/systemd-logs:v0.4"}]
            status: {observedGeneration: 2, desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3,
                     numberReady: 3, numberAvailable: 3}
            """;

    private static Snapshot sonobuoy(String capturedAt) {
        Path pods = corpus("vmware-tanzu__sonobuoy/pkg/discovery/testdata/healthsummary/resources/ns/sonobuoy/core_v1_pods.json");
        Snapshot real = SnapshotLoader.create().load(pods);
        Snapshot owner = SnapshotLoader.create().load("daemonset.yaml",
                new ByteArrayInputStream(SONOBUOY_DAEMON_SET.getBytes(StandardCharsets.UTF_8)));
        Snapshot.Builder b = Snapshot.builder();
        for (KubeObject o : real.objects()) {
            b.add(o);
        }
        owner.objects().forEach(b::add);
        return b.capturedAt(Instant.parse(capturedAt)).build();
    }

    @Test
    void sonobuoysTerminatingDaemonSetPodsAreOldPodsInTheirLastSeconds() {
        List<Finding> found = findings(sonobuoy("2022-01-27T14:45:00Z"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("old-pods-terminating");
            assertThat(f.title()).isEqualTo("kubectl reports DaemonSet sonobuoy/sonobuoy-systemd-logs-daemon-set-7a10f4effeb44d32 "
                    + "rolled out, but 3 old pods of revision 74466f8968 are still terminating, past the end of the grace "
                    + "period at 2022-01-27T14:44:54Z");
            assertThat(f.explanation()).contains("Their deletion was requested at 2022-01-27T14:44:24Z");
            assertThat(f.remediation()).extracting(s -> s.command().orElse("")).contains(
                    "kubectl wait --for=delete pod -l controller-revision-hash=74466f8968 -n sonobuoy --timeout=60s");
        });
    }

    @Test
    void sonobuoysDaemonSetPodsStillThereAQuarterHourLaterAreStuck() {
        Diagnosis diagnosis = Engines.only(sonobuoy("2022-01-27T15:00:00Z"), rules().toArray(Detector[]::new));

        List<RankedFinding> ranked = diagnosis.rollout(ObjectRef.of("DaemonSet", "sonobuoy",
                "sonobuoy-systemd-logs-daemon-set-7a10f4effeb44d32")).orElseThrow().findings();
        assertThat(ranked).extracting(r -> r.finding().ruleId()).containsExactly("pods-stuck-terminating", "old-pods-terminating");
        assertThat(ranked.get(0).finding().title()).isEqualTo("3 old pods of DaemonSet "
                + "sonobuoy/sonobuoy-systemd-logs-daemon-set-7a10f4effeb44d32 are stuck terminating, 15m past the end of their "
                + "grace period: the kubelets on 3 nodes have not confirmed they stopped");
        assertThat(ranked.get(0).finding().explanation())
                .contains("the snapshot does not hold their nodes (kind-control-plane, kind-worker, kind-worker2)");
    }
}

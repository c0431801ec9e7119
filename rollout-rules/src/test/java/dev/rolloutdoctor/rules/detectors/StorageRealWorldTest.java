package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The storage rules on real captures from the team's shared corpus (../shared, absent from a user's clone: the tests
 * then skip). Where a capture holds the pods and events but not their workload, the workload is written inline.
 */
class StorageRealWorldTest {

    static final Path SHARED = Path.of("..", "..", "shared").toAbsolutePath().normalize();
    static final Path TROUBLESHOOT = SHARED.resolve("realworld/replicatedhq__troubleshoot");
    static final Path GITOPS = SHARED.resolve("realworld/argoproj__gitops-engine/pkg/health/testdata");

    static final RuleEngine ENGINE = RuleEngine.of(DetectorRegistry.of(
            List.of(new PvcUnbound(), new VolumeAttachConflict(), new VolumeMountFailed())));

    /** The DaemonSet that owns troubleshoot's copy-from-host pod, as its ownerReference and labels describe it. */
    static final String COPY_FROM_HOST = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: troubleshoot-copyfromhost-4m79m
              namespace: message-container-creating-failed-mount
              uid: ed30f463-4614-41b3-b2b6-52f65e50b1d3
              generation: 1
              annotations: {deprecated.daemonset.template.generation: "1"}
            spec:
              selector: {matchLabels: {troubleshoot.sh/copyfromhost-id: 2SAoFNhXU68STgniojM3fJcNQig}}
              template:
                metadata:
                  labels: {app.kubernetes.io/managed-by: troubleshoot.sh, troubleshoot.sh/collector: copyfromhost,
                           troubleshoot.sh/copyfromhost-id: 2SAoFNhXU68STgniojM3fJcNQig}
                spec:
                  containers:
                  - {name: collector, image: alpine, command: [sleep], args: ["1000000"], volumeMounts: [{name: host, mountPath: /host}]}
                  volumes:
                  - {name: host, hostPath: {path: /var/lib/collectd, type: Directory}}
            status:
              observedGeneration: 1
              desiredNumberScheduled: 1
              currentNumberScheduled: 1
              updatedNumberScheduled: 1
              numberReady: 0
              numberAvailable: 0
              numberUnavailable: 1
            """;

    static Snapshot load(List<Path> files, String inlineYaml, String capturedAt) {
        List<SnapshotLoader.Input> inputs = new java.util.ArrayList<>();
        files.forEach(f -> inputs.add(SnapshotLoader.Input.of(f)));
        inputs.add(SnapshotLoader.Input.of("inline.yaml", new ByteArrayInputStream(inlineYaml.getBytes(StandardCharsets.UTF_8))));
        return SnapshotLoader.create().withCapturedAt(Instant.parse(capturedAt)).loadInputs(inputs);
    }

    static List<Finding> findings(Diagnosis d) {
        return d.rollouts().stream().map(RolloutDiagnosis::findings).flatMap(List::stream).map(RankedFinding::finding)
                .filter(f -> !f.ruleId().equals("rollout-stalled-unexplained")).toList();
    }

    @Test
    void troubleshootsCopyFromHostPodIsHeldByItsHostPathTypeCheck() {
        assumeTrue(Files.isDirectory(TROUBLESHOOT), "../shared is absent: skipping the real-world storage tests");
        Path files = TROUBLESHOOT.resolve("pkg/analyze/files");
        Snapshot snapshot = load(List.of(files.resolve("pods/message-container-creating-failed-mount.json"),
                files.resolve("events/message-container-creating-failed-mount.json")), COPY_FROM_HOST, "2023-07-10T05:45:00Z");

        List<Finding> found = findings(ENGINE.diagnose(snapshot));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("volume-mount-failed");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("New pod troubleshoot-copyfromhost-4m79m-psdjm of DaemonSet "
                    + "message-container-creating-failed-mount/troubleshoot-copyfromhost-4m79m cannot mount volume host: "
                    + "host path /var/lib/collectd is not a directory on node minikube");
            assertThat(f.evidence()).extracting(Evidence::text).contains(
                    "hostPath /var/lib/collectd (type Directory)",
                    "Warning FailedMount: MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: "
                            + "/var/lib/collectd is not a directory (x178 over 5h45m)");
            assertThat(f.remediation()).map(RemediationStep::command).contains(Optional.of(
                    "kubectl debug node/minikube -it --image=busybox -- ls -ld /host/var/lib/collectd"));
        });
    }

    @Test
    void gitopsEnginesPendingClaimWithoutEventsIsReportedButNotExplained() {
        assumeTrue(Files.isDirectory(GITOPS), "../shared is absent: skipping the real-world storage tests");
        Snapshot snapshot = load(List.of(GITOPS.resolve("pvc-pending.yaml")), consumer("testpvc-2"), "2018-08-28T00:00:00Z");

        List<Finding> found = findings(ENGINE.diagnose(snapshot));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("pvc-unbound");
            assertThat(f.confidence()).isEqualTo(Confidence.LOW);
            assertThat(f.title()).isEqualTo("1 new pod of Deployment argocd/web waits for PersistentVolumeClaim testpvc-2, "
                    + "Pending because the snapshot does not show why");
            assertThat(f.evidence()).extracting(Evidence::text).contains("slow", "ReadWriteOnce", "2Gi");
        });
    }

    @Test
    void gitopsEnginesBoundClaimIsNotReported() {
        assumeTrue(Files.isDirectory(GITOPS), "../shared is absent: skipping the real-world storage tests");
        Snapshot snapshot = load(List.of(GITOPS.resolve("pvc-bound.yaml")), consumer("testpvc"), "2018-08-28T00:00:00Z");

        assertThat(findings(ENGINE.diagnose(snapshot))).isEmpty();
    }

    @Test
    void theHealthySupportBundlesStatefulSetClaimsAreBoundAndNothingIsReported() {
        Path bundle = TROUBLESHOOT.resolve("testdata/supportbundle/support-bundle.tar.gz");
        assumeTrue(Files.isRegularFile(bundle), "../shared is absent: skipping the real-world storage tests");
        Snapshot snapshot = SnapshotLoader.create().load(bundle);

        assertThat(snapshot.objectsOfKind("PersistentVolumeClaim")).hasSize(4);
        assertThat(findings(ENGINE.diagnose(snapshot))).isEmpty();
    }

    /** A Deployment in argocd whose one new pod is Pending and uses the claim. */
    static String consumer(String claim) {
        String spec = """
                containers: [{name: app, image: "nginx:1.25", volumeMounts: [{name: data, mountPath: /data}]}]
                volumes: [{name: data, persistentVolumeClaim: {claimName: %s}}]
                """.formatted(claim).stripTrailing().indent(6).stripTrailing();
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: argocd, uid: d-web, generation: 1, annotations: {deployment.kubernetes.io/revision: "1"}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                %s
                status:
                  observedGeneration: 1
                  replicas: 1
                  updatedReplicas: 1
                  unavailableReplicas: 1
                  conditions:
                  - {type: Progressing, status: "True", reason: ReplicaSetUpdated, message: ReplicaSet "web-6d4cf56db6" is progressing.,
                     lastUpdateTime: "2018-08-27T23:01:00Z", lastTransitionTime: "2018-08-27T23:01:00Z"}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-6d4cf56db6
                  namespace: argocd
                  uid: rs-web
                  annotations: {deployment.kubernetes.io/revision: "1"}
                  labels: {app: web, pod-template-hash: 6d4cf56db6}
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web, pod-template-hash: 6d4cf56db6}}
                  template:
                    metadata: {labels: {app: web, pod-template-hash: 6d4cf56db6}}
                    spec:
                %s
                status: {replicas: 1, observedGeneration: 1}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-6d4cf56db6-7xq2c
                  namespace: argocd
                  uid: pod-web
                  creationTimestamp: "2018-08-27T23:01:00Z"
                  labels: {app: web, pod-template-hash: 6d4cf56db6}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6d4cf56db6, uid: rs-web, controller: true}]
                spec:
                %s
                status:
                  phase: Pending
                """.formatted(spec, spec, spec.stripIndent().indent(2).stripTrailing());
    }
}

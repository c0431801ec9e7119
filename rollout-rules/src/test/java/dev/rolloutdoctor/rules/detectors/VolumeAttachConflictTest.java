package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.StorageRollouts.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.CONTAINER_CREATING;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.NEW_POD;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.NEW_POD_B;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.OLD_POD;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.claim;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.claimVolume;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.deployment;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.event;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.newPod;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.rollingUpdate;
import static org.assertj.core.api.Assertions.assertThat;

class VolumeAttachConflictTest {

    static final String PV = "pvc-3f1c9a2e-7d41-4b8e-9c3a-5e2f0b1c6d7a";
    static final String VOLUMES = claimVolume("web-data");

    static final String BOUND_CLAIM = claim("web-data", "storageClassName: gp3", "ReadWriteOnce", "Bound",
            "annotations: {pv.kubernetes.io/bind-completed: \"yes\"}").replace("  volumeMode: Filesystem",
            "  volumeMode: Filesystem\n  volumeName: " + PV) + """
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: %s, uid: uid-%s}
            spec:
              capacity: {storage: 5Gi}
              accessModes: [ReadWriteOnce]
              storageClassName: gp3
              claimRef: {kind: PersistentVolumeClaim, namespace: shop, name: web-data, uid: uid-web-data}
              csi: {driver: ebs.csi.aws.com, volumeHandle: vol-0a1b2c3d4e5f}
            status: {phase: Bound}
            ---
            """.formatted(PV, PV);

    static String multiAttach(String pod, String tail) {
        return event("Pod", pod, "Warning", "FailedAttachVolume", "Multi-Attach error for volume \"" + PV + "\" " + tail,
                1, "2025-06-02T10:00:03Z", "2025-06-02T10:00:03Z", "attachdetach-controller")
                + event("Pod", pod, "Warning", "FailedMount", "Unable to attach or mount volumes: unmounted volumes=[data], "
                        + "unattached volumes=[data kube-api-access-7kq2m]: timed out waiting for the condition", 13,
                "2025-06-02T10:02:05Z", "2025-06-02T10:28:40Z", "kubelet");
    }

    /** One replica, RollingUpdate 25%/25% (maxSurge 1, maxUnavailable 0): the new pod lands on node-b. */
    static String deadlock(String tail) {
        return deployment(rollingUpdate("25%", "25%"), 1, VOLUMES, VOLUMES)
                + newPod(NEW_POD, VOLUMES, "node-b", CONTAINER_CREATING)
                + BOUND_CLAIM
                + multiAttach(NEW_POD, tail);
    }

    static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new VolumeAttachConflict()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void anOldPodHoldingAReadWriteOnceVolumeDeadlocksARollingUpdate() {
        List<Finding> found = findings(deadlock("Volume is already used by pod(s) " + OLD_POD));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("volume-attach-conflict");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("New pod " + NEW_POD + " of Deployment shop/web cannot attach ReadWriteOnce volume "
                    + PV + " (PVC web-data): old pod " + OLD_POD + " on node-a still holds it");
            assertThat(f.explanation()).contains("maxSurge 1, maxUnavailable 0 after rounding", "deadlocked");
            assertThat(f.culprits()).contains(ObjectRef.of("PersistentVolumeClaim", "shop", "web-data"),
                    ObjectRef.of("Pod", "shop", OLD_POD));
            assertThat(f.evidence()).extracting(Evidence::path).contains("spec.accessModes", "spec.strategy.type", "spec.nodeName");
            assertThat(f.evidence()).extracting(Evidence::text).contains("ReadWriteOnce", "RollingUpdate", "node-b", "node-a");
            assertThat(commands(f)).containsSubsequence(
                    "kubectl scale replicaset web-7b9d5c6f4 -n shop --replicas=0",
                    "kubectl delete pod " + OLD_POD + " -n shop",
                    "kubectl patch deployment/web -n shop --type merge -p "
                            + "'{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}'",
                    "kubectl rollout status deployment/web -n shop");
        });
    }

    @Test
    void whenTheMessageNamesNoPodTheHolderIsFoundByItsClaim() {
        List<Finding> found = findings(deadlock("Volume is already exclusively attached to one node and can't be attached to another"));

        assertThat(found).singleElement().satisfies(f -> assertThat(f.title()).endsWith(
                ": old pod " + OLD_POD + " on node-a still holds it"));
    }

    @Test
    void anAttachmentLeftBehindByAGonePodSaysSoAndShowsTheAttachments() {
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, VOLUMES, VOLUMES).replaceAll("(?s)apiVersion: v1\nkind: Pod\nmetadata:\n  name: "
                + OLD_POD + ".*?---\n", "")
                + newPod(NEW_POD, VOLUMES, "node-b", CONTAINER_CREATING)
                + BOUND_CLAIM
                + multiAttach(NEW_POD, "Volume is already exclusively attached to one node and can't be attached to another");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("it is still attached to another node, and no pod in the snapshot uses it");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(commands(f)).anySatisfy(c -> assertThat(c).startsWith("kubectl get volumeattachment"));
        });
    }

    @Test
    void replicasOfTheSameRevisionSharingOneVolumeAreToldApart() {
        String running = """
                phase: Running
                conditions: [{type: Ready, status: "True"}, {type: PodScheduled, status: "True"}]
                containerStatuses:
                - {name: app, image: "shop/web:1.3", ready: true, restartCount: 0, state: {running: {startedAt: "2025-06-02T10:00:20Z"}}}
                """;
        String yaml = deployment(rollingUpdate("1", "0"), 2, VOLUMES, VOLUMES).replaceAll("(?s)apiVersion: v1\nkind: Pod\nmetadata:\n  name: "
                + OLD_POD + ".*?---\n", "")
                + newPod(NEW_POD, VOLUMES, "node-b", CONTAINER_CREATING)
                + newPod(NEW_POD_B, VOLUMES, "node-a", running)
                + BOUND_CLAIM
                + multiAttach(NEW_POD, "Volume is already used by pod(s) " + NEW_POD_B);

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": pod " + NEW_POD_B + " of the same revision on node-a holds it");
            assertThat(commands(f)).contains("kubectl scale deployment/web -n shop --replicas=1");
        });
    }

    @Test
    void aReadWriteOncePodClaimInUseByAnOldPodKeepsTheNewPodUnscheduled() {
        String message = "0/3 nodes are available: 3 node has pod using PersistentVolumeClaim with the same name and "
                + "ReadWriteOncePod access mode. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, VOLUMES, VOLUMES)
                + newPod(NEW_POD, VOLUMES, "", "phase: Pending\nconditions:\n- {type: PodScheduled, status: \"False\", "
                + "reason: Unschedulable, message: \"" + message + "\"}\n")
                + BOUND_CLAIM.replace("accessModes: [ReadWriteOnce]", "accessModes: [ReadWriteOncePod]")
                + event("Pod", NEW_POD, "Warning", "FailedScheduling", message, 7, "2025-06-02T10:00:02Z",
                "2025-06-02T10:20:02Z", "default-scheduler");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("New pod " + NEW_POD + " of Deployment shop/web cannot be scheduled: ReadWriteOncePod "
                    + "PersistentVolumeClaim web-data is in use by old pod " + OLD_POD + " on node-a");
            assertThat(f.evidence()).extracting(Evidence::text).anySatisfy(t -> assertThat(t).contains("ReadWriteOncePod access mode"));
            assertThat(commands(f)).contains("kubectl scale replicaset web-7b9d5c6f4 -n shop --replicas=0");
        });
    }

    @Test
    void underRecreateTheOldPodIsOnItsWayOutAndNoStrategyChangeIsOffered() {
        String yaml = deployment("{type: Recreate}", 1, VOLUMES, VOLUMES)
                .replace("  name: " + OLD_POD + "\n", "  name: " + OLD_POD + "\n  deletionTimestamp: \"2025-06-02T10:00:30Z\"\n"
                        + "  deletionGracePeriodSeconds: 30\n")
                + newPod(NEW_POD, VOLUMES, "node-b", CONTAINER_CREATING)
                + BOUND_CLAIM
                + multiAttach(NEW_POD, "Volume is already used by pod(s) " + OLD_POD);

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("The Deployment uses Recreate, so the old pod is on its way out");
            assertThat(commands(f)).noneMatch(c -> c.contains("Recreate"));
        });
    }

    @Test
    void otherAttachFailuresAreNotConflicts() {
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, VOLUMES, VOLUMES)
                + newPod(NEW_POD, VOLUMES, "node-b", CONTAINER_CREATING)
                + BOUND_CLAIM
                + event("Pod", NEW_POD, "Warning", "FailedAttachVolume", "AttachVolume.Attach failed for volume \"" + PV + "\" : "
                + "rpc error: code = DeadlineExceeded desc = context deadline exceeded", 5, "2025-06-02T10:00:03Z",
                "2025-06-02T10:20:03Z", "attachdetach-controller");

        assertThat(findings(yaml)).isEmpty();
    }

    @Test
    void aNewPodThatGotItsVolumeInTheEndIsNotReported() {
        String running = """
                phase: Running
                conditions: [{type: Ready, status: "True"}, {type: PodScheduled, status: "True"}]
                containerStatuses:
                - {name: app, image: "shop/web:1.3", ready: true, restartCount: 0, state: {running: {startedAt: "2025-06-02T10:09:00Z"}}}
                """;
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, VOLUMES, VOLUMES)
                + newPod(NEW_POD, VOLUMES, "node-b", running)
                + BOUND_CLAIM
                + multiAttach(NEW_POD, "Volume is already used by pod(s) " + OLD_POD);

        assertThat(findings(yaml)).isEmpty();
    }

    @Test
    void theEngineRanksTheConflictFirstAndNoMountFailureIsReportedBesideIt() {
        var diagnosis = StorageRollouts.diagnose(DetectorHarness.of(new VolumeAttachConflict())
                .yaml(deadlock("Volume is already used by pod(s) " + OLD_POD))
                .capturedAt(CAPTURED_AT));

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("volume-attach-conflict"));
            assertThat(r.findings()).noneMatch(f -> f.finding().ruleId().equals("volume-mount-failed"));
        });
    }
}

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
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.NEW_POD;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.UNSCHEDULED;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.claim;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.claimVolume;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.deployment;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.event;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.newPod;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.rollingUpdate;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.storageClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PvcUnboundTest {

    static final String OLD_VOLUMES = "- name: data\n  emptyDir: {}\n";
    static final String NEW_VOLUMES = claimVolume("web-data");

    /** Revision 2 moved the data from an emptyDir to a claim; its one new pod waits for the claim. */
    static String rolloutWithClaim(String claimYaml) {
        return deployment(rollingUpdate("25%", "25%"), 1, OLD_VOLUMES, NEW_VOLUMES)
                + newPod(NEW_POD, NEW_VOLUMES, "", UNSCHEDULED)
                + claimYaml
                + event("Pod", NEW_POD, "Warning", "FailedScheduling", "0/3 nodes are available: pod has unbound immediate "
                        + "PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
                2, "2025-06-02T10:00:02Z", "2025-06-02T10:05:02Z", "default-scheduler");
    }

    static String provisioningFailed(String claimName, String message) {
        return event("PersistentVolumeClaim", claimName, "Warning", "ProvisioningFailed", message, 42,
                "2025-06-02T09:58:00Z", "2025-06-02T10:28:00Z", "persistentvolume-controller");
    }

    static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new PvcUnbound()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void aClaimNamingAStorageClassThatDoesNotExistIsReportedWithTheClassesThatDo() {
        List<Finding> found = findings(rolloutWithClaim(
                claim("web-data", "storageClassName: standard-v2", "ReadWriteOnce", "Pending", ""))
                + storageClass("standard", "rancher.io/local-path", "WaitForFirstConsumer", true)
                + provisioningFailed("web-data", "storageclass.storage.k8s.io \"standard-v2\" not found"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("pvc-unbound");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web waits for PersistentVolumeClaim web-data, "
                    + "Pending because StorageClass standard-v2 does not exist");
            assertThat(f.explanation()).contains("StorageClasses in the cluster: standard (default).");
            assertThat(f.culprits()).contains(ObjectRef.of("PersistentVolumeClaim", "shop", "web-data"));
            assertThat(f.evidence()).extracting(Evidence::text).contains("standard-v2", "ReadWriteOnce", "5Gi",
                    "Warning ProvisioningFailed: storageclass.storage.k8s.io \"standard-v2\" not found (x42 over 30m)");
            assertThat(commands(f)).containsSubsequence("kubectl get storageclass", "kubectl delete pvc web-data -n shop",
                    "kubectl rollout status deployment/web -n shop");
        });
    }

    @Test
    void aMissingClassIsToldFromTheSnapshotAloneWhenStorageClassesWereCollected() {
        List<Finding> found = findings(rolloutWithClaim(
                claim("web-data", "storageClassName: fast-ssd", "ReadWriteOnce", "Pending", ""))
                + storageClass("standard", "rancher.io/local-path", "WaitForFirstConsumer", true));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("Pending because StorageClass fast-ssd does not exist");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
        });
    }

    @Test
    void whenStorageClassesWereNotCollectedTheProvisioningEventStillNamesTheMissingClass() {
        List<Finding> found = findings(rolloutWithClaim(
                claim("web-data", "storageClassName: standard-v2", "ReadWriteOnce", "Pending", ""))
                + provisioningFailed("web-data", "storageclass.storage.k8s.io \"standard-v2\" not found"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("because StorageClass standard-v2 does not exist");
            assertThat(f.explanation()).contains("StorageClasses were not collected in this snapshot.");
        });
    }

    @Test
    void aBoundClaimIsNotReported() {
        assertThat(findings(rolloutWithClaim(claim("web-data", "storageClassName: standard", "ReadWriteOnce", "Bound", ""))
                + storageClass("standard", "rancher.io/local-path", "WaitForFirstConsumer", true))).isEmpty();
    }

    @Test
    void aClaimWithoutClassWhenNoClassIsDefaultSaysSoAndOffersToMarkOne() {
        List<Finding> found = findings(rolloutWithClaim(claim("web-data", "", "ReadWriteOnce", "Pending", ""))
                + storageClass("gp3", "ebs.csi.aws.com", "WaitForFirstConsumer", false)
                + event("PersistentVolumeClaim", "web-data", "Normal", "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set", 121,
                "2025-06-02T09:58:00Z", "2025-06-02T10:29:45Z", "persistentvolume-controller"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("Pending because it names no StorageClass and no class is marked default");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(commands(f)).contains("kubectl patch storageclass/gp3 --type merge -p "
                    + "'{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}'");
        });
    }

    @Test
    void aClaimWithAnEmptyClassThatNoVolumeMatchesListsTheAvailableVolumes() {
        String pv = """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: pv-small, uid: pv-small}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  storageClassName: ""
                  hostPath: {path: /mnt/data}
                status: {phase: Available}
                ---
                """;
        List<Finding> found = findings(rolloutWithClaim(claim("web-data", "storageClassName: \"\"", "ReadWriteOnce", "Pending", ""))
                + pv
                + event("PersistentVolumeClaim", "web-data", "Normal", "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set", 121,
                "2025-06-02T09:58:00Z", "2025-06-02T10:29:45Z", "persistentvolume-controller"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("Pending because no PersistentVolume matches it and it has no StorageClass to provision one");
            assertThat(f.explanation()).contains("pv-small (1Gi, ReadWriteOnce)");
            assertThat(commands(f)).contains("kubectl get pv");
        });
    }

    @Test
    void aProvisioningErrorIsQuotedInFull() {
        String error = "failed to provision volume with StorageClass \"gp3\": rpc error: code = Internal desc = Could not "
                + "create volume \"pvc-5e2f\": UnauthorizedOperation: You are not authorized to perform this operation.";
        List<Finding> found = findings(rolloutWithClaim(claim("web-data", "storageClassName: gp3", "ReadWriteOnce", "Pending", ""))
                + storageClass("gp3", "ebs.csi.aws.com", "Immediate", true)
                + provisioningFailed("web-data", error));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("Pending because provisioning failed (StorageClass gp3)");
            assertThat(f.explanation()).contains("The provisioner tried to create the volume and failed: " + error);
            assertThat(commands(f)).contains("kubectl describe persistentvolumeclaim/web-data -n shop",
                    "kubectl get storageclass/gp3 -o yaml");
        });
    }

    @Test
    void aClaimWaitingForAProvisionerWhosePodCrashesNamesThatPod() {
        String provisioner = """
                apiVersion: v1
                kind: Pod
                metadata: {name: local-path-provisioner-6c79684f77-2xkqz, namespace: kube-system, uid: lpp}
                spec:
                  nodeName: node-a
                  containers: [{name: local-path-provisioner, image: "rancher/local-path-provisioner:v0.0.24"}]
                status:
                  phase: Running
                  conditions: [{type: Ready, status: "False"}]
                  containerStatuses:
                  - name: local-path-provisioner
                    ready: false
                    restartCount: 7
                    state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container}}
                ---
                """;
        List<Finding> found = findings(rolloutWithClaim(claim("web-data", "storageClassName: local-path", "ReadWriteOnce", "Pending",
                "annotations: {volume.kubernetes.io/storage-provisioner: rancher.io/local-path}"))
                + storageClass("local-path", "rancher.io/local-path", "Immediate", true)
                + provisioner
                + event("PersistentVolumeClaim", "web-data", "Normal", "ExternalProvisioning", "Waiting for a volume to be "
                        + "created either by the external provisioner 'rancher.io/local-path' or manually by the system "
                        + "administrator. If volume creation is delayed, please verify that the provisioner is running and "
                        + "correctly registered.", 130, "2025-06-02T09:58:00Z", "2025-06-02T10:29:50Z",
                "persistentvolume-controller"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).endsWith("Pending because its provisioner rancher.io/local-path is not running");
            assertThat(f.explanation()).contains("kube-system/local-path-provisioner-6c79684f77-2xkqz (CrashLoopBackOff)");
            assertThat(f.culprits()).contains(ObjectRef.of("Pod", "kube-system", "local-path-provisioner-6c79684f77-2xkqz"));
            assertThat(commands(f)).contains("kubectl describe pod/local-path-provisioner-6c79684f77-2xkqz -n kube-system",
                    "kubectl logs local-path-provisioner-6c79684f77-2xkqz -n kube-system --all-containers");
        });
    }

    @Test
    void theOldExternalProvisioningWordingIsReadTooAndAMissingProvisionerIsSearchedFor() {
        List<Finding> found = findings(rolloutWithClaim(claim("web-data", "storageClassName: gp3", "ReadWriteOnce", "Pending", ""))
                + storageClass("gp3", "ebs.csi.aws.com", "Immediate", true)
                + event("PersistentVolumeClaim", "web-data", "Normal", "ExternalProvisioning", "waiting for a volume to be "
                        + "created, either by external provisioner \"ebs.csi.aws.com\" or manually created by system administrator",
                130, "2025-06-02T09:58:00Z", "2025-06-02T10:29:50Z", "persistentvolume-controller"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.title()).endsWith("its provisioner ebs.csi.aws.com has not created a volume, and no pod of it is in the snapshot");
            assertThat(commands(f)).contains("kubectl get pods -A -o wide | grep ebs", "kubectl get csidrivers");
        });
    }

    @Test
    void aFirstConsumerClaimWhosePodFindsNoVolumeNamesThePodAndTheSchedulersReason() {
        String reason = "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: "
                + "0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, OLD_VOLUMES, NEW_VOLUMES)
                + newPod(NEW_POD, NEW_VOLUMES, "", UNSCHEDULED.replace("pod has unbound immediate PersistentVolumeClaims", "3 node(s) "
                + "didn't find available persistent volumes to bind"))
                + claim("web-data", "storageClassName: local-storage", "ReadWriteOnce", "Pending", "")
                + storageClass("local-storage", "kubernetes.io/no-provisioner", "WaitForFirstConsumer", false)
                + event("Pod", NEW_POD, "Warning", "FailedScheduling", reason, 9, "2025-06-02T10:00:02Z", "2025-06-02T10:25:02Z",
                "default-scheduler")
                + event("PersistentVolumeClaim", "web-data", "Normal", "WaitForPodScheduled",
                "waiting for pod " + NEW_POD + " to be scheduled", 120, "2025-06-02T09:58:00Z", "2025-06-02T10:29:50Z",
                "persistentvolume-controller");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("Pending because it binds only once its first consumer is scheduled, and the scheduler "
                    + "finds no node: didn't find available persistent volumes to bind");
            assertThat(f.explanation()).contains("Pod " + NEW_POD + ": " + reason);
            assertThat(f.evidence()).extracting(Evidence::text).contains("WaitForFirstConsumer", "kubernetes.io/no-provisioner");
        });
    }

    @Test
    void aFirstConsumerClaimWaitingOnAPodThatLacksCpuIsLeftToTheSchedulingRules() {
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, OLD_VOLUMES, NEW_VOLUMES)
                + newPod(NEW_POD, NEW_VOLUMES, "", UNSCHEDULED)
                + claim("web-data", "storageClassName: local-path", "ReadWriteOnce", "Pending", "")
                + storageClass("local-path", "rancher.io/local-path", "WaitForFirstConsumer", true)
                + event("Pod", NEW_POD, "Warning", "FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu. preemption: "
                + "0/3 nodes are available: 3 No preemption victims found for incoming pod.", 9, "2025-06-02T10:00:02Z",
                "2025-06-02T10:25:02Z", "default-scheduler");

        assertThat(findings(yaml)).isEmpty();
    }

    @Test
    void aClaimThatDoesNotExistIsReportedFromTheSchedulersMessage() {
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, OLD_VOLUMES, NEW_VOLUMES)
                + newPod(NEW_POD, NEW_VOLUMES, "", UNSCHEDULED)
                + event("Pod", NEW_POD, "Warning", "FailedScheduling", "0/3 nodes are available: persistentvolumeclaim "
                + "\"web-data\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
                9, "2025-06-02T10:00:02Z", "2025-06-02T10:25:02Z", "default-scheduler");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("1 new pod of Deployment shop/web uses PersistentVolumeClaim web-data, which does not exist");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(commands(f)).contains("kubectl get pvc -n shop");
        });
    }

    @Test
    void aClaimAbsentFromADumpThatHoldsClaimsIsReportedWithMediumConfidence() {
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, OLD_VOLUMES, NEW_VOLUMES)
                + newPod(NEW_POD, NEW_VOLUMES, "", UNSCHEDULED)
                + claim("cache-data", "storageClassName: standard", "ReadWriteOnce", "Bound", "");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("uses PersistentVolumeClaim web-data, which does not exist");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.evidence()).extracting(Evidence::path, Evidence::text)
                    .contains(tuple("spec.volumes[data]", "persistentVolumeClaim web-data"));
        });
    }

    @Test
    void aClaimAbsentFromADumpWithoutClaimsOrEventsIsNotGuessedAt() {
        String yaml = deployment(rollingUpdate("25%", "25%"), 1, OLD_VOLUMES, NEW_VOLUMES)
                + newPod(NEW_POD, NEW_VOLUMES, "", UNSCHEDULED);

        assertThat(findings(yaml)).isEmpty();
    }

    @Test
    void statefulSetClaimsFromTemplatesWithTheSameMissingClassMakeOneFinding() {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop, uid: sts-db, generation: 1}
                spec:
                  replicas: 2
                  serviceName: db
                  podManagementPolicy: Parallel
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: pg, image: "postgres:16", volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}]
                  volumeClaimTemplates:
                  - metadata: {name: data}
                    spec: {accessModes: [ReadWriteOnce], storageClassName: fast-ssd, resources: {requests: {storage: 20Gi}}}
                status:
                  observedGeneration: 1
                  replicas: 2
                  currentReplicas: 2
                  updatedReplicas: 2
                  currentRevision: db-6b8f9c
                  updateRevision: db-6b8f9c
                ---
                """);
        for (int i = 0; i < 2; i++) {
            yaml.append("""
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: db-%d
                      namespace: shop
                      uid: uid-db-%d
                      creationTimestamp: "2025-06-02T10:00:02Z"
                      labels: {app: db, controller-revision-hash: db-6b8f9c, statefulset.kubernetes.io/pod-name: db-%d}
                      ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: sts-db, controller: true}]
                    spec:
                      containers: [{name: pg, image: "postgres:16", volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}]
                      volumes: [{name: data, persistentVolumeClaim: {claimName: data-db-%d}}]
                    status:
                      phase: Pending
                    ---
                    """.formatted(i, i, i, i));
            yaml.append(claim("data-db-" + i, "storageClassName: fast-ssd", "ReadWriteOnce", "Pending", ""));
        }
        yaml.append(storageClass("standard", "pd.csi.storage.gke.io", "WaitForFirstConsumer", true));

        assertThat(findings(yaml.toString())).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("2 new pods of StatefulSet shop/db wait for PersistentVolumeClaims data-db-0, data-db-1, "
                    + "Pending because StorageClass fast-ssd does not exist");
            assertThat(commands(f)).contains("kubectl delete pvc data-db-0 data-db-1 -n shop",
                    "kubectl delete statefulset db -n shop --cascade=orphan");
        });
    }

    @Test
    void aClaimPendingForSecondsWithoutWarningsIsStillBeingProvisioned() {
        String yaml = rolloutWithClaim(claim("web-data", "storageClassName: gp3", "ReadWriteOnce", "Pending", "")
                .replace("2025-06-02T09:58:00Z", "2025-06-02T10:29:40Z"))
                + storageClass("gp3", "ebs.csi.aws.com", "Immediate", true);

        assertThat(findings(yaml)).isEmpty();
    }

    @Test
    void theEngineRanksTheUnboundClaimFirst() {
        var diagnosis = StorageRollouts.diagnose(DetectorHarness.of(new PvcUnbound())
                .yaml(rolloutWithClaim(claim("web-data", "storageClassName: standard-v2", "ReadWriteOnce", "Pending", ""))
                        + storageClass("standard", "rancher.io/local-path", "WaitForFirstConsumer", true)
                        + provisioningFailed("web-data", "storageclass.storage.k8s.io \"standard-v2\" not found"))
                .capturedAt(CAPTURED_AT));

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> assertThat(r.rootCause())
                .hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("pvc-unbound")));
    }
}

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
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.deployment;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.event;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.newPod;
import static dev.rolloutdoctor.rules.detectors.StorageRollouts.rollingUpdate;
import static org.assertj.core.api.Assertions.assertThat;

class VolumeMountFailedTest {

    static final String OLD_VOLUMES = "- name: data\n  emptyDir: {}\n";
    static final String CONFIG_VOLUMES = "- name: data\n  configMap: {name: web-config}\n";

    static final String OTHER_CONFIGMAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: kube-root-ca.crt, namespace: shop}
            data: {ca.crt: "-----BEGIN CERTIFICATE-----"}
            ---
            """;

    /** Revision 2 mounts {@code volumes}; its two new pods wait on node-b and node-c. */
    static String rollout(String volumes) {
        return deployment(rollingUpdate("1", "1"), 2, OLD_VOLUMES, volumes)
                + newPod(NEW_POD, volumes, "node-b", CONTAINER_CREATING)
                + newPod(NEW_POD_B, volumes, "node-c", CONTAINER_CREATING);
    }

    static String failedMount(String pod, String message) {
        return event("Pod", pod, "Warning", "FailedMount", message, 15, "2025-06-02T10:00:03Z", "2025-06-02T10:28:10Z", "kubelet");
    }

    static String bothFail(String message) {
        return failedMount(NEW_POD, message) + failedMount(NEW_POD_B, message);
    }

    static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new VolumeMountFailed()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void aMissingConfigMapHoldsEveryNewPodAndIsReportedOnce() {
        List<Finding> found = findings(rollout(CONFIG_VOLUMES) + OTHER_CONFIGMAP
                + bothFail("MountVolume.SetUp failed for volume \"data\" : configmap \"web-config\" not found"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("volume-mount-failed");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("2 new pods of Deployment shop/web cannot mount volume data: ConfigMap web-config not found");
            assertThat(f.explanation()).contains("stay in ContainerCreating", "It is not in the snapshot either.");
            assertThat(f.culprits()).contains(ObjectRef.of("ConfigMap", "shop", "web-config"));
            assertThat(f.evidence()).extracting(Evidence::text).contains("configMap web-config", "ContainerCreating");
            assertThat(commands(f)).containsSubsequence("kubectl get configmap web-config -n shop",
                    "kubectl create configmap web-config -n shop --from-file=<file>", "kubectl rollout status deployment/web -n shop");
        });
    }

    @Test
    void aMissingSecretIsNotCheckedAgainstASnapshotWithoutSecrets() {
        String volumes = "- name: data\n  secret: {secretName: web-tls}\n";
        List<Finding> found = findings(rollout(volumes)
                + bothFail("MountVolume.SetUp failed for volume \"data\" : secret \"web-tls\" not found"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot mount volume data: Secret web-tls not found");
            assertThat(f.explanation()).contains("Secrets were not collected in this snapshot, so whether it exists now cannot be checked.");
            assertThat(commands(f)).contains("kubectl create secret generic web-tls -n shop --from-literal=<key>=<value>");
        });
    }

    @Test
    void aSecretThatExistsInTheSnapshotWasProbablyCreatedSinceTheEvent() {
        String volumes = "- name: data\n  secret: {secretName: web-tls}\n";
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: web-tls, namespace: shop}
                type: kubernetes.io/tls
                data: {tls.crt: "***HIDDEN***", tls.key: "***HIDDEN***"}
                ---
                """;
        List<Finding> found = findings(rollout(volumes) + secret
                + bothFail("MountVolume.SetUp failed for volume \"data\" : secret \"web-tls\" not found"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("The snapshot does hold Secret web-tls: it was probably created after that");
        });
    }

    @Test
    void aMissingKeyNamesTheConfigMapAndTheKeysItHas() {
        String volumes = "- name: data\n  configMap: {name: web-config, items: [{key: app.yaml, path: app.yaml}]}\n";
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-config, namespace: shop}
                data: {settings.yaml: "port: 8080"}
                ---
                """;
        List<Finding> found = findings(rollout(volumes) + configMap
                + bothFail("MountVolume.SetUp failed for volume \"data\" : configmap references non-existent config key: app.yaml"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot mount volume data: ConfigMap web-config has no key app.yaml");
            assertThat(f.explanation()).contains("(it has settings.yaml)");
            assertThat(commands(f)).contains("kubectl describe configmap web-config -n shop");
        });
    }

    @Test
    void aHostPathOfTheWrongTypeOffersToLetKubeletCreateIt() {
        String volumes = "- name: data\n  hostPath: {path: /var/lib/collectd, type: Directory}\n";
        List<Finding> found = findings(rollout(volumes) + failedMount(NEW_POD,
                "MountVolume.SetUp failed for volume \"data\" : hostPath type check failed: /var/lib/collectd is not a directory"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("New pod " + NEW_POD + " of Deployment shop/web cannot mount volume data: host path "
                    + "/var/lib/collectd is not a directory on node node-b");
            assertThat(f.evidence()).extracting(Evidence::text).contains("hostPath /var/lib/collectd (type Directory)");
            assertThat(commands(f)).contains(
                    "kubectl debug node/node-b -it --image=busybox -- ls -ld /host/var/lib/collectd",
                    "kubectl patch deployment/web -n shop -p '{\"spec\":{\"template\":{\"spec\":{\"volumes\":[{\"name\":\"data\","
                            + "\"hostPath\":{\"path\":\"/var/lib/collectd\",\"type\":\"DirectoryOrCreate\"}}]}}}}'");
        });
    }

    @Test
    void anUnregisteredCsiDriverNamesTheDriverAndTheNode() {
        String volumes = "- name: data\n  csi: {driver: secrets-store.csi.k8s.io, readOnly: true}\n";
        List<Finding> found = findings(rollout(volumes) + bothFail("MountVolume.SetUp failed for volume \"data\" : kubernetes.io/csi: "
                + "mounter.SetUpAt failed to get CSI client: driver name secrets-store.csi.k8s.io not found in the list of "
                + "registered CSI drivers"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot mount volume data: CSI driver secrets-store.csi.k8s.io is not registered on nodes node-b, node-c");
            assertThat(commands(f)).contains("kubectl get csidrivers",
                    "kubectl get pods -A -o wide --field-selector spec.nodeName=node-c");
        });
    }

    @Test
    void aFailedNfsMountQuotesTheMountOutput() {
        String volumes = "- name: data\n  nfs: {server: 10.0.0.5, path: /exports/web}\n";
        List<Finding> found = findings(rollout(volumes) + failedMount(NEW_POD, "MountVolume.SetUp failed for volume \"data\" : "
                + "mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs 10.0.0.5:/exports/web "
                + "/var/lib/kubelet/pods/5c1d/volumes/kubernetes.io~nfs/data\nOutput: mount.nfs: Connection timed out\n"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot mount volume data: the mount command failed on node node-b "
                    + "(mount.nfs: Connection timed out)");
            assertThat(f.explanation()).contains("usually the server being unreachable from the node");
        });
    }

    @Test
    void onlyTheTimeoutSummaryIsReportedWithMediumConfidence() {
        String volumes = "- name: data\n  nfs: {server: 10.0.0.5, path: /exports/web}\n";
        List<Finding> found = findings(rollout(volumes) + failedMount(NEW_POD, "Unable to attach or mount volumes: unmounted "
                + "volumes=[data], unattached volumes=[data kube-api-access-7kq2m]: timed out waiting for the condition"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("New pod " + NEW_POD + " of Deployment shop/web cannot start: kubelet timed out "
                    + "mounting volume data");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("The volume is nfs.");
        });
    }

    @Test
    void theTimeoutSummaryIsCheckedAgainstTheSnapshotsConfigMaps() {
        List<Finding> found = findings(rollout(CONFIG_VOLUMES) + OTHER_CONFIGMAP + failedMount(NEW_POD, "Unable to attach or mount "
                + "volumes: unmounted volumes=[data], unattached volumes=[data kube-api-access-7kq2m]: timed out waiting for the condition"));

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot mount volume data: ConfigMap web-config not found");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("inferred");
        });
    }

    @Test
    void podsStuckWithoutAnyEventAreCheckedAgainstTheSnapshot() {
        List<Finding> found = findings(rollout(CONFIG_VOLUMES) + OTHER_CONFIGMAP);

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("2 new pods of Deployment shop/web cannot mount volume data: ConfigMap web-config not found");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("No event in the snapshot names the failure");
        });
    }

    @Test
    void aSecretVolumeIsNotGuessedMissingWhenSecretsWereNotCollected() {
        assertThat(findings(rollout("- name: data\n  secret: {secretName: web-tls}\n"))).isEmpty();
    }

    @Test
    void kubeletsTransientCacheMissIsNotAFailure() {
        assertThat(findings(rollout(CONFIG_VOLUMES) + """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-config, namespace: shop}
                data: {app.yaml: "port: 8080"}
                ---
                """ + failedMount(NEW_POD, "MountVolume.SetUp failed for volume \"data\" : object \"shop\"/\"web-config\" not registered")))
                .isEmpty();
    }

    @Test
    void aPodThatStartedInTheEndIsNotReported() {
        String running = """
                phase: Running
                conditions: [{type: Ready, status: "True"}, {type: PodScheduled, status: "True"}]
                containerStatuses:
                - {name: app, image: "shop/web:1.3", ready: true, restartCount: 0, state: {running: {startedAt: "2025-06-02T10:09:00Z"}}}
                """;
        String yaml = deployment(rollingUpdate("1", "1"), 1, OLD_VOLUMES, CONFIG_VOLUMES)
                + newPod(NEW_POD, CONFIG_VOLUMES, "node-b", running)
                + failedMount(NEW_POD, "MountVolume.SetUp failed for volume \"data\" : configmap \"web-config\" not found");

        assertThat(findings(yaml)).isEmpty();
    }

    @Test
    void theEngineRanksTheMountFailureFirst() {
        var diagnosis = StorageRollouts.diagnose(DetectorHarness.of(new VolumeMountFailed())
                .yaml(rollout(CONFIG_VOLUMES) + OTHER_CONFIGMAP
                        + bothFail("MountVolume.SetUp failed for volume \"data\" : configmap \"web-config\" not found"))
                .capturedAt(CAPTURED_AT));

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> assertThat(r.rootCause())
                .hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("volume-mount-failed")));
    }
}

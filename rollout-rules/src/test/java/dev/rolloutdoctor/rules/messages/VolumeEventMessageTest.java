package dev.rolloutdoctor.rules.messages;

import dev.rolloutdoctor.rules.messages.VolumeEventMessage.Cause;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeEventMessageTest {

    @Test
    void aHostPathTypeCheckFailureNamesThePathAndWhatItShouldBe() {
        var parsed = VolumeEventMessage.parse(
                "MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: /var/lib/collectd is not a directory");

        assertThat(parsed).hasValueSatisfying(m -> {
            assertThat(m).isInstanceOf(VolumeEventMessage.OperationFailed.class);
            var op = (VolumeEventMessage.OperationFailed) m;
            assertThat(op.operation()).isEqualTo("MountVolume.SetUp");
            assertThat(op.volume()).isEqualTo("host");
            assertThat(op.cause()).isEqualTo(new Cause(Cause.Type.HOSTPATH_TYPE_CHECK_FAILED, "/var/lib/collectd", "directory"));
        });
    }

    @Test
    void aMissingConfigMapIsRecognisedInTheCurrentAndTheOldPluralWording() {
        assertThat(cause("MountVolume.SetUp failed for volume \"config\" : configmap \"web-config\" not found"))
                .isEqualTo(new Cause(Cause.Type.CONFIGMAP_NOT_FOUND, "web-config", "configmap \"web-config\" not found"));
        assertThat(cause("MountVolume.SetUp failed for volume \"config\" : configmaps \"web-config\" not found").name())
                .isEqualTo("web-config");
    }

    @Test
    void aMissingSecretAndMissingKeysAreTold() {
        assertThat(cause("MountVolume.SetUp failed for volume \"tls\" : secret \"web-tls\" not found"))
                .extracting(Cause::type, Cause::name).containsExactly(Cause.Type.SECRET_NOT_FOUND, "web-tls");
        assertThat(cause("MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config key: app.yaml"))
                .extracting(Cause::type, Cause::name).containsExactly(Cause.Type.CONFIGMAP_KEY_NOT_FOUND, "app.yaml");
        assertThat(cause("MountVolume.SetUp failed for volume \"mariadb-credentials\" : references non-existent secret key: "
                + "mariadb-metrics-password"))
                .extracting(Cause::type, Cause::name).containsExactly(Cause.Type.SECRET_KEY_NOT_FOUND, "mariadb-metrics-password");
    }

    @Test
    void anUnregisteredCsiDriverIsNamed() {
        assertThat(cause("MountVolume.MountDevice failed for volume \"pvc-0b1c\" : kubernetes.io/csi: attacher.MountDevice failed "
                + "to create newCsiDriverClient: driver name ebs.csi.aws.com not found in the list of registered CSI drivers"))
                .extracting(Cause::type, Cause::name).containsExactly(Cause.Type.CSI_DRIVER_NOT_REGISTERED, "ebs.csi.aws.com");
    }

    @Test
    void aFailedNfsMountKeepsTheMountOutput() {
        assertThat(cause("MountVolume.SetUp failed for volume \"nfs\" : mount failed: exit status 32\n"
                + "Mounting command: mount\nMounting arguments: -t nfs 10.0.0.5:/exports /var/lib/kubelet/pods/x/volumes/kubernetes.io~nfs/nfs\n"
                + "Output: mount.nfs: Connection timed out\n"))
                .isEqualTo(new Cause(Cause.Type.MOUNT_FAILED, "", "mount.nfs: Connection timed out"));
    }

    @Test
    void anUnregisteredObjectIsKubeletsTransientCacheMiss() {
        assertThat(cause("MountVolume.SetUp failed for volume \"kube-api-access-x2k4p\" : object \"shop\"/\"kube-root-ca.crt\" not registered").type())
                .isEqualTo(Cause.Type.OBJECT_NOT_REGISTERED);
    }

    @Test
    void anAttachFailureIsAnOperationOfTheAttachDetachController() {
        var op = (VolumeEventMessage.OperationFailed) VolumeEventMessage.parse(
                "AttachVolume.Attach failed for volume \"pvc-5e2f\" : rpc error: code = Internal desc = Could not attach volume "
                        + "\"vol-0a1b\" to node \"i-0c2d\": attachment of disk \"vol-0a1b\" failed").orElseThrow();

        assertThat(op.isAttach()).isTrue();
        assertThat(op.volume()).isEqualTo("pvc-5e2f");
        assertThat(op.cause().type()).isEqualTo(Cause.Type.OTHER);
    }

    @Test
    void aMultiAttachErrorListsThePodsThatHoldTheVolume() {
        var m = (VolumeEventMessage.MultiAttach) VolumeEventMessage.parse(
                "Multi-Attach error for volume \"pvc-3f1c9a2e\" Volume is already used by pod(s) web-5d8f7c9b6-abcde, web-5d8f7c9b6-fghij")
                .orElseThrow();

        assertThat(m.volume()).isEqualTo("pvc-3f1c9a2e");
        assertThat(m.usedBy()).containsExactly("web-5d8f7c9b6-abcde", "web-5d8f7c9b6-fghij");
        assertThat(m.exclusivelyAttached()).isFalse();
    }

    @Test
    void aMultiAttachErrorCountsPodsOfOtherNamespacesItDoesNotName() {
        var local = (VolumeEventMessage.MultiAttach) VolumeEventMessage.parse("Multi-Attach error for volume \"pvc-1\" Volume is "
                + "already used by pod(s) web-1 and 2 pod(s) in different namespaces").orElseThrow();
        var others = (VolumeEventMessage.MultiAttach) VolumeEventMessage.parse("Multi-Attach error for volume \"pvc-1\" Volume is "
                + "already used by 3 pod(s) in different namespaces").orElseThrow();

        assertThat(local.usedBy()).containsExactly("web-1");
        assertThat(local.podsInOtherNamespaces()).isEqualTo(2);
        assertThat(others.usedBy()).isEmpty();
        assertThat(others.podsInOtherNamespaces()).isEqualTo(3);
    }

    @Test
    void anExclusiveAttachmentNamesNoPod() {
        var m = (VolumeEventMessage.MultiAttach) VolumeEventMessage.parse("Multi-Attach error for volume \"pvc-9\" Volume is "
                + "already exclusively attached to one node and can't be attached to another").orElseThrow();

        assertThat(m.exclusivelyAttached()).isTrue();
    }

    @Test
    void theTimeoutSummaryNamesTheVolumesInEachWording() {
        var current = (VolumeEventMessage.TimedOut) VolumeEventMessage.parse("Unable to attach or mount volumes: unmounted "
                + "volumes=[host], unattached volumes=[host kube-api-access-xddvj]: timed out waiting for the condition").orElseThrow();
        var newer = (VolumeEventMessage.TimedOut) VolumeEventMessage.parse("Unable to attach or mount volumes: unmounted "
                + "volumes=[data], unattached volumes=[data config], failed to process volumes=[config]: context deadline exceeded")
                .orElseThrow();
        var old = (VolumeEventMessage.TimedOut) VolumeEventMessage.parse("Unable to mount volumes for pod \"web-1_shop(5c1d)\": "
                + "timeout expired waiting for volumes to attach or mount for pod \"shop\"/\"web-1\". list of unmounted "
                + "volumes=[data]. list of unattached volumes=[data default-token-x]").orElseThrow();

        assertThat(current.unmounted()).containsExactly("host");
        assertThat(current.unattached()).containsExactly("host", "kube-api-access-xddvj");
        assertThat(newer.pending()).containsExactly("data", "config");
        assertThat(old.unmounted()).containsExactly("data");
    }

    @Test
    void clientGosCombinedPrefixIsIgnored() {
        assertThat(VolumeEventMessage.parse("(combined from similar events): MountVolume.SetUp failed for volume \"tls\" : "
                + "secret \"web-tls\" not found")).hasValueSatisfying(m -> assertThat(m.volume()).isEqualTo("tls"));
    }

    @Test
    void otherMessagesAreNotVolumeMessages() {
        assertThat(VolumeEventMessage.parse("Successfully assigned shop/web-1 to node-a")).isEmpty();
        assertThat(VolumeEventMessage.parse("Back-off restarting failed container app in pod web-1_shop(5c1d)")).isEmpty();
    }

    private static Cause cause(String message) {
        return ((VolumeEventMessage.OperationFailed) VolumeEventMessage.parse(message).orElseThrow()).cause();
    }
}

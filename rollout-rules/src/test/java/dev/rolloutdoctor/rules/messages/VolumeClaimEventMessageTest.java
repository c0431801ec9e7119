package dev.rolloutdoctor.rules.messages;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeClaimEventMessageTest {

    @Test
    void theProvisionerIsReadFromTheOldAndTheNewExternalProvisioningWording() {
        assertThat(VolumeClaimEventMessage.externalProvisioner("waiting for a volume to be created, either by external "
                + "provisioner \"ebs.csi.aws.com\" or manually created by system administrator")).hasValue("ebs.csi.aws.com");
        assertThat(VolumeClaimEventMessage.externalProvisioner("Waiting for a volume to be created either by the external "
                + "provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, "
                + "please verify that the provisioner is running and correctly registered.")).hasValue("rancher.io/local-path");
        assertThat(VolumeClaimEventMessage.externalProvisioner("waiting for first consumer to be created before binding")).isEmpty();
    }

    @Test
    void aMissingStorageClassIsNamed() {
        assertThat(VolumeClaimEventMessage.missingStorageClass("storageclass.storage.k8s.io \"standard-v2\" not found"))
                .hasValue("standard-v2");
        assertThat(VolumeClaimEventMessage.missingStorageClass("Failed to provision volume with StorageClass \"gp3\": "
                + "rpc error: code = Internal desc = UnauthorizedOperation")).isEmpty();
    }

    @Test
    void theConsumersAClaimWaitsForAreListed() {
        assertThat(VolumeClaimEventMessage.waitingForPods("waiting for pod db-0 to be scheduled")).containsExactly("db-0");
        assertThat(VolumeClaimEventMessage.waitingForPods("waiting for pods web-1,web-2 to be scheduled"))
                .containsExactly("web-1", "web-2");
    }

    @Test
    void theSchedulersVolumeReasonsAreFoundAndOthersAreNot() {
        String volume = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't find available persistent volumes to bind. "
                + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        String cpu = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims "
                + "found for incoming pod.";

        assertThat(VolumeClaimEventMessage.schedulingReasons(volume)).isEqualTo(List.of("didn't find available persistent volumes to bind"));
        assertThat(VolumeClaimEventMessage.schedulingReasons(cpu)).isEmpty();
        assertThat(VolumeClaimEventMessage.schedulingReasons("0/2 nodes are available: pod has unbound immediate "
                + "PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."))
                .containsExactly(VolumeClaimEventMessage.UNBOUND_IMMEDIATE);
    }

    @Test
    void aMissingClaimAndAReadWriteOncePodConflictAreRecognised() {
        assertThat(VolumeClaimEventMessage.missingClaim("0/3 nodes are available: persistentvolumeclaim \"web-data\" not found. "
                + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")).hasValue("web-data");
        assertThat(VolumeClaimEventMessage.readWriteOncePodConflict("0/2 nodes are available: 2 node has pod using "
                + "PersistentVolumeClaim with the same name and ReadWriteOncePod access mode.")).isTrue();
    }

    @Test
    void theFailedBindingOfAClaimWithoutClassIsRecognised() {
        assertThat(VolumeClaimEventMessage.noVolumesAndNoClass(VolumeClaimEventMessage.NO_VOLUMES_AND_NO_CLASS)).isTrue();
        assertThat(VolumeClaimEventMessage.noVolumesAndNoClass("waiting for first consumer to be created before binding")).isFalse();
    }
}

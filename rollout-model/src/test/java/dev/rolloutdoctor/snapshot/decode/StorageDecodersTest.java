package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.LabelSelector;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PersistentVolume;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.StorageClass;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decode;
import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class StorageDecodersTest {

    /** A claim of a WaitForFirstConsumer class after the scheduler picked a node, still waiting for its CSI driver. */
    private static final String PENDING_CLAIM = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              annotations:
                volume.beta.kubernetes.io/storage-provisioner: ebs.csi.aws.com
                volume.kubernetes.io/selected-node: ip-10-0-12-34.eu-west-1.compute.internal
                volume.kubernetes.io/storage-provisioner: ebs.csi.aws.com
              creationTimestamp: "2024-05-02T10:00:00Z"
              finalizers:
              - kubernetes.io/pvc-protection
              labels:
                app.kubernetes.io/name: postgres
              name: data-postgres-0
              namespace: shop
              resourceVersion: "918100"
              uid: 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e
            spec:
              accessModes:
              - ReadWriteOnce
              resources:
                requests:
                  storage: 20Gi
              selector:
                matchLabels:
                  tier: fast
              storageClassName: gp3
              volumeMode: Filesystem
            status:
              phase: Pending
            """;

    private static final String BOUND_CLAIM = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              annotations:
                pv.kubernetes.io/bind-completed: "yes"
                pv.kubernetes.io/bound-by-controller: "yes"
              name: data-postgres-1
              namespace: shop
            spec:
              accessModes: [ReadWriteOnce]
              dataSource:
                apiGroup: snapshot.storage.k8s.io
                kind: VolumeSnapshot
                name: nightly
              dataSourceRef:
                apiGroup: snapshot.storage.k8s.io
                kind: VolumeSnapshot
                name: nightly
              resources:
                requests:
                  storage: 20Gi
              storageClassName: ""
              volumeMode: Filesystem
              volumeName: pvc-0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e
            status:
              accessModes: [ReadWriteOnce]
              capacity:
                storage: 20Gi
              phase: Bound
            """;

    private static final String LOCAL_PV = """
            apiVersion: v1
            kind: PersistentVolume
            metadata:
              annotations:
                pv.kubernetes.io/provisioned-by: ebs.csi.aws.com
              finalizers:
              - kubernetes.io/pv-protection
              name: pvc-0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e
              resourceVersion: "918300"
              uid: 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d
            spec:
              accessModes:
              - ReadWriteOnce
              capacity:
                storage: 20Gi
              claimRef:
                apiVersion: v1
                kind: PersistentVolumeClaim
                name: data-postgres-1
                namespace: shop
                resourceVersion: "918250"
                uid: 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e
              csi:
                driver: ebs.csi.aws.com
                fsType: ext4
                volumeAttributes:
                  storage.kubernetes.io/csiProvisionerIdentity: 1714550000000-8081-ebs.csi.aws.com
                volumeHandle: vol-0123456789abcdef0
              nodeAffinity:
                required:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - key: topology.ebs.csi.aws.com/zone
                      operator: In
                      values:
                      - eu-west-1b
              persistentVolumeReclaimPolicy: Delete
              storageClassName: gp3
              volumeMode: Filesystem
            status:
              lastPhaseTransitionTime: "2024-05-02T10:01:00Z"
              phase: Bound
            """;

    @Test
    void decodesAPendingClaimWithTheAnnotationsOfThePvController() {
        PersistentVolumeClaim claim = decodeClean(PENDING_CLAIM, StorageDecoders::persistentVolumeClaim);

        assertThat(claim.kind()).isEqualTo("PersistentVolumeClaim");
        assertThat(claim.ref()).isEqualTo(ObjectRef.of("PersistentVolumeClaim", "shop", "data-postgres-0"));
        assertThat(claim.spec().accessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.spec().requests()).containsEntry("storage", Quantity.parse("20Gi"));
        assertThat(claim.spec().storageClassName()).contains("gp3");
        assertThat(claim.spec().volumeMode()).isEqualTo("Filesystem");
        assertThat(claim.spec().volumeName()).isEmpty();
        assertThat(claim.spec().selector()).contains(LabelSelector.ofLabels(Map.of("tier", "fast")));
        assertThat(claim.isPending()).isTrue();
        assertThat(claim.isBound()).isFalse();
        assertThat(claim.selectedNode()).contains("ip-10-0-12-34.eu-west-1.compute.internal");
        assertThat(claim.storageProvisioner()).contains("ebs.csi.aws.com");
    }

    @Test
    void theBetaProvisionerAnnotationIsUsedWhenTheGaOneIsMissing() {
        PersistentVolumeClaim claim = decodeClean(
                PENDING_CLAIM.replace("    volume.kubernetes.io/storage-provisioner: ebs.csi.aws.com\n", "")
                        .replace("volume.beta.kubernetes.io/storage-provisioner: ebs.csi.aws.com", "volume.beta.kubernetes.io/storage-provisioner: kubernetes.io/aws-ebs"),
                StorageDecoders::persistentVolumeClaim);

        assertThat(claim.storageProvisioner()).contains("kubernetes.io/aws-ebs");
    }

    @Test
    void anAbsentStorageClassNameMeansTheDefaultClass() {
        PersistentVolumeClaim claim = decodeClean(PENDING_CLAIM.replace("  storageClassName: gp3\n", ""),
                StorageDecoders::persistentVolumeClaim);

        assertThat(claim.spec().storageClassName()).isEmpty();
        assertThat(claim.effectiveStorageClassName()).isEmpty();
    }

    @Test
    void anEmptyStorageClassNameMeansNoClassAndDiffersFromAbsent() {
        PersistentVolumeClaim claim = decodeClean(BOUND_CLAIM, StorageDecoders::persistentVolumeClaim);

        assertThat(claim.spec().storageClassName()).contains("");
    }

    @Test
    void theBetaStorageClassAnnotationWinsOverTheField() {
        PersistentVolumeClaim claim = decodeClean(PENDING_CLAIM.replace("  annotations:\n",
                "  annotations:\n    volume.beta.kubernetes.io/storage-class: legacy\n"), StorageDecoders::persistentVolumeClaim);

        assertThat(claim.spec().storageClassName()).contains("gp3");
        assertThat(claim.effectiveStorageClassName()).contains("legacy");
    }

    @Test
    void decodesABoundClaimWithItsVolumeCapacityAndDataSource() {
        PersistentVolumeClaim claim = decodeClean(BOUND_CLAIM, StorageDecoders::persistentVolumeClaim);

        assertThat(claim.isBound()).isTrue();
        assertThat(claim.isPending()).isFalse();
        assertThat(claim.spec().volumeName()).isEqualTo("pvc-0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e");
        assertThat(claim.status().capacity()).containsEntry("storage", Quantity.parse("20Gi"));
        assertThat(claim.status().accessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.spec().dataSource()).contains(
                new PersistentVolumeClaim.DataSource("snapshot.storage.k8s.io", "VolumeSnapshot", "nightly"));
        assertThat(claim.selectedNode()).isEmpty();
    }

    @Test
    void wrongTypesInAClaimAreProblemsAndTheRestStillDecodes() {
        var decoded = decode("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: data
                  namespace: shop
                spec:
                  accessModes: ReadWriteOnce
                  resources:
                    requests:
                      storage: twenty gigs
                  storageClassName: gp3
                status:
                  phase: Pending
                """, StorageDecoders::persistentVolumeClaim);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line())
                .containsExactlyInAnyOrder("spec.accessModes@7", "spec.resources.requests.storage@10");
        assertThat(decoded.value().spec().storageClassName()).contains("gp3");
        assertThat(decoded.value().isPending()).isTrue();
    }

    @Test
    void decodesACsiVolumeWithItsClaimAndNodeAffinity() {
        PersistentVolume pv = decodeClean(LOCAL_PV, StorageDecoders::persistentVolume);

        assertThat(pv.kind()).isEqualTo("PersistentVolume");
        assertThat(pv.ref()).isEqualTo(ObjectRef.cluster("PersistentVolume", "pvc-0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"));
        assertThat(pv.spec().capacity()).containsEntry("storage", Quantity.parse("20Gi"));
        assertThat(pv.spec().accessModes()).containsExactly("ReadWriteOnce");
        assertThat(pv.spec().storageClassName()).isEqualTo("gp3");
        assertThat(pv.spec().claimRef()).contains(
                new PersistentVolume.ClaimRef("shop", "data-postgres-1", "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"));
        assertThat(pv.spec().claimRef().get().ref()).isEqualTo(ObjectRef.of("PersistentVolumeClaim", "shop", "data-postgres-1"));
        assertThat(pv.spec().persistentVolumeReclaimPolicy()).isEqualTo("Delete");
        assertThat(pv.spec().volumeMode()).isEqualTo("Filesystem");
        assertThat(pv.spec().sourceType()).isEqualTo("csi:ebs.csi.aws.com");
        assertThat(pv.spec().nodeAffinity()).hasSize(1);
        assertThat(pv.status().phase()).isEqualTo("Bound");
        assertThat(pv.isBound()).isTrue();
        assertThat(pv.effectiveStorageClassName()).isEqualTo("gp3");
    }

    @Test
    void aVolumeIsReachableOnlyFromNodesMatchingItsNodeAffinity() {
        PersistentVolume pv = decodeClean(LOCAL_PV, StorageDecoders::persistentVolume);

        assertThat(pv.isReachableFrom(Map.of("topology.ebs.csi.aws.com/zone", "eu-west-1b"), "a")).isTrue();
        assertThat(pv.isReachableFrom(Map.of("topology.ebs.csi.aws.com/zone", "eu-west-1a"), "b")).isFalse();
    }

    @Test
    void theSourceTypeNamesTheVolumeSourceKey() {
        PersistentVolume nfs = decodeClean("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: shared}
                spec:
                  capacity: {storage: 100Gi}
                  accessModes: [ReadWriteMany]
                  nfs: {server: 10.0.0.5, path: /exports/shared}
                  persistentVolumeReclaimPolicy: Retain
                status: {phase: Available}
                """, StorageDecoders::persistentVolume);
        PersistentVolume hostPath = decodeClean("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: scratch}
                spec:
                  hostPath: {path: /mnt/data, type: DirectoryOrCreate}
                """, StorageDecoders::persistentVolume);

        assertThat(nfs.spec().sourceType()).isEqualTo("nfs");
        assertThat(nfs.spec().claimRef()).isEmpty();
        assertThat(nfs.spec().nodeAffinity()).isEmpty();
        assertThat(nfs.isReachableFrom(Map.of(), "any")).isTrue();
        assertThat(hostPath.spec().sourceType()).isEqualTo("hostPath");
    }

    @Test
    void aFailedVolumeKeepsReasonAndMessage() {
        PersistentVolume pv = decodeClean("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: old}
                spec:
                  local: {path: /mnt/disks/ssd1}
                status:
                  phase: Failed
                  reason: VolumeFailedRecycle
                  message: 'recycle failed: unsupported volume plugin'
                """, StorageDecoders::persistentVolume);

        assertThat(pv.status()).isEqualTo(new PersistentVolume.Status("Failed", "VolumeFailedRecycle",
                "recycle failed: unsupported volume plugin"));
        assertThat(pv.spec().sourceType()).isEqualTo("local");
    }

    @Test
    void wrongTypesInAVolumeAreProblemsAndTheRestStillDecodes() {
        var decoded = decode("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: broken}
                spec:
                  capacity: 20Gi
                  claimRef: data-postgres-1
                  storageClassName: gp3
                """, StorageDecoders::persistentVolume);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line())
                .containsExactlyInAnyOrder("spec.capacity@5", "spec.claimRef@6");
        assertThat(decoded.value().spec().storageClassName()).isEqualTo("gp3");
        assertThat(decoded.value().spec().claimRef()).contains(new PersistentVolume.ClaimRef("", "", ""));
    }

    @Test
    void decodesADefaultWaitForFirstConsumerClass() {
        StorageClass sc = decodeClean("""
                allowVolumeExpansion: true
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  annotations:
                    storageclass.kubernetes.io/is-default-class: "true"
                  name: gp3
                parameters:
                  type: gp3
                provisioner: ebs.csi.aws.com
                reclaimPolicy: Retain
                volumeBindingMode: WaitForFirstConsumer
                """, StorageDecoders::storageClass);

        assertThat(sc.kind()).isEqualTo("StorageClass");
        assertThat(sc.provisioner()).isEqualTo("ebs.csi.aws.com");
        assertThat(sc.volumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        assertThat(sc.isWaitForFirstConsumer()).isTrue();
        assertThat(sc.reclaimPolicy()).isEqualTo("Retain");
        assertThat(sc.allowVolumeExpansion()).isTrue();
        assertThat(sc.isDefault()).isTrue();
    }

    @Test
    void absentBindingModeAndReclaimPolicyTakeTheirDefaults() {
        StorageClass sc = decodeClean("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: standard}
                provisioner: kubernetes.io/no-provisioner
                """, StorageDecoders::storageClass);

        assertThat(sc.volumeBindingMode()).isEqualTo("Immediate");
        assertThat(sc.reclaimPolicy()).isEqualTo("Delete");
        assertThat(sc.allowVolumeExpansion()).isFalse();
        assertThat(sc.isDefault()).isFalse();
    }

    @Test
    void theBetaDefaultAnnotationMarksADefaultClass() {
        StorageClass sc = decodeClean("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: standard
                  annotations: {storageclass.beta.kubernetes.io/is-default-class: "true"}
                provisioner: rancher.io/local-path
                """, StorageDecoders::storageClass);

        assertThat(sc.isDefault()).isTrue();
    }

    @Test
    void onlyTheExactTextTrueMarksADefaultClass() {
        StorageClass sc = decodeClean("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: standard
                  annotations: {storageclass.kubernetes.io/is-default-class: "True"}
                provisioner: rancher.io/local-path
                """, StorageDecoders::storageClass);

        assertThat(sc.isDefault()).isFalse();
    }

    @Test
    void aWrongTypedExpansionFlagIsAProblemAndReadsAsFalse() {
        var decoded = decode("""
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: standard}
                provisioner: rancher.io/local-path
                allowVolumeExpansion: sometimes
                """, StorageDecoders::storageClass);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line())
                .containsExactly("allowVolumeExpansion@5");
        assertThat(decoded.value().allowVolumeExpansion()).isFalse();
        assertThat(decoded.value().provisioner()).isEqualTo("rancher.io/local-path");
        assertThat(decoded.value().volumeBindingMode()).isEqualTo("Immediate");
    }
}

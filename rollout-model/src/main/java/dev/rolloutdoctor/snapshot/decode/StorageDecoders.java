package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.PersistentVolume;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.model.StorageClass;

import java.util.Optional;
import java.util.Set;

/** Decoders of the storage kinds: PersistentVolumeClaim, PersistentVolume, StorageClass. */
public final class StorageDecoders {

    /** The keys of a PersistentVolume spec that hold its volume source (core/v1 {@code PersistentVolumeSource}). */
    private static final Set<String> VOLUME_SOURCES = Set.of(
            "csi", "hostPath", "nfs", "local", "awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile",
            "iscsi", "fc", "rbd", "cephfs", "cinder", "glusterfs", "portworxVolume", "vsphereVolume", "flexVolume",
            "photonPersistentDisk", "quobyte", "scaleIO", "storageos", "flocker");

    private StorageDecoders() {
    }

    public static PersistentVolumeClaim persistentVolumeClaim(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj status = root.obj("status");
        return new PersistentVolumeClaim(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new PersistentVolumeClaim.Spec(
                        spec.strList("accessModes"),
                        spec.optStr("storageClassName"),
                        spec.str("volumeName"),
                        spec.obj("resources").quantities("requests"),
                        spec.str("volumeMode"),
                        spec.selector("selector"),
                        dataSource(spec)),
                new PersistentVolumeClaim.Status(
                        status.str("phase"),
                        status.strList("accessModes"),
                        status.quantities("capacity"),
                        Common.conditions(status, "conditions")),
                source);
    }

    /** {@code dataSourceRef} supersedes {@code dataSource} (it may also name a namespace and any populator kind). */
    private static Optional<PersistentVolumeClaim.DataSource> dataSource(Obj spec) {
        String key = spec.has("dataSourceRef") ? "dataSourceRef" : "dataSource";
        if (!spec.has(key)) {
            return Optional.empty();
        }
        Obj d = spec.obj(key);
        return Optional.of(new PersistentVolumeClaim.DataSource(d.str("apiGroup"), d.str("kind"), d.str("name")));
    }

    public static PersistentVolume persistentVolume(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj status = root.obj("status");
        return new PersistentVolume(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new PersistentVolume.Spec(
                        spec.quantities("capacity"),
                        spec.strList("accessModes"),
                        spec.str("storageClassName"),
                        claimRef(spec),
                        spec.str("persistentVolumeReclaimPolicy"),
                        spec.str("volumeMode"),
                        Common.nodeSelectorTerms(spec.obj("nodeAffinity").obj("required")),
                        sourceType(spec)),
                new PersistentVolume.Status(status.str("phase"), status.str("reason"), status.str("message")),
                source);
    }

    private static Optional<PersistentVolume.ClaimRef> claimRef(Obj spec) {
        if (!spec.has("claimRef")) {
            return Optional.empty();
        }
        Obj c = spec.obj("claimRef");
        return Optional.of(new PersistentVolume.ClaimRef(c.str("namespace"), c.str("name"), c.str("uid")));
    }

    /** The first volume-source key of the spec; CSI and flex volumes name their driver, which says more than the key. */
    static String sourceType(Obj spec) {
        MapNode m = spec.node();
        for (int i = 0; i < m.size(); i++) {
            String key = m.keyAt(i);
            if (!VOLUME_SOURCES.contains(key) || m.valueAt(i).isAbsent()) {
                continue;
            }
            if (key.equals("csi") || key.equals("flexVolume")) {
                String driver = spec.obj(key).str("driver");
                return driver.isEmpty() ? key : key + ":" + driver;
            }
            return key;
        }
        return "";
    }

    public static StorageClass storageClass(Obj root, Source source) {
        return new StorageClass(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                root.str("provisioner"),
                orDefault(root.str("volumeBindingMode"), StorageClass.IMMEDIATE),
                orDefault(root.str("reclaimPolicy"), "Delete"),
                root.bool("allowVolumeExpansion", false),
                source);
    }

    private static String orDefault(String value, String defaultValue) {
        return value.isEmpty() ? defaultValue : value;
    }
}

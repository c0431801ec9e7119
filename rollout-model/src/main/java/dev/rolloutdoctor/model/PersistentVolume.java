package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/** A core/v1 PersistentVolume: a piece of storage, the claim it is bound to, and the nodes that can reach it. */
public record PersistentVolume(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source)
        implements KubeObject {

    public PersistentVolume {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "PersistentVolume";
    }

    /**
     * {@code spec}.
     *
     * @param storageClassName              "" when the volume has no class
     * @param persistentVolumeReclaimPolicy {@code Retain}, {@code Delete} or {@code Recycle} as written; "" when absent
     * @param volumeMode                    {@code Filesystem} or {@code Block} as written; "" when absent (Filesystem)
     * @param nodeAffinity                  {@code nodeAffinity.required.nodeSelectorTerms}: a pod using the volume
     *                                      can only run on a node matching one term; empty when unrestricted
     * @param sourceType                    the kind of storage: {@code csi:<driver>}, {@code hostPath}, {@code nfs},
     *                                      {@code local}, ... (the spec key that holds it); "" when none is known
     */
    public record Spec(
            SortedMap<String, Quantity> capacity,
            List<String> accessModes,
            String storageClassName,
            Optional<ClaimRef> claimRef,
            String persistentVolumeReclaimPolicy,
            String volumeMode,
            List<NodeSelectorTerm> nodeAffinity,
            String sourceType) {

        public Spec {
            capacity = Collections2.sortedCopy(capacity);
            accessModes = List.copyOf(accessModes);
            Objects.requireNonNull(storageClassName, "storageClassName");
            Objects.requireNonNull(claimRef, "claimRef");
            Objects.requireNonNull(persistentVolumeReclaimPolicy, "persistentVolumeReclaimPolicy");
            Objects.requireNonNull(volumeMode, "volumeMode");
            nodeAffinity = List.copyOf(nodeAffinity);
            Objects.requireNonNull(sourceType, "sourceType");
        }
    }

    /** {@code spec.claimRef}: the claim the volume is bound (or reserved) to. */
    public record ClaimRef(String namespace, String name, String uid) {

        public ClaimRef {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uid, "uid");
        }

        public ObjectRef ref() {
            return ObjectRef.of("PersistentVolumeClaim", namespace, name);
        }
    }

    /**
     * {@code status}.
     *
     * @param phase {@code Pending}, {@code Available}, {@code Bound}, {@code Released} or {@code Failed} as written
     */
    public record Status(String phase, String reason, String message) {

        public Status {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The class of the volume: the beta annotation when present, else {@code spec.storageClassName}. */
    public String effectiveStorageClassName() {
        return metadata.annotation(PersistentVolumeClaim.BETA_STORAGE_CLASS_ANNOTATION).orElse(spec.storageClassName());
    }

    public boolean isBound() {
        return "Bound".equals(status.phase());
    }

    /** True when a pod using this volume can run on a node with these labels and this name. */
    public boolean isReachableFrom(Map<String, String> nodeLabels, String nodeName) {
        return spec.nodeAffinity().isEmpty() || NodeSelectorTerm.anyMatches(spec.nodeAffinity(), nodeLabels, nodeName);
    }
}

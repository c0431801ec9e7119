package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/** A core/v1 PersistentVolumeClaim: the storage a pod asks for, and whether the PV controller has bound it yet. */
public record PersistentVolumeClaim(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source)
        implements KubeObject {

    /** Set by the scheduler on a WaitForFirstConsumer claim: the node the first consumer pod was scheduled to. */
    public static final String SELECTED_NODE_ANNOTATION = "volume.kubernetes.io/selected-node";
    /** Set by the PV controller: the provisioner expected to create the volume. */
    public static final String STORAGE_PROVISIONER_ANNOTATION = "volume.kubernetes.io/storage-provisioner";
    /** The older spelling of {@link #STORAGE_PROVISIONER_ANNOTATION}, still written alongside it. */
    public static final String BETA_STORAGE_PROVISIONER_ANNOTATION = "volume.beta.kubernetes.io/storage-provisioner";
    /** The class a claim asks for, from before {@code spec.storageClassName}; when present it wins over the field. */
    public static final String BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    public PersistentVolumeClaim {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "PersistentVolumeClaim";
    }

    /**
     * {@code spec}.
     *
     * @param storageClassName empty when absent (the cluster's default class is used), "" when written empty (no
     *                         class: only pre-provisioned volumes without a class can bind)
     * @param volumeName       the PersistentVolume the claim is bound or pre-bound to, "" when none
     * @param requests         {@code resources.requests}, sorted by resource name
     * @param volumeMode       {@code Filesystem} or {@code Block} as written, "" when absent (Filesystem)
     * @param dataSource       {@code dataSourceRef}, else {@code dataSource}: what the volume is populated from
     */
    public record Spec(
            List<String> accessModes,
            Optional<String> storageClassName,
            String volumeName,
            SortedMap<String, Quantity> requests,
            String volumeMode,
            Optional<LabelSelector> selector,
            Optional<DataSource> dataSource) {

        public Spec {
            accessModes = List.copyOf(accessModes);
            Objects.requireNonNull(storageClassName, "storageClassName");
            Objects.requireNonNull(volumeName, "volumeName");
            requests = Collections2.sortedCopy(requests);
            Objects.requireNonNull(volumeMode, "volumeMode");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(dataSource, "dataSource");
        }
    }

    /** A claim's data source: a VolumeSnapshot, another claim, or a volume populator's object. */
    public record DataSource(String apiGroup, String kind, String name) {

        public DataSource {
            Objects.requireNonNull(apiGroup, "apiGroup");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code status}.
     *
     * @param phase    {@code Pending}, {@code Bound} or {@code Lost} as written; "" when absent
     * @param capacity the bound volume's capacity, sorted by resource name
     */
    public record Status(String phase, List<String> accessModes, SortedMap<String, Quantity> capacity, List<Condition> conditions) {

        public Status {
            Objects.requireNonNull(phase, "phase");
            accessModes = List.copyOf(accessModes);
            capacity = Collections2.sortedCopy(capacity);
            conditions = List.copyOf(conditions);
        }
    }

    public boolean isBound() {
        return "Bound".equals(status.phase());
    }

    /** Pending, or no phase at all (a claim the PV controller has not looked at yet). */
    public boolean isPending() {
        return "Pending".equals(status.phase()) || status.phase().isEmpty();
    }

    /**
     * The class the PV controller uses for this claim: the beta annotation when present, else
     * {@code spec.storageClassName}; empty means "the default class", "" means "no class".
     */
    public Optional<String> effectiveStorageClassName() {
        Optional<String> beta = metadata.annotation(BETA_STORAGE_CLASS_ANNOTATION);
        return beta.isPresent() ? beta : spec.storageClassName();
    }

    /** The node the scheduler picked for the first consumer of a WaitForFirstConsumer claim. */
    public Optional<String> selectedNode() {
        return metadata.annotation(SELECTED_NODE_ANNOTATION);
    }

    /** The provisioner the PV controller handed the claim to (GA annotation, else the beta one). */
    public Optional<String> storageProvisioner() {
        Optional<String> ga = metadata.annotation(STORAGE_PROVISIONER_ANNOTATION);
        return ga.isPresent() ? ga : metadata.annotation(BETA_STORAGE_PROVISIONER_ANNOTATION);
    }
}

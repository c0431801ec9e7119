package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * A storage.k8s.io/v1 StorageClass: which provisioner creates volumes for claims of this class, and when.
 *
 * @param volumeBindingMode    {@code Immediate} (the default when absent) or {@code WaitForFirstConsumer}
 * @param reclaimPolicy        {@code Delete} (the default when absent) or {@code Retain}
 * @param allowVolumeExpansion false when absent
 */
public record StorageClass(
        String apiVersion,
        ObjectMeta metadata,
        String provisioner,
        String volumeBindingMode,
        String reclaimPolicy,
        boolean allowVolumeExpansion,
        Source source) implements KubeObject {

    public static final String IMMEDIATE = "Immediate";
    public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
    public static final String IS_DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    public static final String BETA_IS_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";

    public StorageClass {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(provisioner, "provisioner");
        Objects.requireNonNull(volumeBindingMode, "volumeBindingMode");
        Objects.requireNonNull(reclaimPolicy, "reclaimPolicy");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "StorageClass";
    }

    /**
     * True when the class is marked default: either annotation set to exactly {@code "true"}, as Kubernetes'
     * {@code IsDefaultAnnotation} tests it.
     */
    public boolean isDefault() {
        return "true".equals(metadata.annotations().get(IS_DEFAULT_CLASS_ANNOTATION))
                || "true".equals(metadata.annotations().get(BETA_IS_DEFAULT_CLASS_ANNOTATION));
    }

    /** True when binding and provisioning wait until a pod using the claim is scheduled. */
    public boolean isWaitForFirstConsumer() {
        return WAIT_FOR_FIRST_CONSUMER.equals(volumeBindingMode);
    }
}

package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * Where a container mounts one of the pod's volumes ({@code spec.containers[].volumeMounts[]}).
 *
 * @param name    the name of the volume in {@code spec.volumes}
 * @param subPath the path inside the volume that is mounted ("" for its root)
 */
public record VolumeMount(String name, String mountPath, boolean readOnly, String subPath) {

    public VolumeMount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mountPath, "mountPath");
        Objects.requireNonNull(subPath, "subPath");
    }
}

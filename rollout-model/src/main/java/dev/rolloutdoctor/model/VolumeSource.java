package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a pod volume's data comes from. The kinds a rollout diagnosis reasons about have their own record; every
 * other kind ({@code nfs}, {@code csi}, ...) is an {@link OtherSource} named by its field.
 */
public sealed interface VolumeSource permits VolumeSource.PersistentVolumeClaimSource, VolumeSource.ConfigMapSource,
        VolumeSource.SecretSource, VolumeSource.ProjectedSource, VolumeSource.EmptyDirSource,
        VolumeSource.HostPathSource, VolumeSource.EphemeralSource, VolumeSource.DownwardAPISource,
        VolumeSource.ServiceAccountTokenSource, VolumeSource.OtherSource {

    /** The field name Kubernetes gives this kind of source ({@code persistentVolumeClaim}, {@code nfs}). */
    String type();

    /** A PersistentVolumeClaim in the pod's namespace. */
    record PersistentVolumeClaimSource(String claimName, boolean readOnly) implements VolumeSource {
        public PersistentVolumeClaimSource {
            Objects.requireNonNull(claimName, "claimName");
        }

        @Override
        public String type() {
            return "persistentVolumeClaim";
        }
    }

    /**
     * A ConfigMap (as a volume or as a projection).
     *
     * @param keys the keys listed in {@code items} (each must exist unless optional); empty means all keys
     */
    record ConfigMapSource(String name, boolean optional, List<String> keys) implements VolumeSource {
        public ConfigMapSource {
            Objects.requireNonNull(name, "name");
            keys = List.copyOf(keys);
        }

        @Override
        public String type() {
            return "configMap";
        }
    }

    /**
     * A Secret (as a volume or as a projection); names and keys only, never data.
     *
     * @param secretName the Secret's name (a projection writes it as {@code name})
     * @param keys       the keys listed in {@code items} (each must exist unless optional); empty means all keys
     */
    record SecretSource(String secretName, boolean optional, List<String> keys) implements VolumeSource {
        public SecretSource {
            Objects.requireNonNull(secretName, "secretName");
            keys = List.copyOf(keys);
        }

        @Override
        public String type() {
            return "secret";
        }
    }

    /**
     * Several sources in one directory ({@code kube-api-access-*} volumes are one): ConfigMaps, Secrets, the
     * service account token, downward API, or others.
     */
    record ProjectedSource(List<VolumeSource> sources) implements VolumeSource {
        public ProjectedSource {
            sources = List.copyOf(sources);
        }

        @Override
        public String type() {
            return "projected";
        }
    }

    /**
     * A scratch directory that lives as long as the pod.
     *
     * @param medium    "" for the node's disk, {@code Memory} for tmpfs
     * @param sizeLimit the most it may hold before the pod is evicted, if set
     */
    record EmptyDirSource(String medium, Optional<Quantity> sizeLimit) implements VolumeSource {
        public EmptyDirSource {
            Objects.requireNonNull(medium, "medium");
            Objects.requireNonNull(sizeLimit, "sizeLimit");
        }

        @Override
        public String type() {
            return "emptyDir";
        }
    }

    /**
     * A file or directory of the node.
     *
     * @param hostPathType the check made before mounting ({@code Directory}, {@code DirectoryOrCreate}, ...); "" for none
     */
    record HostPathSource(String path, String hostPathType) implements VolumeSource {
        public HostPathSource {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(hostPathType, "hostPathType");
        }

        @Override
        public String type() {
            return "hostPath";
        }
    }

    /**
     * A generic ephemeral volume: a PersistentVolumeClaim made for the pod from a template, named
     * {@code <pod name>-<volume name>}.
     *
     * @param storageClassName the template's storage class, if it names one (empty means the cluster default)
     * @param accessModes      the template's access modes
     * @param storageRequest   the template's {@code resources.requests.storage}, if set
     */
    record EphemeralSource(Optional<String> storageClassName, List<String> accessModes, Optional<Quantity> storageRequest)
            implements VolumeSource {
        public EphemeralSource {
            Objects.requireNonNull(storageClassName, "storageClassName");
            accessModes = List.copyOf(accessModes);
            Objects.requireNonNull(storageRequest, "storageRequest");
        }

        /** The name of the claim Kubernetes creates for this volume of the given pod. */
        public static String claimName(String podName, String volumeName) {
            return podName + "-" + volumeName;
        }

        @Override
        public String type() {
            return "ephemeral";
        }
    }

    /** Fields of the pod written as files ({@code downwardAPI}, as a volume or as a projection). */
    record DownwardAPISource() implements VolumeSource {
        @Override
        public String type() {
            return "downwardAPI";
        }
    }

    /**
     * A projected service account token (only inside a {@link ProjectedSource}).
     *
     * @param audience          the token's audience; "" for the API server's
     * @param expirationSeconds requested lifetime, if set (Kubernetes defaults it to one hour)
     */
    record ServiceAccountTokenSource(String audience, OptionalLong expirationSeconds, String path) implements VolumeSource {
        public ServiceAccountTokenSource {
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(expirationSeconds, "expirationSeconds");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String type() {
            return "serviceAccountToken";
        }
    }

    /** Any other kind of source, named by its field ({@code nfs}, {@code csi}, {@code awsElasticBlockStore}, ...). */
    record OtherSource(String type) implements VolumeSource {
        public OtherSource {
            Objects.requireNonNull(type, "type");
        }
    }
}

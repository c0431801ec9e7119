package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * Where an environment variable's value comes from when it is not written in the pod ({@code env[].valueFrom}).
 */
public sealed interface EnvVarSource permits KeyReference, EnvVarSource.FieldRef, EnvVarSource.ResourceFieldRef,
        EnvVarSource.Other {

    /** A field of the pod itself ({@code metadata.name}, {@code spec.nodeName}, {@code status.podIP}, ...). */
    record FieldRef(String fieldPath) implements EnvVarSource {
        public FieldRef {
            Objects.requireNonNull(fieldPath, "fieldPath");
        }
    }

    /** A container's resource request or limit ({@code limits.memory}); containerName "" means this container. */
    record ResourceFieldRef(String containerName, String resource) implements EnvVarSource {
        public ResourceFieldRef {
            Objects.requireNonNull(containerName, "containerName");
            Objects.requireNonNull(resource, "resource");
        }
    }

    /** A kind of source this model does not read (such as {@code fileKeyRef}), named by its field. */
    record Other(String type) implements EnvVarSource {
        public Other {
            Objects.requireNonNull(type, "type");
        }
    }
}

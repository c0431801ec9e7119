package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A container of a pod: an init container, a native sidecar (an init container with {@code restartPolicy: Always})
 * or an app container.
 *
 * @param imagePullPolicy as written ("" when absent); see {@link #effectiveImagePullPolicy()}
 * @param command         the entrypoint override, as written
 * @param args            the arguments, as written
 * @param securityContext the container's own security context, if it has one
 * @param restartPolicy   only for init containers: {@code Always} marks a native sidecar; "" when absent
 */
public record Container(
        String name,
        String image,
        String imagePullPolicy,
        List<String> command,
        List<String> args,
        List<ContainerPort> ports,
        ResourceRequirements resources,
        Optional<Probe> readinessProbe,
        Optional<Probe> livenessProbe,
        Optional<Probe> startupProbe,
        List<EnvVar> env,
        List<EnvFromSource> envFrom,
        List<VolumeMount> volumeMounts,
        Optional<LifecycleHandler> preStop,
        Optional<LifecycleHandler> postStart,
        Optional<SecurityContext> securityContext,
        String restartPolicy) {

    public Container {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
        command = List.copyOf(command);
        args = List.copyOf(args);
        ports = List.copyOf(ports);
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(readinessProbe, "readinessProbe");
        Objects.requireNonNull(livenessProbe, "livenessProbe");
        Objects.requireNonNull(startupProbe, "startupProbe");
        env = List.copyOf(env);
        envFrom = List.copyOf(envFrom);
        volumeMounts = List.copyOf(volumeMounts);
        Objects.requireNonNull(preStop, "preStop");
        Objects.requireNonNull(postStart, "postStart");
        Objects.requireNonNull(securityContext, "securityContext");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
    }

    /** A container with just a name and an image, for code and tests. */
    public static Container of(String name, String image) {
        return new Container(name, image, "", List.of(), List.of(), List.of(), ResourceRequirements.EMPTY,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), "");
    }

    /** True for an init container that keeps running beside the app containers (a native sidecar). */
    public boolean isSidecar() {
        return "Always".equals(restartPolicy);
    }

    /**
     * The pull policy in effect. Where it is not written, Kubernetes' defaulting ({@code SetDefaults_Container})
     * chooses {@code Always} for an image tagged {@code latest} or with neither tag nor digest, else
     * {@code IfNotPresent}.
     */
    public String effectiveImagePullPolicy() {
        if (!imagePullPolicy.isEmpty()) {
            return imagePullPolicy;
        }
        return "latest".equals(imageTag().orElse(imageDigest().isPresent() ? "" : "latest")) ? "Always" : "IfNotPresent";
    }

    /** The image's tag ({@code 1.25} of {@code nginx:1.25}), if it names one. */
    public Optional<String> imageTag() {
        String nameAndTag = image;
        int at = nameAndTag.indexOf('@');
        if (at >= 0) {
            nameAndTag = nameAndTag.substring(0, at);
        }
        int colon = nameAndTag.lastIndexOf(':');
        if (colon < 0 || nameAndTag.indexOf('/', colon) >= 0) {
            return Optional.empty(); // the colon belongs to a registry host:port
        }
        return Optional.of(nameAndTag.substring(colon + 1));
    }

    /** The image's digest ({@code sha256:...}), if it names one. */
    public Optional<String> imageDigest() {
        int at = image.indexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(image.substring(at + 1));
    }

    /** The declared port with this name. */
    public Optional<ContainerPort> port(String portName) {
        return ports.stream().filter(p -> p.name().equals(portName)).findFirst();
    }

    /** The probes the container has, readiness, liveness, startup in that order. */
    public List<Probe> probes() {
        return Stream.of(readinessProbe, livenessProbe, startupProbe)
                .flatMap(Optional::stream)
                .toList();
    }
}

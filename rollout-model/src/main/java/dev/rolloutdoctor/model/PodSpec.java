package dev.rolloutdoctor.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * The {@code spec} of a pod or of a workload's pod template. Fields that Kubernetes' defaulting fills on every
 * object it stores are kept as written ("" or empty when absent), so a hand-written manifest and a stored object
 * read the same; the {@code effective...} methods give the value in effect.
 *
 * @param nodeSelector                  node labels the pod requires
 * @param serviceAccountName            falls back to the deprecated {@code serviceAccount} field; "" when neither is set
 *                                      (Kubernetes then uses {@code default})
 * @param terminationGracePeriodSeconds as written; see {@link #effectiveTerminationGracePeriodSeconds()}
 * @param activeDeadlineSeconds         how long the pod may be active before it is failed with {@code DeadlineExceeded}
 * @param nodeName                      the node the pod is bound to; "" while unscheduled
 * @param restartPolicy                 as written ({@code Always}, {@code OnFailure}, {@code Never}); "" when absent,
 *                                      which Kubernetes fills as {@code Always}
 * @param schedulerName                 "" when absent, which Kubernetes fills as {@code default-scheduler}
 * @param imagePullSecrets              names of the Secrets used to pull images
 * @param securityContext               the pod-level security context, if present
 * @param readinessGates                extra condition types that must be True for the pod to be Ready
 * @param priority                      the priority the admission plugin resolved from {@code priorityClassName}
 * @param runtimeClassName              "" when absent
 * @param overhead                      resources the RuntimeClass adds to the pod's requests
 * @param schedulingGates               names of gates that keep the pod from being scheduled while present
 * @param resources                     pod-level requests and limits (Kubernetes 1.32+), {@link ResourceRequirements#EMPTY} when absent
 */
public record PodSpec(
        List<Container> initContainers,
        List<Container> containers,
        List<Volume> volumes,
        SortedMap<String, String> nodeSelector,
        Optional<Affinity> affinity,
        List<Toleration> tolerations,
        List<TopologySpreadConstraint> topologySpreadConstraints,
        boolean hostNetwork,
        boolean hostPID,
        boolean hostIPC,
        String serviceAccountName,
        OptionalLong terminationGracePeriodSeconds,
        OptionalLong activeDeadlineSeconds,
        String nodeName,
        String restartPolicy,
        String schedulerName,
        String priorityClassName,
        List<String> imagePullSecrets,
        Optional<SecurityContext> securityContext,
        List<String> readinessGates,
        OptionalInt priority,
        String runtimeClassName,
        SortedMap<String, Quantity> overhead,
        List<String> schedulingGates,
        ResourceRequirements resources) {

    /** Kubernetes' default grace period ({@code v1.DefaultTerminationGracePeriodSeconds}). */
    public static final long DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

    /** A spec with nothing in it, for objects read without one. */
    public static final PodSpec EMPTY = new PodSpec(List.of(), List.of(), List.of(), Collections.emptySortedMap(),
            Optional.empty(), List.of(), List.of(), false, false, false, "", OptionalLong.empty(), OptionalLong.empty(),
            "", "", "", "", List.of(), Optional.empty(), List.of(), OptionalInt.empty(), "",
            Collections.emptySortedMap(), List.of(), ResourceRequirements.EMPTY);

    public PodSpec {
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
        volumes = List.copyOf(volumes);
        nodeSelector = Collections2.sortedCopy(nodeSelector);
        Objects.requireNonNull(affinity, "affinity");
        tolerations = List.copyOf(tolerations);
        topologySpreadConstraints = List.copyOf(topologySpreadConstraints);
        Objects.requireNonNull(serviceAccountName, "serviceAccountName");
        Objects.requireNonNull(terminationGracePeriodSeconds, "terminationGracePeriodSeconds");
        Objects.requireNonNull(activeDeadlineSeconds, "activeDeadlineSeconds");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(schedulerName, "schedulerName");
        Objects.requireNonNull(priorityClassName, "priorityClassName");
        imagePullSecrets = List.copyOf(imagePullSecrets);
        Objects.requireNonNull(securityContext, "securityContext");
        readinessGates = List.copyOf(readinessGates);
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(runtimeClassName, "runtimeClassName");
        overhead = Collections2.sortedCopy(overhead);
        schedulingGates = List.copyOf(schedulingGates);
        Objects.requireNonNull(resources, "resources");
    }

    /** Init containers (sidecars included) first, then app containers, each in order written. */
    public List<Container> allContainers() {
        if (initContainers.isEmpty()) {
            return containers;
        }
        List<Container> all = new ArrayList<>(initContainers.size() + containers.size());
        all.addAll(initContainers);
        all.addAll(containers);
        return List.copyOf(all);
    }

    /** The init or app container with this name. */
    public Optional<Container> container(String name) {
        return allContainers().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The volume with this name. */
    public Optional<Volume> volume(String name) {
        return volumes.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The grace period in effect: as written, else Kubernetes' default of 30 seconds. */
    public long effectiveTerminationGracePeriodSeconds() {
        return terminationGracePeriodSeconds.orElse(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }

    /** The restart policy in effect: as written, else {@code Always}. */
    public String effectiveRestartPolicy() {
        return restartPolicy.isEmpty() ? "Always" : restartPolicy;
    }

    /** The service account in effect: as written, else {@code default}. */
    public String effectiveServiceAccountName() {
        return serviceAccountName.isEmpty() ? "default" : serviceAccountName;
    }

    /** The scheduler in effect: as written, else {@code default-scheduler}. */
    public String effectiveSchedulerName() {
        return schedulerName.isEmpty() ? "default-scheduler" : schedulerName;
    }
}

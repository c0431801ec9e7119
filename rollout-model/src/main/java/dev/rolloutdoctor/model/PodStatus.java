package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code status} of a pod.
 *
 * @param phase             as written ({@code Pending}, {@code Running}, {@code Succeeded}, {@code Failed},
 *                          {@code Unknown}), even when it is none of these; "" when absent
 * @param reason            a pod-level reason such as {@code Evicted}, {@code NodeLost}, {@code DeadlineExceeded}
 * @param nominatedNodeName the node preemption made room on, while the pod waits for it
 * @param hostIP            "" when absent or redacted
 * @param podIP             "" when absent or redacted
 * @param qosClass          {@code Guaranteed}, {@code Burstable} or {@code BestEffort}; "" when absent
 */
public record PodStatus(
        String phase,
        List<Condition> conditions,
        List<ContainerStatus> initContainerStatuses,
        List<ContainerStatus> containerStatuses,
        List<ContainerStatus> ephemeralContainerStatuses,
        String reason,
        String message,
        String nominatedNodeName,
        String hostIP,
        String podIP,
        Optional<Instant> startTime,
        String qosClass) {

    /** A status with nothing in it, for pods read without one. */
    public static final PodStatus EMPTY = new PodStatus("", List.of(), List.of(), List.of(), List.of(), "", "", "", "",
            "", Optional.empty(), "");

    public PodStatus {
        Objects.requireNonNull(phase, "phase");
        conditions = List.copyOf(conditions);
        initContainerStatuses = List.copyOf(initContainerStatuses);
        containerStatuses = List.copyOf(containerStatuses);
        ephemeralContainerStatuses = List.copyOf(ephemeralContainerStatuses);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(nominatedNodeName, "nominatedNodeName");
        Objects.requireNonNull(hostIP, "hostIP");
        Objects.requireNonNull(podIP, "podIP");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(qosClass, "qosClass");
    }

    public Optional<Condition> condition(String type) {
        return Condition.find(conditions, type);
    }
}

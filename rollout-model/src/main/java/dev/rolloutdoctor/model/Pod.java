package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A Pod as read from the input: metadata, spec and status. */
public record Pod(String apiVersion, ObjectMeta metadata, PodSpec spec, PodStatus status, Source source)
        implements KubeObject {

    public static final String KIND = "Pod";

    public Pod {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** True while the pod is being deleted ({@code deletionTimestamp} set): what kubectl shows as Terminating. */
    public boolean isTerminating() {
        return metadata.isTerminating();
    }

    /** True when the pod's {@code Ready} condition is True. */
    public boolean isReady() {
        return status.condition("Ready").map(Condition::isTrue).orElse(false);
    }

    /** True when the pod has been bound to a node ({@code spec.nodeName} set, or {@code PodScheduled} True). */
    public boolean isScheduled() {
        return !spec.nodeName().isEmpty() || status.condition("PodScheduled").map(Condition::isTrue).orElse(false);
    }

    /** True in phase {@code Succeeded} or {@code Failed}: the pod will not run again. */
    public boolean isTerminal() {
        return "Succeeded".equals(status.phase()) || "Failed".equals(status.phase());
    }

    /**
     * When the grace period of a pod being deleted runs out, after which kubelet kills what still runs. This is
     * {@code deletionTimestamp} itself: the API server sets it to the time of the delete request plus the grace
     * period ({@code BeforeDelete} in {@code k8s.io/apiserver/pkg/registry/rest/delete.go}: {@code now + GracePeriodSeconds},
     * and moves it earlier when a later request shortens the period). A pod still present well after this is
     * held by finalizers or by a node that no longer reports.
     */
    public Optional<Instant> deletionDeadline() {
        return metadata.deletionTimestamp();
    }

    /** The status of the init, app or ephemeral container with this name (names are unique within a pod). */
    public Optional<ContainerStatus> containerStatus(String name) {
        for (List<ContainerStatus> list : List.of(status.initContainerStatuses(), status.containerStatuses(),
                status.ephemeralContainerStatuses())) {
            for (ContainerStatus cs : list) {
                if (cs.name().equals(name)) {
                    return Optional.of(cs);
                }
            }
        }
        return Optional.empty();
    }

    /** The statuses of the init containers, then of the app containers (ephemeral debug containers left out). */
    public List<ContainerStatus> allContainerStatuses() {
        if (status.initContainerStatuses().isEmpty()) {
            return status.containerStatuses();
        }
        List<ContainerStatus> all = new ArrayList<>(status.initContainerStatuses());
        all.addAll(status.containerStatuses());
        return List.copyOf(all);
    }
}

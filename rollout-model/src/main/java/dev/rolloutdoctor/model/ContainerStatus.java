package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Kubelet's report on one container of a pod ({@code status.containerStatuses[]} and its init and ephemeral
 * counterparts).
 *
 * @param image     the image as kubelet resolved it (may differ in form from the spec's)
 * @param imageID   the image digest kubelet ran ("" before the pull finished)
 * @param started   whether the startup probe (if any) has passed; absent in older clusters
 * @param state     the current state
 * @param lastState the state the container was in before its last restart ({@link ContainerState#EMPTY} when none)
 */
public record ContainerStatus(
        String name,
        String image,
        String imageID,
        boolean ready,
        Optional<Boolean> started,
        int restartCount,
        ContainerState state,
        ContainerState lastState) {

    public ContainerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageID, "imageID");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastState, "lastState");
    }
}

package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.ContainerState;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.Pod;

import java.util.Optional;

/** The moments of a pod's life that its object records: creation, scheduling, readiness, containers, deletion. */
final class PodMoments {

    private PodMoments() {
    }

    static void record(Pod pod, Timeline.Recorder out) {
        String name = "Pod " + pod.metadata().name();
        String owner = pod.metadata().controllerRef().map(r -> " by " + r.kind() + " " + r.name()).orElse("");
        out.add(pod.metadata().creationTimestamp(), pod, TimelineEntry.Category.POD, name + " created" + owner);
        pod.status().condition("PodScheduled").ifPresent(c -> out.add(c.lastTransitionTime(), pod,
                TimelineEntry.Category.POD, c.isTrue()
                        ? name + " scheduled" + (pod.spec().nodeName().isEmpty() ? "" : " to " + pod.spec().nodeName())
                        : name + " could not be scheduled" + detail(c)));
        pod.status().condition("Ready").ifPresent(c -> out.add(c.lastTransitionTime(), pod,
                TimelineEntry.Category.POD, c.isTrue() ? name + " became ready" : name + " became not ready" + detail(c)));
        Optional<String> grace = pod.metadata().deletionGracePeriodSeconds().isPresent()
                ? Optional.of(" (grace period " + pod.metadata().deletionGracePeriodSeconds().getAsLong() + "s)")
                : Optional.empty();
        out.add(Progress.deletionRequested(pod), pod, TimelineEntry.Category.POD,
                name + " deletion requested" + grace.orElse(""));
        out.add(pod.deletionDeadline(), pod, TimelineEntry.Category.POD, name + " grace period ends (deletionTimestamp)");
        for (ContainerStatus cs : pod.allContainerStatuses()) {
            container(pod, cs, out);
        }
    }

    private static void container(Pod pod, ContainerStatus cs, Timeline.Recorder out) {
        String subject = "Container " + cs.name() + " of pod " + pod.metadata().name();
        ContainerState state = cs.state();
        state.running().ifPresent(r -> out.add(r.startedAt(), pod, TimelineEntry.Category.CONTAINER, subject + " started"));
        state.terminated().ifPresent(t -> {
            out.add(t.startedAt(), pod, TimelineEntry.Category.CONTAINER, subject + " started");
            out.add(t.finishedAt(), pod, TimelineEntry.Category.CONTAINER, subject + " terminated (" + exit(t) + ")");
        });
        cs.lastState().terminated().ifPresent(t -> out.add(t.finishedAt(), pod, TimelineEntry.Category.CONTAINER,
                subject + " restarted (" + exit(t) + "; " + cs.restartCount()
                        + (cs.restartCount() == 1 ? " restart" : " restarts") + " so far)"));
    }

    /** {@code exit 137, OOMKilled}. */
    private static String exit(ContainerState.Terminated t) {
        String signal = t.signal().isPresent() && t.signal().getAsInt() != 0 ? ", signal " + t.signal().getAsInt() : "";
        return "exit " + t.exitCode() + signal + (t.reason().isEmpty() ? "" : ", " + t.reason());
    }

    private static String detail(Condition c) {
        if (!c.message().isEmpty()) {
            return ": " + c.message();
        }
        return c.reason().isEmpty() ? "" : " (" + c.reason() + ")";
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.LifecycleHandler;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.rules.Evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a terminating pod's metadata and spec tell about its deletion. {@code deletionTimestamp} is when the grace
 * period <em>ends</em>: the API server sets it to the time of the delete request plus the grace period, and moves
 * it earlier when a later request shortens the period ({@code BeforeDelete} in
 * {@code k8s.io/apiserver/pkg/registry/rest/delete.go}), so the difference stays the time of the first request.
 */
final class PodDeletion {

    private PodDeletion() {
    }

    /** When the deletion was asked for: deletionTimestamp minus deletionGracePeriodSeconds, when both are known. */
    static Optional<Instant> requested(Pod pod) {
        Optional<Instant> end = pod.metadata().deletionTimestamp();
        if (end.isEmpty() || pod.metadata().deletionGracePeriodSeconds().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(end.get().minusSeconds(pod.metadata().deletionGracePeriodSeconds().getAsLong()));
    }

    /** The grace period of the deletion, else the one the pod's spec asks for (30 seconds by default). */
    static long gracePeriodSeconds(Pod pod) {
        return pod.metadata().deletionGracePeriodSeconds().orElse(pod.spec().effectiveTerminationGracePeriodSeconds());
    }

    /** The {@code metadata.deletionTimestamp} evidence line, with when the deletion was asked for. */
    static Evidence deadline(Pod pod, String comment) {
        Instant end = pod.metadata().deletionTimestamp().orElseThrow();
        StringBuilder text = new StringBuilder(Moments.at(end)).append(" (end of the grace period");
        requested(pod).ifPresent(r -> text.append("; deletion requested at ").append(Moments.at(r)).append(", deletionGracePeriodSeconds ")
                .append(pod.metadata().deletionGracePeriodSeconds().getAsLong()));
        if (!comment.isEmpty()) {
            text.append("; ").append(comment);
        }
        return Evidence.field(pod, "metadata.deletionTimestamp", text.append(')').toString(), Optional.of(end));
    }

    /** The preStop hooks of the pod's containers, each as evidence on its path ({@code sleep 20s}, {@code exec ["sh", ...]}). */
    static List<Evidence> preStops(Pod pod) {
        List<Evidence> out = new ArrayList<>();
        List<Container> containers = pod.spec().containers();
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            int index = i;
            c.preStop().ifPresent(h -> out.add(Evidence.field(pod, "spec.containers[" + index + "].lifecycle.preStop",
                    "container " + c.name() + ": " + hook(h))));
        }
        return out;
    }

    static String hook(LifecycleHandler h) {
        if (h instanceof LifecycleHandler.Sleep s) {
            return "sleep " + s.seconds() + "s";
        }
        if (h instanceof ProbeHandler.Exec e) {
            return "exec " + String.join(" ", e.command());
        }
        if (h instanceof ProbeHandler.HttpGet g) {
            return "httpGet :" + g.port() + g.path();
        }
        return "tcpSocket :" + ((ProbeHandler.TcpSocket) h).port();
    }
}

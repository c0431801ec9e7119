package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.rollout.RolloutState;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.detectors.ProbeFacts.ProbeEvent;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.ProbeType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One probe of one container of a rollout's new template, with what the snapshot tells about it: its failure
 * events, the restarts it caused, the new pods it keeps unready, and the same container in the previous revision.
 */
record ProbeCase(
        RolloutStatus status,
        ProbeFacts.Slot slot,
        ProbeType type,
        Probe probe,
        List<Pod> pods,
        List<ProbeEvent> failures,
        List<Event> kills,
        Optional<Previous> previous,
        Optional<Instant> now) {

    /** The container as the previous revision had it, where that was read from, and its pods. */
    record Previous(KubeObject source, String containerPath, Container container, List<Pod> pods) {

        Optional<Probe> probe(ProbeType type) {
            return ProbeFacts.probe(container, type);
        }
    }

    /** How long past a probe's failure window a pod must stay unready before we call the probe failing without events. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    ProbeCase {
        pods = List.copyOf(pods);
        failures = List.copyOf(failures);
        kills = List.copyOf(kills);
    }

    Container container() {
        return slot.container();
    }

    KubeObject workload() {
        return status.workload();
    }

    /** {@code spec.template.spec.containers[0].readinessProbe}. */
    String path() {
        return slot.path() + "." + type.fieldName();
    }

    /** {@code /spec/template/spec/containers/0/readinessProbe}. */
    String pointer() {
        return slot.pointer() + "/" + type.fieldName();
    }

    Optional<Probe> previousProbe() {
        return previous.flatMap(p -> p.probe(type));
    }

    /** New pods in which the container runs but is not ready. */
    List<Pod> unready() {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods) {
            Optional<ContainerStatus> cs = p.containerStatus(container().name());
            if (cs.isPresent() && cs.get().state().isRunning() && !cs.get().ready()) {
                out.add(p);
            }
        }
        return out;
    }

    /** New pods that are not Ready and whose container has been restarted: killed before it was ever Ready. */
    List<Pod> restartedBeforeReady() {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods) {
            Optional<ContainerStatus> cs = p.containerStatus(container().name());
            if (!p.isReady() && cs.isPresent() && cs.get().restartCount() > 0 && !cs.get().ready()) {
                out.add(p);
            }
        }
        return out;
    }

    /** True when the snapshot shows the probe failing in the new pods at all: events, kills, or a persistent failure. */
    boolean failing() {
        return !failures.isEmpty() || persistent();
    }

    /**
     * True when the probe has kept failing past its window: kubelet killed the container for it, its failure events
     * span longer than the window, or a new pod has stayed unready longer than that.
     */
    boolean persistent() {
        if (!kills.isEmpty()) {
            return true;
        }
        Duration window = Duration.ofSeconds(ProbeFacts.failureWindowSeconds(probe)).plus(GRACE);
        Optional<Instant> first = failures.stream().map(e -> e.event().firstSeen()).flatMap(Optional::stream).min(Instant::compareTo);
        Optional<Instant> last = failures.stream().map(e -> e.event().lastSeen()).flatMap(Optional::stream).max(Instant::compareTo);
        if (first.isPresent() && last.isPresent() && Duration.between(first.get(), last.get()).compareTo(window) > 0) {
            return true;
        }
        if (type == ProbeType.LIVENESS) {
            return false; // restarts without a Killing event may be crashes: the crash-loop rule's to judge
        }
        for (Pod p : unready()) {
            Optional<Instant> started = p.containerStatus(container().name())
                    .flatMap(cs -> cs.state().running()).flatMap(r -> r.startedAt());
            if (started.isPresent() && now.isPresent()) {
                if (Duration.between(started.get(), now.get()).compareTo(window) > 0) {
                    return true;
                }
            } else if (status.state() == RolloutState.STALLED || status.state() == RolloutState.FAILED) {
                return true;
            }
        }
        return false;
    }

    /** The shortest time from container start to Ready among the previous revision's pods that never restarted. */
    Optional<StartObserved> previousStart() {
        StartObserved best = null;
        for (Pod p : previous.map(Previous::pods).orElse(List.of())) {
            Optional<Condition> ready = p.status().condition("Ready").filter(Condition::isTrue);
            Optional<ContainerStatus> cs = p.containerStatus(container().name());
            if (ready.isEmpty() || ready.get().lastTransitionTime().isEmpty() || cs.isEmpty() || cs.get().restartCount() > 0) {
                continue;
            }
            Optional<Instant> started = cs.get().state().running().flatMap(r -> r.startedAt());
            if (started.isEmpty() || !ready.get().lastTransitionTime().get().isAfter(started.get())) {
                continue;
            }
            Duration d = Duration.between(started.get(), ready.get().lastTransitionTime().get());
            if (best == null || d.compareTo(best.duration()) < 0) {
                best = new StartObserved(p, d);
            }
        }
        return Optional.ofNullable(best);
    }

    /** A pod of the previous revision and how long its container took from start to Ready. */
    record StartObserved(Pod pod, Duration duration) {
    }

    static Optional<Previous> previous(RolloutStatus status, String containerName) {
        var structure = status.structure();
        List<Pod> oldPods = structure.oldPods().stream().filter(p -> !p.isTerminating()).toList();
        if (structure.previousReplicaSet().isPresent()) {
            var rs = structure.previousReplicaSet().get();
            PodTemplate t = rs.spec().template();
            List<Pod> rsPods = structure.podsOf(rs).stream().filter(p -> !p.isTerminating()).toList();
            return ProbeFacts.slot(t, containerName)
                    .map(s -> new Previous(rs, s.path(), s.container(), rsPods));
        }
        for (Pod p : oldPods) {
            Optional<Container> c = p.spec().container(containerName);
            if (c.isPresent()) {
                int i = p.spec().containers().indexOf(c.get());
                String path = i >= 0 ? "spec.containers[" + i + "]"
                        : "spec.initContainers[" + p.spec().initContainers().indexOf(c.get()) + "]";
                return Optional.of(new Previous(p, path, c.get(), oldPods));
            }
        }
        return Optional.empty();
    }
}

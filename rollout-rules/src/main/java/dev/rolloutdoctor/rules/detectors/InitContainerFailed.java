package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerState.Terminated;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Init containers run one after another, each to completion, before any app container starts. One that fails
 * ({@code Init:Error}, {@code Init:CrashLoopBackOff}, {@code RunContainerError}) or never finishes keeps the new pods
 * in {@code PodInitializing} with {@code Initialized=False}, so they never become ready. Memory kills, image pulls and
 * missing configuration of init containers are left to their own rules.
 */
@Rule(id = "init-container-failed", title = "Init container failed", severity = Severity.ERROR, layer = Layer.POD,
        description = "An init container of the new pods fails (exits non-zero, cannot start, crash-loops) or never "
                + "completes, so the app containers never start; the finding names the init container, its exit and "
                + "its last log lines.")
public final class InitContainerFailed implements Detector {

    /** An init container running this long without completing keeps the pods from starting for no visible reason. */
    static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    private static final String[] DEPENDENCY_WORDS = {"connect", "timeout", "timed out", "refused", "unreachable",
            "no such host", "could not resolve", "dial tcp"};

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<Pod> pods = NewPodContainers.newPods(status);
            NewPodContainers.byContainer(NewPodContainers.instances(pods), i -> failing(i) || stuck(i, context.capturedAt()))
                    .forEach((name, failing) -> findings.add(finding(context, status, pods.size(), failing)));
        }
        return findings;
    }

    static boolean failing(Instance i) {
        if (!i.init() || i.sidecar() || ContainerExit.last(i).map(t -> t.reason().equals("OOMKilled")).orElse(false)) {
            return false;
        }
        String waiting = i.state().waiting().map(w -> w.reason()).orElse("");
        if (waiting.equals("CrashLoopBackOff") || waiting.equals("RunContainerError")) {
            return true;
        }
        if (i.state().terminated().map(t -> t.exitCode() != 0).orElse(false)) {
            return true;
        }
        return i.state().isRunning() && i.status().restartCount() > 0
                && i.lastState().terminated().map(t -> t.exitCode() != 0).orElse(false);
    }

    static boolean stuck(Instance i, Optional<Instant> now) {
        if (!i.init() || i.sidecar() || now.isEmpty()) {
            return false;
        }
        return i.state().running().flatMap(r -> r.startedAt())
                .map(started -> Duration.between(started, now.get()).compareTo(STUCK_AFTER) > 0).orElse(false);
    }

    private static Finding finding(DetectionContext context, RolloutStatus status, int total, List<Instance> failing) {
        Snapshot snapshot = context.snapshot();
        List<Instance> failed = failing.stream().filter(InitContainerFailed::failing).toList();
        Instance example = failed.isEmpty() ? failing.get(0) : ContainerExit.newest(failed).orElse(failed.get(0));
        Optional<Terminated> last = failed.isEmpty() ? Optional.empty() : ContainerExit.last(example);
        List<Pod> pods = failing.stream().map(Instance::pod).distinct().toList();
        Optional<ContainerLogTail> logs = ContainerLogTail.of(snapshot, example.pod(), example.name());
        List<Event> events = EventQuery.about(snapshot, pods, e -> e.isWarning() && mentions(e, example.name()));
        var changes = RevisionChanges.ofContainer(status, example.name());

        Finding.Builder f = Finding.of(InitContainerFailed.class)
                .workload(status.workload())
                .culprit(status.workload())
                .confidence(failed.isEmpty() ? Confidence.MEDIUM : Confidence.HIGH)
                .title(NewPodContainers.podsPhrase(pods.size(), total, status) + " cannot initialize: init container " + example.name() + " " + failure(example, last, failed.isEmpty(), context))
                .explanation(explanation(example, last, failed.isEmpty(), logs, context)
                        + RevisionChanges.sentence(changes, example.name()));
        f.evidence(evidence(example, last, logs, events));
        if (!changes.isEmpty()) {
            f.evidence(RevisionChanges.evidence(status, changes, 3));
        }
        steps(f, status, example, last, failed.isEmpty());
        return f.build();
    }

    private static boolean mentions(Event e, String container) {
        String m = e.message();
        return m.contains("\"" + container + "\"") || m.contains(" " + container + " ") || m.endsWith(" " + container)
                || m.equals("Back-off restarting failed container");
    }

    private static String failure(Instance example, Optional<Terminated> last, boolean stuck, DetectionContext context) {
        if (stuck) {
            return "has run for " + running(example, context) + " without completing";
        }
        Optional<String> waitingMessage = example.state().waiting().filter(w -> w.reason().equals("RunContainerError"))
                .map(w -> w.message());
        if (waitingMessage.isPresent()) {
            return "cannot start (" + ContainerExit.shortMeaning(last.map(Terminated::exitCode).orElse(128), "", waitingMessage.get()) + ")";
        }
        int restarts = example.status().restartCount();
        return last.map(t -> "exits with " + ContainerExit.brief(t)).orElse("fails")
                + (restarts > 0 ? ", restarted " + restarts + (restarts == 1 ? " time" : " times") : "");
    }

    private static String running(Instance i, DetectionContext context) {
        Optional<Instant> started = i.state().running().flatMap(r -> r.startedAt());
        if (started.isEmpty() || context.capturedAt().isEmpty()) {
            return "a long time";
        }
        return Durations.format(Duration.between(started.get(), context.capturedAt().get()));
    }

    private static String explanation(Instance example, Optional<Terminated> last, boolean stuck,
            Optional<ContainerLogTail> logs, DetectionContext context) {
        List<Container> inits = example.pod().spec().initContainers();
        List<String> apps = example.pod().spec().containers().stream().map(Container::name).toList();
        int position = 0;
        for (int i = 0; i < inits.size(); i++) {
            if (inits.get(i).name().equals(example.name())) {
                position = i + 1;
            }
        }
        StringBuilder s = new StringBuilder("Init containers run one after another, each to completion, before the app "
                + "containers start. ").append(example.name());
        if (inits.size() > 1 && position > 0) {
            s.append(" (init container ").append(position).append(" of ").append(inits.size()).append(')');
        }
        s.append(stuck ? " has been running for " + running(example, context) + " without completing"
                : " does not complete");
        s.append(", so the app containers").append(apps.isEmpty() ? "" : " (" + String.join(", ", apps) + ")")
                .append(" wait in PodInitializing and the pods never become ready; the rollout cannot progress.");
        if (stuck) {
            s.append(" It is probably waiting for something it cannot reach (a database, a service, a migration lock).");
        }
        example.state().waiting().filter(w -> w.reason().equals("RunContainerError"))
                .ifPresent(w -> s.append(" The runtime cannot start it: \"").append(NewPodContainers.abbreviate(w.message(), 300)).append("\"."));
        last.ifPresent(t -> {
            s.append(" Its last run ended with ").append(ContainerExit.when(t, context.capturedAt())).append(". ")
                    .append(ContainerExit.meaning(t.exitCode(), t.reason(), t.message()));
            if (!t.message().isBlank()) {
                s.append(" Termination message: \"").append(NewPodContainers.abbreviate(t.message(), 300)).append("\".");
            }
        });
        if (dependency(example, last)) {
            s.append(" The message points at a dependency it cannot reach.");
        }
        s.append(logs.map(l -> " The last telling lines of " + l.which() + " are below.")
                .orElse(" The snapshot holds no log of the init container."));
        return s.toString();
    }

    private static boolean dependency(Instance example, Optional<Terminated> last) {
        String text = (last.map(Terminated::message).orElse("") + " "
                + example.state().waiting().map(w -> w.message()).orElse("")).toLowerCase(Locale.ROOT);
        if (text.contains("executable file not found")) {
            return false;
        }
        for (String w : DEPENDENCY_WORDS) {
            if (text.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static List<Evidence> evidence(Instance example, Optional<Terminated> last, Optional<ContainerLogTail> logs,
            List<Event> events) {
        List<Evidence> out = new ArrayList<>();
        Pod pod = example.pod();
        pod.status().condition("Initialized").filter(c -> c.isFalse()).ifPresent(c -> out.add(Evidence.field(pod,
                "status.conditions[Initialized]", c.status() + (c.reason().isEmpty() ? "" : " " + c.reason())
                        + (c.message().isEmpty() ? "" : ": " + c.message()), c.lastTransitionTime())));
        example.state().waiting().ifPresent(w -> out.add(Evidence.field(pod, example.statusPath() + ".state.waiting",
                w.reason() + (w.message().isEmpty() ? "" : ": " + w.message()))));
        example.state().running().ifPresent(r -> out.add(Evidence.field(pod, example.statusPath() + ".state.running",
                "startedAt " + r.startedAt().map(Instant::toString).orElse("unknown"), r.startedAt())));
        String where = example.state().isTerminated() ? ".state.terminated" : ".lastState.terminated";
        last.ifPresent(t -> out.add(Evidence.field(pod, example.statusPath() + where,
                ContainerExit.fieldText(t) + (t.message().isBlank() ? "" : ", message " + NewPodContainers.abbreviate(t.message(), 300)),
                t.finishedAt())));
        if (example.status().restartCount() > 0) {
            out.add(Evidence.field(pod, example.statusPath() + ".restartCount", String.valueOf(example.status().restartCount())));
        }
        logs.ifPresent(l -> out.addAll(l.evidence(pod)));
        EventQuery.last(events, 2).forEach(e -> out.add(Evidence.event(e)));
        return out;
    }

    private static void steps(Finding.Builder f, RolloutStatus status, Instance example, Optional<Terminated> last,
            boolean stuck) {
        ObjectRef w = status.ref();
        ObjectRef pod = example.podRef();
        f.step(stuck ? "Read what the init container is doing" : "Read the failed run's log",
                Kubectl.logs(pod, example.name(), !stuck && example.status().restartCount() > 0));
        String message = last.map(Terminated::message).orElse("") + example.state().waiting().map(x -> x.message()).orElse("");
        String meaning = ContainerExit.shortMeaning(last.map(Terminated::exitCode).orElse(0), last.map(Terminated::reason).orElse(""), message);
        if (meaning.equals("command not found") || meaning.equals("command not executable")) {
            f.step("Fix the init container's command: it is not in the image",
                    "kubectl get " + Kubectl.target(w) + Kubectl.ns(w) + " -o jsonpath='{.spec.template.spec.initContainers[?(@.name==\""
                            + example.name() + "\")].command}'");
        } else if (stuck || dependency(example, last)) {
            f.step("Check that what it waits for is reachable from the pod's namespace (Service, DNS name, credentials, "
                    + "network policies)", "kubectl get endpoints" + Kubectl.ns(w));
        }
        if (NewPodContainers.canUndo(status)) {
            f.step("Roll back to the previous revision while you fix it", Kubectl.rolloutUndo(w));
        }
    }
}

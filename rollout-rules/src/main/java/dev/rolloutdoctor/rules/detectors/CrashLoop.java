package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ContainerState.Terminated;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * New pods whose container keeps exiting never become ready: kubelet restarts it with a growing back-off (up to five
 * minutes, {@code CrashLoopBackOff}). The exit code and the crashed instance's last log lines say why. Containers
 * killed for memory ({@code OOMKilled}) are left to oom-killed, and init containers to init-container-failed.
 */
@Rule(id = "crash-loop", title = "Container crash loop", severity = Severity.ERROR, layer = Layer.POD,
        description = "A container of the new pods keeps exiting and kubelet restarts it with a growing back-off "
                + "(CrashLoopBackOff), so the pods never become ready; the finding gives the exit code, what it means, "
                + "and the crashed instance's last log lines.",
        explains = {"readiness-probe-failing"})
public final class CrashLoop implements Detector {

    private static final int MANY_RESTARTS = 3;

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<Pod> pods = NewPodContainers.newPods(status);
            NewPodContainers.byContainer(NewPodContainers.instances(pods), CrashLoop::crashing)
                    .forEach((name, failing) -> findings.add(finding(context, status, pods.size(), failing)));
        }
        return findings;
    }

    /** An app container (or native sidecar) that keeps failing, for a reason other than memory. */
    static boolean crashing(Instance i) {
        if (i.init() && !i.sidecar()) {
            return false;
        }
        if (ContainerExit.last(i).map(t -> t.reason().equals("OOMKilled")).orElse(false)) {
            return false;
        }
        String waiting = i.state().waiting().map(w -> w.reason()).orElse("");
        if (waiting.equals("CrashLoopBackOff") || waiting.equals("RunContainerError")) {
            return true;
        }
        if (i.state().terminated().map(t -> t.exitCode() != 0).orElse(false)) {
            return true;
        }
        return i.state().isRunning() && !i.status().ready() && i.status().restartCount() >= MANY_RESTARTS
                && i.lastState().terminated().map(t -> t.exitCode() != 0).orElse(false);
    }

    private static Finding finding(DetectionContext context, RolloutStatus status, int total, List<Instance> failing) {
        Snapshot snapshot = context.snapshot();
        Instance example = ContainerExit.newest(failing).orElse(failing.get(0));
        Optional<Terminated> last = ContainerExit.last(example);
        List<Pod> pods = failing.stream().map(Instance::pod).distinct().toList();
        int restarts = failing.stream().mapToInt(i -> i.status().restartCount()).max().orElse(0);
        List<Event> backOffs = EventQuery.about(snapshot, pods, e -> e.reason().equals("BackOff")
                && e.message().startsWith("Back-off restarting failed container") && mentions(e, example.name()));
        boolean single = example.pod().spec().containers().size() == 1;
        // Unhealthy events do not name the container in their message; with one container they can only be about it
        List<Event> liveness = EventQuery.about(snapshot, pods, e -> isProbeKill(e) && (single || mentions(e, example.name())));
        Optional<ContainerLogTail> logs = ContainerLogTail.of(snapshot, example.pod(), example.name());
        var changes = RevisionChanges.ofContainer(status, example.name());

        Finding.Builder f = Finding.of(CrashLoop.class)
                .workload(status.workload())
                .culprit(status.workload())
                .confidence(liveness.isEmpty() ? Confidence.HIGH : Confidence.MEDIUM)
                .title(NewPodContainers.podsPhrase(pods.size(), total, status) + (pods.size() == 1 ? " crash-loops: " : " crash-loop: ")
                        + NewPodContainers.containerPhrase(example) + last.map(t -> " exits with " + ContainerExit.brief(t)).orElse(" keeps exiting")
                        + ", restarted " + restarts + (restarts == 1 ? " time" : " times"))
                .explanation(explanation(context, example, last, failing, liveness, logs, pods.size())
                        + RevisionChanges.sentence(changes, example.name()));
        f.evidence(evidence(example, last, logs, backOffs, liveness));
        if (!changes.isEmpty()) {
            f.evidence(RevisionChanges.evidence(status, changes, 3));
        }
        steps(f, status, example, last, liveness);
        return f.build();
    }

    private static boolean mentions(Event e, String container) {
        String m = e.message();
        // older kubelets wrote "Back-off restarting failed container" without the container's name
        return m.contains(" " + container + " ") || m.contains("container=" + container) || m.endsWith(" " + container)
                || m.equals("Back-off restarting failed container");
    }

    static boolean isProbeKill(Event e) {
        String m = e.message();
        return e.reason().equals("Killing") && (m.contains("failed liveness probe") || m.contains("failed startup probe"))
                || e.reason().equals("Unhealthy") && (m.startsWith("Liveness probe") || m.startsWith("Startup probe"));
    }

    private static String explanation(DetectionContext context, Instance example, Optional<Terminated> last,
            List<Instance> failing, List<Event> liveness, Optional<ContainerLogTail> logs, int pods) {
        StringBuilder s = new StringBuilder("Kubelet restarts ").append(NewPodContainers.containerPhrase(example))
                .append(" every time it exits, waiting longer each time");
        example.state().waiting().filter(w -> !w.message().isEmpty())
                .ifPresent(w -> s.append(" (").append(w.reason()).append(": ").append(NewPodContainers.abbreviate(w.message(), 120)).append(')'));
        s.append(", so ").append(NewPodContainers.theNewPods(pods)).append(pods == 1 ? " never becomes" : " never become")
                .append(" ready and the rollout cannot progress.");
        last.ifPresent(t -> {
            s.append(" Its last run ended with ").append(ContainerExit.when(t, context.capturedAt())).append(". ")
                    .append(ContainerExit.meaning(t.exitCode(), t.reason(), t.message()));
            if (!t.message().isBlank()) {
                s.append(" Termination message: \"").append(NewPodContainers.abbreviate(t.message(), 300)).append("\".");
            }
        });
        Set<Integer> codes = new TreeSet<>();
        failing.forEach(i -> ContainerExit.last(i).ifPresent(t -> codes.add(t.exitCode())));
        if (codes.size() > 1) {
            s.append(" Exit codes seen across the pods: ").append(codes).append('.');
        }
        int kills = liveness.stream().filter(e -> e.reason().equals("Killing")).mapToInt(Event::occurrences).sum();
        if (kills > 0) {
            s.append(" Kubelet killed it ").append(kills).append(kills == 1 ? " time" : " times")
                    .append(" after failed liveness or startup probes, so the restarts may come from the probe rather than "
                            + "the program: see the probe findings.");
        } else if (!liveness.isEmpty()) {
            s.append(" Its liveness or startup probe fails too (Unhealthy events): see the probe findings.");
        }
        s.append(logs.map(l -> " The last telling lines of " + l.which() + " are below.")
                .orElse(" The snapshot holds no log of the container (support bundles collect logs; kubectl dumps do not)."));
        return s.toString();
    }

    private static List<Evidence> evidence(Instance example, Optional<Terminated> last, Optional<ContainerLogTail> logs,
            List<Event> backOffs, List<Event> liveness) {
        List<Evidence> out = new ArrayList<>();
        example.state().waiting().ifPresent(w -> out.add(Evidence.field(example.pod(), example.statusPath() + ".state.waiting",
                w.reason() + (w.message().isEmpty() ? "" : ": " + w.message()))));
        String where = example.state().isTerminated() ? ".state.terminated" : ".lastState.terminated";
        last.ifPresent(t -> out.add(Evidence.field(example.pod(), example.statusPath() + where, ContainerExit.fieldText(t),
                t.finishedAt())));
        out.add(Evidence.field(example.pod(), example.statusPath() + ".restartCount", String.valueOf(example.status().restartCount())));
        logs.ifPresent(l -> out.addAll(l.evidence(example.pod())));
        EventQuery.last(backOffs, 1).forEach(e -> out.add(Evidence.event(e)));
        EventQuery.last(liveness, 2).forEach(e -> out.add(Evidence.event(e)));
        return out;
    }

    private static void steps(Finding.Builder f, RolloutStatus status, Instance example, Optional<Terminated> last,
            List<Event> liveness) {
        ObjectRef w = status.ref();
        ObjectRef pod = example.podRef();
        f.step("Read the crashed instance's log", Kubectl.logs(pod, example.name(), true));
        String meaning = last.map(t -> ContainerExit.shortMeaning(t.exitCode(), t.reason(), t.message())).orElse("");
        if (meaning.equals("command not found") || meaning.equals("command not executable")
                || last.map(ContainerExit::couldNotStart).orElse(false)) {
            f.step("Compare the template's command with what the image contains",
                    "kubectl get " + Kubectl.target(w) + Kubectl.ns(w) + " -o jsonpath='{.spec.template.spec."
                            + (example.init() ? "initContainers" : "containers") + "[?(@.name==\"" + example.name() + "\")].command}'");
        } else if (meaning.equals("exited normally")) {
            f.step("Keep the container's main process running (a server, not a one-shot command); run one-shot work as a Job");
        } else if (!liveness.isEmpty()) {
            f.step("Check the liveness probe (port, path, initialDelaySeconds, timeoutSeconds) against what the app serves "
                    + "and how long it takes to start", Kubectl.describe(pod));
        } else if (status.workload() instanceof Deployment && status.structure().newRevision().isPresent()) {
            f.step("See what changed in the new template (image, env, config, args)", "kubectl rollout history "
                    + Kubectl.target(w) + Kubectl.ns(w) + " --revision=" + status.structure().newRevision().getAsInt());
        }
        if (NewPodContainers.canUndo(status)) {
            f.step("Roll back to the previous revision while you fix it", Kubectl.rolloutUndo(w));
        }
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.rollout.RolloutState;
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
import dev.rolloutdoctor.rules.detectors.ProbeFacts.ProbeEvent;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.Failure;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.ProbeType;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * New pods that run but never become Ready because a container's readiness probe (or its startup probe, which holds
 * readiness back until it passes) keeps failing: the rollout waits for them to become available and never does.
 * Says which probe, what it aims at, its timings, how long the pods have not been Ready, and what the probe gets.
 */
@Rule(id = "readiness-probe-failing", title = "Readiness probe failing", severity = Severity.ERROR,
        layer = Layer.APPLICATION,
        description = "New pods are Running but never Ready: kubelet keeps failing a container's readiness probe (or "
                + "its startup probe), so the pods never become available and the rollout cannot finish. Reads the "
                + "Unhealthy events to say what the probe gets: an HTTP status, a refused connection, a timeout, a "
                + "command's output.")
public final class ReadinessProbeFailing implements Detector {

    /** How long past a probe's failure window a pod must stay unready before we call it failing without events. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<Pod> pods = status.structure().newPods().stream()
                    .filter(p -> !p.isTerminating() && !p.isTerminal()).toList();
            if (pods.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, List<Pod>> unready : unreadyContainers(pods).entrySet()) {
                failing(context, status, pods, unready.getKey(), unready.getValue()).ifPresent(findings::add);
            }
        }
        return findings;
    }

    /** Containers that run but are not ready, by name, with the pods they are unready in. */
    private static Map<String, List<Pod>> unreadyContainers(List<Pod> pods) {
        Map<String, List<Pod>> out = new TreeMap<>();
        for (Pod pod : pods) {
            if (!"Running".equals(pod.status().phase())) {
                continue;
            }
            for (ContainerStatus cs : pod.allContainerStatuses()) {
                boolean probed = pod.status().containerStatuses().contains(cs)
                        || pod.spec().container(cs.name()).map(Container::isSidecar).orElse(false);
                if (probed && cs.state().isRunning() && !cs.ready()) {
                    out.computeIfAbsent(cs.name(), k -> new ArrayList<>()).add(pod);
                }
            }
        }
        return out;
    }

    private Optional<Finding> failing(DetectionContext context, RolloutStatus status, List<Pod> pods, String name,
                                      List<Pod> unready) {
        KubeObject workload = status.workload();
        Optional<PodTemplate> template = PodTemplate.of(workload);
        Optional<ProbeFacts.Slot> slot = template.flatMap(t -> ProbeFacts.slot(t, name));
        Optional<Container> spec = slot.map(ProbeFacts.Slot::container).or(() -> unready.get(0).spec().container(name));
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        Container container = spec.get();
        Optional<ProbeType> type = blockingProbe(container, unready);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Probe probe = ProbeFacts.probe(container, type.get()).orElseThrow();
        Snapshot snapshot = context.snapshot();
        List<ProbeEvent> events = ProbeFacts.failures(snapshot, unready, name, type.get());
        Optional<Instant> now = context.capturedAt();
        Optional<NotReady> longest = longestNotReady(unready, name, now);
        if (!pastFailureWindow(status, probe, longest) && !failingForLong(events, probe)) {
            return Optional.empty(); // still within the time a starting application may fail its probe
        }
        Situation s = new Situation(status, pods, unready, container, slot, type.get(), probe, events, longest, now);
        return Optional.of(build(snapshot, s));
    }

    /** The probe that keeps the container unready: the startup probe until it has passed, else the readiness probe. */
    private static Optional<ProbeType> blockingProbe(Container container, List<Pod> unready) {
        boolean startupPending = container.startupProbe().isPresent() && unready.stream()
                .anyMatch(p -> p.containerStatus(container.name()).flatMap(ContainerStatus::started)
                        .map(started -> !started).orElse(false));
        if (startupPending) {
            return Optional.of(ProbeType.STARTUP);
        }
        return container.readinessProbe().isPresent() ? Optional.of(ProbeType.READINESS) : Optional.empty();
    }

    private static boolean pastFailureWindow(RolloutStatus status, Probe probe, Optional<NotReady> longest) {
        if (longest.isPresent() && longest.get().duration().isPresent()) {
            Duration window = Duration.ofSeconds(ProbeFacts.failureWindowSeconds(probe)).plus(GRACE);
            return longest.get().duration().get().compareTo(window) > 0;
        }
        return status.state() == RolloutState.STALLED || status.state() == RolloutState.FAILED;
    }

    /** True when the failure events span more than the probe's failure window (a few failures while starting are normal). */
    private static boolean failingForLong(List<ProbeEvent> events, Probe probe) {
        Duration window = Duration.ofSeconds(ProbeFacts.failureWindowSeconds(probe)).plus(GRACE);
        Optional<Instant> first = events.stream().map(e -> e.event().firstSeen()).flatMap(Optional::stream).min(Instant::compareTo);
        Optional<Instant> last = events.stream().map(e -> e.event().lastSeen()).flatMap(Optional::stream).max(Instant::compareTo);
        return first.isPresent() && last.isPresent() && Duration.between(first.get(), last.get()).compareTo(window) > 0;
    }

    /** Since when a pod has not been Ready: its Ready condition's transition, else its container's start. */
    record NotReady(Pod pod, Optional<Instant> since, Optional<Duration> duration) {
    }

    private static Optional<NotReady> longestNotReady(List<Pod> pods, String container, Optional<Instant> now) {
        NotReady best = null;
        for (Pod pod : pods) {
            Optional<Instant> since = pod.status().condition("Ready").filter(Condition::isFalse)
                    .flatMap(Condition::lastTransitionTime)
                    .or(() -> pod.containerStatus(container).flatMap(cs -> cs.state().running())
                            .flatMap(r -> r.startedAt()));
            Optional<Duration> d = since.flatMap(s -> now.map(n -> Duration.between(s, n)));
            NotReady candidate = new NotReady(pod, since, d);
            if (best == null || (since.isPresent() && (best.since().isEmpty() || since.get().isBefore(best.since().get())))) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Everything one finding is made of. */
    private record Situation(RolloutStatus status, List<Pod> pods, List<Pod> unready, Container container,
                             Optional<ProbeFacts.Slot> slot, ProbeType type, Probe probe, List<ProbeEvent> events,
                             Optional<NotReady> longest, Optional<Instant> now) {

        Optional<ProbeFailureMessage> newest() {
            return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1).message());
        }

        /** The pod to point commands at: the one of the newest probe event, else the longest unready one. */
        Pod focus() {
            if (!events.isEmpty()) {
                String podName = events.get(events.size() - 1).event().regarding().name();
                for (Pod p : unready) {
                    if (p.metadata().name().equals(podName)) {
                        return p;
                    }
                }
            }
            return longest.map(NotReady::pod).orElse(unready.get(0));
        }

        String probeWords() {
            return type == ProbeType.STARTUP ? "startup probe" : "readiness probe";
        }
    }

    private Finding build(Snapshot snapshot, Situation s) {
        KubeObject workload = s.status().workload();
        Finding.Builder f = Finding.of(ReadinessProbeFailing.class)
                .workload(workload)
                .culprit(workload)
                .confidence(s.events().isEmpty() ? Confidence.MEDIUM : Confidence.HIGH)
                .title(title(s))
                .explanation(explanation(snapshot, s));
        evidence(f, s);
        remediation(f, s);
        return f.build();
    }

    private static String title(Situation s) {
        String what = ProbeFacts.podCount(s.unready().size(), s.pods().size());
        String head = capitalize(what) + " of " + s.status().ref() + (s.unready().size() == 1 ? " is" : " are")
                + " Running but not Ready: the " + s.probeWords() + " of container " + s.container().name() + " ("
                + ProbeFacts.target(s.probe(), s.container()) + ")";
        Optional<ProbeFailureMessage> newest = s.newest();
        if (newest.isPresent()) {
            return head + " gets " + newest.get().summary();
        }
        return head + " has not passed" + s.longest().flatMap(NotReady::duration).map(d -> " for " + Durations.format(d)).orElse("");
    }

    private static String explanation(Snapshot snapshot, Situation s) {
        StringBuilder out = new StringBuilder();
        if (s.type() == ProbeType.STARTUP) {
            out.append("kubelet runs no readiness or liveness probe for container ").append(s.container().name())
                    .append(" until its startup probe has passed, and restarts the container when the startup probe fails ")
                    .append(s.probe().failureThreshold()).append(" times in a row (")
                    .append(ProbeFacts.failureWindowSeconds(s.probe())).append("s after start). ");
        } else {
            out.append("kubelet marks container ").append(s.container().name())
                    .append(" ready only after its readiness probe passes, and a pod counts as available only when all its ")
                    .append("containers are ready. ");
        }
        out.append("Until the new pods are available the controller counts them as unavailable and does not go on replacing ")
                .append("old pods, so the rollout cannot finish. The probe: ").append(ProbeFacts.target(s.probe(), s.container()))
                .append(", ").append(ProbeFacts.timings(s.probe())).append('.');
        s.longest().ifPresent(n -> n.since().ifPresent(since -> out.append(" Pod ").append(n.pod().metadata().name())
                .append(" has not been Ready since ").append(since)
                .append(n.duration().map(d -> " (" + Durations.format(d) + " before the snapshot)").orElse("")).append('.')));
        if (s.events().isEmpty()) {
            out.append(' ').append(noEvents(snapshot));
        } else {
            out.append(' ').append(eventsSentence(s));
        }
        return out.toString();
    }

    private static String noEvents(Snapshot snapshot) {
        if (!snapshot.collectedKinds().contains("Event")) {
            return "The snapshot holds no events (they were not collected), so what the probe gets is unknown: "
                    + "run the probe yourself (below).";
        }
        return "The snapshot holds no Unhealthy events for these pods (kubelet's events expire, one hour by default), "
                + "so what the probe gets is unknown: run the probe yourself (below).";
    }

    private static String eventsSentence(Situation s) {
        int count = 0;
        Set<String> seen = new LinkedHashSet<>();
        for (ProbeEvent e : s.events()) {
            count += e.event().occurrences();
            seen.add(e.message().summary());
        }
        ProbeFailureMessage newest = s.newest().orElseThrow();
        StringBuilder out = new StringBuilder("kubelet reported ").append(count).append(" failed ")
                .append(s.probeWords()).append(count == 1 ? "" : "s").append(" on ")
                .append(s.unready().size() == 1 ? "this pod" : "these pods").append(", most recently: ")
                .append(newest.summary()).append('.');
        if (seen.size() > 1) {
            seen.remove(newest.summary());
            out.append(" Earlier also: ").append(String.join("; ", seen)).append('.');
        }
        return out.append(' ').append(meaning(newest, s.probe())).toString();
    }

    /** What the probe's answer means for the operator. */
    static String meaning(ProbeFailureMessage m, Probe probe) {
        Failure failure = m.failure();
        if (failure == Failure.HTTP_STATUS) {
            int code = m.statusCode().getAsInt();
            return code >= 500
                    ? "The application answers on the probe's port but reports itself unhealthy: its log usually says why "
                    + "(a database or downstream service it cannot reach, a warm-up that does not end)."
                    : "The server answers, but not with success on this path: the path is wrong, moved, or needs "
                    + "authentication that kubelet does not send.";
        }
        switch (failure) {
            case CONNECTION_REFUSED:
                return "Nothing listens on that port inside the pod: the application has not opened it (still starting, "
                        + "failed during startup, listening on another port, or only on 127.0.0.1).";
            case TIMEOUT:
                return "The endpoint does not answer within timeoutSeconds=" + probe.timeoutSeconds()
                        + "s: the application is busy, blocked on something it calls, or slower than the timeout allows.";
            case CONNECTION_RESET:
                return "The server closes the connection without answering: it crashes or restarts mid-request, or a "
                        + "proxy in the pod rejects the probe.";
            case UNREACHABLE:
                return "The probe's address cannot be reached from the node.";
            case NO_SUCH_HOST:
                return "httpGet.host names a host that does not resolve on the node (kubelet resolves it, not the pod).";
            case PROTOCOL_MISMATCH:
                return "The probe's scheme does not match what the server speaks (HTTP against HTTPS, or the reverse).";
            case TLS:
                return "The TLS handshake with the server fails.";
            case PORT_NOT_FOUND:
                return "kubelet cannot resolve the probe's port: the container declares no port of that name.";
            case GRPC_NOT_SERVING:
                return "The gRPC server answers the health check but reports the service as not serving.";
            case GRPC_UNIMPLEMENTED:
                return "The server on that port does not implement the gRPC health protocol (grpc.health.v1.Health).";
            case CONTAINER_NOT_RUNNING:
                return "The runtime could not run the probe because the container was not running at that moment.";
            case COMMAND_OUTPUT:
                return "The command exits non-zero; its output says what it found.";
            case NO_OUTPUT:
                return "The command exits non-zero and prints nothing: run it yourself to see why.";
            default:
                return "kubelet could not run the probe.";
        }
    }

    private static void evidence(Finding.Builder f, Situation s) {
        Pod pod = s.focus();
        pod.status().condition("Ready").ifPresent(c -> f.evidence(Evidence.field(pod, "status.conditions[Ready]",
                c.status() + (c.reason().isEmpty() ? "" : " " + c.reason()) + (c.message().isEmpty() ? "" : ": " + c.message()),
                c.lastTransitionTime())));
        pod.containerStatus(s.container().name()).ifPresent(cs -> f.evidence(Evidence.field(pod, ProbeFacts.statusPath(pod, cs),
                containerState(cs))));
        String field = s.type().fieldName();
        KubeObject workload = s.status().workload();
        if (s.slot().isPresent()) {
            f.evidence(Evidence.field(workload, s.slot().get().path() + "." + field,
                    ProbeFacts.fieldValue(s.probe(), s.container())));
        } else {
            f.evidence(Evidence.field(pod, "spec.containers[" + s.container().name() + "]." + field,
                    ProbeFacts.fieldValue(s.probe(), s.container())));
        }
        for (ProbeEvent e : EventQuery.last(s.events(), 3)) {
            f.evidence(Evidence.event(e.event()));
        }
    }

    private static String containerState(ContainerStatus cs) {
        String since = cs.state().running().flatMap(r -> r.startedAt()).map(t -> " since " + t).orElse("");
        String started = cs.started().map(b -> ", started: " + b).orElse("");
        return "running" + since + ", ready: " + cs.ready() + started + ", restartCount: " + cs.restartCount();
    }

    private static void remediation(Finding.Builder f, Situation s) {
        Pod pod = s.focus();
        String name = s.container().name();
        ProbeHandler h = s.probe().handler();
        String ns = Kubectl.ns(pod.ref());
        if (h instanceof ProbeHandler.Exec x) {
            f.step("Run the probe's command in the container yourself and read what it prints",
                    "kubectl exec " + pod.metadata().name() + ns + " -c " + name + " -- " + ProbeFacts.shellWords(x.command()));
        } else {
            String port = ProbeFacts.probePort(s.probe())
                    .map(p -> ProbeFacts.portNumber(p, s.container()).isPresent()
                            ? String.valueOf(ProbeFacts.portNumber(p, s.container()).getAsInt()) : p.stringValue())
                    .orElse("");
            f.step("Reach the probe's port from your machine and ask it yourself, then " + askWith(h, port),
                    "kubectl port-forward pod/" + pod.metadata().name() + ns + " " + port + ":" + port);
        }
        f.step("Read what the application says about its health", Kubectl.logs(pod.ref(), name, false));
        f.step("See the probe's events and the pod's conditions", Kubectl.describe(pod));
        f.step("If the previous revision was healthy, roll back while you fix the new one",
                Kubectl.rolloutUndo(s.status().ref()));
    }

    private static String askWith(ProbeHandler h, String port) {
        if (h instanceof ProbeHandler.HttpGet g) {
            boolean tls = "HTTPS".equalsIgnoreCase(g.scheme());
            return "run `curl -i" + (tls ? "k https" : " http") + "://localhost:" + port + g.path() + "`";
        }
        if (h instanceof ProbeHandler.Grpc g) {
            return "run `grpc_health_probe -addr=localhost:" + port
                    + (g.service().isEmpty() ? "" : " -service=" + g.service()) + "`";
        }
        return "run `nc -vz localhost " + port + "`";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

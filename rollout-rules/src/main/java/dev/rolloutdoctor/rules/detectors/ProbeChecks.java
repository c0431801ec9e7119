package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.detectors.ProbeFacts.ProbeEvent;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.Failure;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.ProbeType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The ways a probe can be set up so that it cannot pass, each checked against one {@link ProbeCase}: a port the
 * container does not have, a path the server does not serve, a scheme the server does not speak, a liveness or
 * startup window shorter than the application's start, timings that cannot be met, and a change from the previous
 * revision.
 */
final class ProbeChecks {

    private ProbeChecks() {
    }

    /**
     * One thing wrong with a probe.
     *
     * @param title  completes "readinessProbe of container app in Deployment shop/web ..."
     * @param inert  true when the problem makes the probe never act rather than fail (a liveness probe kubelet cannot run)
     * @param fix    what the patch does, as a remediation step's text; "" when there is no patch
     * @param patch  JSON patch operations on the workload
     * @param restoresPrevious true when the patch puts back what the previous revision had
     */
    record Problem(Confidence confidence, String title, String detail, List<Evidence> evidence, String fix,
                   List<String> patch, boolean inert, boolean restoresPrevious) {
    }

    private static final Set<Integer> NOT_SERVED = Set.of(404, 410);
    private static final Set<Integer> NEEDS_AUTH = Set.of(401, 403);
    private static final Set<Integer> REJECTED = Set.of(400, 405);

    /**
     * Every problem found, strongest first (by confidence, then in the order checked). What kubelet's answers prove (a
     * 404, a wrong scheme, a port name it cannot resolve) counts at once; the rest only once the probe has kept failing
     * past its window, since a starting application fails its probes for a while.
     */
    static List<Problem> all(ProbeCase c) {
        List<Problem> out = new ArrayList<>();
        boolean persistent = c.persistent();
        port(c).filter(p -> persistent || p.confidence() == Confidence.HIGH).ifPresent(out::add);
        http(c).ifPresent(out::add);
        scheme(c).ifPresent(out::add);
        delayBeyondDeadline(c).ifPresent(out::add);
        if (persistent) {
            startTooShort(c).ifPresent(out::add);
            changed(c).ifPresent(out::add);
            timeoutNotBelowPeriod(c).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Problem::confidence)); // stable: keeps check order within a confidence
        return out;
    }

    // ------------------------------------------------------------------ port

    static Optional<Problem> port(ProbeCase c) {
        Optional<IntOrString> port = ProbeFacts.probePort(c.probe());
        if (port.isEmpty()) {
            return Optional.empty();
        }
        Container ctr = c.container();
        IntOrString p = port.get();
        if (!p.isInt()) {
            return ctr.port(p.stringValue()).isPresent() ? Optional.empty() : Optional.of(namedPortMissing(c, p.stringValue()));
        }
        int n = p.intValue();
        if (ctr.ports().stream().anyMatch(cp -> cp.containerPort() == n)) {
            return Optional.empty();
        }
        boolean refused = c.failures().stream().map(ProbeEvent::message).anyMatch(m ->
                m.failure() == Failure.CONNECTION_REFUSED && (m.port().isEmpty() || m.port().getAsInt() == n));
        boolean movedFromDeclared = c.previousProbe().flatMap(ProbeFacts::probePort)
                .filter(old -> !old.equals(p))
                .map(old -> ProbeFacts.portNumber(old, ctr).isPresent()
                        && ctr.ports().stream().anyMatch(cp -> cp.containerPort() == ProbeFacts.portNumber(old, ctr).getAsInt()))
                .orElse(false);
        String refusedWords = "kubelet's attempts on " + n + " are refused: nothing listens there.";
        if (!ctr.ports().isEmpty()) {
            Confidence conf = refused || movedFromDeclared ? Confidence.HIGH : Confidence.MEDIUM;
            return Optional.of(portProblem(c, conf, "aims at port " + n + ", which container " + ctr.name()
                            + " does not declare (it declares " + ProbeFacts.declaredPorts(ctr) + ")",
                    "Declaring container ports is optional, so the application may listen on " + n + " anyway, but "
                            + (refused ? refusedWords : "the probe fails and the ports the container declares do not include "
                            + n + ".")));
        }
        Confidence conf = refused ? Confidence.MEDIUM : Confidence.LOW;
        return Optional.of(portProblem(c, conf, "aims at port " + n + (refused ? " and gets connection refused there" : "")
                        + "; container " + ctr.name() + " declares no ports",
                "The container declares no ports (declaring them is optional), so the spec does not say which port the "
                        + "application listens on" + (refused ? "; " + refusedWords : ".")));
    }

    private static Problem namedPortMissing(ProbeCase c, String name) {
        boolean liveness = c.type() == ProbeType.LIVENESS;
        String detail = "kubelet looks a named probe port up among the container's own ports; with none named \"" + name
                + "\" every attempt errors (strconv.Atoi: parsing \"" + name + "\": invalid syntax) and kubelet throws the "
                + "result away, so " + (liveness
                ? "this liveness probe never acts: the container has no working liveness check."
                : "the probe never passes and the container never becomes ready.");
        return portProblem(c, Confidence.HIGH, "names port \"" + name + "\", which container " + c.container().name()
                + " does not declare (it declares " + ProbeFacts.declaredPorts(c.container()) + ")", detail, liveness);
    }

    private static Problem portProblem(ProbeCase c, Confidence conf, String title, String detail) {
        return portProblem(c, conf, title, detail, false);
    }

    private static Problem portProblem(ProbeCase c, Confidence conf, String title, String detail, boolean inert) {
        Optional<IntOrString> fix = suggestedPort(c);
        String handlerField = "/" + ProbeFacts.handlerName(c.probe().handler()) + "/port";
        List<String> patch = fix.map(v -> List.of(ProbeFacts.replace(c.pointer() + handlerField, ProbeFacts.json(v))))
                .orElse(List.of());
        String fixText = fix.map(v -> "Aim the probe at port " + v + (fromPrevious(c, v) ? ", as the previous revision did"
                : ", the port the container declares")).orElse("");
        return new Problem(conf, title, detail, List.of(), fixText, patch, inert,
                fix.map(v -> fromPrevious(c, v)).orElse(false));
    }

    /** The port to aim at instead: the previous revision's, when it resolves here; else the container's only port. */
    private static Optional<IntOrString> suggestedPort(ProbeCase c) {
        Container ctr = c.container();
        Optional<IntOrString> old = c.previousProbe().flatMap(ProbeFacts::probePort)
                .filter(o -> ProbeFacts.portNumber(o, ctr).isPresent());
        Optional<IntOrString> current = ProbeFacts.probePort(c.probe());
        if (old.isPresent() && !old.equals(current)) {
            return old;
        }
        if (ctr.ports().size() == 1) {
            ContainerPort only = ctr.ports().get(0);
            return Optional.of(only.name().isEmpty() ? IntOrString.of(only.containerPort()) : IntOrString.of(only.name()));
        }
        return Optional.empty();
    }

    private static boolean fromPrevious(ProbeCase c, IntOrString value) {
        return c.previousProbe().flatMap(ProbeFacts::probePort).filter(value::equals).isPresent();
    }

    // ------------------------------------------------------------------ http

    static Optional<Problem> http(ProbeCase c) {
        if (!(c.probe().handler() instanceof ProbeHandler.HttpGet g)) {
            return Optional.empty();
        }
        Optional<ProbeFailureMessage> newest = newest(c, m -> m.failure() == Failure.HTTP_STATUS
                && (NOT_SERVED.contains(m.statusCode().getAsInt()) || NEEDS_AUTH.contains(m.statusCode().getAsInt())
                || REJECTED.contains(m.statusCode().getAsInt())));
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        int code = newest.get().statusCode().getAsInt();
        String asked = "GET " + g.path() + " on port " + ProbeFacts.port(g.port(), c.container());
        Optional<String> oldPath = c.previousProbe().map(Probe::handler)
                .filter(h -> h instanceof ProbeHandler.HttpGet).map(h -> ((ProbeHandler.HttpGet) h).path())
                .filter(p -> !p.equals(g.path()));
        String previously = oldPath.map(p -> " The previous revision probed " + p + ".").orElse("");
        List<String> patch = oldPath.map(p -> List.of(ProbeFacts.replace(c.pointer() + "/httpGet/path", ProbeFacts.quote(p))))
                .orElse(List.of());
        String fix = oldPath.map(p -> "Probe " + p + " again, as the previous revision did").orElse("");
        if (NOT_SERVED.contains(code)) {
            return Optional.of(new Problem(Confidence.HIGH, "gets " + newest.get().summary() + " for " + asked
                    + ": the application does not serve that path",
                    "kubelet counts only answers from 200 to 399 as success. The server answers, so the port is right; "
                            + "the path is not one it serves." + previously, List.of(), fix, patch, false, oldPath.isPresent()));
        }
        if (NEEDS_AUTH.contains(code)) {
            return Optional.of(new Problem(Confidence.HIGH, "gets " + newest.get().summary() + " for " + asked
                    + ": the path requires credentials kubelet does not send",
                    "kubelet sends no credentials, only the headers written in httpGet.httpHeaders; point the probe at a "
                            + "health path that needs no authentication." + previously, List.of(), fix, patch, false, oldPath.isPresent()));
        }
        return Optional.of(new Problem(Confidence.MEDIUM, "gets " + newest.get().summary() + " for " + asked,
                "The server rejects kubelet's plain GET request (a server on an HTTPS port answers plain HTTP with 400)."
                        + previously, List.of(), fix, patch, false, oldPath.isPresent()));
    }

    static Optional<Problem> scheme(ProbeCase c) {
        if (!(c.probe().handler() instanceof ProbeHandler.HttpGet g)) {
            return Optional.empty();
        }
        Optional<ProbeFailureMessage> m = newest(c, x -> x.failure() == Failure.PROTOCOL_MISMATCH);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        boolean serverSpeaksPlain = m.get().output().toLowerCase(Locale.ROOT).contains("server gave http response to https client");
        String right = serverSpeaksPlain ? "HTTP" : "HTTPS";
        String port = ProbeFacts.port(g.port(), c.container());
        return Optional.of(new Problem(Confidence.HIGH, "uses scheme " + g.scheme() + ", but the server on port " + port
                + " speaks " + (serverSpeaksPlain ? "plain HTTP" : "TLS (HTTPS)"),
                "kubelet reports: " + m.get().output() + ". The probe can never pass with the wrong scheme.", List.of(),
                "Use scheme " + right, List.of(ProbeFacts.replace(c.pointer() + "/httpGet/scheme", ProbeFacts.quote(right))),
                false, false));
    }

    // ------------------------------------------------------------------ start window

    /** A liveness or startup probe that kills the container before it was ever Ready. */
    static Optional<Problem> startTooShort(ProbeCase c) {
        if (c.type() == ProbeType.READINESS || c.kills().isEmpty() || c.restartedBeforeReady().isEmpty()) {
            return Optional.empty();
        }
        Container ctr = c.container();
        if (c.type() == ProbeType.LIVENESS && ctr.startupProbe().isPresent()) {
            return Optional.empty(); // the startup probe guards the start; liveness kills happen after it passed
        }
        long window = ProbeFacts.failureWindowSeconds(c.probe());
        Optional<ProbeCase.StartObserved> observed = c.previousStart();
        if (observed.isPresent() && observed.get().duration().getSeconds() <= window) {
            return Optional.empty(); // the old build started in time: the new one hangs, which no probe setting fixes
        }
        boolean classic = c.type() == ProbeType.LIVENESS && c.probe().initialDelaySeconds() == 0;
        Confidence conf = observed.isPresent() ? Confidence.HIGH : classic ? Confidence.MEDIUM : Confidence.LOW;
        int killed = c.restartedBeforeReady().size();
        String title = "restarts container " + ctr.name() + " " + window + "s after it starts ("
                + c.probe().initialDelaySeconds() + "s delay + " + c.probe().failureThreshold() + " x "
                + c.probe().periodSeconds() + "s), before it is ever Ready"
                + observed.map(o -> "; the previous revision's pods needed " + Durations.format(o.duration())).orElse("");
        StringBuilder detail = new StringBuilder("kubelet killed the container of ").append(killed)
                .append(killed == 1 ? " new pod" : " new pods").append(" for failing this probe before it ever became Ready");
        observed.ifPresent(o -> detail.append(", while pod ").append(o.pod().metadata().name())
                .append(" of the previous revision took ").append(Durations.format(o.duration()))
                .append(" from start to Ready"));
        detail.append(". If the application needs longer to start, every start is killed: a crash loop of the probe's making.");
        if (classic) {
            detail.append(" initialDelaySeconds is 0 and there is no startupProbe, so the clock runs from the first second.");
        }
        if (c.type() == ProbeType.LIVENESS && ctr.readinessProbe().map(r -> r.handler().equals(c.probe().handler())).orElse(false)) {
            detail.append(" Its readiness probe asks the same thing, so a slow start fails both and liveness kills the "
                    + "container before readiness could ever pass.");
        }
        List<Evidence> evidence = new ArrayList<>();
        observed.ifPresent(o -> o.pod().status().condition("Ready").ifPresent(r -> evidence.add(Evidence.field(o.pod(),
                "status.conditions[Ready]", "True since " + r.lastTransitionTime().map(Object::toString).orElse("?")
                        + " (container started " + startedAt(o.pod(), ctr.name()) + ")", r.lastTransitionTime()))));
        return Optional.of(new Problem(conf, title, detail.toString(), evidence, startFixText(c, observed),
                startFix(c, observed), false, false));
    }

    private static String startedAt(Pod pod, String container) {
        return pod.containerStatus(container).flatMap(cs -> cs.state().running()).flatMap(r -> r.startedAt())
                .map(Object::toString).orElse("?");
    }

    /** A startup probe long enough for twice the observed start (or five minutes), with the liveness probe's check. */
    private static List<String> startFix(ProbeCase c, Optional<ProbeCase.StartObserved> observed) {
        long needed = observed.map(o -> o.duration().getSeconds() * 2).orElse(300L);
        int period = Math.max(1, c.probe().periodSeconds());
        int threshold = (int) Math.max(c.probe().failureThreshold(), (needed + period - 1) / period);
        Probe startup = new Probe(c.probe().handler(), 0, c.probe().timeoutSeconds(), period, 1, threshold,
                OptionalLong.empty());
        if (c.type() == ProbeType.STARTUP) {
            return List.of(ProbeFacts.replace(c.pointer() + "/failureThreshold", String.valueOf(threshold)));
        }
        return List.of(ProbeFacts.add(c.slot().pointer() + "/startupProbe", ProbeFacts.json(startup)));
    }

    private static String startFixText(ProbeCase c, Optional<ProbeCase.StartObserved> observed) {
        String budget = observed.map(o -> "twice the observed " + Durations.format(o.duration())).orElse("up to 5m");
        return c.type() == ProbeType.STARTUP
                ? "Give the startup probe " + budget + " before it fails"
                : "Add a startupProbe with the same check that allows " + budget + " to start; liveness waits until it passes";
    }

    // ------------------------------------------------------------------ change from the previous revision

    static Optional<Problem> changed(ProbeCase c) {
        if (c.previous().isEmpty()) {
            return Optional.empty();
        }
        ProbeCase.Previous prev = c.previous().get();
        Optional<Probe> old = c.previousProbe();
        List<Pod> readyOld = prev.pods().stream().filter(Pod::isReady).toList();
        String oldPods = readyOld.isEmpty() ? "" : " " + readyOld.size() + " pod" + (readyOld.size() == 1 ? "" : "s")
                + " of the previous revision " + (readyOld.size() == 1 ? "is" : "are") + " Ready.";
        if (old.isEmpty()) {
            return Optional.of(new Problem(Confidence.MEDIUM, "was added in this revision and fails",
                    "The previous revision had no " + c.type().fieldName() + " on container " + c.container().name() + "."
                            + oldPods, List.of(), "Remove the probe added in this revision (or correct it)",
                    List.of(ProbeFacts.remove(c.pointer())), false, true));
        }
        List<String> changes = ProbeFacts.changes(old.get(), c.probe());
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        boolean target = ProbeFacts.targetChanged(old.get(), c.probe());
        Confidence conf = target && !readyOld.isEmpty() ? Confidence.HIGH : Confidence.MEDIUM;
        String was = ProbeFacts.fieldValue(old.get(), prev.container());
        return Optional.of(new Problem(conf, "changed in this revision (" + String.join(", ", changes) + ") and now fails",
                "The previous revision's probe: " + was + "." + oldPods,
                List.of(Evidence.field(prev.source(), prev.containerPath() + "." + c.type().fieldName(), was)),
                "Put back the previous revision's probe",
                List.of(ProbeFacts.replace(c.pointer(), ProbeFacts.json(old.get()))), false, true));
    }

    // ------------------------------------------------------------------ timings

    /**
     * A readiness or startup probe whose first check comes only after the Deployment's progress deadline: the new pods
     * cannot become Ready before the controller gives up, whatever the application does. Provable from the spec alone,
     * before the probe has run once (so before any Unhealthy event).
     */
    static Optional<Problem> delayBeyondDeadline(ProbeCase c) {
        if (c.type() == ProbeType.LIVENESS || !(c.status().workload() instanceof Deployment d)
                || d.spec().progressDeadlineSeconds().orElse(DEFAULT_DEADLINE) >= Integer.MAX_VALUE) {
            return Optional.empty();
        }
        int deadline = d.spec().progressDeadlineSeconds().orElse(DEFAULT_DEADLINE);
        int delay = c.probe().initialDelaySeconds();
        if (delay < deadline) {
            return Optional.empty();
        }
        int proposed = c.previous().flatMap(prev -> prev.probe(c.type())).map(Probe::initialDelaySeconds)
                .filter(previous -> previous < deadline).orElse(Math.min(30, deadline / 4));
        return Optional.of(new Problem(Confidence.HIGH,
                "waits initialDelaySeconds=" + delay + " before its first check, no less than the Deployment's "
                        + "progressDeadlineSeconds=" + deadline,
                "kubelet does not run the probe before initialDelaySeconds have passed, so no new pod can become Ready "
                        + "within the progress deadline: the rollout fails (ProgressDeadlineExceeded) however healthy the "
                        + "application is. A slow starter wants a startupProbe with a generous failureThreshold, not a long "
                        + "initial delay.",
                List.of(Evidence.field(d, "spec.progressDeadlineSeconds", String.valueOf(deadline))),
                "Shorten the initial delay to " + proposed + "s",
                List.of(ProbeFacts.replace(c.pointer() + "/initialDelaySeconds", String.valueOf(proposed))), false,
                c.previous().flatMap(prev -> prev.probe(c.type())).map(Probe::initialDelaySeconds)
                        .filter(previous -> previous == proposed).isPresent()));
    }

    /** The API default of {@code spec.progressDeadlineSeconds}. */
    private static final int DEFAULT_DEADLINE = 600;

    static Optional<Problem> timeoutNotBelowPeriod(ProbeCase c) {
        Probe p = c.probe();
        if (p.timeoutSeconds() < p.periodSeconds()) {
            return Optional.empty();
        }
        boolean timingOut = c.failures().stream().anyMatch(e -> e.message().failure() == Failure.TIMEOUT);
        int period = p.timeoutSeconds() * 2;
        return Optional.of(new Problem(timingOut ? Confidence.MEDIUM : Confidence.LOW,
                "waits up to timeoutSeconds=" + p.timeoutSeconds() + " for an answer, no less than its periodSeconds="
                        + p.periodSeconds(),
                "kubelet waits for each attempt to end before it starts the next, so slow attempts run back to back and "
                        + "the period the probe asks for cannot be kept" + (timingOut ? "; its attempts do time out." : "."),
                List.of(), "Make the period longer than the timeout",
                List.of(ProbeFacts.replace(c.pointer() + "/periodSeconds", String.valueOf(period))), false, false));
    }

    private static Optional<ProbeFailureMessage> newest(ProbeCase c, Predicate<ProbeFailureMessage> filter) {
        List<ProbeEvent> events = c.failures();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (filter.test(events.get(i).message())) {
                return Optional.of(events.get(i).message());
            }
        }
        return Optional.empty();
    }
}

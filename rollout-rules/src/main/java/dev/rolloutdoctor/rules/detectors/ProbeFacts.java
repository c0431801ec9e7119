package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.ProbeType;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What the probe rules share: a workload's pod template, probes described in plain words and as JSON, the probe
 * events of a container, and {@code kubectl patch --type json} commands aimed at one container of the template.
 */
final class ProbeFacts {

    private ProbeFacts() {
    }

    /** A probe event with its parsed message. */
    record ProbeEvent(Event event, ProbeFailureMessage message) {
    }

    /** A container of a pod template and where it sits ({@code containers} or {@code initContainers}, index). */
    record Slot(Container container, boolean init, int index) {

        /** {@code spec.template.spec.containers[0]}. */
        String path() {
            return "spec.template.spec." + (init ? "initContainers" : "containers") + "[" + index + "]";
        }

        /** {@code /spec/template/spec/containers/0}, a JSON pointer for {@code kubectl patch --type json}. */
        String pointer() {
            return "/spec/template/spec/" + (init ? "initContainers" : "containers") + "/" + index;
        }
    }


    /** The app containers and native sidecars of a template, with their place in it; plain init containers have no probes. */
    static List<Slot> probedSlots(PodTemplate template) {
        List<Slot> out = new ArrayList<>();
        List<Container> init = template.spec().initContainers();
        for (int i = 0; i < init.size(); i++) {
            if (init.get(i).isSidecar()) {
                out.add(new Slot(init.get(i), true, i));
            }
        }
        List<Container> app = template.spec().containers();
        for (int i = 0; i < app.size(); i++) {
            out.add(new Slot(app.get(i), false, i));
        }
        return out;
    }

    static Optional<Slot> slot(PodTemplate template, String containerName) {
        return probedSlots(template).stream().filter(s -> s.container().name().equals(containerName)).findFirst();
    }

    static Optional<Probe> probe(Container container, ProbeType type) {
        switch (type) {
            case READINESS: return container.readinessProbe();
            case LIVENESS: return container.livenessProbe();
            default: return container.startupProbe();
        }
    }

    /** Probe events about these pods' container, of one probe type, failures only, oldest first. */
    static List<ProbeEvent> failures(Snapshot snapshot, List<Pod> pods, String container, ProbeType type) {
        List<ProbeEvent> out = new ArrayList<>();
        for (Event e : EventQuery.about(snapshot, pods, e -> "Unhealthy".equals(e.reason()))) {
            String about = e.regarding().containerName();
            if (!about.isEmpty() && !about.equals(container)) {
                continue;
            }
            ProbeFailureMessage.parse(e.message())
                    .filter(m -> m.probe() == type && m.isFailure())
                    .ifPresent(m -> out.add(new ProbeEvent(e, m)));
        }
        return out;
    }

    /** {@code Killing} events saying kubelet restarted the container because this probe failed. */
    static List<Event> probeKills(Snapshot snapshot, List<Pod> pods, String container, ProbeType type) {
        String words = "failed " + type.eventName().toLowerCase(Locale.ROOT) + " probe";
        return EventQuery.about(snapshot, pods, e -> "Killing".equals(e.reason())
                && e.message().contains(words)
                && (e.regarding().containerName().isEmpty() || e.regarding().containerName().equals(container)));
    }

    /** What the probe does, in plain words: {@code GET /healthz on port http (8080)}, {@code TCP connect to port 5432}. */
    static String target(Probe probe, Container container) {
        ProbeHandler h = probe.handler();
        if (h instanceof ProbeHandler.HttpGet g) {
            return "GET " + g.path() + " on port " + port(g.port(), container)
                    + ("HTTPS".equalsIgnoreCase(g.scheme()) ? " over HTTPS" : "")
                    + (g.host().isEmpty() ? "" : " of host " + g.host());
        }
        if (h instanceof ProbeHandler.TcpSocket t) {
            return "TCP connect to port " + port(t.port(), container);
        }
        if (h instanceof ProbeHandler.Exec x) {
            return "exec `" + String.join(" ", x.command()) + "`";
        }
        ProbeHandler.Grpc g = (ProbeHandler.Grpc) h;
        return "gRPC health check on port " + g.port() + (g.service().isEmpty() ? "" : " (service \"" + g.service() + "\")");
    }

    /** A port as the probe names it, with the number a name resolves to: {@code http (8080)}, or {@code 8080}. */
    static String port(IntOrString port, Container container) {
        if (port.isInt()) {
            return port.stringValue();
        }
        return container.port(port.stringValue()).map(p -> port.stringValue() + " (" + p.containerPort() + ")")
                .orElse(port.stringValue());
    }

    /** The port a probe connects to, when it names one. */
    static Optional<IntOrString> probePort(Probe probe) {
        ProbeHandler h = probe.handler();
        if (h instanceof ProbeHandler.HttpGet g) {
            return Optional.of(g.port());
        }
        if (h instanceof ProbeHandler.TcpSocket t) {
            return Optional.of(t.port());
        }
        if (h instanceof ProbeHandler.Grpc g) {
            return Optional.of(IntOrString.of(g.port()));
        }
        return Optional.empty();
    }

    /** The number a probe port resolves to in this container, when it can be resolved. */
    static OptionalInt portNumber(IntOrString port, Container container) {
        if (port.isInt()) {
            return OptionalInt.of(port.intValue());
        }
        Optional<ContainerPort> named = container.port(port.stringValue());
        return named.isPresent() ? OptionalInt.of(named.get().containerPort()) : OptionalInt.empty();
    }

    /** The container's declared ports: {@code http=8080, 9090}, or {@code none}. */
    static String declaredPorts(Container container) {
        if (container.ports().isEmpty()) {
            return "none";
        }
        return container.ports().stream()
                .map(p -> p.name().isEmpty() ? String.valueOf(p.containerPort()) : p.name() + "=" + p.containerPort())
                .collect(Collectors.joining(", "));
    }

    /** The timings in plain words, e.g. {@code every 10s, timeout 1s, initial delay 0s, 3 failures in a row}. */
    static String timings(Probe p) {
        return "every " + p.periodSeconds() + "s, timeout " + p.timeoutSeconds() + "s, initial delay "
                + p.initialDelaySeconds() + "s, " + p.failureThreshold() + " failure" + (p.failureThreshold() == 1 ? "" : "s")
                + " in a row";
    }

    /** The probe as a field value for evidence: target and timings. */
    static String fieldValue(Probe p, Container container) {
        return target(p, container) + " (" + timings(p) + ")";
    }

    /** The time from container start after which a failing probe has surely failed: delay + period x threshold. */
    static long failureWindowSeconds(Probe p) {
        return (long) p.initialDelaySeconds() + (long) p.periodSeconds() * p.failureThreshold();
    }

    /** The probe as JSON, the way the API writes it (handler, then timings). */
    static String json(Probe p) {
        StringBuilder out = new StringBuilder("{");
        ProbeHandler h = p.handler();
        if (h instanceof ProbeHandler.HttpGet g) {
            out.append("\"httpGet\":{\"path\":").append(quote(g.path())).append(",\"port\":").append(json(g.port()));
            if (!g.host().isEmpty()) {
                out.append(",\"host\":").append(quote(g.host()));
            }
            out.append(",\"scheme\":").append(quote(g.scheme())).append('}');
        } else if (h instanceof ProbeHandler.TcpSocket t) {
            out.append("\"tcpSocket\":{\"port\":").append(json(t.port())).append('}');
        } else if (h instanceof ProbeHandler.Exec x) {
            out.append("\"exec\":{\"command\":[")
                    .append(x.command().stream().map(ProbeFacts::quote).collect(Collectors.joining(","))).append("]}");
        } else {
            ProbeHandler.Grpc g = (ProbeHandler.Grpc) h;
            out.append("\"grpc\":{\"port\":").append(g.port());
            if (!g.service().isEmpty()) {
                out.append(",\"service\":").append(quote(g.service()));
            }
            out.append('}');
        }
        out.append(",\"initialDelaySeconds\":").append(p.initialDelaySeconds())
                .append(",\"periodSeconds\":").append(p.periodSeconds())
                .append(",\"timeoutSeconds\":").append(p.timeoutSeconds())
                .append(",\"successThreshold\":").append(p.successThreshold())
                .append(",\"failureThreshold\":").append(p.failureThreshold())
                .append('}');
        return out.toString();
    }

    static String json(IntOrString port) {
        return port.isInt() ? port.stringValue() : quote(port.stringValue());
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\t': out.append("\\t"); break;
                // a single quote would end the shell argument the patch is passed in
                case '\'': out.append("\\u0027"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** A JSON pointer token: {@code ~} and {@code /} escaped (RFC 6901), so label keys like {@code app.kubernetes.io/name} work. */
    static String pointerToken(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** {@code kubectl patch deployment/web -n shop --type json -p '[...]'}. */
    static String jsonPatch(ObjectRef ref, List<String> operations) {
        return "kubectl patch " + Kubectl.target(ref) + Kubectl.ns(ref) + " --type json -p '["
                + String.join(",", operations) + "]'";
    }

    /** A JSON patch {@code test}: the patch fails, changing nothing, unless the value at {@code pointer} is this one. */
    static String test(String pointer, String jsonValue) {
        return "{\"op\":\"test\",\"path\":\"" + pointer + "\",\"value\":" + jsonValue + "}";
    }

    static String replace(String pointer, String jsonValue) {
        return "{\"op\":\"replace\",\"path\":\"" + pointer + "\",\"value\":" + jsonValue + "}";
    }

    static String add(String pointer, String jsonValue) {
        return "{\"op\":\"add\",\"path\":\"" + pointer + "\",\"value\":" + jsonValue + "}";
    }

    static String remove(String pointer) {
        return "{\"op\":\"remove\",\"path\":\"" + pointer + "\"}";
    }

    /** A command line with each word quoted for a POSIX shell where needed. */
    static String shellWords(List<String> words) {
        return words.stream().map(ProbeFacts::shellWord).collect(Collectors.joining(" "));
    }

    private static String shellWord(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return w;
        }
        return "'" + w.replace("'", "'\\''") + "'";
    }

    /**
     * What differs between two versions of a probe, each as {@code field before -> after} ({@code path /health ->
     * /healthz}, {@code initialDelaySeconds 30 -> 0}); empty when they are the same.
     */
    static List<String> changes(Probe before, Probe after) {
        List<String> out = new ArrayList<>();
        ProbeHandler b = before.handler();
        ProbeHandler a = after.handler();
        if (b.getClass() != a.getClass()) {
            out.add("handler " + handlerName(b) + " -> " + handlerName(a));
        } else if (b instanceof ProbeHandler.HttpGet hb && a instanceof ProbeHandler.HttpGet ha) {
            diff(out, "path", hb.path(), ha.path());
            diff(out, "port", hb.port().stringValue(), ha.port().stringValue());
            diff(out, "scheme", hb.scheme(), ha.scheme());
            diff(out, "host", hb.host(), ha.host());
        } else if (b instanceof ProbeHandler.TcpSocket tb && a instanceof ProbeHandler.TcpSocket ta) {
            diff(out, "port", tb.port().stringValue(), ta.port().stringValue());
            diff(out, "host", tb.host(), ta.host());
        } else if (b instanceof ProbeHandler.Exec xb && a instanceof ProbeHandler.Exec xa) {
            diff(out, "command", shellWords(xb.command()), shellWords(xa.command()));
        } else if (b instanceof ProbeHandler.Grpc gb && a instanceof ProbeHandler.Grpc ga) {
            diff(out, "port", String.valueOf(gb.port()), String.valueOf(ga.port()));
            diff(out, "service", gb.service(), ga.service());
        }
        diff(out, "initialDelaySeconds", before.initialDelaySeconds(), after.initialDelaySeconds());
        diff(out, "periodSeconds", before.periodSeconds(), after.periodSeconds());
        diff(out, "timeoutSeconds", before.timeoutSeconds(), after.timeoutSeconds());
        diff(out, "successThreshold", before.successThreshold(), after.successThreshold());
        diff(out, "failureThreshold", before.failureThreshold(), after.failureThreshold());
        return out;
    }

    /** True when the change is in what the probe asks (handler, path, port, scheme, host, command), not only its timing. */
    static boolean targetChanged(Probe before, Probe after) {
        return changes(before, after).stream().anyMatch(c -> !c.matches("^[a-zA-Z]+(Seconds|Threshold) .*"));
    }

    static String handlerName(ProbeHandler h) {
        if (h instanceof ProbeHandler.HttpGet) {
            return "httpGet";
        }
        if (h instanceof ProbeHandler.TcpSocket) {
            return "tcpSocket";
        }
        return h instanceof ProbeHandler.Exec ? "exec" : "grpc";
    }

    private static void diff(List<String> out, String field, Object before, Object after) {
        if (!before.equals(after)) {
            out.add(field + " " + show(before) + " -> " + show(after));
        }
    }

    private static String show(Object value) {
        return value instanceof String s && s.isEmpty() ? "\"\"" : String.valueOf(value);
    }

    /** {@code status.containerStatuses[0]}, or {@code status.initContainerStatuses[1]} for an init container or sidecar. */
    static String statusPath(Pod pod, ContainerStatus cs) {
        int app = pod.status().containerStatuses().indexOf(cs);
        return app >= 0 ? "status.containerStatuses[" + app + "]"
                : "status.initContainerStatuses[" + pod.status().initContainerStatuses().indexOf(cs) + "]";
    }

    /** {@code 1 of 3 new pods}, {@code the new pod}, {@code 3 new pods}. */
    static String podCount(int some, int all) {
        if (all == 1) {
            return "the new pod";
        }
        return some == all ? "all " + all + " new pods" : some + " of " + all + " new pods";
    }
}

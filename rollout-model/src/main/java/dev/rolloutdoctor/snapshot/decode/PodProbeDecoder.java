package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.LifecycleHandler;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;

import java.util.Optional;
import java.util.OptionalInt;

/** Decodes a container's probes and lifecycle hooks; part of {@link PodDecoder}. */
final class PodProbeDecoder {

    private PodProbeDecoder() {
    }

    /**
     * The probe under {@code key} with Kubernetes' defaults filled in ({@code SetDefaults_Probe}: a timing of 0 or
     * absent becomes timeout 1, period 10, success 1, failure 3). A probe with no handler is a problem and is
     * left out, since kubelet could not run it.
     */
    static Optional<Probe> probe(Obj container, String key) {
        Node n = container.raw(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        Obj p = container.obj(key);
        if (!(n instanceof MapNode)) {
            return Optional.empty();
        }
        return probeHandler(p).map(handler -> new Probe(
                handler,
                p.integer("initialDelaySeconds", 0),
                defaulted(p, "timeoutSeconds", Probe.DEFAULT_TIMEOUT_SECONDS),
                defaulted(p, "periodSeconds", Probe.DEFAULT_PERIOD_SECONDS),
                defaulted(p, "successThreshold", Probe.DEFAULT_SUCCESS_THRESHOLD),
                defaulted(p, "failureThreshold", Probe.DEFAULT_FAILURE_THRESHOLD),
                p.optLong("terminationGracePeriodSeconds")));
    }

    private static int defaulted(Obj p, String key, int defaultValue) {
        int v = p.integer(key, 0);
        return v == 0 ? defaultValue : v;
    }

    private static Optional<ProbeHandler> probeHandler(Obj p) {
        if (p.has("exec")) {
            return Optional.of(exec(p.obj("exec")));
        }
        if (p.has("httpGet")) {
            return httpGet(p.obj("httpGet")).map(ProbeHandler.class::cast);
        }
        if (p.has("tcpSocket")) {
            return tcpSocket(p.obj("tcpSocket")).map(ProbeHandler.class::cast);
        }
        if (p.has("grpc")) {
            return grpc(p.obj("grpc")).map(ProbeHandler.class::cast);
        }
        p.ctx().problem(p.node(), p.path(), "expected one of exec, httpGet, tcpSocket or grpc in the probe, found none");
        return Optional.empty();
    }

    /** The hook under {@code key} of a container's {@code lifecycle}; one with no handler is a problem and left out. */
    static Optional<LifecycleHandler> lifecycleHandler(Obj lifecycle, String key) {
        Node n = lifecycle.raw(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        Obj h = lifecycle.obj(key);
        if (!(n instanceof MapNode)) {
            return Optional.empty();
        }
        if (h.has("exec")) {
            return Optional.of(exec(h.obj("exec")));
        }
        if (h.has("httpGet")) {
            return httpGet(h.obj("httpGet")).map(LifecycleHandler.class::cast);
        }
        if (h.has("tcpSocket")) {
            return tcpSocket(h.obj("tcpSocket")).map(LifecycleHandler.class::cast);
        }
        if (h.has("sleep")) {
            return Optional.of(new LifecycleHandler.Sleep(h.obj("sleep").lng("seconds", 0)));
        }
        h.ctx().problem(h.node(), h.path(), "expected one of exec, httpGet, tcpSocket or sleep in the hook, found none");
        return Optional.empty();
    }

    private static ProbeHandler.Exec exec(Obj e) {
        return new ProbeHandler.Exec(CredentialVerdicts.screenArguments(e.strList("command")));
    }

    /** Path and scheme get Kubernetes' defaults ({@code SetDefaults_HTTPGetAction}): {@code /} and {@code HTTP}. */
    private static Optional<ProbeHandler.HttpGet> httpGet(Obj h) {
        return port(h).map(port -> new ProbeHandler.HttpGet(
                h.optStr("path").filter(v -> !v.isEmpty()).orElse("/"),
                port,
                h.str("host"),
                h.optStr("scheme").filter(v -> !v.isEmpty()).orElse("HTTP"),
                h.list("httpHeaders", header -> header.str("name"))));
    }

    private static Optional<ProbeHandler.TcpSocket> tcpSocket(Obj t) {
        return port(t).map(port -> new ProbeHandler.TcpSocket(port, t.str("host")));
    }

    private static Optional<ProbeHandler.Grpc> grpc(Obj g) {
        OptionalInt port = g.optInt("port");
        if (port.isEmpty()) {
            missingPort(g);
            return Optional.empty();
        }
        return Optional.of(new ProbeHandler.Grpc(port.getAsInt(), g.str("service")));
    }

    private static Optional<IntOrString> port(Obj h) {
        Optional<IntOrString> port = h.intOrString("port");
        if (port.isEmpty()) {
            missingPort(h);
        }
        return port;
    }

    private static void missingPort(Obj h) {
        if (!h.has("port")) {
            h.ctx().problem(h.node(), h.path().field("port"), "expected a port number or name, found nothing");
        }
    }
}

package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.VolumeMount;
import dev.rolloutdoctor.rules.diff.TemplateDiff.Kind;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compares two versions of one container (same name) of a pod template. */
final class ContainerDiff {

    private ContainerDiff() {
    }

    static void compare(String path, Container a, Container b, ChangeList out) {
        out.text(path + ".image", Kind.IMAGE, a.image(), b.image());
        out.text(path + ".imagePullPolicy", Kind.OTHER, a.imagePullPolicy(), b.imagePullPolicy());
        list(path + ".command", Kind.COMMAND, a.command(), b.command(), out);
        list(path + ".args", Kind.ARGS, a.args(), b.args(), out);
        env(path + ".env", a.env(), b.env(), out);
        out.members(path + ".envFrom", Kind.ENV_FROM, a.envFrom(), b.envFrom(), Render::envFrom);
        out.fields(path + ".resources.requests", Kind.RESOURCES, a.resources().requests(), b.resources().requests(), q -> q.text());
        out.fields(path + ".resources.limits", Kind.RESOURCES, a.resources().limits(), b.resources().limits(), q -> q.text());
        out.optional(path + ".readinessProbe", Kind.PROBE, a.readinessProbe(), b.readinessProbe(), Render::probe);
        out.optional(path + ".livenessProbe", Kind.PROBE, a.livenessProbe(), b.livenessProbe(), Render::probe);
        out.optional(path + ".startupProbe", Kind.PROBE, a.startupProbe(), b.startupProbe(), Render::probe);
        out.entries(path + ".ports", Kind.PORTS, ports(a.ports()), ports(b.ports()), Render::port);
        out.entries(path + ".volumeMounts", Kind.VOLUME_MOUNT, mounts(a.volumeMounts()), mounts(b.volumeMounts()), Render::mount);
        out.optional(path + ".lifecycle.preStop", Kind.LIFECYCLE, a.preStop(), b.preStop(), Render::hook);
        out.optional(path + ".lifecycle.postStart", Kind.LIFECYCLE, a.postStart(), b.postStart(), Render::hook);
        SpecDiff.securityContext(path + ".securityContext", a.securityContext(), b.securityContext(), out);
        out.text(path + ".restartPolicy", Kind.OTHER, a.restartPolicy(), b.restartPolicy());
    }

    private static void list(String path, Kind kind, List<String> a, List<String> b, ChangeList out) {
        if (!a.equals(b)) {
            out.add(path, kind, a.isEmpty() ? Optional.empty() : Optional.of(Render.words(a)),
                    b.isEmpty() ? Optional.empty() : Optional.of(Render.words(b)));
        }
    }

    /**
     * Variables by name. Two values are compared only when both were kept; a redacted or withheld value on either
     * side says nothing about whether it changed, unless the variable also changed where its value comes from.
     */
    private static void env(String path, List<EnvVar> a, List<EnvVar> b, ChangeList out) {
        Map<String, EnvVar> old = ChangeList.byName(a, EnvVar::name);
        Map<String, EnvVar> now = ChangeList.byName(b, EnvVar::name);
        for (EnvVar v : now.values()) {
            EnvVar previous = old.get(v.name());
            String at = path + "[" + v.name() + "]";
            if (previous == null) {
                out.add(at, Kind.ENV, Optional.empty(), Optional.of(Render.envValue(v)));
            } else if (changed(previous, v)) {
                out.add(at, Kind.ENV, Optional.of(Render.envValue(previous)), Optional.of(Render.envValue(v)));
            }
        }
        for (EnvVar v : old.values()) {
            if (!now.containsKey(v.name())) {
                out.add(path + "[" + v.name() + "]", Kind.ENV, Optional.of(Render.envValue(v)), Optional.empty());
            }
        }
    }

    private static boolean changed(EnvVar a, EnvVar b) {
        if (!a.valueFrom().equals(b.valueFrom())) {
            return true;
        }
        if (hidden(a) || hidden(b)) {
            return false;
        }
        // an absent value and an empty literal are the same empty string to Kubernetes
        return !a.value().orElse("").equals(b.value().orElse(""));
    }

    private static boolean hidden(EnvVar v) {
        return v.valueState() == EnvVar.ValueState.REDACTED || v.valueState() == EnvVar.ValueState.WITHHELD;
    }

    private static Map<String, ContainerPort> ports(List<ContainerPort> ports) {
        return ChangeList.byName(ports, p -> p.containerPort() + "/" + (p.protocol().isEmpty() ? "TCP" : p.protocol()));
    }

    private static Map<String, VolumeMount> mounts(List<VolumeMount> mounts) {
        return ChangeList.byName(mounts, VolumeMount::mountPath);
    }
}

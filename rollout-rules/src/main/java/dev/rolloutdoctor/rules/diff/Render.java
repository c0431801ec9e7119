package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.model.Affinity;
import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.EnvFromSource;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.EnvVarSource;
import dev.rolloutdoctor.model.KeyReference;
import dev.rolloutdoctor.model.LifecycleHandler;
import dev.rolloutdoctor.model.NodeSelectorTerm;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.model.SecurityContext;
import dev.rolloutdoctor.model.Toleration;
import dev.rolloutdoctor.model.TopologySpreadConstraint;
import dev.rolloutdoctor.model.VolumeMount;
import dev.rolloutdoctor.model.VolumeSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The short texts a template diff shows for each kind of value, close to how {@code kubectl describe} prints them. */
final class Render {

    private Render() {
    }

    static String containerSummary(Container c) {
        return c.image().isEmpty() ? "container " + c.name() : "image " + c.image();
    }

    /**
     * A command or argument list, quoted like JSON. Arguments that looked like credentials were already withheld when
     * the snapshot was loaded.
     */
    static String words(List<String> words) {
        List<String> shown = new ArrayList<>();
        words.forEach(w -> shown.add(quote(w)));
        return "[" + String.join(", ", shown) + "]";
    }

    /** A label or annotation value; an empty one is shown as {@code ""} so that it reads as a value. */
    static String text(String value) {
        return value.isEmpty() ? "\"\"" : value;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** An env value: the literal when it was kept, else where it comes from, or that it is hidden. */
    static String envValue(EnvVar v) {
        if (v.valueFrom().isPresent()) {
            return envSource(v.valueFrom().get());
        }
        switch (v.valueState()) {
            case LITERAL:
                return quote(v.value().orElse(""));
            case REDACTED:
                return "(value redacted)";
            case WITHHELD:
                return "(value withheld)";
            default:
                return quote("");
        }
    }

    private static String envSource(EnvVarSource source) {
        if (source instanceof KeyReference k) {
            return "from " + k.kind() + " " + k.name() + " key " + k.key() + (k.optional() ? " (optional)" : "");
        }
        if (source instanceof EnvVarSource.FieldRef f) {
            return "from field " + f.fieldPath();
        }
        if (source instanceof EnvVarSource.ResourceFieldRef r) {
            return "from resource " + r.resource() + (r.containerName().isEmpty() ? "" : " of container " + r.containerName());
        }
        return "from " + ((EnvVarSource.Other) source).type();
    }

    static String envFrom(EnvFromSource e) {
        return e.kind() + " " + e.name() + (e.prefix().isEmpty() ? "" : " prefix " + e.prefix()) + (e.optional() ? " (optional)" : "");
    }

    /** {@code http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3}, as kubectl describe. */
    static String probe(Probe p) {
        return handler(p.handler()) + " delay=" + p.initialDelaySeconds() + "s timeout=" + p.timeoutSeconds() + "s period="
                + p.periodSeconds() + "s #success=" + p.successThreshold() + " #failure=" + p.failureThreshold();
    }

    static String handler(ProbeHandler h) {
        if (h instanceof ProbeHandler.HttpGet g) {
            String scheme = g.scheme().isEmpty() ? "http" : g.scheme().toLowerCase(java.util.Locale.ROOT);
            return "http-get " + scheme + "://" + g.host() + ":" + g.port() + g.path();
        }
        if (h instanceof ProbeHandler.TcpSocket t) {
            return "tcp-socket " + t.host() + ":" + t.port();
        }
        if (h instanceof ProbeHandler.Exec e) {
            return "exec " + words(e.command());
        }
        ProbeHandler.Grpc g = (ProbeHandler.Grpc) h;
        return "grpc :" + g.port() + (g.service().isEmpty() ? "" : " " + g.service());
    }

    /** A preStop or postStart hook. */
    static String hook(LifecycleHandler h) {
        if (h instanceof LifecycleHandler.Sleep s) {
            return "sleep " + s.seconds() + "s";
        }
        return handler((ProbeHandler) h);
    }

    static String port(ContainerPort p) {
        String text = p.containerPort() + "/" + (p.protocol().isEmpty() ? "TCP" : p.protocol());
        if (!p.name().isEmpty()) {
            text += " (" + p.name() + ")";
        }
        return p.hostPort() == 0 ? text : text + " hostPort " + p.hostPort();
    }

    static String mount(VolumeMount m) {
        return m.name() + (m.subPath().isEmpty() ? "" : " subPath " + m.subPath()) + (m.readOnly() ? " (ro)" : "");
    }

    static String volumeSource(VolumeSource s) {
        if (s instanceof VolumeSource.PersistentVolumeClaimSource p) {
            return "persistentVolumeClaim " + p.claimName() + (p.readOnly() ? " (ro)" : "");
        }
        if (s instanceof VolumeSource.ConfigMapSource c) {
            return "configMap " + c.name() + keys(c.keys()) + (c.optional() ? " (optional)" : "");
        }
        if (s instanceof VolumeSource.SecretSource c) {
            return "secret " + c.secretName() + keys(c.keys()) + (c.optional() ? " (optional)" : "");
        }
        if (s instanceof VolumeSource.ProjectedSource p) {
            List<String> parts = new ArrayList<>();
            p.sources().forEach(x -> parts.add(volumeSource(x)));
            return "projected (" + String.join(", ", parts) + ")";
        }
        if (s instanceof VolumeSource.EmptyDirSource e) {
            return "emptyDir" + (e.medium().isEmpty() ? "" : " medium " + e.medium())
                    + e.sizeLimit().map(q -> " sizeLimit " + q.text()).orElse("");
        }
        if (s instanceof VolumeSource.HostPathSource h) {
            return "hostPath " + h.path() + (h.hostPathType().isEmpty() ? "" : " (" + h.hostPathType() + ")");
        }
        if (s instanceof VolumeSource.EphemeralSource e) {
            return "ephemeral" + e.storageClassName().map(c -> " storageClass " + c).orElse("")
                    + e.storageRequest().map(q -> " " + q.text()).orElse("");
        }
        return s.type();
    }

    private static String keys(List<String> keys) {
        return keys.isEmpty() ? "" : " keys " + String.join(",", keys);
    }

    /** {@code node.kubernetes.io/not-ready:NoExecute op=Exists for 300s}, as kubectl describe prints tolerations. */
    static String toleration(Toleration t) {
        StringBuilder out = new StringBuilder(t.key());
        if (!t.value().isEmpty()) {
            out.append('=').append(t.value());
        }
        if (!t.effect().isEmpty()) {
            out.append(':').append(t.effect());
        }
        if (t.operator() != Toleration.Operator.EQUAL) {
            out.append(out.length() == 0 ? "" : " ").append("op=").append(t.operator());
        }
        t.tolerationSeconds().ifPresent(s -> out.append(" for ").append(s).append('s'));
        return out.toString();
    }

    static String spread(TopologySpreadConstraint c) {
        return c.topologyKey() + " maxSkew=" + c.maxSkew() + " " + c.whenUnsatisfiable()
                + c.labelSelector().map(s -> " selector " + s).orElse("");
    }

    /** Affinity flattened to one entry per kind and strength, so a change names the rule that moved. */
    static Map<String, String> affinity(Optional<Affinity> affinity) {
        Map<String, String> out = new LinkedHashMap<>();
        if (affinity.isEmpty()) {
            return out;
        }
        Affinity a = affinity.get();
        put(out, "nodeAffinity.required", a.requiredNodeTerms(), Render::nodeTerm, " | ");
        put(out, "nodeAffinity.preferred", a.preferredNodeTerms(), w -> w.weight() + ": " + nodeTerm(w.preference()), "; ");
        put(out, "podAffinity.required", a.requiredPodAffinity(), Render::podTerm, "; ");
        put(out, "podAffinity.preferred", a.preferredPodAffinity(), w -> w.weight() + ": " + podTerm(w.term()), "; ");
        put(out, "podAntiAffinity.required", a.requiredPodAntiAffinity(), Render::podTerm, "; ");
        put(out, "podAntiAffinity.preferred", a.preferredPodAntiAffinity(), w -> w.weight() + ": " + podTerm(w.term()), "; ");
        return out;
    }

    private static <T> void put(Map<String, String> out, String key, List<T> items, Function<T, String> show, String separator) {
        if (!items.isEmpty()) {
            List<String> parts = new ArrayList<>();
            items.forEach(i -> parts.add(show.apply(i)));
            out.put(key, String.join(separator, parts));
        }
    }

    private static String nodeTerm(NodeSelectorTerm t) {
        List<String> parts = new ArrayList<>();
        t.matchExpressions().forEach(r -> parts.add(r.toString()));
        t.matchFields().forEach(r -> parts.add(r.toString()));
        return String.join(", ", parts);
    }

    private static String podTerm(Affinity.PodAffinityTerm t) {
        return t.labelSelector().map(Object::toString).orElse("(no pods)") + " on " + t.topologyKey()
                + (t.namespaces().isEmpty() ? "" : " in " + String.join(",", t.namespaces()));
    }

    /** The fields a security context sets, by name, in the API's order; empty when there is none. */
    static Map<String, String> securityFields(Optional<SecurityContext> context) {
        Map<String, String> out = new LinkedHashMap<>();
        if (context.isEmpty()) {
            return out;
        }
        SecurityContext c = context.get();
        c.runAsNonRoot().ifPresent(v -> out.put("runAsNonRoot", v.toString()));
        c.runAsUser().ifPresent(v -> out.put("runAsUser", Long.toString(v)));
        c.runAsGroup().ifPresent(v -> out.put("runAsGroup", Long.toString(v)));
        c.privileged().ifPresent(v -> out.put("privileged", v.toString()));
        c.allowPrivilegeEscalation().ifPresent(v -> out.put("allowPrivilegeEscalation", v.toString()));
        if (!c.capabilitiesAdd().isEmpty()) {
            out.put("capabilities.add", c.capabilitiesAdd().toString());
        }
        if (!c.capabilitiesDrop().isEmpty()) {
            out.put("capabilities.drop", c.capabilitiesDrop().toString());
        }
        putText(out, "seccompProfile.type", c.seccompProfileType());
        putText(out, "appArmorProfile.type", c.appArmorProfileType());
        putText(out, "seLinuxOptions.type", c.seLinuxType());
        c.readOnlyRootFilesystem().ifPresent(v -> out.put("readOnlyRootFilesystem", v.toString()));
        putText(out, "procMount", c.procMount());
        if (!c.sysctls().isEmpty()) {
            out.put("sysctls", c.sysctls().toString());
        }
        c.windowsHostProcess().ifPresent(v -> out.put("windowsOptions.hostProcess", v.toString()));
        return out;
    }

    private static void putText(Map<String, String> out, String key, String value) {
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }
}

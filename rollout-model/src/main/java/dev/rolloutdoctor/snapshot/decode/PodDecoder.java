package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Affinity;
import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.ContainerState;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.EnvFromSource;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.EnvVarSource;
import dev.rolloutdoctor.model.KeyReference;
import dev.rolloutdoctor.model.LifecycleHandler;
import dev.rolloutdoctor.model.NodeSelectorTerm;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.PodStatus;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.model.ResourceRequirements;
import dev.rolloutdoctor.model.SecurityContext;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.model.Toleration;
import dev.rolloutdoctor.model.TopologySpreadConstraint;
import dev.rolloutdoctor.model.VolumeMount;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decodes Pods, pod specs and pod templates (the {@code spec.template} of workloads). Fields of the wrong type
 * become problems and the rest of the object still decodes; literal environment values that look like credentials
 * are not kept (see {@link CredentialHeuristics}).
 */
public final class PodDecoder {

    private PodDecoder() {
    }

    /** A Pod from the mapping of the whole object. */
    public static Pod decode(Obj root, Source source) {
        return new Pod(root.str("apiVersion"), Common.meta(root.obj("metadata")), podSpec(root.obj("spec")),
                status(root.obj("status")), source);
    }

    /** A workload's {@code spec.template}: its metadata's labels and annotations, and its spec. */
    public static PodTemplate template(Obj template) {
        Obj meta = template.obj("metadata");
        return new PodTemplate(meta.strMap("labels"), meta.strMap("annotations"), podSpec(template.obj("spec")));
    }

    /** A pod spec, as found in a Pod or in a template. */
    public static PodSpec podSpec(Obj s) {
        return new PodSpec(
                s.list("initContainers", PodDecoder::container),
                s.list("containers", PodDecoder::container),
                s.list("volumes", PodVolumeDecoder::volume),
                s.strMap("nodeSelector"),
                s.has("affinity") ? Optional.of(affinity(s.obj("affinity"))) : Optional.empty(),
                s.list("tolerations", PodDecoder::toleration),
                s.list("topologySpreadConstraints", PodDecoder::topologySpreadConstraint),
                s.bool("hostNetwork", false),
                s.bool("hostPID", false),
                s.bool("hostIPC", false),
                s.optStr("serviceAccountName").filter(n -> !n.isEmpty()).orElseGet(() -> s.str("serviceAccount")),
                s.optLong("terminationGracePeriodSeconds"),
                s.optLong("activeDeadlineSeconds"),
                s.str("nodeName"),
                s.str("restartPolicy"),
                s.str("schedulerName"),
                s.str("priorityClassName"),
                s.list("imagePullSecrets", r -> r.str("name")),
                s.has("securityContext") ? Optional.of(securityContext(s.obj("securityContext"))) : Optional.empty(),
                s.list("readinessGates", g -> g.str("conditionType")),
                s.optInt("priority"),
                s.str("runtimeClassName"),
                s.quantities("overhead"),
                s.list("schedulingGates", g -> g.str("name")),
                resources(s.obj("resources")));
    }

    static Container container(Obj c) {
        Obj lifecycle = c.obj("lifecycle");
        return new Container(
                c.str("name"),
                c.str("image"),
                c.str("imagePullPolicy"),
                CredentialVerdicts.screenArguments(c.strList("command")),
                CredentialVerdicts.screenArguments(c.strList("args")),
                c.list("ports", PodDecoder::port),
                resources(c.obj("resources")),
                PodProbeDecoder.probe(c, "readinessProbe"),
                PodProbeDecoder.probe(c, "livenessProbe"),
                PodProbeDecoder.probe(c, "startupProbe"),
                c.list("env", PodDecoder::env),
                c.list("envFrom", PodDecoder::envFrom),
                c.list("volumeMounts", PodDecoder::volumeMount),
                PodProbeDecoder.lifecycleHandler(lifecycle, "preStop"),
                PodProbeDecoder.lifecycleHandler(lifecycle, "postStart"),
                c.has("securityContext") ? Optional.of(securityContext(c.obj("securityContext"))) : Optional.empty(),
                c.str("restartPolicy"));
    }

    /** A port without a usable number is reported and left out: nothing can refer to it. */
    static ContainerPort port(Obj p) {
        OptionalInt number = p.optInt("containerPort");
        if (number.isEmpty()) {
            if (!p.has("containerPort")) {
                p.ctx().problem(p.node(), p.path().field("containerPort"), "expected a port number, found nothing");
            }
            return null;
        }
        return new ContainerPort(p.str("name"), number.getAsInt(), p.integer("hostPort", 0),
                p.optStr("protocol").filter(v -> !v.isEmpty()).orElse("TCP"), p.str("hostIP"));
    }

    static ResourceRequirements resources(Obj r) {
        if (r.node().isEmpty()) {
            return ResourceRequirements.EMPTY;
        }
        return new ResourceRequirements(r.quantities("requests"), r.quantities("limits"));
    }

    /** An environment variable; a literal value is kept only when it does not look like a credential. */
    static EnvVar env(Obj e) {
        String name = e.str("name");
        Optional<String> literal = e.optStr("value"); // records a redaction placeholder
        EnvVar.ValueState state;
        if (e.isRedacted("value")) {
            state = EnvVar.ValueState.REDACTED;
            literal = Optional.empty();
        } else if (literal.isEmpty()) {
            state = EnvVar.ValueState.NONE;
        } else if (CredentialVerdicts.looksLikeCredential(name, literal.get())) {
            state = EnvVar.ValueState.WITHHELD;
            literal = Optional.empty();
        } else {
            state = EnvVar.ValueState.LITERAL;
        }
        Optional<EnvVarSource> from = e.has("valueFrom") ? envVarSource(e.obj("valueFrom")) : Optional.empty();
        return new EnvVar(name, literal, state, from);
    }

    static Optional<EnvVarSource> envVarSource(Obj v) {
        if (v.has("configMapKeyRef")) {
            return Optional.of(keyReference(KeyReference.CONFIG_MAP, v.obj("configMapKeyRef")));
        }
        if (v.has("secretKeyRef")) {
            return Optional.of(keyReference(KeyReference.SECRET, v.obj("secretKeyRef")));
        }
        if (v.has("fieldRef")) {
            return Optional.of(new EnvVarSource.FieldRef(v.obj("fieldRef").str("fieldPath")));
        }
        if (v.has("resourceFieldRef")) {
            Obj r = v.obj("resourceFieldRef");
            return Optional.of(new EnvVarSource.ResourceFieldRef(r.str("containerName"), r.str("resource")));
        }
        for (String key : v.node().keys()) {
            if (v.has(key)) {
                return Optional.of(new EnvVarSource.Other(key));
            }
        }
        return Optional.empty();
    }

    private static KeyReference keyReference(String kind, Obj r) {
        return new KeyReference(kind, r.str("name"), r.str("key"), r.bool("optional", false));
    }

    static EnvFromSource envFrom(Obj e) {
        String prefix = e.str("prefix");
        for (String key : new String[] {"configMapRef", "secretRef"}) {
            if (e.has(key)) {
                Obj r = e.obj(key);
                String kind = key.equals("configMapRef") ? EnvFromSource.CONFIG_MAP : EnvFromSource.SECRET;
                return new EnvFromSource(kind, r.str("name"), prefix, r.bool("optional", false));
            }
        }
        e.ctx().problem(e.node(), e.path(), "expected configMapRef or secretRef, found neither");
        return null;
    }

    static VolumeMount volumeMount(Obj m) {
        return new VolumeMount(m.str("name"), m.str("mountPath"), m.bool("readOnly", false), m.str("subPath"));
    }

    static Affinity affinity(Obj a) {
        Obj node = a.obj("nodeAffinity");
        Obj pod = a.obj("podAffinity");
        Obj anti = a.obj("podAntiAffinity");
        String required = "requiredDuringSchedulingIgnoredDuringExecution";
        String preferred = "preferredDuringSchedulingIgnoredDuringExecution";
        return new Affinity(
                node.has(required) ? Common.nodeSelectorTerms(node.obj(required)) : List.of(),
                node.list(preferred, w -> new Affinity.WeightedNodeSelectorTerm(w.integer("weight", 0),
                        nodeSelectorTerm(w.obj("preference")))),
                pod.list(required, PodDecoder::podAffinityTerm),
                pod.list(preferred, PodDecoder::weightedPodAffinityTerm),
                anti.list(required, PodDecoder::podAffinityTerm),
                anti.list(preferred, PodDecoder::weightedPodAffinityTerm));
    }

    private static NodeSelectorTerm nodeSelectorTerm(Obj t) {
        return new NodeSelectorTerm(t.list("matchExpressions", Common::nodeSelectorRequirement),
                t.list("matchFields", Common::nodeSelectorRequirement));
    }

    private static Affinity.WeightedPodAffinityTerm weightedPodAffinityTerm(Obj w) {
        return new Affinity.WeightedPodAffinityTerm(w.integer("weight", 0), podAffinityTerm(w.obj("podAffinityTerm")));
    }

    private static Affinity.PodAffinityTerm podAffinityTerm(Obj t) {
        return new Affinity.PodAffinityTerm(t.selector("labelSelector"), t.str("topologyKey"), t.strList("namespaces"),
                t.selector("namespaceSelector"), t.strList("matchLabelKeys"), t.strList("mismatchLabelKeys"));
    }

    /** A toleration with an operator Kubernetes does not know tolerates nothing there, so it is reported and left out. */
    static Toleration toleration(Obj t) {
        Optional<Toleration.Operator> op = Toleration.Operator.fromKubernetes(t.str("operator"));
        if (op.isEmpty()) {
            t.ctx().problem(t.raw("operator"), t.path().field("operator"),
                    "expected one of Equal, Exists, Lt, Gt, found " + t.raw("operator").describe());
            return null;
        }
        return new Toleration(t.str("key"), op.get(), t.str("value"), t.str("effect"), t.optLong("tolerationSeconds"));
    }

    static TopologySpreadConstraint topologySpreadConstraint(Obj t) {
        return new TopologySpreadConstraint(t.integer("maxSkew", 0), t.str("topologyKey"), t.str("whenUnsatisfiable"),
                t.selector("labelSelector"), t.optInt("minDomains"), t.strList("matchLabelKeys"),
                t.str("nodeAffinityPolicy"), t.str("nodeTaintsPolicy"));
    }

    static SecurityContext securityContext(Obj s) {
        Obj capabilities = s.obj("capabilities");
        return new SecurityContext(
                s.optBool("runAsNonRoot"),
                s.optLong("runAsUser"),
                s.optLong("runAsGroup"),
                s.optBool("privileged"),
                s.optBool("allowPrivilegeEscalation"),
                capabilities.strList("add"),
                capabilities.strList("drop"),
                s.obj("seccompProfile").str("type"),
                s.obj("appArmorProfile").str("type"),
                s.obj("seLinuxOptions").str("type"),
                s.optBool("readOnlyRootFilesystem"),
                s.str("procMount"),
                s.list("sysctls", c -> c.str("name")),
                s.obj("windowsOptions").optBool("hostProcess"));
    }

    static PodStatus status(Obj s) {
        if (s.node().isEmpty()) {
            return PodStatus.EMPTY;
        }
        return new PodStatus(
                s.str("phase"),
                Common.conditions(s, "conditions"),
                s.list("initContainerStatuses", PodDecoder::containerStatus),
                s.list("containerStatuses", PodDecoder::containerStatus),
                s.list("ephemeralContainerStatuses", PodDecoder::containerStatus),
                s.str("reason"),
                s.str("message"),
                s.str("nominatedNodeName"),
                s.str("hostIP"),
                s.str("podIP"),
                s.time("startTime"),
                s.str("qosClass"));
    }

    static ContainerStatus containerStatus(Obj c) {
        return new ContainerStatus(c.str("name"), c.str("image"), c.str("imageID"), c.bool("ready", false),
                c.optBool("started"), c.integer("restartCount", 0), containerState(c.obj("state")),
                containerState(c.obj("lastState")));
    }

    static ContainerState containerState(Obj s) {
        if (s.node().isEmpty()) {
            return ContainerState.EMPTY;
        }
        Optional<ContainerState.Waiting> waiting = Optional.empty();
        Optional<ContainerState.Running> running = Optional.empty();
        Optional<ContainerState.Terminated> terminated = Optional.empty();
        if (s.has("waiting")) {
            Obj w = s.obj("waiting");
            waiting = Optional.of(new ContainerState.Waiting(w.str("reason"), w.str("message")));
        }
        if (s.has("running")) {
            running = Optional.of(new ContainerState.Running(s.obj("running").time("startedAt")));
        }
        if (s.has("terminated")) {
            Obj t = s.obj("terminated");
            terminated = Optional.of(new ContainerState.Terminated(t.integer("exitCode", 0), t.optInt("signal"),
                    t.str("reason"), t.str("message"), t.time("startedAt"), t.time("finishedAt")));
        }
        return new ContainerState(waiting, running, terminated);
    }
}

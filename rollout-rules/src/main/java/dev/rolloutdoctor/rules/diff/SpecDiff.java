package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.SecurityContext;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.rules.diff.TemplateDiff.Kind;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/** Compares two pod templates field by field: metadata, containers, then the pod-level fields a rollout can change. */
final class SpecDiff {

    static final String TEMPLATE = "spec.template";
    private static final String SPEC = TEMPLATE + ".spec";

    private SpecDiff() {
    }

    static void template(PodTemplate before, PodTemplate after, ChangeList out) {
        out.entries(TEMPLATE + ".metadata.labels", Kind.LABEL, withoutHash(before.labels()), withoutHash(after.labels()), Render::text);
        out.entries(TEMPLATE + ".metadata.annotations", Kind.ANNOTATION, before.annotations(), after.annotations(), Render::text);
        containers("initContainers", before.spec().initContainers(), after.spec().initContainers(), out);
        containers("containers", before.spec().containers(), after.spec().containers(), out);
        pod(before.spec(), after.spec(), out);
    }

    static SortedMap<String, String> newLabels(PodTemplate before, PodTemplate after) {
        SortedMap<String, String> out = new TreeMap<>();
        Map<String, String> old = withoutHash(before.labels());
        withoutHash(after.labels()).forEach((k, v) -> {
            if (!v.equals(old.get(k))) {
                out.put(k, v);
            }
        });
        return java.util.Collections.unmodifiableSortedMap(out);
    }

    private static void containers(String field, List<Container> before, List<Container> after, ChangeList out) {
        Map<String, Container> old = ChangeList.byName(before, Container::name);
        Map<String, Container> now = ChangeList.byName(after, Container::name);
        String path = SPEC + "." + field;
        for (Container c : now.values()) {
            Container previous = old.get(c.name());
            if (previous == null) {
                out.add(path + "[" + c.name() + "]", Kind.CONTAINER, Optional.empty(), Optional.of(Render.containerSummary(c)));
            } else {
                ContainerDiff.compare(path + "[" + c.name() + "]", previous, c, out);
            }
        }
        for (Container c : old.values()) {
            if (!now.containsKey(c.name())) {
                out.add(path + "[" + c.name() + "]", Kind.CONTAINER, Optional.of(Render.containerSummary(c)), Optional.empty());
            }
        }
    }

    private static void pod(PodSpec a, PodSpec b, ChangeList out) {
        out.entries(SPEC + ".volumes", Kind.VOLUME, ChangeList.byName(a.volumes(), Volume::name),
                ChangeList.byName(b.volumes(), Volume::name), v -> Render.volumeSource(v.source()));
        out.text(SPEC + ".serviceAccountName", Kind.SERVICE_ACCOUNT, a.effectiveServiceAccountName(), b.effectiveServiceAccountName());
        securityContext(SPEC + ".securityContext", a.securityContext(), b.securityContext(), out);
        out.text(SPEC + ".hostNetwork", Kind.SECURITY_CONTEXT, flag(a.hostNetwork()), flag(b.hostNetwork()));
        out.text(SPEC + ".hostPID", Kind.SECURITY_CONTEXT, flag(a.hostPID()), flag(b.hostPID()));
        out.text(SPEC + ".hostIPC", Kind.SECURITY_CONTEXT, flag(a.hostIPC()), flag(b.hostIPC()));
        placement(a, b, out);
        out.text(SPEC + ".terminationGracePeriodSeconds", Kind.LIFECYCLE,
                seconds(a.terminationGracePeriodSeconds()), seconds(b.terminationGracePeriodSeconds()));
        out.text(SPEC + ".activeDeadlineSeconds", Kind.OTHER, seconds(a.activeDeadlineSeconds()), seconds(b.activeDeadlineSeconds()));
        out.text(SPEC + ".restartPolicy", Kind.OTHER, a.effectiveRestartPolicy(), b.effectiveRestartPolicy());
        out.text(SPEC + ".schedulerName", Kind.OTHER, a.effectiveSchedulerName(), b.effectiveSchedulerName());
        out.text(SPEC + ".runtimeClassName", Kind.OTHER, a.runtimeClassName(), b.runtimeClassName());
        out.members(SPEC + ".imagePullSecrets", Kind.OTHER, a.imagePullSecrets(), b.imagePullSecrets(), s -> s);
        out.members(SPEC + ".readinessGates", Kind.OTHER, a.readinessGates(), b.readinessGates(), s -> s);
        out.members(SPEC + ".schedulingGates", Kind.PLACEMENT, a.schedulingGates(), b.schedulingGates(), s -> s);
        out.fields(SPEC + ".resources.requests", Kind.RESOURCES, a.resources().requests(), b.resources().requests(), q -> q.text());
        out.fields(SPEC + ".resources.limits", Kind.RESOURCES, a.resources().limits(), b.resources().limits(), q -> q.text());
    }

    private static void placement(PodSpec a, PodSpec b, ChangeList out) {
        out.entries(SPEC + ".nodeSelector", Kind.PLACEMENT, a.nodeSelector(), b.nodeSelector(), Render::text);
        out.fields(SPEC + ".affinity", Kind.PLACEMENT, Render.affinity(a.affinity()), Render.affinity(b.affinity()), v -> v);
        out.members(SPEC + ".tolerations", Kind.PLACEMENT, a.tolerations(), b.tolerations(), Render::toleration);
        out.members(SPEC + ".topologySpreadConstraints", Kind.PLACEMENT, a.topologySpreadConstraints(),
                b.topologySpreadConstraints(), Render::spread);
        out.text(SPEC + ".priorityClassName", Kind.PLACEMENT, a.priorityClassName(), b.priorityClassName());
    }

    /** A security context compared field by field, so that one changed field is one change. */
    static void securityContext(String path, Optional<SecurityContext> a, Optional<SecurityContext> b, ChangeList out) {
        out.fields(path, Kind.SECURITY_CONTEXT, Render.securityFields(a), Render.securityFields(b), v -> v);
    }

    private static Map<String, String> withoutHash(Map<String, String> labels) {
        if (!labels.containsKey(ReplicaSet.POD_TEMPLATE_HASH)) {
            return labels;
        }
        TreeMap<String, String> out = new TreeMap<>(labels);
        out.remove(ReplicaSet.POD_TEMPLATE_HASH);
        return out;
    }

    private static String flag(boolean value) {
        return value ? "true" : "";
    }

    static String seconds(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() + "s" : "";
    }
}

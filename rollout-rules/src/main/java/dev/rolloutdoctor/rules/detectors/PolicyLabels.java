package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.LabelSelector;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pod labels as NetworkPolicies see them: the labels of a rollout's new and previous pods (without the controllers'
 * revision labels, which no policy means to select), how they differ, the labels of a namespace, and JSON patches
 * that widen a label selector to admit a changed label value.
 */
final class PolicyLabels {

    /** Labels controllers add per revision or per pod; a policy selecting on them would be a mistake of its own. */
    private static final Set<String> REVISION_LABELS = Set.of(ReplicaSet.POD_TEMPLATE_HASH, "controller-revision-hash",
            "pod-template-generation", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index");

    /** The label every namespace carries since Kubernetes 1.21 (NamespaceDefaultLabelName). */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private PolicyLabels() {
    }

    /** The labels of one revision's pods and where they were read. */
    record Labels(SortedMap<String, String> labels, KubeObject source, String path) {
    }

    /** A namespace's labels, and whether they were read or only assumed. */
    record NamespaceLabels(Map<String, String> labels, boolean known) {
    }

    static SortedMap<String, String> withoutRevisionLabels(Map<String, String> labels) {
        SortedMap<String, String> out = new TreeMap<>(labels);
        REVISION_LABELS.forEach(out::remove);
        return out;
    }

    /** The new pods' labels: the workload's template, else a new pod's. */
    static Optional<Labels> newLabels(RolloutStatus status) {
        KubeObject workload = status.workload();
        Optional<Labels> template = PodTemplate.of(workload)
                .map(t -> new Labels(withoutRevisionLabels(t.labels()), workload, "spec.template.metadata.labels"));
        if (template.isPresent()) {
            return template;
        }
        return status.structure().newPods().stream().findFirst()
                .map(p -> new Labels(withoutRevisionLabels(p.metadata().labels()), p, "metadata.labels"));
    }

    /** The previous revision's labels: its ReplicaSet's template, else an old pod's. */
    static Optional<Labels> previousLabels(RolloutStatus status) {
        var structure = status.structure();
        if (structure.previousReplicaSet().isPresent()) {
            ReplicaSet rs = structure.previousReplicaSet().get();
            return Optional.of(new Labels(withoutRevisionLabels(rs.spec().template().labels()), rs,
                    "spec.template.metadata.labels"));
        }
        for (Pod p : structure.oldPods()) {
            return Optional.of(new Labels(withoutRevisionLabels(p.metadata().labels()), p, "metadata.labels"));
        }
        return Optional.empty();
    }

    /** Keys whose value differs (or that exist on one side only), sorted. */
    static List<String> changedKeys(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (!java.util.Objects.equals(before.get(k), after.get(k))) {
                out.add(k);
            }
        }
        return out;
    }

    /** {@code tier=web-v2}, or {@code no tier label}, for the given keys of a label set. */
    static String show(Map<String, String> labels, List<String> keys) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            parts.add(labels.containsKey(k) ? k + "=" + labels.get(k) : "no " + k + " label");
        }
        return String.join(", ", parts);
    }

    /** The labels of a namespace when the snapshot holds it; else only the name label every namespace carries. */
    static NamespaceLabels namespace(Snapshot snapshot, String namespace) {
        Optional<KubeObject> ns = snapshot.get(ObjectRef.cluster("Namespace", namespace));
        if (ns.isPresent()) {
            return new NamespaceLabels(ns.get().metadata().labels(), true);
        }
        return new NamespaceLabels(Map.of(NAMESPACE_NAME_LABEL, namespace), false);
    }

    /** The keys a selector tests. */
    static Set<String> keys(LabelSelector selector) {
        Set<String> out = new TreeSet<>(selector.matchLabels().keySet());
        selector.matchExpressions().forEach(r -> out.add(r.key()));
        return out;
    }

    /**
     * JSON patch operations that make the selector at {@code pointer} accept {@code newValue} of {@code key} as well as
     * the value it accepts now: {@code matchLabels} becomes an {@code In} expression of both values, an {@code In}
     * expression gets the value added. Empty when the selector tests the key some other way.
     */
    static List<String> widen(LabelSelector selector, String pointer, String key, String newValue) {
        String token = ProbeFacts.pointerToken(key);
        if (selector.matchLabels().containsKey(key)) {
            String oldValue = selector.matchLabels().get(key);
            String requirement = "{\"key\":" + ProbeFacts.quote(key) + ",\"operator\":\"In\",\"values\":["
                    + ProbeFacts.quote(oldValue) + "," + ProbeFacts.quote(newValue) + "]}";
            String add = selector.matchExpressions().isEmpty()
                    ? ProbeFacts.add(pointer + "/matchExpressions", "[" + requirement + "]")
                    : ProbeFacts.add(pointer + "/matchExpressions/-", requirement);
            return List.of(ProbeFacts.remove(pointer + "/matchLabels/" + token), add);
        }
        List<LabelSelector.Requirement> expressions = selector.matchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelector.Requirement r = expressions.get(i);
            if (r.key().equals(key) && r.operator() == LabelSelector.Operator.IN) {
                return List.of(ProbeFacts.add(pointer + "/matchExpressions/" + i + "/values/-", ProbeFacts.quote(newValue)));
            }
        }
        return List.of();
    }
}

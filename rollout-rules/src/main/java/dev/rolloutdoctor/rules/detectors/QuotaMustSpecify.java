package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.LimitRange;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.messages.QuotaMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code failed quota: ...: must specify ...} case of {@link QuotaExceeded}: which containers set no request or
 * limit for what the quota tracks, whether a LimitRange of the namespace could default it, and the commands that set
 * it (with the previous template's values where it had them).
 */
final class QuotaMustSpecify {

    private QuotaMustSpecify() {
    }

    /** Each resource to specify, with the containers that do not: as the message names them, else from the template. */
    static SortedMap<String, List<String>> containers(QuotaMessage m, Optional<PodTemplate> template) {
        SortedMap<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : m.unspecified().entrySet()) {
            List<String> named = e.getValue();
            if (named.isEmpty() && template.isPresent()) {
                named = template.get().spec().allContainers().stream()
                        .filter(c -> !QuotaUsage.sets(c, e.getKey())).map(Container::name).toList();
            }
            out.put(e.getKey(), named);
        }
        return out;
    }

    /** "container app", "containers app, sidecar". */
    static String containerPhrase(Collection<String> names) {
        return (names.size() == 1 ? "container " : "containers ") + String.join(", ", names);
    }

    /** What the namespace's LimitRanges would default, in a sentence. */
    static String limitRanges(Snapshot snapshot, String ns, Collection<String> resources) {
        List<LimitRange> ranges = snapshot.objects(LimitRange.class).stream()
                .filter(lr -> lr.metadata().namespace().equals(ns)).toList();
        List<String> uncovered = new ArrayList<>();
        List<String> covered = new ArrayList<>();
        for (String r : resources) {
            Optional<LimitRange> lr = QuotaUsage.defaultFrom(ranges, r);
            if (lr.isPresent()) {
                covered.add(r + " (LimitRange " + lr.get().metadata().name() + ")");
            } else {
                uncovered.add(r);
            }
        }
        StringBuilder out = new StringBuilder();
        if (!uncovered.isEmpty()) {
            out.append("Namespace ").append(ns).append(" has no LimitRange with a default for ")
                    .append(String.join(", ", uncovered)).append(", so nothing fills them in");
            out.append(ranges.isEmpty() && !snapshot.collectedKinds().contains("LimitRange")
                    ? " (the snapshot holds no LimitRanges; the refusal shows none applied)." : ".");
        }
        if (!covered.isEmpty()) {
            out.append(out.length() == 0 ? "" : " ").append("A LimitRange now gives a default for ")
                    .append(String.join(", ", covered)).append(": it was probably added after the refusal, and the "
                            + "controller's next retry may pass.");
        }
        return out.toString();
    }

    static List<Evidence> evidence(KubeObject workload, PodTemplate template, Map<String, List<String>> unspecified) {
        List<Evidence> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : unspecified.entrySet()) {
            Optional<QuotaUsage.ContainerField> field = QuotaUsage.field(e.getKey());
            for (String container : e.getValue()) {
                if (field.isPresent() && out.size() < 3 && template.spec().container(container).isPresent()) {
                    out.add(Evidence.field(workload, AdmissionFailures.containerPath(template, container) + ".resources."
                            + field.get().side() + "." + field.get().resource(), "(not set)"));
                }
            }
        }
        return out;
    }

    static void steps(Finding.Builder f, RolloutStatus status, Map<String, List<String>> unspecified) {
        KubeObject workload = status.workload();
        Optional<PodTemplate> previous = status.structure().previousReplicaSet().map(ReplicaSet::spec)
                .map(ReplicaSet.Spec::template);
        SortedMap<String, List<String>> flagsByContainer = new TreeMap<>();
        SortedMap<String, List<String>> previousByContainer = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : unspecified.entrySet()) {
            Optional<QuotaUsage.ContainerField> field = QuotaUsage.field(e.getKey());
            if (field.isEmpty()) {
                continue;
            }
            for (String container : e.getValue()) {
                Optional<Quantity> old = previousValue(previous, container, field.get());
                old.ifPresent(q -> previousByContainer.computeIfAbsent(container, k -> new ArrayList<>())
                        .add(e.getKey() + " " + q.text()));
                String value = old.map(Quantity::text).orElse("<" + field.get().resource() + " " + field.get().side()
                        .substring(0, field.get().side().length() - 1) + ">");
                flagsByContainer.computeIfAbsent(container, k -> new ArrayList<>()).add(field.get().flag(value));
            }
        }
        flagsByContainer.forEach((container, flags) -> f.step("Set " + String.join(" and ", unspecified.entrySet().stream()
                        .filter(e -> e.getValue().contains(container)).map(Map.Entry::getKey).toList())
                        + " on container " + container + (previousByContainer.containsKey(container)
                        ? " (" + String.join(", ", previousByContainer.get(container)) + " as in the previous template)" : ""),
                "kubectl set resources " + Kubectl.target(workload.ref()) + Kubectl.ns(workload.ref()) + " -c " + container
                        + " " + String.join(" ", flags)));
        f.step("Or give namespace " + workload.metadata().namespace() + " a LimitRange (type Container) with default and "
                + "defaultRequest for " + String.join(", ", resourcesOf(unspecified.keySet()))
                + ", so containers that set none get them");
        f.step("Follow the rollout once the pods are admitted", Kubectl.rolloutStatus(workload.ref()));
    }

    private static Optional<Quantity> previousValue(Optional<PodTemplate> previous, String container,
            QuotaUsage.ContainerField field) {
        return previous.flatMap(t -> t.spec().container(container)).map(c -> field.side().equals("limits")
                ? c.resources().limits() : c.resources().effectiveRequests()).map(m -> m.get(field.resource()));
    }

    private static List<String> resourcesOf(Collection<String> quotaResources) {
        TreeSet<String> out = new TreeSet<>();
        quotaResources.forEach(r -> QuotaUsage.field(r).ifPresent(f -> out.add(f.resource())));
        return new ArrayList<>(out);
    }
}

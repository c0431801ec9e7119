package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Affinity;
import dev.rolloutdoctor.model.Affinity.PodAffinityTerm;
import dev.rolloutdoctor.model.Pod;

import java.util.List;
import java.util.Optional;

/**
 * Required pod anti-affinity per node ({@code topologyKey: kubernetes.io/hostname}), the one-pod-per-node spreading
 * that deadlocks a rolling update when every eligible node already runs an old pod: the scheduler's InterPodAffinity
 * filter rejects a node when the incoming pod's required anti-affinity selects a pod on it, or a pod on it has required
 * anti-affinity that selects the incoming pod. Other topology keys are not judged here, and a term's
 * {@code namespaceSelector} is taken to select every namespace (a snapshot rarely holds the namespaces' labels).
 */
final class DeadlockAntiAffinity {

    static final String HOSTNAME = "kubernetes.io/hostname";

    private DeadlockAntiAffinity() {
    }

    /** Whether {@code incoming} may not share a node with {@code existing}, in either direction. */
    static boolean conflicts(Pod incoming, Pod existing) {
        return selectsOnNode(incoming, existing) || selectsOnNode(existing, incoming);
    }

    /** The incoming pod's per-node anti-affinity terms. */
    static List<PodAffinityTerm> perNodeTerms(Pod pod) {
        return pod.spec().affinity().map(Affinity::requiredPodAntiAffinity).orElse(List.of()).stream()
                .filter(t -> t.topologyKey().equals(HOSTNAME)).toList();
    }

    /** {@code topologyKey kubernetes.io/hostname, app=web}: the first per-node term, for explanations. */
    static Optional<String> describe(Pod pod) {
        return perNodeTerms(pod).stream().findFirst().map(t -> "topologyKey " + t.topologyKey()
                + t.labelSelector().map(s -> ", selector " + s).orElse(""));
    }

    private static boolean selectsOnNode(Pod owner, Pod other) {
        for (PodAffinityTerm t : perNodeTerms(owner)) {
            if (selects(t, owner.metadata().namespace(), other)) {
                return true;
            }
        }
        return false;
    }

    private static boolean selects(PodAffinityTerm term, String ownerNamespace, Pod pod) {
        boolean namespaceMatches = !term.namespaces().isEmpty() ? term.namespaces().contains(pod.metadata().namespace())
                : term.namespaceSelector().isPresent() || pod.metadata().namespace().equals(ownerNamespace);
        return namespaceMatches && term.labelSelector().map(s -> s.matches(pod.metadata().labels())).orElse(false);
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod's {@code spec.affinity}: node affinity, pod affinity and pod anti-affinity, each as hard requirements
 * ({@code requiredDuringSchedulingIgnoredDuringExecution}) and weighted preferences
 * ({@code preferredDuringSchedulingIgnoredDuringExecution}).
 *
 * @param requiredNodeTerms         the {@code nodeSelectorTerms}: a node must match at least one; empty means no requirement
 * @param preferredNodeTerms        weighted node preferences
 * @param requiredPodAffinity       every term must be met by pods already running in the term's topology domain
 * @param preferredPodAffinity      weighted pod affinity preferences
 * @param requiredPodAntiAffinity   no matching pod may run in the term's topology domain
 * @param preferredPodAntiAffinity  weighted pod anti-affinity preferences
 */
public record Affinity(
        List<NodeSelectorTerm> requiredNodeTerms,
        List<WeightedNodeSelectorTerm> preferredNodeTerms,
        List<PodAffinityTerm> requiredPodAffinity,
        List<WeightedPodAffinityTerm> preferredPodAffinity,
        List<PodAffinityTerm> requiredPodAntiAffinity,
        List<WeightedPodAffinityTerm> preferredPodAntiAffinity) {

    /** No affinity of any kind. */
    public static final Affinity EMPTY = new Affinity(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public Affinity {
        requiredNodeTerms = List.copyOf(requiredNodeTerms);
        preferredNodeTerms = List.copyOf(preferredNodeTerms);
        requiredPodAffinity = List.copyOf(requiredPodAffinity);
        preferredPodAffinity = List.copyOf(preferredPodAffinity);
        requiredPodAntiAffinity = List.copyOf(requiredPodAntiAffinity);
        preferredPodAntiAffinity = List.copyOf(preferredPodAntiAffinity);
    }

    /** True when something here can keep the pod from being scheduled (a required term of any kind). */
    public boolean hasRequirements() {
        return !requiredNodeTerms.isEmpty() || !requiredPodAffinity.isEmpty() || !requiredPodAntiAffinity.isEmpty();
    }

    /**
     * A node preference with its weight (1 to 100). Unlike a required term, an empty preferred term matches every
     * node (with weight 0, so it never changes a score).
     */
    public record WeightedNodeSelectorTerm(int weight, NodeSelectorTerm preference) {
        public WeightedNodeSelectorTerm {
            Objects.requireNonNull(preference, "preference");
        }
    }

    /**
     * A set of pods, counted within a topology domain, that a pod wants to be with (affinity) or away from
     * (anti-affinity).
     *
     * @param labelSelector     the pods; empty selects none
     * @param topologyKey       the node label whose value defines the domain ({@code kubernetes.io/hostname})
     * @param namespaces        where the pods are looked for; with no namespaceSelector, empty means the pod's own namespace
     * @param namespaceSelector namespaces by label; present and empty means all namespaces
     * @param matchLabelKeys    label keys whose values on the incoming pod are ANDed into the selector
     * @param mismatchLabelKeys label keys whose values on the incoming pod must differ in matched pods
     */
    public record PodAffinityTerm(
            Optional<LabelSelector> labelSelector,
            String topologyKey,
            List<String> namespaces,
            Optional<LabelSelector> namespaceSelector,
            List<String> matchLabelKeys,
            List<String> mismatchLabelKeys) {
        public PodAffinityTerm {
            Objects.requireNonNull(labelSelector, "labelSelector");
            Objects.requireNonNull(topologyKey, "topologyKey");
            namespaces = List.copyOf(namespaces);
            Objects.requireNonNull(namespaceSelector, "namespaceSelector");
            matchLabelKeys = List.copyOf(matchLabelKeys);
            mismatchLabelKeys = List.copyOf(mismatchLabelKeys);
        }
    }

    /** A pod (anti-)affinity preference with its weight (1 to 100). */
    public record WeightedPodAffinityTerm(int weight, PodAffinityTerm term) {
        public WeightedPodAffinityTerm {
            Objects.requireNonNull(term, "term");
        }
    }
}

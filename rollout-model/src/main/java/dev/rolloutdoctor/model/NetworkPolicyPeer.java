package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer of a NetworkPolicy rule ({@code from[]} or {@code to[]}): pods by label, namespaces by label, both together
 * (pods matching {@code podSelector} in namespaces matching {@code namespaceSelector}), or an IP block.
 *
 * @param podSelector       selects pods; present but empty selects all pods (of the policy's namespace when there
 *                          is no namespace selector)
 * @param namespaceSelector selects namespaces; present but empty selects all namespaces
 * @param ipBlock           a CIDR range, exclusive with the selectors
 */
public record NetworkPolicyPeer(
        Optional<LabelSelector> podSelector,
        Optional<LabelSelector> namespaceSelector,
        Optional<IPBlock> ipBlock) {

    public NetworkPolicyPeer {
        Objects.requireNonNull(podSelector, "podSelector");
        Objects.requireNonNull(namespaceSelector, "namespaceSelector");
        Objects.requireNonNull(ipBlock, "ipBlock");
    }

    /** {@code ipBlock}: traffic from or to {@code cidr}, except the ranges in {@code except}. */
    public record IPBlock(String cidr, List<String> except) {

        public IPBlock {
            Objects.requireNonNull(cidr, "cidr");
            except = List.copyOf(except);
        }
    }

    /**
     * True when this peer admits the pod with these labels in a namespace with these labels. {@code sameNamespace}
     * says whether the pod is in the policy's own namespace, which a peer with only a pod selector is limited to.
     * IP blocks select by address, never by pod, and so never match here.
     */
    public boolean selectsPod(Map<String, String> podLabels, Map<String, String> namespaceLabels, boolean sameNamespace) {
        if (ipBlock.isPresent() || (podSelector.isEmpty() && namespaceSelector.isEmpty())) {
            return false;
        }
        if (namespaceSelector.isPresent()) {
            if (!namespaceSelector.get().matches(namespaceLabels)) {
                return false;
            }
        } else if (!sameNamespace) {
            return false;
        }
        return podSelector.map(s -> s.matches(podLabels)).orElse(true);
    }
}

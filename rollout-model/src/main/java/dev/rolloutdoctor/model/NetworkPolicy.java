package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A networking.k8s.io/v1 NetworkPolicy: which traffic the pods it selects may receive and send. Once any policy
 * selects a pod for a direction, only traffic some selecting policy allows in that direction gets through.
 *
 * @param podSelector the pods the policy applies to; {@code {}} selects every pod of the namespace, and so does an
 *                    absent selector (the API server defaults it to {@code {}})
 * @param policyTypes {@code Ingress} and/or {@code Egress} as written; empty when absent (see {@link #affectsIngress()})
 * @param ingress     the ingress rules; empty (absent or {@code []}) allows no ingress at all when Ingress applies
 * @param egress      the egress rules; empty allows no egress at all when Egress applies
 */
public record NetworkPolicy(
        String apiVersion,
        ObjectMeta metadata,
        Optional<LabelSelector> podSelector,
        List<String> policyTypes,
        List<NetworkPolicyRule> ingress,
        List<NetworkPolicyRule> egress,
        Source source) implements KubeObject {

    public NetworkPolicy {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(podSelector, "podSelector");
        policyTypes = List.copyOf(policyTypes);
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "NetworkPolicy";
    }

    /** The selector in effect: {@code podSelector}, or the empty selector (every pod) when it is absent. */
    public LabelSelector effectivePodSelector() {
        return podSelector.orElse(LabelSelector.EVERYTHING);
    }

    /** True when the policy applies to a pod with these labels (in the policy's namespace). */
    public boolean selects(Map<String, String> podLabels) {
        return effectivePodSelector().matches(podLabels);
    }

    /**
     * True when the policy restricts ingress of the pods it selects: {@code Ingress} is in {@code policyTypes}, or
     * {@code policyTypes} is empty, which the API server defaults to include Ingress for every policy (networking/v1
     * {@code NetworkPolicySpec.PolicyTypes}).
     */
    public boolean affectsIngress() {
        return policyTypes.isEmpty() || policyTypes.contains("Ingress");
    }

    /**
     * True when the policy restricts egress of the pods it selects: {@code Egress} is in {@code policyTypes}, or
     * {@code policyTypes} is empty and the policy has egress rules (an empty {@code egress} list does not count).
     */
    public boolean affectsEgress() {
        return policyTypes.isEmpty() ? !egress.isEmpty() : policyTypes.contains("Egress");
    }

    /** True when the policy isolates the selected pods for ingress and allows nothing in. */
    public boolean deniesAllIngress() {
        return affectsIngress() && ingress.isEmpty();
    }

    /** True when the policy isolates the selected pods for egress and allows nothing out. */
    public boolean deniesAllEgress() {
        return affectsEgress() && egress.isEmpty();
    }
}

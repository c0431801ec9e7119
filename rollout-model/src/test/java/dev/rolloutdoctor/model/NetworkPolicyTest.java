package dev.rolloutdoctor.model;

import dev.rolloutdoctor.snapshot.decode.PolicyDecoders;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class NetworkPolicyTest {

    private static NetworkPolicy policy(String spec) {
        return decodeClean("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: shop}
                spec:
                """ + spec.indent(2), PolicyDecoders::networkPolicy);
    }

    @Test
    void withoutPolicyTypesAndRulesAPolicyDeniesAllIngressAndLeavesEgressAlone() {
        NetworkPolicy p = policy("podSelector: {}");

        assertThat(p.affectsIngress()).isTrue();
        assertThat(p.deniesAllIngress()).isTrue();
        assertThat(p.affectsEgress()).isFalse();
        assertThat(p.deniesAllEgress()).isFalse();
    }

    @Test
    void anEmptyIngressListDeniesAllIngressLikeAnAbsentOne() {
        NetworkPolicy p = policy("""
                podSelector: {matchLabels: {app: web}}
                ingress: []
                """);

        assertThat(p.deniesAllIngress()).isTrue();
    }

    @Test
    void withoutPolicyTypesEgressRulesMakeThePolicyAffectEgress() {
        NetworkPolicy p = policy("""
                podSelector: {}
                egress:
                - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
                  ports: [{port: 53, protocol: UDP}]
                """);

        assertThat(p.affectsEgress()).isTrue();
        assertThat(p.deniesAllEgress()).isFalse();
        assertThat(p.affectsIngress()).isTrue();
        assertThat(p.deniesAllIngress()).isTrue();
    }

    @Test
    void withoutPolicyTypesAnEmptyEgressListDoesNotAffectEgress() {
        NetworkPolicy p = policy("""
                podSelector: {}
                egress: []
                """);

        assertThat(p.affectsEgress()).isFalse();
    }

    @Test
    void anEgressOnlyPolicyDoesNotAffectIngress() {
        NetworkPolicy p = policy("""
                podSelector: {}
                policyTypes: [Egress]
                """);

        assertThat(p.affectsIngress()).isFalse();
        assertThat(p.deniesAllIngress()).isFalse();
        assertThat(p.affectsEgress()).isTrue();
        assertThat(p.deniesAllEgress()).isTrue();
    }

    @Test
    void aRuleWithNoPeersAndNoPortsAllowsEverything() {
        NetworkPolicy p = policy("""
                podSelector: {}
                ingress:
                - {}
                """);

        assertThat(p.deniesAllIngress()).isFalse();
        assertThat(p.ingress().get(0).allowsAllPeers()).isTrue();
        assertThat(p.ingress().get(0).allowsAllPorts()).isTrue();
    }

    @Test
    void thePodSelectorDecidesWhichPodsThePolicyAppliesTo() {
        NetworkPolicy p = policy("podSelector: {matchLabels: {app: api}}");
        NetworkPolicy all = policy("{}");

        assertThat(p.selects(Map.of("app", "api", "version", "v2"))).isTrue();
        assertThat(p.selects(Map.of("app", "web"))).isFalse();
        assertThat(all.selects(Map.of())).isTrue();
    }

    @Test
    void aPodSelectorOnlyPeerSelectsPodsOfThePolicysNamespace() {
        NetworkPolicyPeer web = new NetworkPolicyPeer(Optional.of(LabelSelector.ofLabels(Map.of("app", "web"))),
                Optional.empty(), Optional.empty());

        assertThat(web.selectsPod(Map.of("app", "web"), Map.of(), true)).isTrue();
        assertThat(web.selectsPod(Map.of("app", "web"), Map.of(), false)).isFalse();
        assertThat(web.selectsPod(Map.of("app", "db"), Map.of(), true)).isFalse();
    }

    @Test
    void aNamespaceSelectorPeerSelectsPodsOfMatchingNamespaces() {
        NetworkPolicyPeer monitoring = new NetworkPolicyPeer(Optional.empty(),
                Optional.of(LabelSelector.ofLabels(Map.of("team", "monitoring"))), Optional.empty());

        assertThat(monitoring.selectsPod(Map.of("app", "prometheus"), Map.of("team", "monitoring"), false)).isTrue();
        assertThat(monitoring.selectsPod(Map.of("app", "prometheus"), Map.of("team", "shop"), true)).isFalse();
    }

    @Test
    void anIpBlockPeerSelectsNoPodByLabel() {
        NetworkPolicyPeer block = new NetworkPolicyPeer(Optional.empty(), Optional.empty(),
                Optional.of(new NetworkPolicyPeer.IPBlock("10.0.0.0/8", List.of())));

        assertThat(block.selectsPod(Map.of(), Map.of(), true)).isFalse();
    }

    @Test
    void aPortRangeMatchesPortsFromPortToEndPort() {
        NetworkPolicyPort range = new NetworkPolicyPort("TCP", Optional.of(IntOrString.of(32000)), OptionalInt.of(32768));

        assertThat(range.matches("TCP", 32000, "")).isTrue();
        assertThat(range.matches("TCP", 32768, "")).isTrue();
        assertThat(range.matches("TCP", 32769, "")).isFalse();
        assertThat(range.matches("UDP", 32100, "")).isFalse();
    }

    @Test
    void aNamedPortMatchesTheContainerPortOfThatName() {
        NetworkPolicyPort named = new NetworkPolicyPort("TCP", Optional.of(IntOrString.of("http")), OptionalInt.empty());
        NetworkPolicyPort any = new NetworkPolicyPort("TCP", Optional.empty(), OptionalInt.empty());

        assertThat(named.matches("TCP", 8080, "http")).isTrue();
        assertThat(named.matches("TCP", 8080, "")).isFalse();
        assertThat(any.matches("TCP", 1, "")).isTrue();
    }
}

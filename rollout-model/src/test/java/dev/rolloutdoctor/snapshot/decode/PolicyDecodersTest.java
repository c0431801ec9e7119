package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.LabelSelector;
import dev.rolloutdoctor.model.LimitRange;
import dev.rolloutdoctor.model.LimitRangeItem;
import dev.rolloutdoctor.model.NetworkPolicy;
import dev.rolloutdoctor.model.NetworkPolicyPeer;
import dev.rolloutdoctor.model.NetworkPolicyPort;
import dev.rolloutdoctor.model.NetworkPolicyRule;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.ResourceQuota;
import dev.rolloutdoctor.model.Service;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decode;
import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyDecodersTest {

    static final String QUOTA = """
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              creationTimestamp: "2024-04-01T09:00:00Z"
              name: compute
              namespace: shop
              resourceVersion: "917000"
              uid: 5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716
            spec:
              hard:
                count/jobs.batch: "15"
                limits.cpu: "8"
                pods: "20"
                requests.cpu: "4"
                requests.memory: 8Gi
              scopes:
              - NotBestEffort
            status:
              hard:
                count/jobs.batch: "15"
                limits.cpu: "8"
                pods: "20"
                requests.cpu: "4"
                requests.memory: 8Gi
              used:
                count/jobs.batch: "3"
                limits.cpu: 7500m
                pods: "12"
                requests.cpu: 3750m
                requests.memory: 6912Mi
            """;

    @Test
    void decodesAQuotaWithHardScopesAndUsage() {
        ResourceQuota quota = decodeClean(QUOTA, PolicyDecoders::resourceQuota);

        assertThat(quota.kind()).isEqualTo("ResourceQuota");
        assertThat(quota.spec().hard()).containsEntry("requests.memory", Quantity.parse("8Gi"));
        assertThat(quota.spec().hard().keySet())
                .containsExactly("count/jobs.batch", "limits.cpu", "pods", "requests.cpu", "requests.memory");
        assertThat(quota.spec().scopes()).containsExactly("NotBestEffort");
        assertThat(quota.status().hard()).isEqualTo(quota.spec().hard());
        assertThat(quota.used("requests.cpu")).contains(Quantity.parse("3750m"));
        assertThat(quota.used("count/jobs.batch")).contains(Quantity.parse("3"));
    }

    @Test
    void wrongTypesInAQuotaAreProblemsAndTheRestStillDecodes() {
        var decoded = decode("""
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: compute, namespace: shop}
                spec:
                  hard:
                    pods: twenty
                    requests.cpu: "4"
                  scopes: NotBestEffort
                """, PolicyDecoders::resourceQuota);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line())
                .containsExactlyInAnyOrder("spec.hard.pods@6", "spec.scopes@8");
        assertThat(decoded.value().hard("requests.cpu")).contains(Quantity.parse("4"));
    }

    @Test
    void decodesALimitRangeWithItsDefaults() {
        LimitRange limits = decodeClean("""
                apiVersion: v1
                kind: LimitRange
                metadata:
                  name: defaults
                  namespace: shop
                spec:
                  limits:
                  - default:
                      cpu: 500m
                      memory: 512Mi
                    defaultRequest:
                      cpu: 100m
                      memory: 128Mi
                    max:
                      cpu: "2"
                      memory: 2Gi
                    maxLimitRequestRatio:
                      cpu: "10"
                    min:
                      cpu: 10m
                    type: Container
                  - max:
                      storage: 50Gi
                    min:
                      storage: 1Gi
                    type: PersistentVolumeClaim
                """, PolicyDecoders::limitRange);

        assertThat(limits.kind()).isEqualTo("LimitRange");
        assertThat(limits.limits()).hasSize(2);
        LimitRangeItem container = limits.itemsOfType("Container").get(0);
        assertThat(container.defaultLimits()).containsEntry("cpu", Quantity.parse("500m")).containsEntry("memory", Quantity.parse("512Mi"));
        assertThat(container.defaultRequest()).containsEntry("cpu", Quantity.parse("100m"));
        assertThat(container.max()).containsEntry("memory", Quantity.parse("2Gi"));
        assertThat(container.min()).containsOnlyKeys("cpu");
        assertThat(container.maxLimitRequestRatio()).containsEntry("cpu", Quantity.parse("10"));
        assertThat(limits.itemsOfType("PersistentVolumeClaim").get(0).max()).containsEntry("storage", Quantity.parse("50Gi"));
        assertThat(limits.itemsOfType("Pod")).isEmpty();
    }

    @Test
    void aLimitRangeItemOfTheWrongTypeIsAProblemAndTheOthersStillDecode() {
        var decoded = decode("""
                apiVersion: v1
                kind: LimitRange
                metadata: {name: defaults, namespace: shop}
                spec:
                  limits:
                  - Container
                  - type: Pod
                    max: {cpu: "4"}
                """, PolicyDecoders::limitRange);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line()).containsExactly("spec.limits[0]@6");
        assertThat(decoded.value().limits()).extracting(LimitRangeItem::type).containsExactly("Pod");
    }

    @Test
    void decodesANetworkPolicyWithPeersAndPorts() {
        NetworkPolicy policy = decodeClean("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata:
                  name: api-allow
                  namespace: shop
                spec:
                  podSelector:
                    matchLabels:
                      app: api
                  policyTypes:
                  - Ingress
                  - Egress
                  ingress:
                  - from:
                    - namespaceSelector:
                        matchLabels:
                          kubernetes.io/metadata.name: frontend
                      podSelector:
                        matchLabels:
                          app: web
                    - ipBlock:
                        cidr: 172.17.0.0/16
                        except:
                        - 172.17.1.0/24
                    ports:
                    - port: 8080
                    - port: metrics
                      protocol: TCP
                  egress:
                  - to:
                    - podSelector: {}
                    ports:
                    - port: 32000
                      endPort: 32768
                      protocol: UDP
                """, PolicyDecoders::networkPolicy);

        assertThat(policy.kind()).isEqualTo("NetworkPolicy");
        assertThat(policy.podSelector()).contains(LabelSelector.ofLabels(Map.of("app", "api")));
        assertThat(policy.policyTypes()).containsExactly("Ingress", "Egress");
        NetworkPolicyRule ingress = policy.ingress().get(0);
        assertThat(ingress.peers()).containsExactly(
                new NetworkPolicyPeer(Optional.of(LabelSelector.ofLabels(Map.of("app", "web"))),
                        Optional.of(LabelSelector.ofLabels(Map.of("kubernetes.io/metadata.name", "frontend"))), Optional.empty()),
                new NetworkPolicyPeer(Optional.empty(), Optional.empty(),
                        Optional.of(new NetworkPolicyPeer.IPBlock("172.17.0.0/16", List.of("172.17.1.0/24")))));
        assertThat(ingress.ports()).containsExactly(
                new NetworkPolicyPort("TCP", Optional.of(IntOrString.of(8080)), OptionalInt.empty()),
                new NetworkPolicyPort("TCP", Optional.of(IntOrString.of("metrics")), OptionalInt.empty()));
        NetworkPolicyRule egress = policy.egress().get(0);
        assertThat(egress.peers()).containsExactly(new NetworkPolicyPeer(Optional.of(LabelSelector.EVERYTHING), Optional.empty(), Optional.empty()));
        assertThat(egress.ports()).containsExactly(new NetworkPolicyPort("UDP", Optional.of(IntOrString.of(32000)), OptionalInt.of(32768)));
    }

    @Test
    void anEmptyPodSelectorIsPresentAndEmptyAndAnAbsentOneIsEmptyOptional() {
        NetworkPolicy written = decodeClean("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: shop}
                spec:
                  podSelector: {}
                """, PolicyDecoders::networkPolicy);
        NetworkPolicy absent = decodeClean("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: shop}
                spec: {}
                """, PolicyDecoders::networkPolicy);

        assertThat(written.podSelector()).contains(LabelSelector.EVERYTHING);
        assertThat(absent.podSelector()).isEmpty();
        assertThat(absent.effectivePodSelector()).isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void aNullRuleIsKeptAsARuleThatAllowsEverything() {
        NetworkPolicy policy = decodeClean("""
                {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                 "metadata": {"name": "allow-all", "namespace": "shop"},
                 "spec": {"podSelector": {}, "ingress": [null]}}
                """, PolicyDecoders::networkPolicy);

        assertThat(policy.ingress()).containsExactly(new NetworkPolicyRule(List.of(), List.of()));
        assertThat(policy.deniesAllIngress()).isFalse();
    }

    @Test
    void wrongTypesInANetworkPolicyAreProblemsAndTheRestStillDecodes() {
        var decoded = decode("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: broken, namespace: shop}
                spec:
                  podSelector:
                    matchLabels: {app: api}
                  ingress:
                  - from: everyone
                    ports:
                    - port: {number: 80}
                  - ports:
                    - port: 443
                  egress: nothing
                """, PolicyDecoders::networkPolicy);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line()).containsExactlyInAnyOrder(
                "spec.ingress[0].from@8", "spec.ingress[0].ports[0].port@10", "spec.egress@13");
        NetworkPolicy policy = decoded.value();
        assertThat(policy.ingress()).hasSize(2);
        assertThat(policy.ingress().get(1).ports()).containsExactly(
                new NetworkPolicyPort("TCP", Optional.of(IntOrString.of(443)), OptionalInt.empty()));
        assertThat(policy.egress()).isEmpty();
    }

    @Test
    void decodesAServiceWithPortsAndDefaults() {
        Service service = decodeClean("""
                apiVersion: v1
                kind: Service
                metadata:
                  labels:
                    app: web
                  name: web
                  namespace: shop
                spec:
                  clusterIP: 10.96.12.34
                  clusterIPs:
                  - 10.96.12.34
                  internalTrafficPolicy: Cluster
                  ipFamilies:
                  - IPv4
                  ipFamilyPolicy: SingleStack
                  ports:
                  - name: http
                    nodePort: 30080
                    port: 80
                    protocol: TCP
                    targetPort: http
                  - name: metrics
                    port: 9090
                  selector:
                    app: web
                    tier: frontend
                  sessionAffinity: None
                  type: NodePort
                status:
                  loadBalancer: {}
                """, PolicyDecoders::service);

        assertThat(service.kind()).isEqualTo("Service");
        assertThat(service.type()).isEqualTo("NodePort");
        assertThat(service.clusterIP()).isEqualTo("10.96.12.34");
        assertThat(service.selector()).containsExactly(Map.entry("app", "web"), Map.entry("tier", "frontend"));
        assertThat(service.ports()).containsExactly(
                new Service.Port("http", "TCP", 80, IntOrString.of("http"), OptionalInt.of(30080)),
                new Service.Port("metrics", "TCP", 9090, IntOrString.of(9090), OptionalInt.empty()));
        assertThat(service.publishNotReadyAddresses()).isFalse();
        assertThat(service.isHeadless()).isFalse();
        assertThat(service.selects(Map.of("app", "web", "tier", "frontend", "pod-template-hash", "7d9f8b6c5d"))).isTrue();
        assertThat(service.selects(Map.of("app", "web"))).isFalse();
    }

    @Test
    void aHeadlessServiceWithoutTypeIsAClusterIpService() {
        Service service = decodeClean("""
                apiVersion: v1
                kind: Service
                metadata: {name: postgres, namespace: shop}
                spec:
                  clusterIP: None
                  publishNotReadyAddresses: true
                  ports:
                  - port: 5432
                  selector: {app: postgres}
                """, PolicyDecoders::service);

        assertThat(service.type()).isEqualTo("ClusterIP");
        assertThat(service.isHeadless()).isTrue();
        assertThat(service.publishNotReadyAddresses()).isTrue();
        assertThat(service.ports()).containsExactly(new Service.Port("", "TCP", 5432, IntOrString.of(5432), OptionalInt.empty()));
    }

    @Test
    void aServiceWithoutSelectorSelectsNoPods() {
        Service service = decodeClean("""
                apiVersion: v1
                kind: Service
                metadata: {name: external-db, namespace: shop}
                spec:
                  ports: [{port: 5432}]
                """, PolicyDecoders::service);

        assertThat(service.hasSelector()).isFalse();
        assertThat(service.selects(Map.of("app", "db"))).isFalse();
    }

    @Test
    void wrongTypesInAServiceAreProblemsAndTheRestStillDecodes() {
        var decoded = decode("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: [app, web]
                  ports:
                  - name: http
                    port: eighty
                    targetPort: 8080
                """, PolicyDecoders::service);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line())
                .containsExactlyInAnyOrder("spec.selector@5", "spec.ports[0].port@8");
        assertThat(decoded.value().ports()).extracting(Service.Port::targetPort).containsExactly(IntOrString.of(8080));
    }
}

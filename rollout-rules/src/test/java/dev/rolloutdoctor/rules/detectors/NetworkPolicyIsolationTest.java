package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkPolicyIsolationTest {

    /**
     * Deployment shop/web rolling from tier=frontend to tier=frontend-v2 (its selector is app=web only); the new pod
     * runs but never becomes Ready, the old one serves. A database pod app=db lives beside it.
     */
    static final String ROLLOUT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, uid: d-web, generation: 2, annotations: {deployment.kubernetes.io/revision: "2"}}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
              template:
                metadata: {labels: {app: web, tier: frontend-v2}}
                spec:
                  containers:
                  - {name: app, image: "shop/web:2.0", readinessProbe: {httpGet: {path: /ready, port: 8080}}}
            status:
              observedGeneration: 2
              replicas: 2
              updatedReplicas: 1
              readyReplicas: 1
              availableReplicas: 1
              unavailableReplicas: 1
              conditions:
              - {type: Progressing, status: "True", reason: ReplicaSetUpdated, message: ReplicaSet "web-85f6d9c7b4" is progressing.,
                 lastUpdateTime: "2024-05-01T10:00:00Z", lastTransitionTime: "2024-05-01T10:00:00Z"}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-85f6d9c7b4
              namespace: shop
              uid: rs-new
              annotations: {deployment.kubernetes.io/revision: "2"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 1
              selector: {matchLabels: {app: web, pod-template-hash: 85f6d9c7b4}}
              template:
                metadata: {labels: {app: web, tier: frontend-v2, pod-template-hash: 85f6d9c7b4}}
                spec:
                  containers:
                  - {name: app, image: "shop/web:2.0", readinessProbe: {httpGet: {path: /ready, port: 8080}}}
            status: {replicas: 1}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-6b8c7d5f9
              namespace: shop
              uid: rs-old
              annotations: {deployment.kubernetes.io/revision: "1"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 1
              selector: {matchLabels: {app: web, pod-template-hash: 6b8c7d5f9}}
              template:
                metadata: {labels: {app: web, tier: frontend, pod-template-hash: 6b8c7d5f9}}
                spec:
                  containers:
                  - {name: app, image: "shop/web:1.9", readinessProbe: {httpGet: {path: /ready, port: 8080}}}
            status: {replicas: 1, readyReplicas: 1, availableReplicas: 1}
            ---
            apiVersion: v1
            kind: PodList
            items:
            - metadata:
                name: web-6b8c7d5f9-q2w3e
                namespace: shop
                labels: {app: web, tier: frontend, pod-template-hash: 6b8c7d5f9}
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6b8c7d5f9, uid: rs-old, controller: true}]
              spec: {nodeName: node-1, containers: [{name: app, image: "shop/web:1.9"}]}
              status:
                phase: Running
                conditions: [{type: Ready, status: "True", lastTransitionTime: "2024-04-30T08:00:20Z"}]
                containerStatuses:
                - {name: app, image: "shop/web:1.9", ready: true, restartCount: 0, state: {running: {startedAt: "2024-04-30T08:00:05Z"}}}
            - metadata:
                name: web-85f6d9c7b4-z8x7c
                namespace: shop
                labels: {app: web, tier: frontend-v2, pod-template-hash: 85f6d9c7b4}
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-85f6d9c7b4, uid: rs-new, controller: true}]
              spec: {nodeName: node-2, containers: [{name: app, image: "shop/web:2.0"}]}
              status:
                phase: Running
                conditions:
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]",
                   lastTransitionTime: "2024-05-01T10:00:02Z"}
                containerStatuses:
                - {name: app, image: "shop/web:2.0", ready: false, restartCount: 0, state: {running: {startedAt: "2024-05-01T10:00:04Z"}}}
            - metadata:
                name: db-0
                namespace: shop
                labels: {app: db, statefulset.kubernetes.io/pod-name: db-0}
              spec: {nodeName: node-3, containers: [{name: postgres, image: "postgres:16.2"}]}
              status:
                phase: Running
                conditions: [{type: Ready, status: "True"}]
            """;

    /** The database admits the web tier by label; everything else in the namespace is denied ingress. */
    static final String DB_POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicyList
            items:
            - apiVersion: networking.k8s.io/v1
              kind: NetworkPolicy
              metadata: {name: default-deny-ingress, namespace: shop}
              spec:
                podSelector: {}
                policyTypes: [Ingress]
            - apiVersion: networking.k8s.io/v1
              kind: NetworkPolicy
              metadata: {name: db-allow-web, namespace: shop}
              spec:
                podSelector: {matchLabels: {app: db}}
                policyTypes: [Ingress]
                ingress:
                - from:
                  - podSelector: {matchLabels: {tier: frontend}}
                  ports:
                  - {protocol: TCP, port: 5432}
            """;

    static final String UNHEALTHY = """
            apiVersion: v1
            kind: Event
            metadata: {name: web-85f6d9c7b4-z8x7c.1, namespace: shop}
            involvedObject: {kind: Pod, namespace: shop, name: web-85f6d9c7b4-z8x7c, fieldPath: "spec.containers{app}"}
            reason: Unhealthy
            type: Warning
            message: "Readiness probe failed: HTTP probe failed with statuscode: 503"
            count: 118
            firstTimestamp: "2024-05-01T10:00:10Z"
            lastTimestamp: "2024-05-01T10:19:50Z"
            """;

    static final String CAPTURED = "2024-05-01T10:20:00Z";

    @Test
    void aDatabasePolicyThatAdmitsOnlyTheOldLabelIsReportedWithBothWaysOut() {
        List<Finding> findings = DetectorHarness.of(new NetworkPolicyIsolation())
                .yaml(ROLLOUT).yaml(DB_POLICIES).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("network-policy-isolation");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.title()).isEqualTo("The new pods of Deployment shop/web carry tier=frontend-v2 (the old ones "
                    + "tier=frontend): NetworkPolicy shop/db-allow-web admits only pods matching tier=frontend to app=db, "
                    + "so the new pods cannot reach them");
            assertThat(f.culprits()).extracting(Object::toString).containsExactly("NetworkPolicy shop/db-allow-web");
            assertThat(f.explanation())
                    .contains("(tier=frontend -> tier=frontend-v2)")
                    .contains("kubelet's own probes are not subject to NetworkPolicy")
                    .contains("looks like a timeout to the sender")
                    .doesNotContain("was not collected");
            assertThat(f.evidence()).extracting(Evidence::path).contains("spec.template.metadata.labels",
                    "spec.ingress[0].from[0].podSelector");
            assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                    Optional.of("kubectl patch networkpolicy/db-allow-web -n shop --type json -p '["
                            + "{\"op\":\"remove\",\"path\":\"/spec/ingress/0/from/0/podSelector/matchLabels/tier\"},"
                            + "{\"op\":\"add\",\"path\":\"/spec/ingress/0/from/0/podSelector/matchExpressions\",\"value\":"
                            + "[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"frontend\",\"frontend-v2\"]}]}]'"),
                    Optional.of("kubectl patch deployment/web -n shop --type json -p '["
                            + "{\"op\":\"add\",\"path\":\"/spec/template/metadata/labels/tier\",\"value\":\"frontend\"}]'"));
        });
    }

    @Test
    void timeoutsInTheNewPodsLogsTieThePolicyToTheFailure() {
        List<Finding> findings = DetectorHarness.of(new NetworkPolicyIsolation())
                .yaml(ROLLOUT).yaml(DB_POLICIES).capturedAt(CAPTURED)
                .log("shop", "web-85f6d9c7b4-z8x7c", "app", false, """
                        2024-05-01T10:00:05Z starting shop-web 2.0
                        2024-05-01T10:00:35Z ERROR pool: dial tcp 10.244.3.9:5432: i/o timeout
                        2024-05-01T10:00:36Z health: database unreachable, reporting 503""")
                .findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.text()).contains("dial tcp 10.244.3.9:5432: i/o timeout"));
        });
    }

    @Test
    void anEgressAllowanceTheNewLabelsNoLongerGetIsReported() {
        String egress = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicyList
                items:
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: default-deny-egress, namespace: shop}
                  spec: {podSelector: {}, policyTypes: [Egress]}
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: frontend-egress, namespace: shop}
                  spec:
                    podSelector: {matchExpressions: [{key: tier, operator: In, values: [frontend]}]}
                    policyTypes: [Egress]
                    egress:
                    - to: [{podSelector: {matchLabels: {app: db}}}]
                    - ports: [{protocol: UDP, port: 53}]
                """;

        List<Finding> findings = DetectorHarness.of(new NetworkPolicyIsolation())
                .yaml(ROLLOUT).yaml(egress).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("NetworkPolicy shop/frontend-egress (for tier in (frontend)) no longer applies "
                    + "to them, so they lose the egress it allowed while shop/default-deny-egress still isolates them");
            assertThat(f.remediation().get(0).command()).hasValue("kubectl patch networkpolicy/frontend-egress -n shop "
                    + "--type json -p '[{\"op\":\"add\",\"path\":\"/spec/podSelector/matchExpressions/0/values/-\",\"value\":\"frontend-v2\"}]'");
        });
    }

    @Test
    void aNamespaceSelectorIsMatchedAgainstTheCollectedNamespaceLabels() {
        String crossNamespace = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {team: shop, kubernetes.io/metadata.name: shop}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: payments-allow-shop, namespace: payments}
                spec:
                  podSelector: {matchLabels: {app: payments-api}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchLabels: {team: shop}}
                      podSelector: {matchLabels: {tier: frontend}}
                """;

        List<Finding> findings = DetectorHarness.of(new NetworkPolicyIsolation())
                .yaml(ROLLOUT).yaml(crossNamespace).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).contains("NetworkPolicy payments/payments-allow-shop admits only pods matching tier=frontend");
            assertThat(f.explanation()).doesNotContain("was not collected");
        });
    }

    @Test
    void withoutTheNamespaceObjectANamespaceSelectorSeesOnlyTheNameLabel() {
        String byName = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: payments-allow-shop, namespace: payments}
                spec:
                  podSelector: {matchLabels: {app: payments-api}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
                      podSelector: {matchLabels: {tier: frontend}}
                """;

        List<Finding> findings = DetectorHarness.of(new NetworkPolicyIsolation())
                .yaml(ROLLOUT).yaml(byName).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.explanation())
                .contains("The Namespace shop was not collected, so namespace selectors were matched against its "
                        + "kubernetes.io/metadata.name label only."));
    }

    @Test
    void aPolicyThatAlsoAdmitsTheWholeNamespaceCutsNothing() {
        String open = DB_POLICIES + """
                - apiVersion: networking.k8s.io/v1
                  kind: NetworkPolicy
                  metadata: {name: allow-same-namespace, namespace: shop}
                  spec:
                    podSelector: {}
                    ingress:
                    - from: [{podSelector: {}}]
                """;

        assertThat(DetectorHarness.of(new NetworkPolicyIsolation()).yaml(ROLLOUT).yaml(open).capturedAt(CAPTURED).findings())
                .isEmpty();
    }

    @Test
    void whenNetworkPoliciesWereNotCollectedThereIsNothingToJudge() {
        assertThat(DetectorHarness.of(new NetworkPolicyIsolation()).yaml(ROLLOUT).capturedAt(CAPTURED).findings()).isEmpty();
        assertThat(DetectorHarness.of(new NetworkPolicyIsolation()).yaml(ROLLOUT)
                .yaml("{apiVersion: networking.k8s.io/v1, kind: NetworkPolicyList, items: []}")
                .capturedAt(CAPTURED).findings()).isEmpty();
    }

    @Test
    void unchangedLabelsAreNotReportedWhateverThePolicies() {
        String same = ROLLOUT.replace("tier: frontend-v2", "tier: frontend");

        assertThat(DetectorHarness.of(new NetworkPolicyIsolation()).yaml(same).yaml(DB_POLICIES).capturedAt(CAPTURED).findings())
                .isEmpty();
    }

    @Test
    void newPodsThatBecameReadyAreNotReported() {
        String ready = ROLLOUT
                .replace("""
                        - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]",
                               lastTransitionTime: "2024-05-01T10:00:02Z"}""", "- {type: Ready, status: \"True\"}");

        assertThat(DetectorHarness.of(new NetworkPolicyIsolation()).yaml(ready).yaml(DB_POLICIES).capturedAt(CAPTURED).findings())
                .isEmpty();
    }

    @Test
    void thePolicyOutranksTheFailingReadinessItExplains() {
        DetectorHarness h = DetectorHarness.of(new NetworkPolicyIsolation()).capturedAt(CAPTURED)
                .yaml(ROLLOUT).yaml(DB_POLICIES).yaml(UNHEALTHY);

        Diagnosis diagnosis = ProbeMisconfiguredTest.engineWith(new NetworkPolicyIsolation(), new ReadinessProbeFailing())
                .diagnose(h.snapshot());

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.rootCause()).hasValueSatisfying(f ->
                    assertThat(f.finding().ruleId()).isEqualTo("network-policy-isolation"));
            assertThat(r.findings()).extracting(f -> f.finding().ruleId()).contains("readiness-probe-failing");
        });
    }
}

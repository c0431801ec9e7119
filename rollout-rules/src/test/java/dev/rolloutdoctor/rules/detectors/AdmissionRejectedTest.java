package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.NEW_RS;
import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.failedCreate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class AdmissionRejectedTest {

    static final String POD_SECURITY = "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: violates PodSecurity "
            + "\"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set "
            + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"app\" must set "
            + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"app\" must set "
            + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"app\" must set "
            + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    static final String RESTRICTED_NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels:
                kubernetes.io/metadata.name: shop
                pod-security.kubernetes.io/enforce: restricted
                pod-security.kubernetes.io/enforce-version: latest
            """;

    static List<Finding> findings(AdmissionRollouts rollout) {
        return DetectorHarness.of(new AdmissionRejected()).yaml(rollout.yaml()).capturedAt(CAPTURED_AT).findings();
    }

    static AdmissionRollouts refusedWith(String message) {
        return AdmissionRollouts.web().with(failedCreate(NEW_RS, message, 9, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"));
    }

    static List<Optional<String>> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).toList();
    }

    @Test
    void podSecurityListsTheViolatedControlsAndPatchesTheTemplate() {
        assertThat(findings(refusedWith(POD_SECURITY).with(RESTRICTED_NAMESPACE))).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("admission-rejected");
            assertThat(f.title()).isEqualTo("PodSecurity \"restricted:latest\" rejects the new pods of Deployment shop/web: "
                    + "allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile");
            assertThat(f.culprits()).containsExactly(ObjectRef.cluster("Namespace", "shop"));
            assertThat(f.explanation())
                    .contains("Namespace shop enforces Pod Security level restricted "
                            + "(pod-security.kubernetes.io/enforce=restricted, pod-security.kubernetes.io/enforce-version=latest)")
                    .contains("The pods violate 4 of its controls")
                    .contains("allowPrivilegeEscalation != false: container \"app\" must set "
                            + "securityContext.allowPrivilegeEscalation=false (template: allowPrivilegeEscalation not set on "
                            + "container app)");
            assertThat(f.evidence()).extracting(Evidence::path, Evidence::text).contains(
                    tuple("metadata.labels[pod-security.kubernetes.io/enforce]", "restricted"),
                    tuple("spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation", "(not set)"),
                    tuple("spec.template.spec.securityContext.runAsNonRoot", "(not set)"));
            assertThat(commands(f)).contains(
                    Optional.of("kubectl patch deployment/web -n shop -p '{\"spec\":{\"template\":{\"spec\":{"
                            + "\"securityContext\":{\"runAsNonRoot\":true,\"seccompProfile\":{\"type\":\"RuntimeDefault\"}},"
                            + "\"containers\":[{\"name\":\"app\",\"securityContext\":{\"allowPrivilegeEscalation\":false,"
                            + "\"capabilities\":{\"drop\":[\"ALL\"]}}}]}}}}'"),
                    Optional.of("kubectl label namespace shop pod-security.kubernetes.io/enforce=baseline --overwrite"),
                    Optional.of("kubectl rollout status deployment/web -n shop"));
            assertThat(f.remediation()).anySatisfy(s -> assertThat(s.text()).startsWith("runAsNonRoot only works with an image"));
        });
    }

    @Test
    void podSecurityWithoutTheNamespaceSaysItsLabelsCannotBeShown() {
        assertThat(findings(refusedWith(POD_SECURITY))).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("The Namespace object is not in the snapshot");
            assertThat(f.evidence()).noneMatch(e -> e.object().kind().equals("Namespace"));
        });
    }

    @Test
    void podSecurityFromTheClusterDefaultIsToldApartFromANamespaceLabel() {
        var rollout = refusedWith(POD_SECURITY).with("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");

        assertThat(findings(rollout)).singleElement().satisfies(f -> assertThat(f.explanation())
                .contains("Namespace shop has no pod-security.kubernetes.io/enforce label: the level comes from the API "
                        + "server's PodSecurity admission configuration"));
    }

    @Test
    void aWebhookDenialNamesTheWebhookAndItsLikelyConfiguration() {
        var rollout = refusedWith("Error creating: admission webhook \"validate.kyverno.svc-fail\" denied the request: \n\n"
                + "resource Pod/shop/ was blocked due to the following policies\n\nrequire-team-label:\n  check-team: "
                + "validation error: label team is required")
                .with("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n"
                        + "metadata: {name: kyverno-resource-validating-webhook-cfg}\n")
                .with("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n"
                        + "metadata: {name: cert-manager-webhook}\n");

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Admission webhook validate.kyverno.svc-fail denies the new pods of Deployment "
                    + "shop/web: resource Pod/shop/ was blocked due to the following policies");
            assertThat(f.culprits()).containsExactly(
                    ObjectRef.cluster("ValidatingWebhookConfiguration", "kyverno-resource-validating-webhook-cfg"));
            assertThat(f.explanation())
                    .contains("label team is required")
                    .contains("It is likely registered by ValidatingWebhookConfiguration kyverno-resource-validating-webhook-cfg");
            assertThat(commands(f)).contains(Optional.of("kubectl get policyreports -n shop"),
                    Optional.of(AdmissionWebhooks.LIST_COMMAND));
        });
    }

    @Test
    void anUnreachableWebhookPointsAtItsBackend() {
        var rollout = refusedWith("Error creating: Internal error occurred: failed calling webhook \"mutate.istio.io\": "
                + "failed to call webhook: Post \"https://istiod.istio-system.svc:443/inject?timeout=10s\": dial tcp "
                + "10.96.12.7:443: connect: connection refused");

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Admission webhook mutate.istio.io cannot be called, so the new pods of "
                    + "Deployment shop/web are refused: connection refused");
            assertThat(f.explanation()).contains("The snapshot holds no webhook configurations");
            assertThat(commands(f)).contains(Optional.of("kubectl get endpoints istiod -n istio-system"),
                    Optional.of("kubectl get pods -n istio-system"));
        });
    }

    @Test
    void aLimitRangeBreachNamesTheLimitRangeTheContainerAndTheValueThatFits() {
        var rollout = AdmissionRollouts.web()
                .newSpec("containers:\n- name: app\n  image: shop/web:1.3\n  resources: {requests: {cpu: 500m}, limits: {cpu: \"2\"}}\n")
                .with(failedCreate(NEW_RS, "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: maximum cpu usage per "
                        + "Container is 1, but limit is 2", 4, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"))
                .with("""
                        apiVersion: v1
                        kind: LimitRange
                        metadata: {name: container-bounds, namespace: shop}
                        spec:
                          limits:
                          - type: Container
                            max: {cpu: "1"}
                        """);

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("LimitRange rejects the new pods of Deployment shop/web: "
                    + "maximum cpu usage per Container is 1, but limit is 2");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("LimitRange", "shop", "container-bounds"));
            assertThat(f.explanation()).contains("maximum cpu usage per Container is 1, but limit is 2 "
                    + "(LimitRange container-bounds): container app");
            assertThat(f.evidence()).extracting(Evidence::path, Evidence::text).contains(
                    tuple("spec.limits[0].max.cpu", "1"),
                    tuple("spec.template.spec.containers[0].resources", "cpu request 500m, limit 2"));
            assertThat(commands(f)).contains(Optional.of("kubectl set resources deployment/web -n shop -c app --limits=cpu=1"),
                    Optional.of("kubectl describe limitrange/container-bounds -n shop"));
        });
    }

    @Test
    void aMissingServiceAccountIsNamedWithTheCommandThatCreatesIt() {
        var rollout = AdmissionRollouts.web()
                .newSpec("serviceAccountName: web-sa\ncontainers:\n- name: app\n  image: shop/web:1.3\n")
                .with(failedCreate(NEW_RS, "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: error looking up service "
                        + "account shop/web-sa: serviceaccount \"web-sa\" not found", 14, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"))
                .with("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: shop}\n");

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("ServiceAccount shop/web-sa does not exist, so the new pods of Deployment "
                    + "shop/web are refused");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.culprits()).containsExactly(ObjectRef.of("ServiceAccount", "shop", "web-sa"));
            assertThat(f.explanation()).contains("The snapshot has no ServiceAccount shop/web-sa either.");
            assertThat(f.evidence()).extracting(Evidence::path, Evidence::text)
                    .contains(tuple("spec.template.spec.serviceAccountName", "web-sa"));
            assertThat(commands(f)).contains(Optional.of("kubectl create serviceaccount web-sa -n shop"));
        });
    }

    @Test
    void aServiceAccountCreatedAfterTheRefusalsLowersTheConfidence() {
        var rollout = refusedWith("Error creating: pods \"web-5d8f7c9b6-\" is forbidden: service account shop/web-sa was "
                + "not found, retry after the service account is created")
                .with("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web-sa, namespace: shop}\n");

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("it was created after the refusals");
        });
    }

    @Test
    void anUnknownForbiddenReasonIsReportedAsWritten() {
        assertThat(findings(refusedWith("Error creating: pods \"web-5d8f7c9b6-\" is forbidden: no PriorityClass with "
                + "name high-priority was found"))).singleElement().satisfies(f ->
                assertThat(f.title()).isEqualTo("Admission rejects the new pods of Deployment shop/web: "
                        + "no PriorityClass with name high-priority was found"));
    }

    @Test
    void quotaRefusalsAndHealthyRolloutsAreNotAdmissionRejections() {
        assertThat(findings(refusedWith(QuotaExceededTest.EXCEEDED))).isEmpty();
        assertThat(findings(AdmissionRollouts.web().with(RESTRICTED_NAMESPACE))).isEmpty();
    }

    @Test
    void aRefusalFixedSinceIsNotReported() {
        var rollout = AdmissionRollouts.web()
                .with(failedCreate(NEW_RS, POD_SECURITY, 4, "2024-05-01T10:00:01Z", "2024-05-01T10:05:00Z"))
                .with(failedCreate(NEW_RS, QuotaExceededTest.EXCEEDED, 9, "2024-05-01T10:06:00Z", "2024-05-01T10:29:00Z"));

        assertThat(findings(rollout)).isEmpty();
    }

    @Test
    void theEngineRanksTheRejectionFirst() {
        var diagnosis = DetectorHarness.of(new AdmissionRejected()).yaml(refusedWith(POD_SECURITY).yaml())
                .capturedAt(CAPTURED_AT).diagnose();

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> assertThat(r.rootCause()).hasValueSatisfying(f ->
                assertThat(f.finding().ruleId()).isEqualTo("admission-rejected")));
    }

    @Test
    void aValidatingAdmissionPolicyDenialNamesThePolicyAndItsBinding() {
        var rollout = refusedWith("Error creating: pods \"web-5d8f7c9b6-\" is forbidden: ValidatingAdmissionPolicy "
                + "'require-team-label' with binding 'require-team-label-binding' denied request: failed expression: "
                + "has(object.metadata.labels.team)");

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("ValidatingAdmissionPolicy require-team-label rejects the new pods of Deployment "
                    + "shop/web: failed expression: has(object.metadata.labels.team)");
            assertThat(f.culprits()).containsExactly(ObjectRef.cluster("ValidatingAdmissionPolicy", "require-team-label"));
            assertThat(commands(f)).contains(Optional.of("kubectl get validatingadmissionpolicy require-team-label -o yaml"));
        });
    }

    @Test
    void aLimitToRequestRatioBreachGetsTheLimitThatMeetsTheRatio() {
        var rollout = AdmissionRollouts.web()
                .newSpec("containers:\n- name: app\n  image: shop/web:1.3\n  resources: {requests: {cpu: 250m}, limits: {cpu: \"1\"}}\n")
                .with(failedCreate(NEW_RS, "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: cpu max limit to request "
                        + "ratio per Container is 2, but provided ratio is 4.000000", 4, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"));

        assertThat(findings(rollout)).singleElement().satisfies(f ->
                assertThat(commands(f)).contains(Optional.of("kubectl set resources deployment/web -n shop -c app --limits=cpu=500m")));
    }
}

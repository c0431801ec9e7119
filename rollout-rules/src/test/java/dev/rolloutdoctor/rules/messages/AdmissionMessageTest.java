package dev.rolloutdoctor.rules.messages;

import dev.rolloutdoctor.rules.messages.AdmissionMessage.LimitRangeViolation;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.OtherForbidden;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.PodSecurity;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.PolicyDenied;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.SecurityPolicyDenied;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.ServiceAccountMissing;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.WebhookDenied;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.WebhookUnreachable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionMessageTest {

    static final String POD_SECURITY = "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: violates PodSecurity "
            + "\"restricted:latest\": allowPrivilegeEscalation != false (container \"app\" must set "
            + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (containers \"app\", \"sidecar\" must "
            + "set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"app\" must set "
            + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"app\" must set "
            + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    @Test
    void podSecurityListsEachViolatedControlWithItsContainers() {
        var m = AdmissionMessage.parse(POD_SECURITY).orElseThrow();

        assertThat(m.object()).isEqualTo("web-5d8f7c9b6-");
        assertThat(m.text()).startsWith("pods \"web-5d8f7c9b6-\" is forbidden: violates PodSecurity");
        var ps = (PodSecurity) m.denial();
        assertThat(ps.policy()).isEqualTo("restricted:latest");
        assertThat(ps.level()).isEqualTo("restricted");
        assertThat(ps.controls()).extracting(AdmissionMessage.Control::reason).containsExactly(
                "allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "seccompProfile");
        assertThat(ps.control("unrestricted capabilities").orElseThrow().containers()).containsExactly("app", "sidecar");
        assertThat(ps.control("seccompProfile").orElseThrow().containers()).containsExactly("app");
        assertThat(ps.control("seccompProfile").orElseThrow().pod()).isTrue();
        assertThat(ps.control("allowPrivilegeEscalation != false").orElseThrow().pod()).isFalse();
        assertThat(ps.summary()).isEqualTo("allowPrivilegeEscalation != false, unrestricted capabilities, "
                + "runAsNonRoot != true, seccompProfile");
    }

    @Test
    void podSecurityControlsWithoutDetailOrWithCommasInsideAreSplitRight() {
        var m = AdmissionMessage.parse("pods \"x\" is forbidden: violates PodSecurity \"baseline:v1.29\": host namespaces "
                + "(hostNetwork=true, hostPID=true), privileged (container \"app\" must not set securityContext.privileged=true)")
                .orElseThrow();

        var ps = (PodSecurity) m.denial();
        assertThat(ps.version()).isEqualTo("v1.29");
        assertThat(ps.controls()).extracting(AdmissionMessage.Control::reason).containsExactly("host namespaces", "privileged");
        assertThat(ps.controls().get(0).detail()).isEqualTo("hostNetwork=true, hostPID=true");
    }

    @Test
    void aWebhookDenialNamesTheWebhookAndItsReason() {
        var m = AdmissionMessage.parse("Error creating: admission webhook \"validate.kyverno.svc-fail\" denied the request: \n\n"
                + "resource Pod/shop/web-5d8f7c9b6- was blocked due to the following policies\n\nrequire-labels: ...").orElseThrow();

        assertThat(m.object()).isEmpty();
        assertThat(m.text()).startsWith("admission webhook \"validate.kyverno.svc-fail\"");
        var d = (WebhookDenied) m.denial();
        assertThat(d.webhook()).isEqualTo("validate.kyverno.svc-fail");
        assertThat(d.summary()).isEqualTo("resource Pod/shop/web-5d8f7c9b6- was blocked due to the following policies");
    }

    @Test
    void aWebhookDenialWithoutExplanationIsRead() {
        var d = (WebhookDenied) AdmissionMessage.parse("Error creating: admission webhook \"policy.example.com\" denied the "
                + "request without explanation").orElseThrow().denial();

        assertThat(d.reason()).isEmpty();
        assertThat(d.summary()).isEqualTo("denied without explanation");
    }

    @Test
    void anUnreachableWebhookNamesItsService() {
        var d = (WebhookUnreachable) AdmissionMessage.parse("Error creating: Internal error occurred: failed calling webhook "
                + "\"mutate.istio.io\": failed to call webhook: Post \"https://istiod.istio-system.svc:443/inject?timeout=10s\": "
                + "dial tcp 10.96.12.7:443: connect: connection refused").orElseThrow().denial();

        assertThat(d.webhook()).isEqualTo("mutate.istio.io");
        assertThat(d.service()).hasValue("istio-system/istiod");
    }

    @Test
    void aValidatingAdmissionPolicyDenialIsRead() {
        var d = (PolicyDenied) AdmissionMessage.parse("Error creating: pods \"web-1-\" is forbidden: ValidatingAdmissionPolicy "
                + "'require-team-label' with binding 'require-team-label-binding' denied request: failed expression: "
                + "has(object.metadata.labels.team)").orElseThrow().denial();

        assertThat(d.policy()).isEqualTo("require-team-label");
        assertThat(d.binding()).isEqualTo("require-team-label-binding");
    }

    @Test
    void limitRangeBreachesAreReadInTheCurrentAndTheOlderWording() {
        var current = (LimitRangeViolation) AdmissionMessage.parse("Error creating: pods \"web-1-\" is forbidden: "
                + "[maximum cpu usage per Container is 1, but limit is 2, minimum memory usage per Pod is 64Mi, but request is 32Mi]")
                .orElseThrow().denial();
        var older = (LimitRangeViolation) AdmissionMessage.parse("pods \"web-1-\" is forbidden: Maximum memory usage per "
                + "Container is 1Gi.  No limit is specified.").orElseThrow().denial();
        var ratio = (LimitRangeViolation) AdmissionMessage.parse("pods \"web-1-\" is forbidden: cpu max limit to request ratio "
                + "per Container is 2, but provided ratio is 4.000000").orElseThrow().denial();

        assertThat(current.breaches()).hasSize(2);
        assertThat(current.breaches().get(0)).satisfies(b -> {
            assertThat(b.bound()).isEqualTo("maximum");
            assertThat(b.resource()).isEqualTo("cpu");
            assertThat(b.scope()).isEqualTo("Container");
            assertThat(b.enforced()).isEqualTo("1");
            assertThat(b.field()).isEqualTo("limit");
            assertThat(b.observed()).isEqualTo("2");
        });
        assertThat(current.breaches().get(1).observed()).isEqualTo("32Mi");
        assertThat(older.breaches()).singleElement().satisfies(b -> {
            assertThat(b.bound()).isEqualTo("maximum");
            assertThat(b.enforced()).isEqualTo("1Gi");
            assertThat(b.unspecified()).isTrue();
        });
        assertThat(ratio.breaches()).singleElement().satisfies(b -> {
            assertThat(b.bound()).isEqualTo("ratio");
            assertThat(b.observed()).isEqualTo("4.000000");
        });
    }

    @Test
    void aMissingServiceAccountIsReadInBothWordings() {
        var current = (ServiceAccountMissing) AdmissionMessage.parse("Error creating: pods \"web-1-\" is forbidden: error looking "
                + "up service account shop/web: serviceaccount \"web\" not found").orElseThrow().denial();
        var old = (ServiceAccountMissing) AdmissionMessage.parse("Error creating: pods \"calico-kube-controllers-6ff88bf6d4-\" is "
                + "forbidden: service account kube-system/calico-kube-controllers was not found, retry after the service "
                + "account is created").orElseThrow().denial();

        assertThat(current.namespace()).isEqualTo("shop");
        assertThat(current.name()).isEqualTo("web");
        assertThat(old.name()).isEqualTo("calico-kube-controllers");
        assertThat(old.tokenOnly()).isFalse();
    }

    @Test
    void securityContextConstraintsAndOtherForbiddenReasonsAreKept() {
        var scc = AdmissionMessage.parse("Error creating: pods \"web-1-\" is forbidden: unable to validate against any security "
                + "context constraint: [spec.containers[0].securityContext.runAsUser: Invalid value: 0]").orElseThrow().denial();
        var other = AdmissionMessage.parse("Error creating: pods \"web-1-\" is forbidden: no PriorityClass with name high was found")
                .orElseThrow().denial();

        assertThat(scc).isInstanceOf(SecurityPolicyDenied.class);
        assertThat(scc.admission()).isEqualTo("SecurityContextConstraints");
        assertThat(other).isEqualTo(new OtherForbidden("no PriorityClass with name high was found"));
    }

    @Test
    void quotaRefusalsAndUnrelatedTextAreNotAdmissionMessages() {
        assertThat(AdmissionMessage.parse("Error creating: pods \"web-1-\" is forbidden: exceeded quota: compute, "
                + "requested: pods=1, used: pods=4, limited: pods=4")).isEmpty();
        assertThat(AdmissionMessage.parse("Created pod: web-1-abcde")).isEmpty();
        assertThat(AdmissionMessage.parse("")).isEmpty();
    }
}

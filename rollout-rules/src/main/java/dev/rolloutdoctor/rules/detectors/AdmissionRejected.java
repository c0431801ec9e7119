package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.AdmissionFailures.Refusals;
import dev.rolloutdoctor.rules.messages.AdmissionMessage;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.LimitRangeViolation;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.PodSecurity;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.PolicyDenied;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.SecurityPolicyDenied;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.ServiceAccountMissing;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.WebhookDenied;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.WebhookUnreachable;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An admission step that refuses the rollout's pods: Pod Security, a validating or mutating webhook (that denies, or
 * cannot be called), a ValidatingAdmissionPolicy, a LimitRange, a missing ServiceAccount, PodSecurityPolicy or
 * SecurityContextConstraints. The controller's {@code FailedCreate} events and {@code ReplicaFailure} condition carry
 * the refusal; the pods never exist. The finding names the step and its reasons, cross-checks them with the pod
 * template, the namespace and the policy objects in the snapshot, and gives the change that admits the pods.
 */
@Rule(id = "admission-rejected", title = "Admission rejects the pods", severity = Severity.ERROR, layer = Layer.CLUSTER,
        description = "An admission step refuses to create the rollout's pods (FailedCreate): Pod Security, an admission "
                + "webhook or policy, a LimitRange, or a missing ServiceAccount. The pods are never created, so the "
                + "rollout cannot progress until the template or the policy changes.")
public final class AdmissionRejected implements Detector {

    private static final String BLOCKED = " The pods are never created, so the rollout cannot progress until this changes.";

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            for (Refusals r : AdmissionFailures.of(context.snapshot(), status)) {
                Optional<AdmissionMessage> message = AdmissionMessage.parse(r.latest());
                if (message.isPresent()) {
                    findings.add(finding(context.snapshot(), status, r, message.get()));
                    break;
                }
            }
        }
        return findings;
    }

    private static Finding finding(Snapshot snapshot, RolloutStatus status, Refusals r, AdmissionMessage m) {
        KubeObject workload = status.workload();
        Class<?> kind = m.denial().getClass();
        Predicate<String> same = text -> AdmissionMessage.parse(text).map(o -> o.denial().getClass() == kind).orElse(false);
        Finding.Builder f = Finding.of(AdmissionRejected.class).workload(workload).evidence(r.evidence(same, 2));
        AdmissionFailures.workloadCondition(workload).filter(c -> r.controller() != workload && same.test(c.message()))
                .ifPresent(c -> f.evidence(AdmissionFailures.conditionEvidence(workload, c)));
        Optional<PodTemplate> template = PodTemplate.of(workload);
        String pods = AdmissionFailures.podsOf(status, r);
        String refusal = AdmissionFailures.refusal(r);
        if (m.denial() instanceof PodSecurity ps) {
            podSecurity(f, snapshot, workload, template, ps, pods, refusal);
        } else if (m.denial() instanceof WebhookDenied w) {
            webhookDenied(f, snapshot, workload, w, pods, refusal);
        } else if (m.denial() instanceof WebhookUnreachable w) {
            webhookUnreachable(f, snapshot, workload, w, pods, refusal);
        } else if (m.denial() instanceof PolicyDenied p) {
            f.title("ValidatingAdmissionPolicy " + p.policy() + " rejects " + pods + ": " + p.summary())
                    .culprit(ObjectRef.cluster("ValidatingAdmissionPolicy", p.policy()))
                    .explanation(refusal + " The API server's ValidatingAdmissionPolicy " + p.policy() + " (binding "
                            + p.binding() + ") denied them: " + p.reason() + "." + BLOCKED)
                    .step("Read the policy's rule and change the pod template to meet it",
                            "kubectl get validatingadmissionpolicy " + p.policy() + " -o yaml")
                    .step("Check which resources the binding applies it to",
                            "kubectl get validatingadmissionpolicybinding " + p.binding() + " -o yaml");
        } else if (m.denial() instanceof LimitRangeViolation l) {
            String breaches = AdmissionLimits.explain(f, snapshot, workload, template, l.breaches());
            f.title("LimitRange rejects " + pods + ": " + l.summary())
                    .explanation(refusal + " The LimitRanger admission plugin enforces the namespace's LimitRanges on every "
                            + "pod: " + breaches + "." + BLOCKED);
        } else if (m.denial() instanceof ServiceAccountMissing sa) {
            serviceAccount(f, snapshot, workload, template, sa, pods, refusal);
        } else if (m.denial() instanceof SecurityPolicyDenied p) {
            f.title(p.policyKind() + " rejects " + pods + ": " + p.summary())
                    .explanation(refusal + " No " + p.policyKind() + " that the pods' ServiceAccount may use admits them: "
                            + p.reasons() + "." + BLOCKED)
                    .step("Change the pod template's securityContext to what an allowed policy admits, or grant the pods' "
                            + "ServiceAccount a policy that admits it", Kubectl.get(workload.ref(), "yaml"));
        } else {
            f.title("Admission rejects " + pods + ": " + m.denial().summary())
                    .explanation(refusal + " " + m.text() + "." + BLOCKED)
                    .step("Read the ReplicaSet's events for the refusal in full", Kubectl.describe(r.controller().ref()));
        }
        f.step("Follow the rollout once the pods are admitted", Kubectl.rolloutStatus(workload.ref()));
        return f.build();
    }

    private static void podSecurity(Finding.Builder f, Snapshot snapshot, KubeObject workload, Optional<PodTemplate> template,
            PodSecurity ps, String pods, String refusal) {
        List<Evidence> evidence = new ArrayList<>();
        String ns = workload.metadata().namespace();
        String namespace = AdmissionPodSecurity.namespace(snapshot, ns, ps, evidence);
        String controls = AdmissionPodSecurity.controls(workload, template, ps, evidence);
        f.title("PodSecurity \"" + ps.policy() + "\" rejects " + pods + ": " + ps.summary())
                .culprit(ObjectRef.cluster("Namespace", ns))
                .evidence(evidence)
                .explanation(refusal + " " + namespace + " The pods violate " + ps.controls().size() + " of its controls: "
                        + controls + "." + BLOCKED);
        AdmissionPodSecurity.steps(f, workload, template, ps);
    }

    private static void webhookDenied(Finding.Builder f, Snapshot snapshot, KubeObject workload, WebhookDenied w,
            String pods, String refusal) {
        List<KubeObject> holders = AdmissionWebhooks.likelyHolders(snapshot, w.webhook());
        AdmissionWebhooks.refs(holders).forEach(f::culprit);
        f.title("Admission webhook " + w.webhook() + " denies " + pods + ": " + w.summary())
                .confidence(Confidence.HIGH)
                .explanation(refusal + " The API server sent each pod to admission webhook " + w.webhook() + ", which "
                        + (w.reason().isEmpty() ? "denied it without explanation" : "denied it: " + w.reason().strip())
                        + ". " + AdmissionWebhooks.holderSentence(snapshot, w.webhook(), holders) + BLOCKED);
        for (String[] step : AdmissionWebhooks.engineSteps(w.webhook(), workload.metadata().namespace())) {
            f.step(step[0], step[1]);
        }
        f.step("Change the pod template to meet the policy behind " + w.webhook() + ", or ask its owners for an exception",
                Kubectl.get(workload.ref(), "yaml"));
        f.step("Find the configuration that registers webhook " + w.webhook(), AdmissionWebhooks.LIST_COMMAND);
    }

    private static void webhookUnreachable(Finding.Builder f, Snapshot snapshot, KubeObject workload, WebhookUnreachable w,
            String pods, String refusal) {
        List<KubeObject> holders = AdmissionWebhooks.likelyHolders(snapshot, w.webhook());
        AdmissionWebhooks.refs(holders).forEach(f::culprit);
        String error = w.error();
        int colon = error.lastIndexOf(": ");
        String cause = colon < 0 ? error : error.substring(colon + 2);
        f.title("Admission webhook " + w.webhook() + " cannot be called, so " + pods + " are refused: " + cause)
                .explanation(refusal + " The API server must call webhook " + w.webhook() + " for each pod and the call "
                        + "failed (" + error + "); with failurePolicy Fail a failed call refuses the request. "
                        + AdmissionWebhooks.holderSentence(snapshot, w.webhook(), holders) + BLOCKED);
        w.service().ifPresent(svc -> {
            String[] parts = svc.split("/", 2);
            f.step("Check the webhook's backend: Service " + svc + " and its pods",
                    "kubectl get endpoints " + parts[1] + " -n " + parts[0]);
            f.step("See why its pods are not serving", "kubectl get pods -n " + parts[0]);
        });
        f.step("If the webhook's backend is gone for good, remove or fix its configuration (after checking what it "
                + "enforced); find it with", AdmissionWebhooks.LIST_COMMAND);
    }

    private static void serviceAccount(Finding.Builder f, Snapshot snapshot, KubeObject workload, Optional<PodTemplate> template,
            ServiceAccountMissing sa, String pods, String refusal) {
        ObjectRef account = ObjectRef.of("ServiceAccount", sa.namespace(), sa.name());
        boolean exists = snapshot.get(account).isPresent();
        boolean collected = exists || snapshot.collectedKinds().contains("ServiceAccount")
                || !snapshot.objectsOfKind("ServiceAccount").isEmpty();
        template.ifPresent(t -> f.evidence(Evidence.field(workload, "spec.template.spec.serviceAccountName",
                t.spec().serviceAccountName().isEmpty() ? "(not set: default)" : t.spec().serviceAccountName())));
        String snapshotSays = exists ? " The snapshot does hold ServiceAccount " + sa.namespace() + "/" + sa.name()
                + ": it was created after the refusals, and the controller's next retry should succeed."
                : collected ? " The snapshot has no ServiceAccount " + sa.namespace() + "/" + sa.name() + " either."
                : " ServiceAccounts were not collected, so the snapshot cannot confirm it.";
        f.culprit(account)
                .confidence(exists ? Confidence.MEDIUM : Confidence.HIGH)
                .title(sa.tokenOnly()
                        ? "ServiceAccount " + sa.namespace() + "/" + sa.name() + " has no API token yet, so " + pods + " are refused"
                        : "ServiceAccount " + sa.namespace() + "/" + sa.name() + " does not exist, so " + pods + " are refused")
                .explanation(refusal + " The ServiceAccount admission plugin refuses pods whose service account "
                        + (sa.tokenOnly() ? "has no token Secret yet" : "does not exist") + "." + snapshotSays + BLOCKED);
        if (!sa.tokenOnly()) {
            f.step("Create the ServiceAccount (or apply the manifest that should have created it)",
                    "kubectl create serviceaccount " + sa.name() + " -n " + sa.namespace());
            f.step("Or point the pod template at an existing ServiceAccount",
                    "kubectl set serviceaccount " + Kubectl.target(workload.ref()) + " <existing-account>" + Kubectl.ns(workload.ref()));
        } else {
            f.step("Check the ServiceAccount and its token Secret (the token controller in kube-controller-manager creates it)",
                    "kubectl describe serviceaccount " + sa.name() + " -n " + sa.namespace());
        }
    }
}

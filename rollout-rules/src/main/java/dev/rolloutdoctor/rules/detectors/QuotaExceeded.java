package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.ResourceQuota;
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
import dev.rolloutdoctor.rules.messages.QuotaMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A ResourceQuota that refuses the rollout's pods: the controller's pod creations fail at admission
 * ({@code FailedCreate: ... is forbidden: exceeded quota: ...}), so the pods never exist and no event on any pod tells.
 * The finding shows the quota's arithmetic (limit, usage, headroom, per-pod request, pods that fit) and the limit that
 * would admit the pods still to be created; for {@code must specify} it names the containers without requests or
 * limits and whether a LimitRange could default them.
 */
@Rule(id = "quota-exceeded", title = "ResourceQuota refuses the pods", severity = Severity.ERROR, layer = Layer.CLUSTER,
        description = "The ResourceQuota admission plugin refuses to create the rollout's pods (FailedCreate: exceeded "
                + "quota, must specify requests/limits, status unknown): the pods are never created, so the rollout "
                + "cannot progress until the quota admits them.")
public final class QuotaExceeded implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            for (Refusals r : AdmissionFailures.of(context.snapshot(), status)) {
                Optional<QuotaMessage> message = QuotaMessage.parse(r.latest());
                if (message.isPresent()) {
                    findings.add(finding(context.snapshot(), status, r, message.get()));
                    break;
                }
            }
        }
        return findings;
    }

    private static Finding finding(Snapshot snapshot, RolloutStatus status, Refusals r, QuotaMessage m) {
        KubeObject workload = status.workload();
        String ns = workload.metadata().namespace();
        ObjectRef quotaRef = ObjectRef.of("ResourceQuota", ns, m.quota());
        Optional<ResourceQuota> quota = m.quota().isEmpty() ? Optional.empty()
                : snapshot.get(ResourceQuota.class, "ResourceQuota", ns, m.quota());
        Predicate<String> same = text -> QuotaMessage.parse(text).map(o -> o.kind() == m.kind() && o.quota().equals(m.quota()))
                .orElse(false);
        Finding.Builder f = Finding.of(QuotaExceeded.class).workload(workload);
        if (!m.quota().isEmpty()) {
            f.culprit(quotaRef);
        }
        f.evidence(r.evidence(same, 2));
        AdmissionFailures.workloadCondition(workload).filter(c -> r.controller() != workload && same.test(c.message()))
                .ifPresent(c -> f.evidence(AdmissionFailures.conditionEvidence(workload, c)));
        String subject = "ResourceQuota " + (m.quota().isEmpty() ? "admission" : m.quota()) + " refuses "
                + AdmissionFailures.podsOf(status, r);
        String refusal = AdmissionFailures.refusal(r) + otherQuotas(r, m);
        switch (m.kind()) {
            case EXCEEDED:
                exceeded(f, status, r, m, quota, subject, refusal);
                break;
            case MUST_SPECIFY:
                mustSpecify(f, snapshot, status, m, subject, refusal);
                break;
            case STATUS_UNKNOWN:
                statusUnknown(f, m, quotaRef, subject, refusal);
                break;
            default:
                notCovered(f, m, workload, refusal);
                break;
        }
        return f.build();
    }

    // ------------------------------------------------------------------ exceeded quota

    private static void exceeded(Finding.Builder f, RolloutStatus status, Refusals r, QuotaMessage m,
            Optional<ResourceQuota> quota, String subject, String refusal) {
        KubeObject workload = status.workload();
        int missing = r.missing();
        List<QuotaHeadroom.Line> lines = QuotaHeadroom.lines(m, quota, missing);
        boolean roomNow = QuotaHeadroom.roomNow(lines, missing);
        List<String> oversized = lines.stream().filter(l -> l.resource().requested().compareTo(l.hard()) > 0)
                .map(l -> l.resource().name() + " (" + l.resource().requested() + " against " + l.hard() + ")").toList();
        f.title(subject + ": " + String.join("; ", lines.stream().map(QuotaHeadroom.Line::brief).toList()))
                .confidence(roomNow ? Confidence.MEDIUM : Confidence.HIGH)
                .evidence(QuotaHeadroom.evidence(quota, lines))
                .evidence(requestEvidence(workload, m))
                .explanation(refusal + " " + exceededExplanation(r, m, lines, oversized, roomNow));
        ObjectRef quotaRef = ObjectRef.of("ResourceQuota", workload.metadata().namespace(), m.quota());
        if (!oversized.isEmpty()) {
            lowerRequests(f, workload, lines, missing, "Lower");
        }
        QuotaHeadroom.raise(quotaRef, lines).ifPresent(cmd -> f.step((oversized.isEmpty() ? "Raise" : "Or raise")
                + " the quota so it admits the " + AdmissionFailures.pods(missing) + " still to be created ("
                + needed(lines, missing) + ")", cmd));
        if (oversized.isEmpty()) {
            lowerRequests(f, workload, lines, missing, "Or lower");
        }
        f.step("Or free quota in namespace " + workload.metadata().namespace()
                + ": see what uses it and scale down what is not needed", Kubectl.describe(quotaRef));
        f.step("Follow the rollout once the quota admits the pods", Kubectl.rolloutStatus(workload.ref()));
    }

    private static String exceededExplanation(Refusals r, QuotaMessage m, List<QuotaHeadroom.Line> lines,
            List<String> oversized, boolean roomNow) {
        StringBuilder x = new StringBuilder("Creating one more pod would take the namespace over quota ").append(m.quota())
                .append(": ").append(String.join("; ", lines.stream().map(QuotaHeadroom.Line::text).toList())).append(". ")
                .append(lines.stream().allMatch(QuotaHeadroom.Line::fromQuota)
                        ? "Hard and used are the ResourceQuota's status at capture time. "
                        : "The snapshot holds no usage of ResourceQuota " + r.controller().metadata().namespace() + "/"
                                + m.quota() + ", so the numbers are the refusal's, from when it happened. ")
                .append(r.controller().kind()).append(' ').append(r.controller().metadata().name()).append(" still has to create ")
                .append(AdmissionFailures.pods(r.missing())).append("; its controller retries with back-off, but the rollout ")
                .append("cannot progress until quota frees up or the limit is raised.");
        if (!oversized.isEmpty()) {
            x.append(" Each pod alone asks for more than the quota allows the whole namespace: ")
                    .append(String.join(", ", oversized)).append("; the request is more likely a mistake than the quota too small.");
        }
        if (roomNow) {
            x.append(" At capture time the quota has room for them again: usage dropped after the refusal, and the next "
                    + "retry should succeed.");
        }
        return x.toString();
    }

    private static String needed(List<QuotaHeadroom.Line> lines, int missing) {
        List<String> parts = new ArrayList<>();
        for (QuotaHeadroom.Line l : lines) {
            if (l.needed().compareTo(l.hard()) > 0) {
                parts.add(l.resource().name() + " at least " + l.needed().canonical() + " = used " + l.used() + " + "
                        + (missing == 1 ? "" : missing + " x ") + l.resource().requested() + " per pod");
            }
        }
        return String.join("; ", parts);
    }

    /**
     * The step that lowers what each pod asks to what the headroom admits for the pods still to be created: one
     * command when a single container sets every refused resource, else words.
     */
    private static void lowerRequests(Finding.Builder f, KubeObject workload, List<QuotaHeadroom.Line> lines, int missing,
            String verb) {
        Optional<PodTemplate> template = PodTemplate.of(workload);
        List<String> flags = new ArrayList<>();
        List<String> now = new ArrayList<>();
        TreeSet<String> containers = new TreeSet<>();
        boolean computable = template.isPresent();
        for (QuotaHeadroom.Line l : lines) {
            Optional<QuotaUsage.ContainerField> field = QuotaUsage.field(l.resource().name());
            if (field.isEmpty()) {
                computable = false;
                continue;
            }
            now.add(l.resource().name() + " is " + l.resource().requested() + " per pod");
            List<Container> setting = template.map(t -> t.spec().containers().stream()
                    .filter(c -> QuotaUsage.sets(c, l.resource().name())).toList()).orElse(List.of());
            Quantity perPod = perPod(l, missing);
            setting.forEach(c -> containers.add(c.name()));
            computable &= setting.size() == 1 && perPod.signum() > 0;
            flags.add(field.get().flag(perPod.canonical()));
        }
        if (now.isEmpty()) {
            return;
        }
        String text = verb + " what each pod asks (" + String.join(", ", now) + ")";
        if (computable && containers.size() == 1) {
            f.step(text + " to what the headroom admits for " + AdmissionFailures.pods(missing),
                    "kubectl set resources " + Kubectl.target(workload.ref()) + Kubectl.ns(workload.ref()) + " -c "
                            + containers.first() + " " + String.join(" ", flags));
        } else {
            f.step(text);
        }
    }

    /** The headroom shared by the missing pods, rounded down to millicores for cpu and to whole units otherwise. */
    private static Quantity perPod(QuotaHeadroom.Line l, int missing) {
        int scale = l.resource().name().endsWith("cpu") ? 3 : 0;
        return Quantity.of(l.headroom().value().divide(java.math.BigDecimal.valueOf(missing), scale,
                java.math.RoundingMode.FLOOR), l.resource().requested().format());
    }

    private static List<Evidence> requestEvidence(KubeObject workload, QuotaMessage m) {
        List<Evidence> out = new ArrayList<>();
        Optional<PodTemplate> template = PodTemplate.of(workload);
        if (template.isEmpty()) {
            return out;
        }
        for (QuotaMessage.Resource r : m.exceeded()) {
            Optional<QuotaUsage.ContainerField> field = QuotaUsage.field(r.name());
            if (field.isEmpty()) {
                continue;
            }
            for (Container c : template.get().spec().allContainers()) {
                var side = field.get().side().equals("limits") ? c.resources().limits() : c.resources().requests();
                Quantity q = side.get(field.get().resource());
                if (q != null && out.size() < 2) {
                    out.add(Evidence.field(workload, AdmissionFailures.containerPath(template.get(), c.name())
                            + ".resources." + field.get().side() + "." + field.get().resource(), q.text()));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ must specify

    private static void mustSpecify(Finding.Builder f, Snapshot snapshot, RolloutStatus status, QuotaMessage m,
            String subject, String refusal) {
        KubeObject workload = status.workload();
        String ns = workload.metadata().namespace();
        Optional<PodTemplate> template = PodTemplate.of(workload);
        Map<String, List<String>> unspecified = QuotaMustSpecify.containers(m, template);
        TreeSet<String> containers = new TreeSet<>();
        unspecified.values().forEach(containers::addAll);
        String resources = String.join(", ", unspecified.keySet());
        f.title(subject + ": " + (containers.isEmpty() ? "its containers" : QuotaMustSpecify.containerPhrase(containers))
                        + " must specify " + resources)
                .explanation(refusal + " Quota " + m.quota() + " limits " + resources + ", and when a quota tracks cpu or "
                        + "memory every container must set the matching request or limit (" + m.reason() + "). "
                        + QuotaMustSpecify.limitRanges(snapshot, ns, unspecified.keySet())
                        + " The pods are never created, so the rollout cannot progress.");
        template.ifPresent(t -> f.evidence(QuotaMustSpecify.evidence(workload, t, unspecified)));
        QuotaMustSpecify.steps(f, status, unspecified);
    }

    // ------------------------------------------------------------------ status unknown, no covering quota

    private static void statusUnknown(Finding.Builder f, QuotaMessage m, ObjectRef quota, String subject, String refusal) {
        String resources = String.join(", ", m.resources());
        f.title(subject + ": its usage of " + resources + " is not known yet")
                .explanation(refusal + " The quota controller (in kube-controller-manager) has not recorded status.used for "
                        + resources + " of ResourceQuota " + quota.namespace() + "/" + quota.name() + ", and admission "
                        + "refuses what it cannot count. This happens briefly after a quota is created or changed; if it "
                        + "lasts, the controller manager is not syncing quotas.")
                .step("Check whether the quota shows usage for " + resources, Kubectl.describe(quota))
                .step("If it does not, check kube-controller-manager (its resource quota controller)",
                        "kubectl get pods -n kube-system -l component=kube-controller-manager");
    }

    private static void notCovered(Finding.Builder f, QuotaMessage m, KubeObject workload, String refusal) {
        String what = String.join(", ", m.resources());
        f.title("No ResourceQuota covers what " + AdmissionFailures.podsPhrase(workload) + " consume (" + what + ")")
                .explanation(refusal + " The API server's admission configuration for ResourceQuota limits " + what
                        + " by default: a pod may only consume it in a namespace with a quota that covers it, and "
                        + "namespace " + workload.metadata().namespace() + " has none.")
                .step("Create a ResourceQuota in namespace " + workload.metadata().namespace() + " that covers " + what,
                        "kubectl create quota " + workload.metadata().name() + "-quota -n " + workload.metadata().namespace()
                                + " --hard=<resource>=<amount>")
                .step("Or remove the resource from the pod template if it is not needed", Kubectl.get(workload.ref(), "yaml"));
    }

    // ------------------------------------------------------------------ phrases

    /** Other quotas that refused pods of the same controller earlier, if any. */
    private static String otherQuotas(Refusals r, QuotaMessage m) {
        TreeSet<String> others = new TreeSet<>();
        r.events().forEach(e -> QuotaMessage.parse(e.message()).map(QuotaMessage::quota)
                .filter(q -> !q.isEmpty() && !q.equals(m.quota())).ifPresent(others::add));
        return others.isEmpty() ? "" : " Earlier refusals also named quota " + String.join(", ", others) + ".";
    }
}

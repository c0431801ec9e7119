package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Role;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.ProbeChecks.Problem;
import dev.rolloutdoctor.rules.detectors.ProbeFacts.ProbeEvent;
import dev.rolloutdoctor.rules.messages.ProbeFailureMessage.ProbeType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A probe of the new template that cannot pass however healthy the application is: it aims at a port the container
 * does not have, asks a path the server does not serve or a scheme it does not speak, kills the container before it
 * can start, or changed from the previous revision into one of these. Remediation is a {@code kubectl patch} of the
 * exact field, with the previous revision's value where there is one.
 */
@Rule(id = "probe-misconfigured", title = "Probe misconfigured", severity = Severity.ERROR, layer = Layer.POD,
        role = Role.CAUSE, explains = {"readiness-probe-failing", "crash-loop"},
        description = "A probe of the new template cannot pass: it aims at a port the container does not declare, a path "
                + "that answers 404 or 401/403, the wrong scheme, or its liveness/startup window is shorter than the "
                + "application's start; or it changed from the previous revision and now fails. Says what changed and "
                + "gives the kubectl patch that puts it right.")
public final class ProbeMisconfigured implements Detector {

    private static final List<ProbeType> PROBES = List.of(ProbeType.READINESS, ProbeType.LIVENESS, ProbeType.STARTUP);

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            Optional<PodTemplate> template = PodTemplate.of(status.workload());
            if (template.isEmpty()) {
                continue;
            }
            List<Pod> pods = status.structure().newPods().stream()
                    .filter(p -> !p.isTerminating() && !p.isTerminal()).toList();
            for (ProbeFacts.Slot slot : ProbeFacts.probedSlots(template.get())) {
                for (ProbeType type : PROBES) {
                    Optional<Probe> probe = ProbeFacts.probe(slot.container(), type);
                    if (probe.isEmpty()) {
                        continue;
                    }
                    ProbeCase c = probeCase(context, status, slot, type, probe.get(), pods);
                    // a first check scheduled after the deadline is provable before the probe ever ran and failed
                    boolean provable = ProbeChecks.delayBeyondDeadline(c).isPresent() && pods.stream().anyMatch(p -> !p.isReady());
                    if (!c.failing() && !provable) {
                        continue;
                    }
                    List<Problem> problems = ProbeChecks.all(c);
                    if (!problems.isEmpty()) {
                        findings.add(build(c, problems));
                    }
                }
            }
        }
        return findings;
    }

    private static ProbeCase probeCase(DetectionContext context, RolloutStatus status, ProbeFacts.Slot slot,
                                       ProbeType type, Probe probe, List<Pod> pods) {
        String name = slot.container().name();
        List<ProbeEvent> failures = ProbeFacts.failures(context.snapshot(), pods, name, type);
        List<Event> kills = type == ProbeType.READINESS ? List.of()
                : ProbeFacts.probeKills(context.snapshot(), pods, name, type);
        return new ProbeCase(status, slot, type, probe, pods, failures, kills, ProbeCase.previous(status, name),
                context.capturedAt());
    }

    private static Finding build(ProbeCase c, List<Problem> problems) {
        KubeObject workload = c.workload();
        Problem top = problems.get(0);
        boolean onlyInert = problems.stream().allMatch(Problem::inert);
        Finding.Builder f = Finding.of(ProbeMisconfigured.class)
                .workload(workload)
                .culprit(workload)
                .confidence(top.confidence())
                .title(c.type().fieldName() + " of container " + c.container().name() + " in " + workload.ref() + " "
                        + top.title())
                .explanation(explanation(c, problems, onlyInert));
        if (onlyInert) {
            f.severity(Severity.WARNING); // a liveness probe that never runs does not hold the rollout back
        }
        f.evidence(Evidence.field(workload, c.path(), ProbeFacts.fieldValue(c.probe(), c.container())));
        Set<Evidence> seen = new LinkedHashSet<>();
        problems.forEach(p -> seen.addAll(p.evidence()));
        f.evidence(new ArrayList<>(seen));
        for (ProbeEvent e : EventQuery.last(c.failures(), 3)) {
            f.evidence(Evidence.event(e.event()));
        }
        for (Event e : EventQuery.last(c.kills(), 2)) {
            f.evidence(Evidence.event(e));
        }
        remediation(f, c, problems);
        return f.build();
    }

    private static String explanation(ProbeCase c, List<Problem> problems, boolean onlyInert) {
        StringBuilder out = new StringBuilder();
        if (onlyInert) {
            out.append("This does not hold the rollout back by itself, but the container has no working liveness check. ");
        } else if (c.type() == ProbeType.LIVENESS) {
            out.append("A liveness probe that cannot pass restarts the container again and again, so the new pods never "
                    + "become available and the rollout cannot finish. ");
        } else {
            out.append("A ").append(c.type() == ProbeType.STARTUP ? "startup" : "readiness")
                    .append(" probe that cannot pass keeps the new pods from ever becoming Ready, so they never become ")
                    .append("available and the rollout cannot finish. ");
        }
        out.append("The probe: ").append(ProbeFacts.fieldValue(c.probe(), c.container())).append(". ");
        out.append(problems.get(0).detail());
        for (Problem p : problems.subList(1, problems.size())) {
            out.append(" Also, it ").append(p.title()).append(". ").append(p.detail());
        }
        if (c.failures().isEmpty() && c.kills().isEmpty()) {
            out.append(" The snapshot holds no probe events for the new pods, so what the probe gets is not known.");
        }
        return out.toString();
    }

    private static void remediation(Finding.Builder f, ProbeCase c, List<Problem> problems) {
        var ref = c.workload().ref();
        boolean first = true;
        boolean restored = false;
        int patches = 0;
        for (Problem p : problems) {
            if (p.patch().isEmpty() || patches == 2 || (restored && p.restoresPrevious())) {
                continue; // two patches at most, and one way back to the previous revision is enough
            }
            restored |= p.restoresPrevious();
            String note = first ? " (kubectl has no `set probe`; `oc set probe` exists only on OpenShift)" : "";
            List<String> ops = new ArrayList<>();
            // the test op pins the patch to the container by name: if the list changed, nothing is patched
            ops.add(ProbeFacts.test(c.slot().pointer() + "/name", ProbeFacts.quote(c.container().name())));
            ops.addAll(p.patch());
            f.step(p.fix() + " in container " + c.container().name() + note, ProbeFacts.jsonPatch(ref, ops));
            first = false;
            patches++;
        }
        if (patches == 0) {
            f.step("Correct " + c.type().fieldName() + " of container " + c.container().name()
                    + " in the manifest you deploy from, or edit it in place", "kubectl edit " + Kubectl.target(ref) + Kubectl.ns(ref));
        }
        if (c.previous().isPresent()) {
            f.step("Or roll back to the previous revision while you fix the probe", Kubectl.rolloutUndo(ref));
        }
        f.step("Then follow the rollout to the end", Kubectl.rolloutStatus(ref));
    }
}

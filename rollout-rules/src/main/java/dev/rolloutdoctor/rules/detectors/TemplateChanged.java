package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.RolloutStructure;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Role;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.diff.TemplateDiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the latest revision changed in the pod template, for the postmortem: the previous ReplicaSet's template against
 * the new one (or against the Deployment's own template while the controller has not created the new ReplicaSet).
 * StatefulSets and DaemonSets keep their revisions in ControllerRevisions, whose data the snapshot does not keep, so
 * they are left out.
 */
@Rule(id = "template-changed", title = "Pod template changed", severity = Severity.INFO, layer = Layer.WORKLOAD,
        role = Role.CONTEXT,
        description = "What the latest revision changed between the previous and the new pod template: images, env, envFrom, "
                + "resources, probes, labels, volumes, service account, security context, placement, command and args, ports. "
                + "Context for the postmortem, one evidence line per change.")
public final class TemplateChanged implements Detector {

    private static final int MAX_EVIDENCE = 20;

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.rollouts()) {
            if (status.workload() instanceof Deployment d) {
                revisions(d, status.structure()).ifPresent(r -> findings.add(finding(d, r)));
            }
        }
        return findings;
    }

    /**
     * The two templates to compare. With a new ReplicaSet (matched by template, or by revision once the controller has
     * observed the Deployment): the previous ReplicaSet against it. Otherwise the controller has not acted on the
     * template yet: the newest ReplicaSet against the Deployment's own template, the change still to be rolled out.
     */
    private static Optional<Revisions> revisions(Deployment d, RolloutStructure structure) {
        boolean observed = d.metadata().generation() <= d.status().observedGeneration();
        RolloutStructure.NewReplicaSetMatch match = structure.newReplicaSetMatch();
        if (match == RolloutStructure.NewReplicaSetMatch.TEMPLATE
                || match == RolloutStructure.NewReplicaSetMatch.REVISION && observed) {
            return structure.previousReplicaSet().map(previous -> new Revisions(previous, structure.newReplicaSet().get(),
                    structure.newReplicaSet().get().spec().template(), structure.newRevision(), false));
        }
        Optional<ReplicaSet> latest = structure.newReplicaSet().or(structure::previousReplicaSet);
        return latest.map(rs -> new Revisions(rs, d, d.spec().template(), OptionalInt.empty(), true));
    }

    /** The previous ReplicaSet, the object holding the new template, and whether that change is not rolled out yet. */
    private record Revisions(ReplicaSet previous, KubeObject newer, PodTemplate after, OptionalInt revision, boolean pending) {
    }

    private static Finding finding(Deployment d, Revisions r) {
        ReplicaSet previous = r.previous();
        KubeObject newer = r.newer();
        TemplateDiff diff = TemplateDiff.between(previous.spec().template(), r.after());
        String subject = r.pending() ? "The pod template of " + d.ref() + " (not rolled out yet)"
                : r.revision().isPresent() ? "Revision " + r.revision().getAsInt() + " of " + d.ref()
                : "The new pod template of " + d.ref();
        String title = diff.isEmpty() ? subject + " differs from the previous one only in fields rollout-doctor does not compare"
                : subject + " changed " + diff.summary();
        Finding.Builder f = Finding.of(TemplateChanged.class)
                .workload(d)
                .culprit(newer)
                .confidence(Confidence.HIGH)
                .title(title)
                .explanation(explanation(d, r, diff));
        List<TemplateDiff.Change> changes = diff.changes();
        for (TemplateDiff.Change c : changes.subList(0, Math.min(MAX_EVIDENCE, changes.size()))) {
            f.evidence(Evidence.field(newer, c.path(), c.beforeAndAfter()));
        }
        f.step("See the revisions in full", "kubectl rollout history " + Kubectl.target(d.ref()) + Kubectl.ns(d.ref())
                + r.revision().stream().mapToObj(n -> " --revision=" + n).findFirst().orElse(""));
        if (!r.pending()) {
            String undo = Kubectl.rolloutUndo(d.ref());
            if (previous.revision().isPresent()) {
                undo += " --to-revision=" + previous.revision().getAsInt();
            }
            f.step("If one of these changes broke the rollout, go back to the previous revision", undo);
        }
        return f.build();
    }

    private static String explanation(Deployment d, Revisions r, TemplateDiff diff) {
        ReplicaSet previous = r.previous();
        StringBuilder out = new StringBuilder("Compared with ")
                .append(previous.revision().stream().mapToObj(n -> "revision " + n + " ").findFirst().orElse(""))
                .append("(ReplicaSet ").append(previous.metadata().name()).append("), the pod template of ")
                .append(r.pending() ? d.ref() + ", which its controller has not rolled out yet,"
                        : "ReplicaSet " + r.newer().metadata().name());
        if (diff.isEmpty()) {
            return out.append(" differs only in fields rollout-doctor does not read (dnsPolicy, terminationMessagePath, ...); "
                    + "kubectl rollout history shows them.").toString();
        }
        out.append(" has ").append(diff.changes().size()).append(diff.changes().size() == 1 ? " change" : " changes")
                .append(", each listed as evidence (old -> new)");
        if (diff.changes().size() > MAX_EVIDENCE) {
            out.append(", the first ").append(MAX_EVIDENCE).append(" of them");
        }
        out.append(". Environment values are compared only where the snapshot kept both: a redacted or withheld value is "
                + "never shown. This is context for the postmortem, not a failure by itself.");
        return out.toString();
    }
}

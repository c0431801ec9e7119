package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.ReplicaCounts;
import dev.rolloutdoctor.rollout.RolloutState;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.RolloutStructure;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Role;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.snapshot.CaptureTime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployment controller gave up: Progressing is False with reason ProgressDeadlineExceeded, and
 * {@code kubectl rollout status} fails. A symptom, whatever keeps the new pods from becoming available is the cause.
 * The same rule also reports a condition that still says Progressing while every new pod has been failing for longer
 * than the deadline (see {@link DeadlineNeverFires}).
 */
@Rule(id = "progress-deadline-exceeded", title = "Progress deadline exceeded", severity = Severity.ERROR,
        layer = Layer.WORKLOAD, role = Role.SYMPTOM,
        description = "The Deployment's Progressing condition is False with reason ProgressDeadlineExceeded: the controller saw "
                + "no progress for progressDeadlineSeconds and kubectl rollout status fails. A symptom: the cause is why the new "
                + "pods do not become available. Also reported when the condition still says Progressing while every new pod "
                + "has been failing for longer than the deadline, which keeps kubectl waiting instead of failing.")
public final class ProgressDeadlineExceeded implements Detector {

    /** Go's {@code math.MaxInt32}: a Deployment with this deadline has none. */
    static final int NO_DEADLINE = Integer.MAX_VALUE;
    static final int DEFAULT_DEADLINE_SECONDS = 600;
    /** Both message forms: {@code ReplicaSet "web-5d8f" has timed out progressing.} and the older unquoted one. */
    private static final Pattern TIMED_OUT = Pattern.compile("ReplicaSet \"?([^\" ]+)\"? has timed out progressing");

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            if (!(status.workload() instanceof Deployment d)) {
                continue;
            }
            if (status.state() == RolloutState.FAILED) {
                findings.add(timedOut(context, status, d));
            } else if (status.state() == RolloutState.PROGRESSING || status.state() == RolloutState.STALLED) {
                DeadlineNeverFires.check(context, status, d).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private static Finding timedOut(DetectionContext context, RolloutStatus status, Deployment d) {
        Condition progressing = d.status().condition("Progressing").orElseThrow();
        int deadline = d.spec().progressDeadlineSeconds().orElse(DEFAULT_DEADLINE_SECONDS);
        Optional<Instant> firedAt = progressing.lastTransitionTime().or(progressing::lastUpdateTime);
        RolloutStructure structure = status.structure();
        String replicaSet = structure.newReplicaSet().map(rs -> rs.metadata().name()).orElse(timedOutReplicaSet(progressing));
        boolean podsCollected = context.snapshot().collectedKinds().contains("Pod");

        String title = d.ref() + " exceeded its " + (deadline == NO_DEADLINE ? "" : Moments.seconds(deadline) + " ")
                + "progress deadline" + firedAt.map(t -> " at " + Moments.at(t)).orElse("")
                + " with " + newPodsPhrase(structure, podsCollected);
        Finding.Builder f = Finding.of(ProgressDeadlineExceeded.class)
                .workload(d)
                .culprit(d)
                .confidence(Confidence.HIGH)
                .title(title)
                .explanation(explanation(context, d, progressing, deadline, firedAt, structure, podsCollected))
                .evidence(Evidence.field(d, "status.conditions[Progressing]", conditionText(progressing),
                        progressing.lastTransitionTime()))
                .evidence(Evidence.field(d, "spec.progressDeadlineSeconds", d.spec().progressDeadlineSeconds().isPresent()
                        ? Integer.toString(deadline) : deadline + " (not in the dump: the API default)"))
                .evidence(Evidence.field(d, "status", statusNumbers(structure.reported())));
        structure.newReplicaSet().ifPresent(rs -> f.culprit(rs).evidence(Evidence.field(rs, "status",
                "replicas " + rs.status().replicas() + ", readyReplicas " + rs.status().readyReplicas()
                        + ", availableReplicas " + rs.status().availableReplicas())));
        if (podsCollected) {
            KubeObject owner = structure.newReplicaSet().isPresent() ? structure.newReplicaSet().get() : d;
            f.evidence(Evidence.field(owner, "pods (counted in the snapshot)", countedText(structure.counted())));
        }
        d.status().condition("ReplicaFailure").filter(Condition::isTrue).ifPresent(c -> f.evidence(
                Evidence.field(d, "status.conditions[ReplicaFailure]", conditionText(c), c.lastTransitionTime())));
        steps(f, d, structure, replicaSet, deadline);
        return f.build();
    }

    private static String explanation(DetectionContext context, Deployment d, Condition progressing, int deadline,
            Optional<Instant> firedAt, RolloutStructure structure, boolean podsCollected) {
        StringBuilder out = new StringBuilder("The deployment controller measures a rollout's progress from the Progressing "
                + "condition's lastUpdateTime: when for progressDeadlineSeconds (" + deadline + "s) no new pod became "
                + "available, no old pod went away and no pod became ready, it set Progressing=False with reason "
                + "ProgressDeadlineExceeded");
        firedAt.ifPresent(t -> out.append(" at ").append(Moments.at(t)).append(", so the last progress it saw was about ")
                .append(Moments.at(t.minusSeconds(deadline))));
        if (!progressing.message().isEmpty()) {
            out.append(" (its message: ").append(withoutFinalPeriod(progressing.message())).append(')');
        }
        out.append('.');
        if (firedAt.isPresent() && context.capturedAt().isPresent()) {
            out.append(sinceFired(firedAt.get(), deadline, context.snapshot().captureTime()));
        }
        out.append(" `kubectl rollout status` now fails at once with `error: deployment \"").append(d.metadata().name())
                .append("\" exceeded its progress deadline` (exit code 1). The controller neither rolls back nor stops: "
                        + "it keeps the new ReplicaSet and its pods, and clears the condition as soon as the rollout moves again. ");
        ReplicaCounts r = structure.reported();
        out.append("The status reports ").append(r.updated()).append(" updated and ").append(r.available())
                .append(" available (old and new together) of ").append(r.desired()).append(" desired");
        if (podsCollected) {
            ReplicaCounts c = structure.counted();
            out.append("; the pods in the snapshot count ").append(c.updated()).append(" new, ")
                    .append(c.updatedAvailable().orElse(0)).append(" of them available");
        } else {
            out.append("; the snapshot holds no pods to check that against");
        }
        out.append(". This is a symptom: the cause is whatever keeps the new pods from becoming available, and a cause "
                + "found in the snapshot ranks above this finding.");
        return out.toString();
    }

    /**
     * " That was 25m before capture: no progress for about 35m." A capture time estimated from the newest timestamp only
     * bounds both from below.
     */
    private static String sinceFired(Instant firedAt, int deadline, CaptureTime capture) {
        Instant now = capture.instant().orElseThrow();
        boolean estimated = capture.origin() == CaptureTime.Origin.NEWEST_TIMESTAMP;
        if (estimated && !firedAt.isBefore(now)) {
            return "";
        }
        String stalled = Durations.format(Duration.between(firedAt.minusSeconds(deadline), now));
        return " That was " + (estimated ? "at least " : "") + Moments.relative(firedAt, now) + ": no progress for "
                + (estimated ? "at least " : "about ") + stalled + " at capture"
                + (estimated ? " (the capture time is estimated from the newest timestamp in the input)." : ".");
    }

    private static String withoutFinalPeriod(String text) {
        String t = text.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    private static void steps(Finding.Builder f, Deployment d, RolloutStructure structure, String replicaSet, int deadline) {
        String ns = Kubectl.ns(d.ref());
        String hash = structure.newReplicaSet().map(ReplicaSet::podTemplateHash).orElse("");
        f.step("Find why the new pods are not available: this is a symptom, and the cause, when the snapshot shows it, "
                        + "is the finding ranked above",
                hash.isEmpty() ? Kubectl.describe(d) : "kubectl get pods" + ns + " -l pod-template-hash=" + hash + " -o wide");
        if (!replicaSet.isEmpty()) {
            f.step("Read the new ReplicaSet's events (FailedCreate) and those of its pods",
                    "kubectl describe replicaset/" + replicaSet + ns);
        }
        String undo = Kubectl.rolloutUndo(d.ref());
        if (structure.previousRevision().isPresent()) {
            undo += " --to-revision=" + structure.previousRevision().getAsInt();
        }
        f.step("Roll back to the last working revision while you fix it", undo);
        f.step("After the fix, follow the rollout to the end", Kubectl.rolloutStatus(d.ref()));
        if (deadline != NO_DEADLINE) {
            f.step("Only if the rollout is merely slow (large images, long start-up), give it more time",
                    Kubectl.patch(d.ref(), "{\"spec\":{\"progressDeadlineSeconds\":" + Math.max(1200, deadline * 2L) + "}}"));
        }
    }

    /** "0 of 3 new pods available", from the new ReplicaSet's status or the pods, else from the Deployment's status. */
    static String newPodsPhrase(RolloutStructure structure, boolean podsCollected) {
        ReplicaCounts reported = structure.reported();
        if (reported.updatedAvailable().isPresent()) {
            return reported.updatedAvailable().getAsInt() + " of " + reported.desired() + " new pods available";
        }
        if (podsCollected && !structure.pods().isEmpty()) {
            return structure.counted().updatedAvailable().orElse(0) + " of " + reported.desired()
                    + " new pods available (counted from the pods)";
        }
        return reported.updated() + " of " + reported.desired() + " pods updated and " + reported.available() + " available";
    }

    static String conditionText(Condition c) {
        return c.status() + " " + c.reason() + (c.message().isEmpty() ? "" : ": " + c.message());
    }

    static String statusNumbers(ReplicaCounts r) {
        return "replicas " + r.replicas() + ", updatedReplicas " + r.updated() + ", readyReplicas " + r.ready()
                + ", availableReplicas " + r.available() + ", unavailableReplicas " + r.unavailable();
    }

    private static String countedText(ReplicaCounts c) {
        return OldPodsTerminating.count(c.replicas(), "active pod") + ", " + c.updated() + " of them new, " + c.updatedAvailable().orElse(0)
                + " new available" + c.terminating().stream().filter(n -> n > 0).mapToObj(n -> ", " + n + " terminating")
                .findFirst().orElse("");
    }

    private static String timedOutReplicaSet(Condition progressing) {
        Matcher m = TIMED_OUT.matcher(progressing.message());
        return m.find() ? m.group(1) : "";
    }
}

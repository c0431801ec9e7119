package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.RolloutStructure;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Progressing condition that does not tell the truth: it still says the rollout progresses while every new pod has
 * been failing for longer than the progress deadline. The controller counts a pod turning Ready, even for a moment
 * (a crash-looping container without a readiness probe), and a recreated pod as progress and refreshes
 * {@code lastUpdateTime}; and once a rollout has completed ({@code NewReplicaSetAvailable}) it never checks the
 * deadline again. The state is left as it is; the finding says what the condition hides.
 */
final class DeadlineNeverFires {

    private DeadlineNeverFires() {
    }

    static Optional<Finding> check(DetectionContext context, RolloutStatus status, Deployment d) {
        int deadline = d.spec().progressDeadlineSeconds().orElse(ProgressDeadlineExceeded.DEFAULT_DEADLINE_SECONDS);
        Optional<Condition> progressing = d.status().condition("Progressing");
        if (deadline == ProgressDeadlineExceeded.NO_DEADLINE || deadline <= 0 || context.capturedAt().isEmpty()
                || progressing.isEmpty() || !progressing.get().isTrue()) {
            return Optional.empty();
        }
        RolloutStructure structure = status.structure();
        List<Pod> live = structure.newPods().stream().filter(p -> !p.isTerminating()).toList();
        if (live.isEmpty() || live.stream().anyMatch(Pod::isReady)) {
            return Optional.empty();
        }
        Optional<Instant> since = failingSince(context, d, structure, live);
        Instant now = context.capturedAt().get();
        if (since.isEmpty() || !since.get().plusSeconds(deadline).isBefore(now)) {
            return Optional.empty();
        }
        Duration failing = Duration.between(since.get(), now);
        Condition c = progressing.get();
        String title = d.ref() + " still reports Progressing=True (" + c.reason() + "), but "
                + (live.size() == 1 ? "its 1 new pod has not" : "none of its " + live.size() + " new pods has")
                + " been ready for " + Durations.format(failing) + ", longer than its " + Moments.seconds(deadline)
                + " progress deadline";
        Finding.Builder f = Finding.of(ProgressDeadlineExceeded.class)
                .workload(d)
                .culprit(d)
                .confidence(Confidence.MEDIUM)
                .title(title)
                .explanation(explanation(d, c, deadline, since.get(), failing, now))
                .evidence(Evidence.field(d, "status.conditions[Progressing]", ProgressDeadlineExceeded.conditionText(c)
                        + c.lastUpdateTime().map(t -> " (lastUpdateTime " + Moments.at(t) + ")").orElse(""),
                        c.lastUpdateTime().or(c::lastTransitionTime)))
                .evidence(Evidence.field(d, "spec.progressDeadlineSeconds", Integer.toString(deadline)));
        structure.newReplicaSet().ifPresent(f::culprit);
        for (Pod pod : live.subList(0, Math.min(3, live.size()))) {
            pod.status().condition("Ready").ifPresentOrElse(
                    ready -> f.evidence(Evidence.field(pod, "status.conditions[Ready]", ProgressDeadlineExceeded.conditionText(ready),
                            ready.lastTransitionTime())),
                    () -> f.evidence(Evidence.field(pod, "status.phase", pod.status().phase(), pod.metadata().creationTimestamp())));
        }
        structure.newReplicaSet().ifPresent(rs -> EventQuery.last(
                EventQuery.about(context.snapshot(), rs, "SuccessfulCreate"), 2).forEach(e -> f.evidence(Evidence.event(e))));
        f.step("Find why the new pods never become ready: the finding ranked above names the cause when the snapshot shows it",
                        Kubectl.describe(d))
                .step("Do not wait for the deadline to end `kubectl rollout status`: give the command its own limit in CI",
                        Kubectl.rolloutStatus(d.ref()) + " --timeout=" + Moments.seconds(deadline))
                .step("Roll back while you fix it", Kubectl.rolloutUndo(d.ref()));
        return Optional.of(f.build());
    }

    /**
     * The newest of: the new ReplicaSet's creation, its latest scale-up, and the creation of the newest live new pod.
     * Each of those can count as progress, so only the time after all of them is time without progress.
     */
    private static Optional<Instant> failingSince(DetectionContext context, Deployment d, RolloutStructure structure, List<Pod> live) {
        Optional<Instant> since = Optional.empty();
        for (Pod pod : live) {
            since = later(since, pod.metadata().creationTimestamp());
        }
        if (structure.newReplicaSet().isPresent()) {
            ReplicaSet rs = structure.newReplicaSet().get();
            since = later(since, rs.metadata().creationTimestamp());
            String prefix = "Scaled up replica set " + rs.metadata().name() + " ";
            for (Event e : EventQuery.about(context.snapshot(), d, "ScalingReplicaSet")) {
                if (e.message().startsWith(prefix)) {
                    since = later(since, e.lastSeen());
                }
            }
        }
        return since;
    }

    private static String explanation(Deployment d, Condition c, int deadline, Instant since, Duration failing, Instant now) {
        StringBuilder out = new StringBuilder("No new pod of ").append(d.ref()).append(" has been ready since ")
                .append(Moments.at(since)).append(" (").append(Durations.format(failing))
                .append(" before capture), longer than progressDeadlineSeconds (").append(deadline)
                .append("s), yet the Progressing condition is still True with reason ").append(c.reason()).append(". ");
        if ("NewReplicaSetAvailable".equals(c.reason())) {
            out.append("That reason is left from a rollout that completed: once it did, the deployment controller no longer "
                    + "checks the deadline, so pods that fail afterwards, or a scale-up that cannot finish, never time out "
                    + "(kubernetes/kubernetes#78678). ");
        } else {
            out.append("The deployment controller refreshes lastUpdateTime whenever it sees progress, and it counts a pod "
                    + "turning Ready, even for a moment (a crash-looping container without a readiness probe is Ready between "
                    + "restarts), or a new pod replacing a deleted one; so the deadline keeps moving and never fires. ");
            if (c.lastUpdateTime().isPresent() && c.lastUpdateTime().get().plusSeconds(deadline).isBefore(now)) {
                out.append("Even the condition's own lastUpdateTime (").append(Moments.at(c.lastUpdateTime().get()))
                        .append(") is older than the deadline, so the controller should have marked it: check that "
                                + "kube-controller-manager is running. ");
            }
        }
        out.append("kubectl rollout status will keep waiting instead of failing with `exceeded its progress deadline`. "
                + "This is the symptom; the cause is why the new pods are not ready.");
        return out.toString();
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isAfter(b.get()) ? a : b;
    }
}

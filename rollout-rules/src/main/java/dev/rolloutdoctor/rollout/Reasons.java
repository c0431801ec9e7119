package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.StatefulSet;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** The one-sentence reasons of each state, in plain words with the real numbers. */
final class Reasons {

    private Reasons() {
    }

    static String notObserved(KubeObject workload) {
        long generation = workload.metadata().generation();
        if (workload instanceof StatefulSet s && s.status().observedGeneration() == 0) {
            return "The statefulset controller has not observed this StatefulSet yet (status.observedGeneration is 0).";
        }
        long observed = workload instanceof Deployment d ? d.status().observedGeneration()
                : workload instanceof StatefulSet s ? s.status().observedGeneration()
                : ((DaemonSet) workload).status().observedGeneration();
        return "The " + controller(workload) + " has not observed generation " + generation
                + " yet (status.observedGeneration is " + observed + ").";
    }

    static String failed(Deployment d, RolloutStructure structure, Optional<Instant> capturedAt) {
        Condition progressing = d.status().condition("Progressing").orElseThrow();
        StringBuilder out = new StringBuilder("Progress deadline");
        OptionalInt deadline = ProgressDeadline.seconds(d);
        if (deadline.isPresent()) {
            out.append(" of ").append(Texts.duration(Duration.ofSeconds(deadline.getAsInt())));
        }
        out.append(" exceeded");
        progressing.lastUpdateTime().or(progressing::lastTransitionTime)
                .ifPresent(t -> out.append(" at ").append(Texts.time(t, capturedAt)));
        String message = withoutFinalPeriod(progressing.message());
        if (!message.isEmpty()) {
            out.append(" (").append(message).append(')');
        }
        return out.append("; ").append(progressSummary(d, structure)).append('.').toString();
    }

    static String paused(Deployment d, RolloutStructure structure) {
        return "Paused (spec.paused) before the rollout finished: " + progressSummary(d, structure) + ".";
    }

    static String complete(KubeObject workload, RolloutStructure structure) {
        ReplicaCounts r = structure.reported();
        if (r.desired() <= 0) {
            return workload instanceof DaemonSet ? "No node needs a pod (status.desiredNumberScheduled is 0)."
                    : "Scaled to 0 pods: there is nothing to roll out.";
        }
        if (workload instanceof Deployment) {
            String where = structure.newReplicaSet().map(rs -> " on ReplicaSet " + rs.metadata().name()
                    + rs.revision().stream().mapToObj(n -> " (revision " + n + ")").findFirst().orElse(""))
                    .orElse("");
            if (r.updated() == r.desired()) {
                return Texts.everyPod(r.desired()) + " updated and available" + where + ".";
            }
            return r.updated() + " updated and " + r.available() + " available pods for " + r.desired() + " desired"
                    + where + ".";
        }
        boolean onDelete = !KubectlStatus.isRollingUpdate(structure.strategy());
        if (workload instanceof StatefulSet s) {
            StatefulSet.Status st = s.status();
            String base = Texts.everyPod(r.desired()) + " ready";
            if (onDelete) {
                return base + outdated(r.desired() - st.updatedReplicas(), "revision") + ".";
            }
            OptionalInt partition = s.spec().updateStrategy().rollingUpdate()
                    .map(StatefulSet.RollingUpdate::partition).orElse(OptionalInt.empty());
            String revision = st.updateRevision().isEmpty() ? "" : " at revision " + st.updateRevision();
            if (partition.orElse(0) > 0) {
                return base + " and " + st.updatedReplicas() + " updated" + revision + "; partition "
                        + partition.getAsInt() + " keeps the pods below ordinal " + partition.getAsInt()
                        + " on the current revision.";
            }
            return base + revision + ".";
        }
        if (onDelete) {
            return Texts.everyPod(r.desired()) + " available" + outdated(r.desired() - r.updated(), "template") + ".";
        }
        return Texts.everyPod(r.desired()) + " updated and available.";
    }

    private static String outdated(int count, String what) {
        if (count <= 0) {
            return "";
        }
        return "; " + count + (count == 1 ? " still runs" : " still run") + " an older " + what
                + " and will change only when deleted (OnDelete)";
    }

    static String oldPodsTerminating(KubeObject workload, Terminating t, Optional<Instant> capturedAt) {
        StringBuilder out = new StringBuilder("kubectl reports success, but ").append(Texts.pods(t.count()));
        String owners = String.join(", ", t.owners());
        if (workload instanceof Deployment) {
            out.append(owners.isEmpty() ? " of old ReplicaSets"
                    : t.owners().size() == 1 ? " of old ReplicaSet " + owners : " of old ReplicaSets " + owners);
        } else {
            out.append(owners.isEmpty() ? " of an older revision"
                    : t.owners().size() == 1 ? " of old revision " + owners : " of old revisions " + owners);
        }
        out.append(t.count() == 1 ? " is" : " are").append(" still terminating (").append(t.sourceDescription()).append(')');
        if (t.lastGracePeriodEnds().isPresent()) {
            Instant end = t.lastGracePeriodEnds().get();
            boolean passed = capturedAt.isPresent() && !end.isAfter(capturedAt.get());
            out.append("; the last grace period ").append(passed ? "ended at " : "ends at ").append(Texts.time(end, capturedAt));
            if (passed) {
                out.append(", ").append(Texts.duration(Duration.between(end, capturedAt.get())))
                        .append(" before capture, so something holds them (finalizers or an unreachable node)");
            }
        }
        return out.append('.').toString();
    }

    static String stalled(KubeObject workload, RolloutStructure structure, Instant lastProgress, Duration since,
            Optional<Instant> capturedAt, boolean captureEstimated) {
        return capitalized(progressSummary(workload, structure)) + "; no progress for " + (captureEstimated ? "at least " : "")
                + Texts.duration(since) + " since " + Texts.time(lastProgress, capturedAt) + ".";
    }

    static String progressing(KubeObject workload, RolloutStructure structure, Optional<Instant> lastProgress,
            Optional<Duration> since, Optional<Instant> capturedAt) {
        String summary = capitalized(progressSummary(workload, structure));
        if (capturedAt.isEmpty()) {
            return summary + "; the capture time is unknown, so whether it stalled cannot be judged.";
        }
        if (lastProgress.isEmpty()) {
            return summary + "; the snapshot records no time of progress, so whether it stalled cannot be judged.";
        }
        String at = Texts.time(lastProgress.get(), capturedAt);
        if (since.isEmpty() || since.get().isNegative()) {
            return summary + "; last progress at " + at + ".";
        }
        return summary + "; last progress " + Texts.duration(since.get()) + " before capture, at " + at + ".";
    }

    /** What the rollout still waits for, from the status block, in the order kubectl checks it. */
    static String progressSummary(KubeObject workload, RolloutStructure structure) {
        ReplicaCounts r = structure.reported();
        if (workload instanceof Deployment d) {
            OptionalInt replicas = d.spec().replicas();
            if (replicas.isPresent() && r.updated() < replicas.getAsInt()) {
                return r.updated() + " of " + replicas.getAsInt() + " pods are updated";
            }
            if (r.replicas() > r.updated()) {
                int old = r.replicas() - r.updated();
                return old + (old == 1 ? " old pod is" : " old pods are") + " not scaled down yet";
            }
            return r.available() + " of " + r.updated() + " updated pods are available";
        }
        if (workload instanceof StatefulSet s) {
            if (r.ready() < r.desired()) {
                return r.ready() + " of " + r.desired() + " pods are ready";
            }
            Optional<StatefulSet.RollingUpdate> rolling = s.spec().updateStrategy().rollingUpdate();
            if (rolling.isPresent() && rolling.get().partition().isPresent()) {
                int partition = rolling.get().partition().getAsInt();
                return r.updated() + " of " + (r.desired() - partition) + " pods from ordinal " + partition + " up are updated";
            }
            return r.updated() + " of " + r.desired() + " pods are at revision " + s.status().updateRevision();
        }
        if (r.updated() < r.desired()) {
            return r.updated() + " of " + r.desired() + " pods are updated";
        }
        return r.available() + " of " + r.desired() + " pods are available";
    }

    private static String controller(KubeObject workload) {
        if (workload instanceof Deployment) {
            return "deployment controller";
        }
        return workload instanceof StatefulSet ? "statefulset controller" : "daemonset controller";
    }

    private static String withoutFinalPeriod(String text) {
        String trimmed = text.strip();
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

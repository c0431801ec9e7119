package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutState;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.Terminating;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Role;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * kubectl reports success, but pods of the old revision are still shutting down: kubectl and the deployment controller
 * count only pods that are not being deleted, so a rollout looks finished while old pods may still run. What the user
 * sees, hence a symptom: graceful shutdown explains it while the grace period runs, pods-stuck-terminating after.
 */
@Rule(id = "old-pods-terminating", title = "Rolled out, but old pods still terminating", severity = Severity.WARNING,
        layer = Layer.WORKLOAD, role = Role.SYMPTOM,
        description = "kubectl says the rollout finished, but pods of the old revision are still terminating (deletionTimestamp "
                + "set, or status.terminatingReplicas above 0): they may still run and hold resources until their grace "
                + "period ends. Says how many, since when and until when, and what makes the shutdown long.")
public final class OldPodsTerminating implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.rollouts()) {
            if (status.state() == RolloutState.COMPLETE_OLD_PODS_TERMINATING && status.terminating().isPresent()) {
                findings.add(finding(context, status, status.terminating().get()));
            }
        }
        return findings;
    }

    private static Finding finding(DetectionContext context, RolloutStatus status, Terminating t) {
        KubeObject w = status.workload();
        List<Pod> pods = pods(status, t);
        Optional<Instant> now = context.capturedAt();
        Optional<Instant> started = pods.stream().map(PodDeletion::requested).flatMap(Optional::stream).min(Instant::compareTo);
        Optional<Instant> end = t.lastGracePeriodEnds();
        boolean passed = end.isPresent() && now.isPresent() && !end.get().isAfter(now.get());

        StringBuilder title = new StringBuilder("kubectl reports ").append(w.ref()).append(" rolled out, but ")
                .append(count(t.count(), "old pod")).append(" of ").append(owners(w, t))
                .append(t.count() == 1 ? " is" : " are").append(" still terminating");
        if (end.isPresent()) {
            title.append(passed ? ", past the end of the grace period at " : " until ").append(Moments.at(end.get()));
        }
        Finding.Builder f = Finding.of(OldPodsTerminating.class)
                .workload(w)
                .confidence(Confidence.HIGH)
                .title(title.toString())
                .explanation(explanation(w, t, pods, started, end, now, passed));
        culprits(status, t).forEach(f::culprit);
        reportedEvidence(status, t).forEach(f::evidence);
        for (Pod pod : pods.subList(0, Math.min(5, pods.size()))) {
            f.evidence(PodDeletion.deadline(pod, now.map(n -> Moments.relative(pod.metadata().deletionTimestamp().get(), n)).orElse("")));
        }
        pods.stream().findFirst().ifPresent(pod -> {
            f.evidence(Evidence.field(pod, "spec.terminationGracePeriodSeconds",
                    Long.toString(pod.spec().effectiveTerminationGracePeriodSeconds())
                            + (pod.spec().terminationGracePeriodSeconds().isEmpty() ? " (not set: the default)" : "")));
            f.evidence(PodDeletion.preStops(pod));
        });
        steps(f, status, t, pods);
        return f.build();
    }

    private static String explanation(KubeObject w, Terminating t, List<Pod> pods, Optional<Instant> started,
            Optional<Instant> end, Optional<Instant> now, boolean passed) {
        StringBuilder out = new StringBuilder("kubectl rollout status and the ")
                .append(w instanceof Deployment ? "deployment" : w.kind().toLowerCase(java.util.Locale.ROOT))
                .append(" controller count only pods that are not being deleted, so they report success as soon as the old "
                        + "pods are asked to stop, while those still shut down: ")
                .append(count(t.count(), "pod")).append(' ').append(t.sourceDescription());
        if (t.countSource() == Terminating.CountSource.STATUS && t.podsInSnapshot() < t.count()) {
            out.append(" (the snapshot holds ").append(t.podsInSnapshot()).append(" of them)");
        }
        out.append('.');
        started.ifPresent(s -> out.append(" Their deletion was requested at ").append(Moments.at(s))
                .append(now.map(n -> " (" + Moments.relative(s, n) + ")").orElse("")).append('.'));
        if (end.isPresent()) {
            out.append(" The last grace period ").append(passed ? "ended" : "ends").append(" at ").append(Moments.at(end.get()))
                    .append(now.map(n -> " (" + Moments.relative(end.get(), n) + ")").orElse("")).append('.');
            if (passed) {
                out.append(" Pods still there after their grace period are held by something (finalizers, a node that no "
                        + "longer reports): see pods-stuck-terminating.");
            }
        }
        out.append(" Until they are gone they may still run and finish open requests, they hold their nodes' resources, and "
                + "anything that assumes only the new version runs (tests, migrations, traffic switches) can be wrong.");
        pods.stream().findFirst().ifPresent(pod -> {
            long grace = pod.spec().effectiveTerminationGracePeriodSeconds();
            out.append(" The pods may take up to terminationGracePeriodSeconds (").append(grace).append("s) to stop");
            List<String> hooks = new ArrayList<>();
            pod.spec().containers().forEach(c -> c.preStop().ifPresent(h -> hooks.add(c.name() + " runs " + PodDeletion.hook(h))));
            if (!hooks.isEmpty()) {
                out.append("; before its container is sent SIGTERM, the preStop hook of ").append(String.join(", of ", hooks))
                        .append(", which counts against that period");
            }
            out.append('.');
        });
        return out.toString();
    }

    private static void steps(Finding.Builder f, RolloutStatus status, Terminating t, List<Pod> pods) {
        KubeObject w = status.workload();
        String label = w instanceof Deployment ? ReplicaSet.POD_TEMPLATE_HASH : "controller-revision-hash";
        List<String> values = new ArrayList<>();
        for (String owner : t.owners()) {
            values.add(w instanceof Deployment ? hashOf(status, owner) : owner);
        }
        String selector = values.size() == 1 ? label + "=" + values.get(0) : "'" + label + " in (" + String.join(",", values) + ")'";
        long grace = pods.stream().mapToLong(PodDeletion::gracePeriodSeconds).max().orElse(30);
        if (!values.isEmpty()) {
            f.step("Wait until the old pods are gone before treating the rollout as finished (tests, migrations, traffic switches)",
                    "kubectl wait --for=delete pod -l " + selector + Kubectl.ns(w.ref()) + " --timeout=" + (grace + 30) + "s");
        }
        f.step("If shutdown takes longer than it should, shorten it in the pod template: terminationGracePeriodSeconds, or the "
                + "preStop sleep (changing the template starts a new rollout)");
        if (w instanceof Deployment) {
            f.step("From Kubernetes 1.33 (alpha; beta and on by default from 1.35, KEP-3973) the Deployment and its ReplicaSets "
                            + "report status.terminatingReplicas: wait for it to reach 0 instead of listing pods",
                    "kubectl get " + Kubectl.target(w.ref()) + Kubectl.ns(w.ref()) + " -o jsonpath='{.status.terminatingReplicas}'");
            f.step("A proposed spec.podReplacementPolicy: TerminationComplete (KEP-5882, not in apps/v1 yet) would make the "
                    + "controller itself wait for terminating pods before it reports the rollout complete");
        }
    }

    /** The old ReplicaSet's pod-template-hash, else the suffix its name ends with ({@code web-5d8f7c9b6}). */
    private static String hashOf(RolloutStatus status, String replicaSet) {
        for (ReplicaSet rs : status.structure().oldReplicaSets()) {
            if (rs.metadata().name().equals(replicaSet) && !rs.podTemplateHash().isEmpty()) {
                return rs.podTemplateHash();
            }
        }
        int dash = replicaSet.lastIndexOf('-');
        return dash < 0 ? replicaSet : replicaSet.substring(dash + 1);
    }

    private static List<Pod> pods(RolloutStatus status, Terminating t) {
        Set<ObjectRef> refs = new HashSet<>(t.pods());
        return status.structure().oldPods().stream().filter(p -> refs.contains(p.ref())).toList();
    }

    private static List<KubeObject> culprits(RolloutStatus status, Terminating t) {
        List<KubeObject> out = new ArrayList<>();
        if (status.workload() instanceof Deployment) {
            for (ReplicaSet rs : status.structure().oldReplicaSets()) {
                if (t.owners().contains(rs.metadata().name())) {
                    out.add(rs);
                }
            }
        }
        if (out.isEmpty()) {
            out.add(status.workload());
        }
        return out;
    }

    private static List<Evidence> reportedEvidence(RolloutStatus status, Terminating t) {
        List<Evidence> out = new ArrayList<>();
        if (t.reported().isEmpty()) {
            return out;
        }
        for (ReplicaSet rs : status.structure().oldReplicaSets()) {
            rs.status().terminatingReplicas().ifPresent(n -> {
                if (n > 0) {
                    out.add(Evidence.field(rs, "status.terminatingReplicas", Integer.toString(n)));
                }
            });
        }
        if (out.isEmpty() && status.workload() instanceof Deployment d) {
            d.status().terminatingReplicas().ifPresent(n ->
                    out.add(Evidence.field(d, "status.terminatingReplicas", Integer.toString(n))));
        }
        return out;
    }

    private static String owners(KubeObject w, Terminating t) {
        List<String> owners = t.owners();
        if (w instanceof Deployment) {
            return owners.isEmpty() ? "its old ReplicaSets"
                    : owners.size() == 1 ? "ReplicaSet " + owners.get(0) : "ReplicaSets " + String.join(", ", owners);
        }
        return owners.isEmpty() ? "an older revision"
                : owners.size() == 1 ? "revision " + owners.get(0) : "revisions " + String.join(", ", owners);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

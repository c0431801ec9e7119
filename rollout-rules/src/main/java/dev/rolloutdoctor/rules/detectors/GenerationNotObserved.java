package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.rollout.RolloutState;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The workload's controller has not acted on its latest spec: {@code status.observedGeneration} is behind
 * {@code metadata.generation}, so nothing of the change is rolled out and kubectl waits for the spec update to be
 * observed. A healthy controller observes a change within a second; one that has not for longer than a minute is
 * down, without a leader, or overloaded.
 */
@Rule(id = "generation-not-observed", title = "Spec change not observed by its controller", severity = Severity.ERROR,
        layer = Layer.WORKLOAD,
        description = "status.observedGeneration is behind metadata.generation for longer than a short grace: the deployment, "
                + "statefulset or daemonset controller (in kube-controller-manager) has not acted on the change, so nothing "
                + "of it is rolled out. Usually kube-controller-manager is down or has no leader.")
public final class GenerationNotObserved implements Detector {

    /** How long a healthy controller may take to observe a change before it counts as not acting. */
    static final Duration GRACE = Duration.ofMinutes(1);

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            if (status.state() == RolloutState.NOT_OBSERVED) {
                check(context, status).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private static Optional<Finding> check(DetectionContext context, RolloutStatus status) {
        KubeObject w = status.workload();
        long generation = w.metadata().generation();
        long observed = observedGeneration(w);
        Staleness stale = Staleness.of(w, observed, conditions(w), context.snapshot().captureTime());
        if (stale.withinGrace()) {
            return Optional.empty();
        }
        Snapshot snapshot = context.snapshot();
        List<Pod> managers = ControllerManager.pods(snapshot);
        List<Pod> down = managers.stream().filter(p -> !ControllerManager.healthy(p)).toList();
        boolean allDown = !managers.isEmpty() && down.size() == managers.size();
        String controller = controller(w);

        StringBuilder title = new StringBuilder("The " + controller + " has not observed generation " + generation + " of "
                + w.ref() + " (status.observedGeneration is " + observed + ")");
        stale.age().ifPresent(a -> title.append(stale.exact() ? " for " : " for at least ").append(Durations.format(a)));
        if (allDown) {
            title.append(": ").append(down.size() == 1 ? down.get(0).metadata().name() + " is not ready"
                    : "none of its " + down.size() + " kube-controller-manager pods is ready");
        }
        Confidence confidence = allDown ? Confidence.HIGH : stale.age().isPresent() ? Confidence.MEDIUM : Confidence.LOW;
        Finding.Builder f = Finding.of(GenerationNotObserved.class)
                .workload(w)
                .culprit(w)
                .confidence(confidence)
                .title(title.toString())
                .explanation(explanation(context, status, controller, stale, managers, down))
                .evidence(Evidence.field(w, "metadata.generation", Long.toString(generation)))
                .evidence(Evidence.field(w, "status.observedGeneration", Long.toString(observed)));
        stale.evidence().ifPresent(f::evidence);
        for (Pod pod : managers) {
            f.evidence(Evidence.field(pod, "status", ControllerManager.health(pod),
                    pod.status().condition("Ready").flatMap(Condition::lastTransitionTime)));
        }
        down.forEach(f::culprit);
        EventQuery.last(ControllerManager.leaderElections(snapshot), 2).forEach(e -> f.evidence(Evidence.event(e)));
        steps(f, w, managers, down);
        return Optional.of(f.build());
    }

    private static String explanation(DetectionContext context, RolloutStatus status, String controller, Staleness stale,
            List<Pod> managers, List<Pod> down) {
        StringBuilder out = new StringBuilder("kubectl rollout status prints \"")
                .append(status.kubectl().message().strip()).append("\" until the ").append(controller)
                .append(" records the new generation in status.observedGeneration; until it does, nothing of the change is "
                        + "rolled out (no new ReplicaSet or pods, no new status). A healthy controller does so within a second. ")
                .append(stale.description()).append(' ');
        Snapshot snapshot = context.snapshot();
        if (managers.isEmpty()) {
            out.append(ControllerManager.kubeSystemPodsCollected(snapshot)
                    ? "The snapshot has kube-system pods but no kube-controller-manager pod: a managed control plane (EKS, GKE, "
                    + "AKS) or a distribution that runs it outside pods (k3s) hides it, so its health cannot be seen here. "
                    : "The snapshot holds no kube-system pods, so whether kube-controller-manager runs cannot be seen here. ");
        } else if (!down.isEmpty()) {
            out.append(down.size() == managers.size() ? "No kube-controller-manager pod is ready: " : "Some kube-controller-manager pods "
                    + "are not ready (the leader may be among them): ");
            List<String> names = new ArrayList<>();
            down.forEach(p -> names.add(p.metadata().name() + " " + ControllerManager.health(p)));
            out.append(String.join("; ", names)).append(". ");
        } else {
            out.append("Its kube-controller-manager pods are running and ready, so the controller runs but does not act on "
                    + "this object: its leader may be stuck or losing its lease, it may be throttled by the API server, or "
                    + "the capture was taken in the moment after the change. ");
        }
        List<Event> elections = ControllerManager.leaderElections(snapshot);
        if (!elections.isEmpty()) {
            Event newest = elections.get(elections.size() - 1);
            out.append("The newest leader election in the snapshot: \"").append(newest.message()).append('"')
                    .append(newest.lastSeen().map(t -> " at " + Moments.at(t)).orElse("")).append('.');
        }
        return out.toString().strip();
    }

    private static void steps(Finding.Builder f, KubeObject w, List<Pod> managers, List<Pod> down) {
        boolean openshift = managers.stream().anyMatch(p -> ControllerManager.OPENSHIFT_NAMESPACE.equals(p.metadata().namespace()));
        String ns = openshift ? ControllerManager.OPENSHIFT_NAMESPACE : ControllerManager.KUBE_SYSTEM;
        String selector = openshift ? "app=kube-controller-manager" : "component=kube-controller-manager";
        f.step("Check that kube-controller-manager runs and is ready", "kubectl -n " + ns + " get pods -l " + selector + " -o wide");
        Optional<Pod> first = down.stream().findFirst().or(() -> managers.stream().findFirst());
        f.step("Read its log: leader election, sync errors, API throttling", first
                .map(p -> "kubectl -n " + p.metadata().namespace() + " logs " + p.metadata().name() + " --tail=200")
                .orElse("kubectl -n " + ns + " logs -l " + selector + " --tail=200"));
        f.step("See which instance holds the leader lease and when it last renewed it (spec.holderIdentity, spec.renewTime)",
                "kubectl -n kube-system get lease kube-controller-manager -o yaml");
        if (managers.isEmpty()) {
            f.step("On a managed control plane, look at the provider's control-plane health and logs instead");
        }
        f.step("Once the controller has observed the change, follow the rollout", Kubectl.rolloutStatus(w.ref()));
    }

    static long observedGeneration(KubeObject w) {
        if (w instanceof Deployment d) {
            return d.status().observedGeneration();
        }
        if (w instanceof StatefulSet s) {
            return s.status().observedGeneration();
        }
        return ((DaemonSet) w).status().observedGeneration();
    }

    private static List<Condition> conditions(KubeObject w) {
        if (w instanceof Deployment d) {
            return d.status().conditions();
        }
        if (w instanceof StatefulSet s) {
            return s.status().conditions();
        }
        return ((DaemonSet) w).status().conditions();
    }

    private static String controller(KubeObject w) {
        if (w instanceof Deployment) {
            return "deployment controller";
        }
        return w instanceof StatefulSet ? "statefulset controller" : "daemonset controller";
    }
}

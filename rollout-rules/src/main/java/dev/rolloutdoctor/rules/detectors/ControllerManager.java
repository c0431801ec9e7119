package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The kube-controller-manager as a snapshot shows it: its pods (static pods in {@code kube-system} on kubeadm-style
 * clusters, in {@code openshift-kube-controller-manager} on OpenShift; none on managed control planes or k3s) and
 * the events of its leader election.
 */
final class ControllerManager {

    static final String KUBE_SYSTEM = "kube-system";
    static final String OPENSHIFT_NAMESPACE = "openshift-kube-controller-manager";
    private static final String NAME = "kube-controller-manager";
    private static final Set<String> NAMESPACES = Set.of(KUBE_SYSTEM, OPENSHIFT_NAMESPACE);

    private ControllerManager() {
    }

    /** Its pods, sorted: by the labels kubeadm and OpenShift give them, else by the static pods' name. */
    static List<Pod> pods(Snapshot snapshot) {
        List<Pod> byLabel = new ArrayList<>();
        List<Pod> byName = new ArrayList<>();
        for (Pod pod : snapshot.objects(Pod.class)) {
            if (!NAMESPACES.contains(pod.metadata().namespace())) {
                continue;
            }
            var labels = pod.metadata().labels();
            if (NAME.equals(labels.get("component")) || NAME.equals(labels.get("app"))) {
                byLabel.add(pod);
            } else if (pod.metadata().name().startsWith(NAME + "-") && !pod.metadata().name().contains("operator")
                    && !pod.metadata().name().contains("-guard-")) {
                byName.add(pod);
            }
        }
        List<Pod> out = byLabel.isEmpty() ? byName : byLabel;
        out.sort(Snapshot.ORDER);
        return out;
    }

    /** True when the snapshot holds any pod of kube-system, so the absence of the controller manager's pods means something. */
    static boolean kubeSystemPodsCollected(Snapshot snapshot) {
        return snapshot.objects(Pod.class).stream().anyMatch(p -> KUBE_SYSTEM.equals(p.metadata().namespace()));
    }

    static boolean healthy(Pod pod) {
        return "Running".equals(pod.status().phase()) && pod.isReady() && !pod.isTerminating();
    }

    /** {@code Running, not Ready (CrashLoopBackOff, 12 restarts)}: what is wrong with one of its pods. */
    static String health(Pod pod) {
        StringBuilder out = new StringBuilder(pod.status().phase().isEmpty() ? "no phase" : pod.status().phase());
        out.append(pod.isReady() ? ", Ready" : ", not Ready");
        List<String> details = new ArrayList<>();
        for (ContainerStatus cs : pod.allContainerStatuses()) {
            String reason = cs.state().reason();
            if (!reason.isEmpty() && !cs.state().isRunning()) {
                details.add(reason);
            }
            if (cs.restartCount() > 0) {
                details.add(cs.restartCount() + (cs.restartCount() == 1 ? " restart" : " restarts"));
            }
        }
        if (pod.isTerminating()) {
            details.add("terminating");
        }
        if (!details.isEmpty()) {
            out.append(" (").append(String.join(", ", details)).append(')');
        }
        return out.toString();
    }

    /** Its leader-election events ("... became leader"), newest last. */
    static List<Event> leaderElections(Snapshot snapshot) {
        List<Event> out = new ArrayList<>();
        for (Event e : snapshot.events()) {
            if ("LeaderElection".equals(e.reason()) && NAME.equals(e.regarding().name())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing((Event e) -> e.lastSeen().orElse(Instant.EPOCH)).thenComparing(e -> e.metadata().name()));
        return out;
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Finding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The words and steps of a pods-stuck-terminating finding, by what holds the pods. */
final class StuckTexts {

    private static final String REMOVE_FINALIZERS = "{\"metadata\":{\"finalizers\":null}}";

    private StuckTexts() {
    }

    /** The end of the title: what holds the pods of the group. */
    static String cause(List<StuckPod> group) {
        StuckPod s = group.get(0);
        boolean plural = group.size() > 1;
        String them = plural ? "them" : "it";
        switch (s.cause()) {
            case NODE_MISSING:
                return "node " + s.detail() + " no longer exists";
            case NODE_NOT_READY:
                return "node " + s.detail() + " is " + readiness(s);
            case NODE_LOST:
                return (plural ? "their" : "its") + " node " + (s.detail().isEmpty() ? "" : s.detail() + " ") + "was lost (NodeLost)";
            case KILL_FAILED:
                return "the kubelet on " + (s.detail().isEmpty() ? "the node" : s.detail()) + " fails to kill " + them + " (FailedKillPod)";
            case FINALIZERS:
                return (s.pod().metadata().finalizers().size() == 1 ? "finalizer " : "finalizers ") + s.detail() + " not removed";
            default:
                List<String> nodes = nodes(group);
                String where = nodes.isEmpty() ? "the kubelet has" : nodes.size() == 1 ? "the kubelet on " + nodes.get(0) + " has"
                        : "the kubelets on " + nodes.size() + " nodes have";
                return where + " not confirmed " + (plural ? "they" : "it") + " stopped";
        }
    }

    private static List<String> nodes(List<StuckPod> group) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        group.forEach(s -> {
            if (!s.pod().spec().nodeName().isEmpty()) {
                names.add(s.pod().spec().nodeName());
            }
        });
        return List.copyOf(names);
    }

    private static String readiness(StuckPod s) {
        return s.node().flatMap(n -> n.condition("Ready")).map(c -> "Unknown".equalsIgnoreCase(c.status())
                ? "not reporting (Ready Unknown" + reason(c) + ")" : "NotReady" + (c.reason().isEmpty() ? "" : " (" + c.reason() + ")"))
                .orElse("not reporting (no Ready condition)");
    }

    private static String reason(Condition c) {
        return c.reason().isEmpty() ? "" : ", " + c.reason();
    }

    static String explanation(RolloutStatus status, List<StuckPod> group, Instant earliest, Instant now) {
        StuckPod first = group.get(0);
        StringBuilder out = new StringBuilder("A pod being deleted stays in the API until the kubelet on its node confirms its "
                + "containers stopped and every finalizer on it is removed. ")
                .append(group.size() == 1 ? "This pod's grace period" : "The grace period of these pods")
                .append(" ended at ").append(Moments.at(earliest)).append(group.size() == 1 ? "" : " or later")
                .append(" (deletionTimestamp), ").append(Moments.relative(earliest, now)).append(". ");
        switch (first.cause()) {
            case NODE_MISSING:
            case NODE_NOT_READY:
            case NODE_LOST:
                out.append(nodeSentence(first))
                        .append("They stay Terminating until the node comes back, the Node object is deleted (the pod garbage "
                                + "collector then deletes its pods), or the node is tainted node.kubernetes.io/out-of-service. ");
                break;
            case KILL_FAILED:
                out.append("The kubelet reports FailedKillPod: it tried to stop the containers and failed (a hung container "
                        + "runtime, a process that ignores SIGKILL in uninterruptible sleep, a volume that does not unmount). ");
                break;
            case FINALIZERS:
                out.append("Each still carries ").append(first.pod().metadata().finalizers().size() == 1 ? "the finalizer " : "the finalizers ")
                        .append(first.detail()).append(": the controller that set it must remove it after its cleanup, and it "
                                + "has not. ");
                if (group.stream().allMatch(s -> s.pod().metadata().deletionGracePeriodSeconds().orElse(-1) == 0)) {
                    out.append("deletionGracePeriodSeconds is 0, so the kubelet has already confirmed the containers stopped: "
                            + "only the finalizer holds the object. ");
                }
                break;
            default:
                boolean nodesSeen = group.stream().allMatch(s -> s.node().isPresent());
                out.append(nodesSeen ? "Their nodes report Ready and no finalizer is set"
                                : "No finalizer is set, and the snapshot does not hold their nodes ("
                                + String.join(", ", nodes(group)) + "), so whether those still report cannot be seen")
                        .append(", yet they are still there: the kubelet has not confirmed they stopped, and the snapshot does "
                                + "not show why (the kubelet's and the container runtime's logs on the node would). ");
        }
        out.append(impact(status));
        return out.toString();
    }

    private static String nodeSentence(StuckPod first) {
        String node = first.detail().isEmpty() ? "" : " " + first.detail();
        switch (first.cause()) {
            case NODE_MISSING:
                return "Their node" + node + " is not among the snapshot's Nodes, so no kubelet will confirm. ";
            case NODE_NOT_READY:
                return "Their node" + node + " does not report Ready, so its kubelet cannot confirm. ";
            default:
                return "Their status says NodeLost: the node lifecycle controller lost contact with their node" + node
                        + ", whose kubelet cannot confirm. ";
        }
    }

    private static String impact(RolloutStatus status) {
        if (status.workload() instanceof StatefulSet) {
            return "A StatefulSet does not create the replacement of a pod until the old one is gone, so this holds its "
                    + "rollout; the pods also keep their volumes attached.";
        }
        if (status.state().isDone()) {
            return "kubectl already reports the rollout done, but these pods hold their nodes' resources and will not go away "
                    + "by themselves.";
        }
        return "The controller does not wait for terminating pods, so they do not hold this rollout back by themselves, but "
                + "they keep their nodes' resources and will not go away by themselves.";
    }

    static void steps(Finding.Builder f, KubeObject w, List<StuckPod> group) {
        StuckPod first = group.get(0);
        ObjectRef pod = first.pod().ref();
        List<String> names = new ArrayList<>();
        group.forEach(s -> names.add(s.pod().metadata().name()));
        String more = group.size() == 2 ? " (then for the other pod)"
                : group.size() > 2 ? " (then for the other " + (group.size() - 1) + " pods)" : "";
        if (first.nodeCause() && !first.detail().isEmpty()) {
            ObjectRef node = ObjectRef.cluster("Node", first.detail());
            f.step("Look at the node and bring it back if you can", "kubectl describe node/" + node.name());
            f.step("If the machine is gone for good, delete the Node: the pod garbage collector then deletes its pods",
                    "kubectl delete node " + node.name());
            f.step("If it is shut down and will not come back soon, mark it out of service so that its pods and volumes are "
                    + "released (Kubernetes 1.28+)", "kubectl taint nodes " + node.name()
                    + " node.kubernetes.io/out-of-service=nodeshutdown:NoExecute");
        } else if (first.cause() == StuckPod.Cause.FINALIZERS) {
            f.step("Find the controller that owns " + first.detail() + " and why it has not finished its cleanup (its logs)",
                    Kubectl.get(pod, "jsonpath='{.metadata.finalizers}'"));
            f.step("If that controller is gone or the cleanup does not matter, remove the finalizer" + more
                    + "; its cleanup is then skipped", Kubectl.patch(pod, REMOVE_FINALIZERS));
        } else {
            f.step("See what the kubelet reported about the pod" + more, Kubectl.describe(pod));
            List<String> nodes = nodes(group);
            f.step("Read the kubelet's and the container runtime's logs on " + (nodes.isEmpty() ? "the node" : String.join(", ", nodes))
                    + " (journalctl -u kubelet; journalctl -u containerd)");
        }
        String risk = w instanceof StatefulSet
                ? "; for a StatefulSet pod do it only once you know the node is down for good: otherwise two pods with the same "
                + "identity and volume may run at once and corrupt its data"
                : "; if the node comes back, their containers may still be running there for a while";
        f.step("Last resort: force-delete them. The API object goes at once whether or not the containers stopped" + risk,
                "kubectl delete pod " + String.join(" ", names) + Kubectl.ns(pod) + " --grace-period=0 --force");
    }
}

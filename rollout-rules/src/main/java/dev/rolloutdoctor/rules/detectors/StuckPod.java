package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.List;
import java.util.Optional;

/**
 * A pod past the end of its grace period and what holds it, in the order that decides: a node that cannot confirm
 * comes first (even a pod without finalizers waits for it), then a kubelet that fails to kill, then finalizers.
 *
 * @param pod    the pod
 * @param cause  what holds it
 * @param detail the node's name, or the finalizers joined; "" when there is none
 * @param node   the pod's node, when the snapshot has it
 * @param kills  the pod's FailedKillPod events, newest last
 */
record StuckPod(Pod pod, Cause cause, String detail, Optional<Node> node, List<Event> kills) {

    /** What keeps a deleted pod in the API. */
    enum Cause {
        /** Its node is not among the snapshot's Nodes, though Nodes were collected. */
        NODE_MISSING,
        /** Its node's Ready condition is False or Unknown. */
        NODE_NOT_READY,
        /** The pod's own status says {@code NodeLost}. */
        NODE_LOST,
        /** The kubelet reports FailedKillPod. */
        KILL_FAILED,
        /** Finalizers on the pod. */
        FINALIZERS,
        /** Nothing in the snapshot says: the kubelet has simply not confirmed. */
        UNCONFIRMED
    }

    static StuckPod of(Snapshot snapshot, Pod pod) {
        String nodeName = pod.spec().nodeName();
        Optional<Node> node = nodeName.isEmpty() ? Optional.empty() : snapshot.get(Node.class, "Node", "", nodeName);
        List<Event> kills = EventQuery.about(snapshot, pod, "FailedKillPod");
        String finalizers = String.join(", ", pod.metadata().finalizers());
        if (!nodeName.isEmpty() && node.isEmpty() && snapshot.collectedKinds().contains("Node")) {
            return new StuckPod(pod, Cause.NODE_MISSING, nodeName, node, kills);
        }
        if (node.isPresent() && !node.get().ready().orElse(false)) {
            return new StuckPod(pod, Cause.NODE_NOT_READY, nodeName, node, kills);
        }
        if ("NodeLost".equals(pod.status().reason())) {
            return new StuckPod(pod, Cause.NODE_LOST, nodeName, node, kills);
        }
        if (!kills.isEmpty()) {
            return new StuckPod(pod, Cause.KILL_FAILED, nodeName, node, kills);
        }
        if (!finalizers.isEmpty()) {
            return new StuckPod(pod, Cause.FINALIZERS, finalizers, node, kills);
        }
        return new StuckPod(pod, Cause.UNCONFIRMED, nodeName, node, kills);
    }

    /**
     * Pods held for the same reason make one finding: the same node, the same finalizers. Pods nothing explains make
     * one finding whatever their nodes.
     */
    String groupKey() {
        return cause == Cause.UNCONFIRMED ? cause.name() : cause.name() + "|" + detail;
    }

    boolean nodeCause() {
        return cause == Cause.NODE_MISSING || cause == Cause.NODE_NOT_READY || cause == Cause.NODE_LOST;
    }
}

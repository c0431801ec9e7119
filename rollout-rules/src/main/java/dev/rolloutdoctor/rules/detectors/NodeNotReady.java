package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Taint;
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
import dev.rolloutdoctor.rules.capacity.UnscheduledPod;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.Category;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.NodeReason;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Nodes the rollout depends on are NotReady (or have stopped reporting), under resource pressure, or cordoned: new pods
 * bound to a NotReady node cannot start or report Ready; the scheduler keeps pending pods off NotReady, pressured and
 * cordoned nodes (their {@code node.kubernetes.io/*} taints, {@code node(s) were unschedulable}); old pods on a lost
 * node stop serving. Stuck-terminating pods on a lost node are the {@code pods-stuck-terminating} rule's: mentioned
 * here, not reported twice.
 */
@Rule(id = "node-not-ready", title = "Nodes the rollout depends on are not ready", severity = Severity.ERROR,
        layer = Layer.CLUSTER,
        explains = {"insufficient-resources", "unschedulable-placement", "pods-stuck-terminating", "rolling-update-deadlock"},
        description = "Nodes holding the rollout's pods, or the nodes its pending pods need, are NotReady, no longer "
                + "reporting, under memory/disk/PID pressure, or cordoned. An error when the rollout is blocked by them, a "
                + "warning when they only take capacity away.")
public final class NodeNotReady implements Detector {

    private static final int MAX_NODES_SHOWN = 5;

    @Override
    public List<Finding> detect(DetectionContext context) {
        Snapshot snapshot = context.snapshot();
        Map<String, Node> nodes = new TreeMap<>();
        snapshot.objects(Node.class).forEach(n -> nodes.put(n.metadata().name(), n));
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            Impact impact = impact(status, nodes, snapshot);
            if (!impact.isEmpty()) {
                findings.add(new Story(status, impact, nodes, snapshot, context.capturedAt()).finding());
            }
        }
        return findings;
    }

    /** How unhealthy nodes touch one rollout. */
    private record Impact(Map<String, List<Pod>> newPodsOnLostNodes, Map<String, List<Pod>> oldPodsOnLostNodes,
                          List<UnscheduledPod> pending, Optional<UnscheduledPod> sample, List<Node> keptOff,
                          boolean blocking) {
        boolean isEmpty() {
            return newPodsOnLostNodes.isEmpty() && oldPodsOnLostNodes.isEmpty() && pending.isEmpty();
        }
    }

    private static Impact impact(RolloutStatus status, Map<String, Node> nodes, Snapshot snapshot) {
        Map<String, List<Pod>> newOnLost = onLostNodes(status.structure().newPods(), nodes, snapshot);
        Map<String, List<Pod>> oldOnLost = onLostNodes(status.structure().oldPods(), nodes, snapshot);
        boolean daemonSet = status.workload() instanceof DaemonSet;
        List<UnscheduledPod> pending = UnscheduledPod.of(snapshot, status.structure().newPods()).stream()
                .filter(p -> p.message().map(m -> m.reasons().stream().anyMatch(NodeReason::isNodeHealth)).orElse(false))
                .toList();
        Optional<UnscheduledPod> sample = pending.stream()
                .max(Comparator.comparing((UnscheduledPod p) -> p.lastAttempt().orElse(Instant.MIN))
                        .thenComparing(p -> p.pod().ref(), Comparator.reverseOrder()));
        List<Node> keptOff = sample.map(s -> keptOff(s.message().orElseThrow(), nodes)).orElse(List.of());
        if (!nodes.isEmpty() && keptOff.isEmpty()) {
            pending = List.of(); // the Nodes have recovered since the scheduler's last word
            sample = Optional.empty();
        }
        boolean blocking = !newOnLost.isEmpty() || sample.map(s -> relevant(s.message().orElseThrow(), daemonSet)
                .stream().allMatch(NodeReason::isNodeHealth)).orElse(false);
        return new Impact(newOnLost, oldOnLost, pending, sample, keptOff, blocking);
    }

    /** The reasons that say something about the nodes; a DaemonSet pod's own node pin rules the others out by design. */
    private static List<NodeReason> relevant(FailedSchedulingMessage m, boolean daemonSet) {
        return m.reasons().stream().filter(r -> !(daemonSet && r.category() == Category.NODE_AFFINITY)).toList();
    }

    /** Pods bound to a node whose Ready condition is False or Unknown, or that got NodeNotReady events when the Node is absent. */
    private static Map<String, List<Pod>> onLostNodes(List<Pod> pods, Map<String, Node> nodes, Snapshot snapshot) {
        Map<String, List<Pod>> out = new TreeMap<>();
        for (Pod p : pods) {
            String name = p.spec().nodeName();
            if (name.isEmpty() || p.isTerminal()) {
                continue;
            }
            Node node = nodes.get(name);
            boolean lost = node != null ? isLost(node)
                    : snapshot.eventsFor(p).stream().anyMatch(e -> "NodeNotReady".equals(e.reason()));
            if (lost) {
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }

    /** Ready is False, or Unknown because the kubelet stopped posting status. */
    static boolean isLost(Node node) {
        return node.condition("Ready").map(c -> !c.isTrue()).orElse(false);
    }

    /** The snapshot's nodes that fit the message's node-health reasons. */
    private static List<Node> keptOff(FailedSchedulingMessage m, Map<String, Node> nodes) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes.values()) {
            boolean matches = false;
            for (NodeReason r : m.reasons()) {
                if (r.isNodeHealth()) {
                    matches |= fits(r, n);
                }
            }
            if (matches) {
                out.add(n);
            }
        }
        return out;
    }

    private static boolean fits(NodeReason r, Node n) {
        Optional<String> taintKey = r.taint().map(FailedSchedulingMessage.UntoleratedTaint::key);
        if (taintKey.isPresent()) {
            return n.spec().taints().stream().anyMatch(t -> t.key().equals(taintKey.get()))
                    || ((taintKey.get().endsWith("/not-ready") || taintKey.get().endsWith("/unreachable")) && isLost(n));
        }
        switch (r.category()) {
            case NODE_UNSCHEDULABLE:
                return n.isCordoned();
            case NODE_PRESSURE:
                return n.hasPressure();
            case NODE_NOT_READY:
                return isLost(n);
            default:
                return false;
        }
    }

    /** Writes the finding. */
    private static final class Story {
        private final RolloutStatus status;
        private final Impact impact;
        private final Map<String, Node> nodes;
        private final Snapshot snapshot;
        private final Optional<Instant> now;

        Story(RolloutStatus status, Impact impact, Map<String, Node> nodes, Snapshot snapshot, Optional<Instant> now) {
            this.status = status;
            this.impact = impact;
            this.nodes = nodes;
            this.snapshot = snapshot;
            this.now = now;
        }

        Finding finding() {
            ObjectRef w = status.ref();
            Finding.Builder f = Finding.of(NodeNotReady.class)
                    .workload(w)
                    .severity(impact.blocking() ? Severity.ERROR : Severity.WARNING)
                    .confidence(Confidence.HIGH)
                    .title(title())
                    .explanation(explanation());
            for (String name : involved()) {
                f.culprit(Optional.ofNullable(nodes.get(name)).map(Node::ref).orElse(ObjectRef.cluster("Node", name)));
            }
            f.evidence(evidence());
            steps(f);
            return f.build();
        }

        /** Every node this finding is about, sorted. */
        private List<String> involved() {
            LinkedHashSet<String> out = new LinkedHashSet<>();
            out.addAll(impact.newPodsOnLostNodes().keySet());
            impact.keptOff().forEach(n -> out.add(n.metadata().name()));
            out.addAll(impact.oldPodsOnLostNodes().keySet());
            return out.stream().sorted().toList();
        }

        private String title() {
            ObjectRef w = status.ref();
            if (!impact.newPodsOnLostNodes().isEmpty()) {
                return holding(impact.newPodsOnLostNodes(), InsufficientResources.Texts.newPods(count(impact.newPodsOnLostNodes()), w));
            }
            if (!impact.pending().isEmpty()) {
                String pods = InsufficientResources.Texts.newPods(impact.pending().size(), w);
                String why = impact.keptOff().isEmpty() ? fromMessage() : statesPhrase(impact.keptOff());
                return impact.blocking() ? pods + " cannot be scheduled: " + why
                        : pods + (impact.pending().size() == 1 ? " is" : " are") + " pending with fewer nodes: " + why;
            }
            int old = count(impact.oldPodsOnLostNodes());
            return holding(impact.oldPodsOnLostNodes(), old + " old pod" + (old == 1 ? "" : "s") + " of " + w);
        }

        /** {@code Node node-2 is NotReady and holds 2 new pods of ...}, {@code 2 NotReady nodes (node-1, node-2) hold ...}. */
        private String holding(Map<String, List<Pod>> byNode, String pods) {
            List<String> names = List.copyOf(byNode.keySet());
            if (names.size() == 1) {
                String name = names.get(0);
                return "Node " + name + " is " + Optional.ofNullable(nodes.get(name)).map(this::readyText).orElse("NotReady")
                        + " and holds " + pods;
            }
            return names.size() + " NotReady nodes (" + String.join(", ", names) + ") hold " + pods;
        }

        /** {@code NotReady}, or {@code NotReady (kubelet stopped posting status 25m ago)} for Unknown. */
        private String readyText(Node n) {
            Optional<Condition> ready = n.condition("Ready");
            if (ready.isPresent() && !ready.get().isTrue() && !ready.get().isFalse()) {
                return "NotReady (kubelet stopped posting status" + heartbeatAge(ready.get()).map(a -> ", last heartbeat " + a + " ago")
                        .orElse("") + ")";
            }
            return "NotReady";
        }

        private Optional<String> heartbeatAge(Condition c) {
            Optional<Instant> beat = c.lastHeartbeatTime().or(c::lastTransitionTime);
            if (beat.isEmpty() || now.isEmpty() || now.get().isBefore(beat.get())) {
                return Optional.empty();
            }
            return Optional.of(Durations.format(Duration.between(beat.get(), now.get())));
        }

        /** {@code node node-2 is NotReady, node-3 is cordoned}. */
        private String statesPhrase(List<Node> kept) {
            List<String> parts = new ArrayList<>();
            for (Node n : kept.subList(0, Math.min(kept.size(), MAX_NODES_SHOWN))) {
                parts.add(n.metadata().name() + " " + String.join(" and ", states(n)));
            }
            String more = kept.size() > MAX_NODES_SHOWN ? " and " + (kept.size() - MAX_NODES_SHOWN) + " more" : "";
            return "node " + String.join(", ", parts) + more;
        }

        /** {@code is NotReady}, {@code is cordoned}, {@code has DiskPressure}. */
        private static List<String> states(Node n) {
            List<String> out = new ArrayList<>();
            if (isLost(n)) {
                out.add("is NotReady");
            }
            if (n.isCordoned()) {
                out.add("is cordoned");
            }
            for (String p : Node.PRESSURE_CONDITIONS) {
                if (n.condition(p).map(Condition::isTrue).orElse(false)) {
                    out.add("has " + p);
                }
            }
            if (out.isEmpty()) {
                n.spec().taints().stream().filter(t -> FailedSchedulingMessage.NODE_HEALTH_TAINTS.contains(t.key()))
                        .findFirst().ifPresent(t -> out.add("has taint " + t));
            }
            return out;
        }

        /** From the scheduler's words alone, when the Nodes were not collected: {@code 1 node is not ready (NodeNotReady)}. */
        private String fromMessage() {
            FailedSchedulingMessage m = impact.sample().orElseThrow().message().orElseThrow();
            List<String> parts = new ArrayList<>();
            for (NodeReason r : m.reasons()) {
                if (r.isNodeHealth()) {
                    parts.add(r.nodes() + (r.nodes() == 1 ? " node " : " nodes ") + healthVerb(r, r.nodes() == 1) + " (" + r.reason() + ")");
                }
            }
            return String.join(", ", parts);
        }

        private static String healthVerb(NodeReason r, boolean one) {
            String be = one ? "is " : "are ";
            if (r.category() == Category.NODE_UNSCHEDULABLE || r.taint().map(t -> t.key().endsWith("/unschedulable")).orElse(false)) {
                return be + "cordoned";
            }
            if (r.category() == Category.NODE_PRESSURE || r.taint().map(t -> t.key().endsWith("-pressure")).orElse(false)) {
                return be + "under resource pressure";
            }
            if (r.taint().map(t -> t.key().endsWith("/unreachable")).orElse(false)) {
                return be + "unreachable";
            }
            return be + "not ready";
        }

        private static int count(Map<String, List<Pod>> byNode) {
            return byNode.values().stream().mapToInt(List::size).sum();
        }

        // -------------------------------------------------------------- explanation

        private String explanation() {
            List<String> s = new ArrayList<>();
            for (String name : involved().subList(0, Math.min(involved().size(), MAX_NODES_SHOWN))) {
                s.add(nodeFacts(name));
            }
            if (!impact.newPodsOnLostNodes().isEmpty()) {
                s.add("New pods bound to a NotReady node cannot start or report Ready, so they never count as available and "
                        + "the rollout stalls; the node lifecycle controller evicts them only after their "
                        + "node.kubernetes.io/not-ready or unreachable toleration runs out (300s by default), and a node "
                        + "that stays unreachable keeps them Terminating.");
            }
            impact.sample().ifPresent(p -> s.add("The scheduler reports for pod " + p.pod().metadata().name() + ": "
                    + InsufficientResources.Texts.quoted(p.message().orElseThrow().message()) + (impact.blocking()
                    ? " Every node it could use is kept off by its own state (not ready, pressure, cordon), so the pods "
                    + "have nowhere to go."
                    : " These nodes are out of the running, which leaves the pods less room.")));
            if (impact.sample().isPresent() && nodes.isEmpty()) {
                s.add(snapshot.collectedKinds().contains("Node") ? "The snapshot holds no Nodes, so which nodes these are "
                        + "cannot be told." : "Nodes were not collected, so which nodes these are cannot be told.");
            }
            if (!impact.oldPodsOnLostNodes().isEmpty()) {
                s.add(count(impact.oldPodsOnLostNodes()) + " old pod(s) run on NotReady nodes and no longer serve; if they "
                        + "stay Terminating past their grace period, the pods-stuck-terminating rule covers them.");
            }
            return String.join(" ", s);
        }

        /** {@code node-2: Ready=Unknown NodeStatusUnknown "Kubelet stopped posting node status." (last heartbeat 25m ago); taints ...}. */
        private String nodeFacts(String name) {
            Node n = nodes.get(name);
            if (n == null) {
                return "Node " + name + " is not in the snapshot; its pods received NodeNotReady events.";
            }
            List<String> parts = new ArrayList<>();
            n.condition("Ready").filter(c -> !c.isTrue()).ifPresent(c -> parts.add("Ready=" + c.status() + " " + c.reason()
                    + (c.message().isEmpty() ? "" : " \"" + c.message() + "\"")
                    + heartbeatAge(c).map(a -> " (last heartbeat " + a + " ago)").orElse("")));
            for (String p : Node.PRESSURE_CONDITIONS) {
                n.condition(p).filter(Condition::isTrue).ifPresent(c -> parts.add(p + "=True" + (c.message().isEmpty() ? "" : " \"" + c.message() + "\"")));
            }
            if (n.isCordoned()) {
                parts.add("cordoned (spec.unschedulable)");
            }
            List<String> taints = n.spec().taints().stream().filter(t -> FailedSchedulingMessage.NODE_HEALTH_TAINTS.contains(t.key()))
                    .map(Taint::toString).toList();
            if (!taints.isEmpty()) {
                parts.add("taints " + String.join(", ", taints));
            }
            List<String> pods = new ArrayList<>();
            impact.newPodsOnLostNodes().getOrDefault(name, List.of()).forEach(p -> pods.add("new pod " + p.metadata().name()));
            impact.oldPodsOnLostNodes().getOrDefault(name, List.of()).forEach(p -> pods.add("old pod " + p.metadata().name()
                    + (p.isTerminating() ? " (Terminating)" : "")));
            return "Node " + name + ": " + String.join("; ", parts) + (pods.isEmpty() ? "." : "; holds " + String.join(", ", pods) + ".");
        }

        // -------------------------------------------------------------- evidence and steps

        private List<Evidence> evidence() {
            List<Evidence> out = new ArrayList<>();
            for (String name : involved().stream().limit(3).toList()) {
                Node n = nodes.get(name);
                if (n == null) {
                    continue;
                }
                n.condition("Ready").filter(c -> !c.isTrue()).ifPresent(c -> out.add(Evidence.field(n, "status.conditions[Ready]",
                        c.status() + " " + c.reason() + ": " + c.message() + c.lastHeartbeatTime().map(t -> " (lastHeartbeatTime " + t + ")").orElse(""),
                        c.lastHeartbeatTime().or(c::lastTransitionTime))));
                for (String p : Node.PRESSURE_CONDITIONS) {
                    n.condition(p).filter(Condition::isTrue).ifPresent(c -> out.add(Evidence.field(n, "status.conditions[" + p + "]",
                            c.status() + " " + c.reason() + ": " + c.message(), c.lastTransitionTime())));
                }
                if (n.isCordoned()) {
                    out.add(Evidence.field(n, "spec.unschedulable", "true"));
                }
                List<String> taints = n.spec().taints().stream().filter(t -> FailedSchedulingMessage.NODE_HEALTH_TAINTS.contains(t.key()))
                        .map(Taint::toString).toList();
                if (!taints.isEmpty()) {
                    out.add(Evidence.field(n, "spec.taints", String.join(", ", taints)));
                }
            }
            impact.sample().ifPresent(p -> out.addAll(p.evidence()));
            List<Pod> onLost = new ArrayList<>();
            impact.newPodsOnLostNodes().values().forEach(onLost::addAll);
            List<Event> notReady = EventQuery.about(snapshot, onLost, e -> "NodeNotReady".equals(e.reason()));
            EventQuery.last(notReady, 2).forEach(e -> out.add(Evidence.event(e)));
            return new LinkedHashSet<>(out).stream().limit(10).toList();
        }

        private void steps(Finding.Builder f) {
            List<String> names = involved();
            List<String> lost = names.stream().filter(n -> nodes.containsKey(n) ? isLost(nodes.get(n)) : true).toList();
            List<String> cordoned = names.stream().filter(n -> nodes.containsKey(n) && nodes.get(n).isCordoned()).toList();
            List<String> pressured = names.stream().filter(n -> nodes.containsKey(n) && nodes.get(n).hasPressure()).toList();
            String first = names.isEmpty() ? "" : names.get(0);
            f.step("See the node's conditions, taints and events", names.isEmpty() ? "kubectl get nodes" : "kubectl describe node " + first);
            if (!lost.isEmpty() || names.isEmpty()) {
                f.step("On the node, check that the machine runs and that the kubelet and container runtime are healthy "
                        + "(systemctl status kubelet; journalctl -u kubelet), and that it reaches the API server");
                String node = lost.isEmpty() ? "<node>" : lost.get(0);
                f.step("If the node is gone for good, drain it so its pods are recreated elsewhere, then delete it",
                        "kubectl drain " + node + " --ignore-daemonsets --delete-emptydir-data");
            }
            if (!pressured.isEmpty()) {
                f.step("Free disk, memory or PIDs on " + String.join(", ", pressured) + " (unused images, logs, runaway "
                        + "pods); the kubelet lifts the pressure taint once it recovers", "kubectl describe node " + pressured.get(0));
            }
            if (!cordoned.isEmpty()) {
                f.step("If the maintenance that cordoned the node is over, uncordon it", "kubectl uncordon " + String.join(" ", cordoned));
            }
            if (!impact.pending().isEmpty()) {
                f.step("Or add nodes so the pending pods have somewhere to go", "kubectl get nodes");
            }
        }
    }
}

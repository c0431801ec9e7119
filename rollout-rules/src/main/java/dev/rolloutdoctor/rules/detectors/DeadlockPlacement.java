package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.capacity.Misfit;
import dev.rolloutdoctor.rules.capacity.NodeCapacity;
import dev.rolloutdoctor.rules.capacity.NodeFit;
import dev.rolloutdoctor.rules.capacity.Placement;
import dev.rolloutdoctor.rules.capacity.PodRequests;
import dev.rolloutdoctor.rules.capacity.ResourceAmounts;
import dev.rolloutdoctor.rules.capacity.UnscheduledPod;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.Category;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.SortedMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The placement side of {@link RollingUpdateDeadlock}: a surge pod the scheduler cannot place, on nodes that the old
 * pods fill. Judged node by node with {@link NodeFit} (cordon, taints, selectors, host ports, resources) and
 * {@link DeadlockAntiAffinity}: the nodes that rule the pod out for other reasons do not count; on the rest, how many old
 * pods must go before the pod fits. When the snapshot holds no Nodes, or holds too little to reproduce the scheduler's
 * refusal (a dump of one namespace misses the pods of others), the scheduler's own reasons stand in, at lower
 * confidence.
 */
final class DeadlockPlacement {

    private static final Set<Category> OLD_POD_REASONS = EnumSet.of(Category.INSUFFICIENT_RESOURCE, Category.TOO_MANY_PODS,
            Category.HOST_PORTS, Category.POD_ANTI_AFFINITY);

    private DeadlockPlacement() {
    }

    /** What one eligible node says: why the pod does not fit now, and how many old pods must go for it to fit. */
    private record NodeVerdict(NodeCapacity node, Placement placement, List<Pod> antiAffinity, int toRemove,
                               List<Pod> removed, Optional<NodeCapacity> after) {
        boolean fitsNow() {
            return placement.fits() && antiAffinity.isEmpty();
        }
    }

    static Optional<DeadlockBlock> analyze(Snapshot snapshot, NodeFit fit, List<UnscheduledPod> pending, List<Pod> oldPods, int desired) {
        Optional<UnscheduledPod> surge = pending.stream().filter(p -> !p.gated()).findFirst();
        if (surge.isEmpty()) {
            return Optional.empty();
        }
        List<Node> nodes = snapshot.objects(Node.class);
        if (nodes.isEmpty()) {
            return fromScheduler(surge.get(), oldPods, "The snapshot holds no Nodes");
        }
        List<NodeVerdict> eligible = new ArrayList<>();
        for (NodeCapacity n : fit.nodes()) {
            verdict(n, fit.place(surge.get().pod().spec(), n), surge.get().pod(), oldPods).ifPresent(eligible::add);
        }
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        if (eligible.stream().anyMatch(NodeVerdict::fitsNow)) {
            return fromScheduler(surge.get(), oldPods, "The snapshot does not hold everything that runs on the nodes "
                    + "(by its counts the pod would fit one)");
        }
        Optional<NodeVerdict> best = eligible.stream().filter(v -> v.toRemove() > 0)
                .min(Comparator.comparingInt(NodeVerdict::toRemove).thenComparing(v -> v.node().name()));
        if (best.isEmpty()) {
            return Optional.empty();
        }
        // a strategy that removes old pods first only helps if the new template fits once the old pods are gone:
        // when it does not, the rollout cannot finish whatever the strategy, and that is a shortage, not a deadlock
        if (roomWithoutOldPods(eligible, surge.get().pod(), oldPods) < desired) {
            return Optional.empty();
        }
        return Optional.of(block(surge.get(), eligible, best.get(), fit.nodes().size()));
    }

    /**
     * How many pods like {@code surge} the eligible nodes hold once every old pod has gone: per node, the fewest that
     * each requested resource admits, and at most one where anti-affinity or a host port allows only one per node.
     */
    private static long roomWithoutOldPods(List<NodeVerdict> eligible, Pod surge, List<Pod> oldPods) {
        Set<ObjectRef> old = new TreeSet<>(oldPods.stream().map(Pod::ref).toList());
        SortedMap<String, Quantity> need = PodRequests.of(surge.spec());
        boolean onePerNode = !NodeFit.hostPorts(surge.spec()).isEmpty()
                || eligible.stream().anyMatch(v -> !v.antiAffinity().isEmpty());
        long total = 0;
        for (NodeVerdict v : eligible) {
            List<Pod> staying = v.node().pods().stream().filter(o -> !old.contains(o.ref())).toList();
            NodeCapacity after = NodeFit.of(List.of(v.node().node()), staying).nodes().get(0);
            long fits = onePerNode ? 1 : Long.MAX_VALUE;
            for (Map.Entry<String, Quantity> e : need.entrySet()) {
                long request = ResourceAmounts.units(e.getKey(), e.getValue());
                if (ResourceAmounts.isChecked(e.getKey()) && request > 0) {
                    fits = Math.min(fits, Math.max(0, ResourceAmounts.units(e.getKey(), after.free(e.getKey()))) / request);
                }
            }
            if (after.allowedPods().isPresent()) {
                fits = Math.min(fits, Math.max(0, after.allowedPods().getAsLong() - staying.size()));
            }
            total += fits == Long.MAX_VALUE ? Integer.MAX_VALUE : fits;
        }
        return total;
    }

    /** The node's verdict, or empty when something other than resources, ports or anti-affinity rules it out. */
    private static Optional<NodeVerdict> verdict(NodeCapacity n, Placement p, Pod surge, List<Pod> oldPods) {
        if (p.misfits().stream().anyMatch(m -> !(m instanceof Misfit.Shortfall) && !(m instanceof Misfit.HostPortConflict))) {
            return Optional.empty();
        }
        List<Pod> anti = n.pods().stream().filter(o -> DeadlockAntiAffinity.conflicts(surge, o)).toList();
        Set<ObjectRef> old = new TreeSet<>(oldPods.stream().map(Pod::ref).toList());
        List<Pod> oldHere = n.pods().stream().filter(o -> old.contains(o.ref()) && !o.isTerminating()).toList();
        for (int k = 1; k <= oldHere.size(); k++) {
            List<Pod> removed = oldHere.subList(0, k);
            List<Pod> remaining = n.pods().stream().filter(o -> !removed.contains(o)).toList();
            NodeFit after = NodeFit.of(List.of(n.node()), remaining);
            NodeCapacity afterNode = after.nodes().get(0);
            boolean antiClear = remaining.stream().noneMatch(o -> DeadlockAntiAffinity.conflicts(surge, o));
            if (after.place(surge.spec(), afterNode).fits() && antiClear) {
                return Optional.of(new NodeVerdict(n, p, anti, k, List.copyOf(removed), Optional.of(afterNode)));
            }
        }
        return Optional.of(new NodeVerdict(n, p, anti, 0, List.of(), Optional.empty()));
    }

    private static DeadlockBlock block(UnscheduledPod surge, List<NodeVerdict> eligible, NodeVerdict best, int allNodes) {
        Pod pod = surge.pod();
        List<String> why = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        boolean perNode = placementReasons(pod, eligible, allNodes, why, reasons);
        TreeSet<String> shortOf = new TreeSet<>();
        eligible.forEach(v -> v.placement().shortfalls().forEach(s -> shortOf.add(s.resource())));
        resourceReasons(pod, eligible, shortOf, why, reasons);
        if (why.isEmpty()) {
            why.add(String.join("; ", eligible.stream().map(DeadlockPlacement::nodeReason).toList()));
        }
        if (reasons.isEmpty()) {
            reasons.add("the surge pod fits no node");
        }
        List<Evidence> evidence = new ArrayList<>(schedulerEvidence(surge));
        shortOf.stream().filter(r -> !r.equals("pods")).findFirst().ifPresent(r -> evidence.add(Evidence.field(best.node().node(),
                "status.allocatable." + r, best.node().allocatable(r).text())));
        boolean confirmed = surge.message().map(m -> !m.reasons().isEmpty()
                && m.reasons().stream().allMatch(r -> OLD_POD_REASONS.contains(r.category()))).orElse(false);
        return new DeadlockBlock(String.join("; ", reasons), "The surge pod " + pod.metadata().name() + " cannot be scheduled: "
                + String.join("; ", why) + ".", best.toRemove(), relief(pod, best, shortOf),
                evidence, confirmed ? Confidence.HIGH : Confidence.MEDIUM, otherFixes(pod, shortOf, perNode));
    }

    /** Anti-affinity and host ports that rule out every eligible node; true when one of them does. */
    private static boolean placementReasons(Pod pod, List<NodeVerdict> eligible, int allNodes, List<String> why,
            List<String> reasons) {
        String nodes = "each of the " + eligible.size() + " nodes" + (eligible.size() == allNodes ? "" : " it may run on");
        boolean allAnti = eligible.stream().allMatch(v -> !v.antiAffinity().isEmpty());
        boolean allPorts = eligible.stream().allMatch(v -> v.placement().misfits().stream()
                .anyMatch(m -> m instanceof Misfit.HostPortConflict));
        if (allAnti) {
            why.add("its required pod anti-affinity (" + DeadlockAntiAffinity.describe(pod).orElse("per node")
                    + ") allows one such pod per node, and " + nodes + " already runs one");
            reasons.add("its anti-affinity rules out every node running an old pod");
        }
        if (allPorts) {
            String port = hostPort(pod.spec());
            why.add("it needs host port " + port + ", which a pod holds on " + nodes);
            reasons.add("host port " + port + " is held on every node");
        }
        return allAnti || allPorts;
    }

    /** The resources some eligible node lacks, with the most any of them has free. */
    private static void resourceReasons(Pod pod, List<NodeVerdict> eligible, Set<String> shortOf, List<String> why,
            List<String> reasons) {
        for (String resource : shortOf) {
            if (resource.equals("pods")) {
                why.add("every node it may run on already runs as many pods as it allows");
                continue;
            }
            NodeCapacity most = eligible.stream().map(NodeVerdict::node)
                    .max(Comparator.comparing((NodeCapacity n) -> n.free(resource))
                            .thenComparing(NodeCapacity::name, Comparator.reverseOrder()))
                    .orElseThrow();
            why.add("it requests " + ResourceAmounts.describe(resource, PodRequests.of(pod.spec(), resource))
                    + " and the most free on any node it may run on is " + ResourceAmounts.describe(resource, most.free(resource))
                    + " (" + most.freeText(resource) + ")");
        }
        if (!shortOf.isEmpty() && reasons.isEmpty()) {
            reasons.add("the surge pod fits no node (" + String.join(", ", shortOf.stream().map(r -> r.equals("pods")
                    ? "Too many pods" : "Insufficient " + r).toList()) + ")");
        }
    }

    /** {@code node-2: host port 8080/TCP is held by pod web-1}: why one node rules the pod out, for mixed cases. */
    private static String nodeReason(NodeVerdict v) {
        String reason = v.placement().first().map(Misfit::detail)
                .orElse(v.antiAffinity().isEmpty() ? "does not fit" : "anti-affinity with pod " + v.antiAffinity().get(0).metadata().name());
        return v.node().name() + ": " + reason;
    }

    private static String relief(Pod pod, NodeVerdict best, Set<String> shortOf) {
        NodeCapacity after = best.after().orElseThrow();
        List<String> frees = new ArrayList<>();
        for (String r : shortOf) {
            if (!r.equals("pods")) {
                frees.add(ResourceAmounts.describe(r, after.free(r)) + " free for the " + ResourceAmounts.describe(r,
                        PodRequests.of(pod.spec(), r)) + " it needs");
            }
        }
        String names = String.join(", ", best.removed().stream().map(p -> p.metadata().name()).toList());
        return "Removing " + AdmissionFailures.pods(best.toRemove()).replace("pod", "old pod") + " from node "
                + best.node().name() + " (" + names + ") makes room" + (frees.isEmpty() ? "" : ": it then has "
                + String.join(", ", frees)) + ".";
    }

    private static List<RemediationStep> otherFixes(Pod pod, Set<String> shortOf, boolean perNode) {
        List<RemediationStep> out = new ArrayList<>();
        if (perNode) {
            out.add(RemediationStep.of("Or add a node the pods may run on that runs no pod of the old revision"));
        }
        for (String r : shortOf) {
            if (!r.equals("pods")) {
                out.add(RemediationStep.of("Or add capacity: a node with at least " + ResourceAmounts.describe(r,
                        PodRequests.of(pod.spec(), r)) + " free for the surge pod"));
            }
        }
        return out;
    }

    private static List<Evidence> schedulerEvidence(UnscheduledPod surge) {
        List<Evidence> out = new ArrayList<>();
        surge.latestEvent().ifPresentOrElse(e -> out.add(Evidence.event(e)), () -> surge.condition().ifPresent(c ->
                out.add(Evidence.field(surge.pod(), "status.conditions[PodScheduled]", c.status() + " " + c.reason() + ": "
                        + c.message(), c.lastTransitionTime()))));
        return out;
    }

    private static String hostPort(PodSpec spec) {
        for (var c : spec.containers()) {
            for (ContainerPort p : c.ports()) {
                int port = p.effectiveHostPort(spec.hostNetwork());
                if (port > 0) {
                    return port + "/" + (p.protocol().isEmpty() ? "TCP" : p.protocol());
                }
            }
        }
        return "(a host port)";
    }

    /**
     * When the snapshot cannot reproduce the refusal: the scheduler's reasons, if every one of them is something old
     * pods can cause (resources, host ports, anti-affinity) and the old pods run on nodes.
     */
    private static Optional<DeadlockBlock> fromScheduler(UnscheduledPod surge, List<Pod> oldPods, String gap) {
        Optional<FailedSchedulingMessage> m = surge.message();
        if (m.isEmpty() || m.get().reasons().isEmpty() || oldPods.stream().noneMatch(Pod::isScheduled)
                || !m.get().reasons().stream().allMatch(r -> OLD_POD_REASONS.contains(r.category()))) {
            return Optional.empty();
        }
        boolean placement = m.get().has(Category.HOST_PORTS) || m.get().has(Category.POD_ANTI_AFFINITY);
        String reasons = String.join(", ", m.get().reasons().stream().map(Object::toString).toList());
        return Optional.of(new DeadlockBlock("the surge pod fits no node (" + reasons + ")",
                "The surge pod " + surge.pod().metadata().name() + " cannot be scheduled: " + m.get().message(),
                1, gap + ", so whether removing one old pod makes room cannot be computed; the scheduler's reasons ("
                        + reasons + ") are ones the old pods can cause.",
                schedulerEvidence(surge), placement ? Confidence.MEDIUM : Confidence.LOW, List.of()));
    }
}

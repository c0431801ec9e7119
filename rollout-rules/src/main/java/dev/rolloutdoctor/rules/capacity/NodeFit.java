package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Affinity;
import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.NodeSelectorTerm;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.Taint;
import dev.rolloutdoctor.model.Toleration;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a pod could be scheduled, judged from a snapshot the way the scheduler's filter plugins judge it: per node,
 * what it allocates, what the non-terminal pods bound to it request, what is free, and whether a given pod spec fits
 * (cordon, {@code spec.nodeName}, taints and tolerations, {@code nodeSelector} and required node affinity, host
 * ports, and resources: {@code pkg/scheduler/framework/plugins/noderesources/fit.go} {@code fitsRequest},
 * kubernetes/kubernetes @ 903b1f7e2884a152477f870ece3460be3d5025d1).
 *
 * <p>Not judged: inter-pod (anti-)affinity, topology spread and volumes, which need cluster-wide state a snapshot
 * rarely holds whole. A snapshot may also lack pods of other namespaces, so free amounts are upper bounds: "does
 * not fit" is reliable, "fits" is not.
 */
public final class NodeFit {

    /**
     * The tolerations the DefaultTolerationSeconds admission plugin adds to every pod that does not already tolerate
     * these taints; a workload's template has not been through admission yet.
     */
    private static final List<Toleration> DEFAULT_TOLERATIONS = List.of(
            new Toleration("node.kubernetes.io/not-ready", Toleration.Operator.EXISTS, "", Taint.NO_EXECUTE, OptionalLong.of(300)),
            new Toleration("node.kubernetes.io/unreachable", Toleration.Operator.EXISTS, "", Taint.NO_EXECUTE, OptionalLong.of(300)));
    private static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    private final List<NodeCapacity> nodes;

    private NodeFit(List<NodeCapacity> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Every Node of the snapshot, with every pod of the snapshot bound to it. */
    public static NodeFit of(Snapshot snapshot) {
        return of(snapshot.objects(Node.class), snapshot.objects(Pod.class));
    }

    /** The given nodes, each with the given pods that are bound to it and not Succeeded or Failed. */
    public static NodeFit of(Collection<Node> nodes, Collection<Pod> pods) {
        Map<String, List<Pod>> byNode = new TreeMap<>();
        for (Pod p : pods) {
            if (!p.spec().nodeName().isEmpty() && !p.isTerminal()) {
                byNode.computeIfAbsent(p.spec().nodeName(), k -> new ArrayList<>()).add(p);
            }
        }
        List<NodeCapacity> out = new ArrayList<>();
        for (Node n : nodes) {
            List<Pod> bound = new ArrayList<>(byNode.getOrDefault(n.metadata().name(), List.of()));
            bound.sort(Comparator.comparing(Pod::ref));
            out.add(NodeCapacity.of(n, bound));
        }
        out.sort(Comparator.comparing(NodeCapacity::name));
        return new NodeFit(out);
    }

    /** Every node, sorted by name. */
    public List<NodeCapacity> nodes() {
        return nodes;
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    public Optional<NodeCapacity> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** How the pod fits each node, sorted by node name. */
    public List<Placement> place(PodSpec pod) {
        return nodes.stream().map(n -> place(pod, n)).toList();
    }

    /** The nodes the pod fits. */
    public List<NodeCapacity> fitting(PodSpec pod) {
        return place(pod).stream().filter(Placement::fits).map(Placement::node).toList();
    }

    /** The largest allocatable amount of a resource over all nodes; empty when no node reports it. */
    public Optional<Quantity> largestAllocatable(String resource) {
        return nodes.stream().map(n -> n.allocatable().get(resource)).filter(q -> q != null).max(Comparator.naturalOrder());
    }

    /** How the pod fits one node: every misfit, in the order the scheduler's filters run. */
    public Placement place(PodSpec pod, NodeCapacity node) {
        List<Misfit> misfits = new ArrayList<>();
        List<Toleration> tolerations = withDefaultTolerations(pod.tolerations());
        if (node.node().isCordoned() && !tolerates(tolerations, new Taint(UNSCHEDULABLE_TAINT, "", Taint.NO_SCHEDULE, Optional.empty()))) {
            misfits.add(new Misfit.Cordoned());
        }
        if (!pod.nodeName().isEmpty() && !pod.nodeName().equals(node.name())) {
            misfits.add(new Misfit.NodeNameMismatch(pod.nodeName()));
        }
        for (Taint t : node.node().spec().taints()) {
            if (t.blocksScheduling() && !t.isToleratedBy(tolerations)) {
                misfits.add(new Misfit.UntoleratedTaint(t));
            }
        }
        nodeSelectorMismatch(pod, node).ifPresent(misfits::add);
        misfits.addAll(hostPortConflicts(pod, node));
        misfits.addAll(shortfalls(pod, node));
        return new Placement(node, misfits);
    }

    private static List<Toleration> withDefaultTolerations(List<Toleration> tolerations) {
        List<Toleration> out = new ArrayList<>(tolerations);
        for (Toleration d : DEFAULT_TOLERATIONS) {
            if (!tolerates(tolerations, new Taint(d.key(), "", d.effect(), Optional.empty()))) {
                out.add(d);
            }
        }
        return out;
    }

    private static boolean tolerates(List<Toleration> tolerations, Taint taint) {
        return taint.isToleratedBy(tolerations);
    }

    private static Optional<Misfit> nodeSelectorMismatch(PodSpec pod, NodeCapacity node) {
        SortedMap<String, String> labels = node.node().metadata().labels();
        List<String> unmet = new ArrayList<>();
        for (Map.Entry<String, String> e : pod.nodeSelector().entrySet()) {
            String has = labels.get(e.getKey());
            if (!e.getValue().equals(has)) {
                unmet.add(e.getKey() + "=" + e.getValue() + (has == null ? " (no " + e.getKey() + " label)" : " (has " + e.getKey() + "=" + has + ")"));
            }
        }
        List<NodeSelectorTerm> terms = pod.affinity().map(Affinity::requiredNodeTerms).orElse(List.of());
        if (!terms.isEmpty() && !NodeSelectorTerm.anyMatches(terms, labels, node.name())) {
            unmet.add("required node affinity " + describeTerms(terms));
        }
        return unmet.isEmpty() ? Optional.empty() : Optional.of(new Misfit.NodeSelectorMismatch(unmet));
    }

    /** Node selector terms in selector syntax: {@code kubernetes.io/arch notin (arm64), kubernetes.io/os in (linux)}, terms joined with {@code or}. */
    public static String describeTerms(List<NodeSelectorTerm> terms) {
        List<String> out = new ArrayList<>();
        for (NodeSelectorTerm t : terms) {
            List<String> parts = new ArrayList<>();
            t.matchExpressions().forEach(r -> parts.add(r.toString()));
            t.matchFields().forEach(r -> parts.add(r.toString()));
            out.add(parts.isEmpty() ? "(empty term)" : String.join(", ", parts));
        }
        return out.size() == 1 ? out.get(0) : "(" + String.join(") or (", out) + ")";
    }

    /** The host ports the pod binds: native sidecars and app containers ({@code GetHostPorts} in pkg/scheduler/util). */
    public static List<ContainerPort> hostPorts(PodSpec spec) {
        List<ContainerPort> out = new ArrayList<>();
        for (Container c : spec.initContainers()) {
            if (c.isSidecar()) {
                addHostPorts(out, c, spec.hostNetwork());
            }
        }
        for (Container c : spec.containers()) {
            addHostPorts(out, c, spec.hostNetwork());
        }
        return out;
    }

    private static void addHostPorts(List<ContainerPort> out, Container c, boolean hostNetwork) {
        for (ContainerPort p : c.ports()) {
            if (p.effectiveHostPort(hostNetwork) > 0) {
                out.add(p);
            }
        }
    }

    /** Conflicts as the scheduler's {@code HostPortInfo.CheckConflict} sees them: an empty or 0.0.0.0 address binds every address. */
    private static List<Misfit> hostPortConflicts(PodSpec pod, NodeCapacity node) {
        List<Misfit> out = new ArrayList<>();
        for (ContainerPort wanted : hostPorts(pod)) {
            int port = wanted.effectiveHostPort(pod.hostNetwork());
            holder(node, port, protocol(wanted), address(wanted))
                    .ifPresent(p -> out.add(new Misfit.HostPortConflict(port, protocol(wanted), address(wanted), p)));
        }
        return out;
    }

    private static Optional<Pod> holder(NodeCapacity node, int port, String protocol, String address) {
        for (Pod other : node.pods()) {
            for (ContainerPort used : hostPorts(other.spec())) {
                if (used.effectiveHostPort(other.spec().hostNetwork()) == port && protocol(used).equals(protocol)
                        && addressesOverlap(address(used), address)) {
                    return Optional.of(other);
                }
            }
        }
        return Optional.empty();
    }

    private static String protocol(ContainerPort p) {
        return p.protocol().isEmpty() ? "TCP" : p.protocol();
    }

    private static String address(ContainerPort p) {
        return p.hostIP().isEmpty() ? "0.0.0.0" : p.hostIP();
    }

    private static boolean addressesOverlap(String a, String b) {
        return a.equals("0.0.0.0") || b.equals("0.0.0.0") || a.equals(b);
    }

    /** NodeResourcesFit: the pod count, then each requested resource with a non-zero request. */
    private static List<Misfit> shortfalls(PodSpec pod, NodeCapacity node) {
        List<Misfit> out = new ArrayList<>();
        if (!node.reportsAllocatable()) {
            return out;
        }
        OptionalLong allowed = node.allowedPods();
        if (allowed.isPresent() && node.pods().size() + 1 > allowed.getAsLong()) {
            out.add(new Misfit.Shortfall("pods", Quantity.ofUnits(1), Quantity.ofUnits(node.pods().size()),
                    Quantity.ofUnits(allowed.getAsLong())));
        }
        for (Map.Entry<String, Quantity> e : PodRequests.of(pod).entrySet()) {
            String resource = e.getKey();
            long requested = ResourceAmounts.units(resource, e.getValue());
            if (!ResourceAmounts.isChecked(resource) || requested <= 0) {
                continue;
            }
            long allocatable = ResourceAmounts.units(resource, node.allocatable(resource));
            long used = ResourceAmounts.units(resource, node.requested(resource));
            if (requested > allocatable - used) {
                out.add(new Misfit.Shortfall(resource, ResourceAmounts.quantity(resource, requested),
                        ResourceAmounts.quantity(resource, used), ResourceAmounts.quantity(resource, allocatable)));
            }
        }
        return out;
    }
}

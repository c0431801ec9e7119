package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One node as the scheduler sees it: what it allocates to pods, what the non-terminal pods bound to it request, and
 * so what is free. Amounts are in the scheduler's units (see {@link ResourceAmounts}).
 *
 * @param node        the node
 * @param allocatable {@code status.allocatable}, by resource name
 * @param requested   the summed effective requests ({@link PodRequests}) of the pods bound to the node that are not
 *                    Succeeded or Failed (Terminating pods still count: the scheduler keeps them until they are gone)
 * @param pods        those pods, sorted
 */
public record NodeCapacity(Node node, SortedMap<String, Quantity> allocatable, SortedMap<String, Quantity> requested,
                           List<Pod> pods) {

    public NodeCapacity {
        Objects.requireNonNull(node, "node");
        allocatable = Collections.unmodifiableSortedMap(new TreeMap<>(allocatable));
        requested = Collections.unmodifiableSortedMap(new TreeMap<>(requested));
        pods = List.copyOf(pods);
    }

    /** Sums the requests of the pods bound to a node. */
    static NodeCapacity of(Node node, List<Pod> boundPods) {
        TreeMap<String, Long> units = new TreeMap<>();
        for (Pod p : boundPods) {
            for (var e : PodRequests.of(p.spec()).entrySet()) {
                units.merge(e.getKey(), ResourceAmounts.units(e.getKey(), e.getValue()), Long::sum);
            }
        }
        TreeMap<String, Quantity> requested = new TreeMap<>();
        units.forEach((resource, amount) -> requested.put(resource, ResourceAmounts.quantity(resource, amount)));
        return new NodeCapacity(node, node.status().allocatable(), requested, boundPods);
    }

    public String name() {
        return node.metadata().name();
    }

    /** True when the input holds the node's {@code status.allocatable}; trimmed dumps sometimes leave it out. */
    public boolean reportsAllocatable() {
        return !allocatable.isEmpty();
    }

    /** The allocatable amount of a resource, zero when the node does not offer it. */
    public Quantity allocatable(String resource) {
        return allocatable.getOrDefault(resource, Quantity.ZERO);
    }

    /** What the bound pods request of a resource, zero when none does. */
    public Quantity requested(String resource) {
        return requested.getOrDefault(resource, Quantity.ZERO);
    }

    /** Allocatable minus requested, in the scheduler's units; negative when the node is overcommitted. */
    public Quantity free(String resource) {
        long free = ResourceAmounts.units(resource, allocatable(resource)) - ResourceAmounts.units(resource, requested(resource));
        return ResourceAmounts.quantity(resource, free);
    }

    /** How many pods the node accepts ({@code status.allocatable.pods}), when it says. */
    public OptionalLong allowedPods() {
        Quantity pods = allocatable.get("pods");
        return pods == null ? OptionalLong.empty() : OptionalLong.of(pods.longValue());
    }

    /** {@code node-1: 4 allocatable - 2.5 requested = 1.5 CPU free}: the free arithmetic of one resource. */
    public String freeText(String resource) {
        return name() + ": " + ResourceAmounts.amount(resource, allocatable(resource)) + " allocatable - "
                + ResourceAmounts.amount(resource, requested(resource)) + " requested = "
                + ResourceAmounts.describe(resource, free(resource)) + " free";
    }
}

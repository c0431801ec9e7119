package dev.rolloutdoctor.rules.capacity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a pod fits one node, and if not, every reason why, in the order the scheduler's filter plugins run
 * (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit). The scheduler stops at
 * the first failing plugin, so {@link #first()} is the reason a FailedScheduling message would give for this node.
 */
public record Placement(NodeCapacity node, List<Misfit> misfits) {

    public Placement {
        Objects.requireNonNull(node, "node");
        misfits = List.copyOf(misfits);
    }

    public boolean fits() {
        return misfits.isEmpty();
    }

    /** The reason the scheduler would report for this node. */
    public Optional<Misfit> first() {
        return misfits.stream().findFirst();
    }

    /** The resources the node lacks. */
    public List<Misfit.Shortfall> shortfalls() {
        return misfits.stream().filter(m -> m instanceof Misfit.Shortfall).map(m -> (Misfit.Shortfall) m).toList();
    }

    /** True when the pod could go here but for resources: every misfit is a shortfall. */
    public boolean onlyShortOfResources() {
        return !misfits.isEmpty() && misfits.stream().allMatch(m -> m instanceof Misfit.Shortfall);
    }

    /** True when some misfit other than a shortfall rules the node out (taint, affinity, ports, cordon). */
    public boolean excluded() {
        return misfits.stream().anyMatch(m -> !(m instanceof Misfit.Shortfall));
    }
}

package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.Taint;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.Category;

import java.util.List;
import java.util.Objects;

/**
 * Why a pod does not fit one node, with the scheduler's own words for it ({@link #reason()}, as a FailedScheduling
 * message would write it) and the facts behind it ({@link #detail()}).
 */
public sealed interface Misfit
        permits Misfit.Cordoned, Misfit.NodeNameMismatch, Misfit.UntoleratedTaint, Misfit.NodeSelectorMismatch,
        Misfit.HostPortConflict, Misfit.Shortfall {

    /** The scheduler's category for this reason. */
    Category category();

    /** The reason as the scheduler writes it ({@code Insufficient cpu}, {@code node(s) were unschedulable}). */
    String reason();

    /** The facts in a short clause ({@code requests 2 CPU, 1.5 of 4 CPU free}). */
    String detail();

    /** The node is cordoned ({@code spec.unschedulable}) and the pod does not tolerate {@code node.kubernetes.io/unschedulable}. */
    record Cordoned() implements Misfit {
        public Category category() {
            return Category.NODE_UNSCHEDULABLE;
        }

        public String reason() {
            return "node(s) were unschedulable";
        }

        public String detail() {
            return "node is cordoned (spec.unschedulable: true)";
        }
    }

    /** The pod names another node in {@code spec.nodeName}. */
    record NodeNameMismatch(String requested) implements Misfit {
        public NodeNameMismatch {
            Objects.requireNonNull(requested, "requested");
        }

        public Category category() {
            return Category.NODE_NAME;
        }

        public String reason() {
            return "node(s) didn't match the requested node name";
        }

        public String detail() {
            return "the pod asks for node " + requested;
        }
    }

    /** A NoSchedule or NoExecute taint of the node that none of the pod's tolerations tolerates. */
    record UntoleratedTaint(Taint taint) implements Misfit {
        public UntoleratedTaint {
            Objects.requireNonNull(taint, "taint");
        }

        public Category category() {
            return Category.UNTOLERATED_TAINT;
        }

        public String reason() {
            return "node(s) had untolerated taint {" + taint.key() + ": " + taint.value() + "}";
        }

        public String detail() {
            return "taint " + taint + " is not tolerated";
        }
    }

    /**
     * The node's labels do not satisfy the pod's {@code nodeSelector} or required node affinity.
     *
     * @param unmet each requirement the node misses, with what the node has ({@code disktype=ssd (node has disktype=hdd)})
     */
    record NodeSelectorMismatch(List<String> unmet) implements Misfit {
        public NodeSelectorMismatch {
            unmet = List.copyOf(unmet);
        }

        public Category category() {
            return Category.NODE_AFFINITY;
        }

        public String reason() {
            return "node(s) didn't match Pod's node affinity/selector";
        }

        public String detail() {
            return "does not satisfy " + String.join(", ", unmet);
        }
    }

    /** A host port the pod wants is held by a pod already on the node. */
    record HostPortConflict(int port, String protocol, String hostIP, Pod holder) implements Misfit {
        public HostPortConflict {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(hostIP, "hostIP");
            Objects.requireNonNull(holder, "holder");
        }

        public Category category() {
            return Category.HOST_PORTS;
        }

        public String reason() {
            return "node(s) didn't have free ports for the requested pod ports";
        }

        public String detail() {
            return "host port " + port + "/" + protocol + " is held by pod " + holder.metadata().name();
        }
    }

    /**
     * The node lacks room: {@code Insufficient <resource>}, or {@code Too many pods} when {@code resource} is
     * {@code pods} (then the amounts count pods).
     *
     * @param requested   what the pod requests (1 for pods)
     * @param used        what the pods bound to the node already request
     * @param allocatable what the node allocates to pods
     */
    record Shortfall(String resource, Quantity requested, Quantity used, Quantity allocatable) implements Misfit {
        public Shortfall {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(requested, "requested");
            Objects.requireNonNull(used, "used");
            Objects.requireNonNull(allocatable, "allocatable");
        }

        public Category category() {
            return resource.equals("pods") ? Category.TOO_MANY_PODS : Category.INSUFFICIENT_RESOURCE;
        }

        public String reason() {
            return resource.equals("pods") ? "Too many pods" : "Insufficient " + resource;
        }

        /** Allocatable minus used; negative when the node is overcommitted. */
        public Quantity free() {
            return allocatable.subtract(used);
        }

        public String detail() {
            if (resource.equals("pods")) {
                return "runs " + used.canonical() + " of " + allocatable.canonical() + " allowed pods";
            }
            return "requests " + ResourceAmounts.describe(resource, requested) + ", "
                    + ResourceAmounts.amount(resource, free()) + " of " + ResourceAmounts.describe(resource, allocatable)
                    + " free";
        }
    }
}

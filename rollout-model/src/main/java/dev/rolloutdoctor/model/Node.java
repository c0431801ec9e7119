package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/** A core/v1 Node: whether pods can be scheduled onto it, what it offers, and how its kubelet reports its health. */
public record Node(String apiVersion, ObjectMeta metadata, Spec spec, Status status, Source source) implements KubeObject {

    /** The node conditions that report resource pressure; the kubelet evicts pods and the scheduler avoids the node. */
    public static final List<String> PRESSURE_CONDITIONS = List.of("MemoryPressure", "DiskPressure", "PIDPressure");

    public Node {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "Node";
    }

    /**
     * {@code spec}.
     *
     * @param unschedulable true when the node is cordoned ({@code kubectl cordon})
     * @param providerID    the cloud provider's id of the machine, "" when absent
     * @param podCIDR       the pod IP range assigned to the node, "" when absent
     */
    public record Spec(boolean unschedulable, List<Taint> taints, String providerID, String podCIDR) {

        public Spec {
            taints = List.copyOf(taints);
            Objects.requireNonNull(providerID, "providerID");
            Objects.requireNonNull(podCIDR, "podCIDR");
        }
    }

    /**
     * {@code status}.
     *
     * @param capacity    the node's total resources, sorted by resource name
     * @param allocatable what is left for pods after system reservations, sorted by resource name
     * @param addresses   addresses in the order written; redacted ones ({@code ***HIDDEN***}) are left out
     */
    public record Status(
            SortedMap<String, Quantity> capacity,
            SortedMap<String, Quantity> allocatable,
            List<Condition> conditions,
            NodeInfo nodeInfo,
            List<Address> addresses) {

        public Status {
            capacity = Collections2.sortedCopy(capacity);
            allocatable = Collections2.sortedCopy(allocatable);
            conditions = List.copyOf(conditions);
            Objects.requireNonNull(nodeInfo, "nodeInfo");
            addresses = List.copyOf(addresses);
        }
    }

    /** {@code status.nodeInfo}: versions of the node's software; "" for each field left out. */
    public record NodeInfo(
            String kubeletVersion,
            String containerRuntimeVersion,
            String osImage,
            String kernelVersion,
            String architecture,
            String operatingSystem) {

        public static final NodeInfo EMPTY = new NodeInfo("", "", "", "", "", "");

        public NodeInfo {
            Objects.requireNonNull(kubeletVersion, "kubeletVersion");
            Objects.requireNonNull(containerRuntimeVersion, "containerRuntimeVersion");
            Objects.requireNonNull(osImage, "osImage");
            Objects.requireNonNull(kernelVersion, "kernelVersion");
            Objects.requireNonNull(architecture, "architecture");
            Objects.requireNonNull(operatingSystem, "operatingSystem");
        }
    }

    /** An entry of {@code status.addresses}: {@code type} is {@code InternalIP}, {@code ExternalIP}, {@code Hostname}, ... */
    public record Address(String type, String address) {

        public Address {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(address, "address");
        }
    }

    /** The node condition of the given type ({@code Ready}, {@code MemoryPressure}, ...), if the kubelet reported it. */
    public Optional<Condition> condition(String type) {
        return Condition.find(status.conditions(), type);
    }

    /**
     * Whether the kubelet reports the node Ready: true or false from the {@code Ready} condition, empty when that
     * condition is absent or {@code Unknown} (the node lifecycle controller sets Unknown when the kubelet stops posting).
     */
    public Optional<Boolean> ready() {
        Optional<Condition> ready = condition("Ready");
        if (ready.isPresent() && ready.get().isTrue()) {
            return Optional.of(true);
        }
        if (ready.isPresent() && ready.get().isFalse()) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    /** True when the node is cordoned ({@code spec.unschedulable}); kubectl shows it as {@code SchedulingDisabled}. */
    public boolean isCordoned() {
        return spec.unschedulable();
    }

    /** True when any of MemoryPressure, DiskPressure or PIDPressure is True. */
    public boolean hasPressure() {
        for (String type : PRESSURE_CONDITIONS) {
            if (condition(type).map(Condition::isTrue).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** The first address of the given type ({@code InternalIP}, {@code Hostname}). */
    public Optional<String> address(String type) {
        return status.addresses().stream().filter(a -> a.type().equals(type)).map(Address::address).findFirst();
    }
}

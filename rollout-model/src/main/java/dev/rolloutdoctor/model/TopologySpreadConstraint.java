package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a pod asks to be spread over topology domains ({@code spec.topologySpreadConstraints[]}).
 *
 * @param maxSkew            the largest allowed difference in matching pods between two domains
 * @param topologyKey        the node label that defines the domains ({@code topology.kubernetes.io/zone})
 * @param whenUnsatisfiable  {@code DoNotSchedule} (a hard rule) or {@code ScheduleAnyway} (a preference)
 * @param labelSelector      which pods are counted; empty counts none
 * @param minDomains         the number of domains counted at least (only with DoNotSchedule)
 * @param matchLabelKeys     label keys whose values on the incoming pod are added to the selector ({@code pod-template-hash})
 * @param nodeAffinityPolicy {@code Honor} or {@code Ignore}; "" when absent, which Kubernetes treats as Honor
 * @param nodeTaintsPolicy   {@code Honor} or {@code Ignore}; "" when absent, which Kubernetes treats as Ignore
 */
public record TopologySpreadConstraint(
        int maxSkew,
        String topologyKey,
        String whenUnsatisfiable,
        Optional<LabelSelector> labelSelector,
        OptionalInt minDomains,
        List<String> matchLabelKeys,
        String nodeAffinityPolicy,
        String nodeTaintsPolicy) {

    public static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    public static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    public TopologySpreadConstraint {
        Objects.requireNonNull(topologyKey, "topologyKey");
        Objects.requireNonNull(whenUnsatisfiable, "whenUnsatisfiable");
        Objects.requireNonNull(labelSelector, "labelSelector");
        Objects.requireNonNull(minDomains, "minDomains");
        matchLabelKeys = List.copyOf(matchLabelKeys);
        Objects.requireNonNull(nodeAffinityPolicy, "nodeAffinityPolicy");
        Objects.requireNonNull(nodeTaintsPolicy, "nodeTaintsPolicy");
    }

    /** True for a hard constraint, one that can keep a pod Pending. */
    public boolean isHard() {
        return DO_NOT_SCHEDULE.equals(whenUnsatisfiable);
    }
}

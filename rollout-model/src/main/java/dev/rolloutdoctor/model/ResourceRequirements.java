package dev.rolloutdoctor.model;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A container's (or pod's) resource {@code requests} and {@code limits}, by resource name ({@code cpu},
 * {@code memory}, {@code ephemeral-storage}, {@code nvidia.com/gpu}, ...).
 *
 * @param requests as written; see {@link #effectiveRequests()} for what the scheduler counts
 * @param limits   as written
 */
public record ResourceRequirements(SortedMap<String, Quantity> requests, SortedMap<String, Quantity> limits) {

    /** No requests and no limits. */
    public static final ResourceRequirements EMPTY =
            new ResourceRequirements(Collections.emptySortedMap(), Collections.emptySortedMap());

    public ResourceRequirements {
        requests = Collections2.sortedCopy(requests);
        limits = Collections2.sortedCopy(limits);
    }

    /**
     * The requests the scheduler and quota count. When a Pod is created the API server copies each limit that has
     * no request into the requests ({@code SetDefaults_Pod}); a workload's template has not been through that yet.
     */
    public SortedMap<String, Quantity> effectiveRequests() {
        if (limits.isEmpty() || requests.keySet().containsAll(limits.keySet())) {
            return requests;
        }
        TreeMap<String, Quantity> out = new TreeMap<>(limits);
        out.putAll(requests);
        return Collections.unmodifiableSortedMap(out);
    }

    public boolean isEmpty() {
        return requests.isEmpty() && limits.isEmpty();
    }
}

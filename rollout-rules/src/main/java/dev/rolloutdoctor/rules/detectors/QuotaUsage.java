package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.LimitRange;
import dev.rolloutdoctor.model.LimitRangeItem;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.rules.capacity.PodRequests;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a pod counts against a ResourceQuota, resource by resource, as the quota's pod evaluator counts it
 * ({@code PodUsageFunc} and {@code podComputeUsageHelper} in {@code pkg/quota/v1/evaluator/core/pods.go}): {@code pods}
 * and {@code count/pods} count 1, {@code cpu}/{@code requests.cpu} the pod's effective requests, {@code limits.cpu}
 * its limits, and so on for memory, ephemeral storage, hugepages and {@code requests.<extended resource>}.
 */
final class QuotaUsage {

    private QuotaUsage() {
    }

    /**
     * Which container field a quota resource counts: {@code requests}/{@code limits} and the resource name
     * ({@code limits.cpu} is the limits' {@code cpu}); empty for object counts.
     */
    record ContainerField(String side, String resource) {

        /** {@code --requests=cpu=500m}: the {@code kubectl set resources} flag. */
        String flag(String value) {
            return "--" + side + "=" + resource + "=" + value;
        }
    }

    static Optional<ContainerField> field(String quotaResource) {
        if (quotaResource.equals("pods") || quotaResource.startsWith("count/")) {
            return Optional.empty();
        }
        if (quotaResource.startsWith("requests.")) {
            return Optional.of(new ContainerField("requests", quotaResource.substring("requests.".length())));
        }
        if (quotaResource.startsWith("limits.")) {
            return Optional.of(new ContainerField("limits", quotaResource.substring("limits.".length())));
        }
        if (quotaResource.equals("cpu") || quotaResource.equals("memory") || quotaResource.equals("ephemeral-storage")
                || quotaResource.startsWith("hugepages-")) {
            return Optional.of(new ContainerField("requests", quotaResource));
        }
        return Optional.empty();
    }

    /** What one pod of this spec counts against a quota resource; empty for resources this cannot tell. */
    static Optional<Quantity> perPod(PodSpec spec, String quotaResource) {
        if (quotaResource.equals("pods") || quotaResource.equals("count/pods")) {
            return Optional.of(Quantity.ofUnits(1));
        }
        Optional<ContainerField> f = field(quotaResource);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        if (f.get().side().equals("requests")) {
            return Optional.of(PodRequests.of(spec, f.get().resource()));
        }
        return Optional.of(limits(spec).getOrDefault(f.get().resource(), Quantity.ZERO));
    }

    /** Whether a container sets what the quota resource counts (a limit, or a request, a limit standing in for it). */
    static boolean sets(Container c, String quotaResource) {
        Optional<ContainerField> f = field(quotaResource);
        if (f.isEmpty()) {
            return true;
        }
        SortedMap<String, Quantity> side = f.get().side().equals("limits") ? c.resources().limits()
                : c.resources().effectiveRequests();
        return side.containsKey(f.get().resource());
    }

    /**
     * Whether a LimitRange of the namespace gives containers a default for what the quota resource counts, after the
     * API server's defaulting of LimitRange items ({@code SetDefaults_LimitRangeItem}: an absent default limit is the
     * max, an absent default request is the default limit, else the min).
     */
    static Optional<LimitRange> defaultFrom(Iterable<LimitRange> ranges, String quotaResource) {
        Optional<ContainerField> f = field(quotaResource);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        String resource = f.get().resource();
        for (LimitRange lr : ranges) {
            for (LimitRangeItem item : lr.itemsOfType("Container")) {
                boolean limit = item.defaultLimits().containsKey(resource) || item.max().containsKey(resource);
                boolean request = limit || item.defaultRequest().containsKey(resource) || item.min().containsKey(resource);
                if (f.get().side().equals("limits") ? limit : request) {
                    return Optional.of(lr);
                }
            }
        }
        return Optional.empty();
    }

    /** The pod's limits: app containers and sidecars summed, or the largest init container's if larger; plus overhead. */
    private static SortedMap<String, Quantity> limits(PodSpec spec) {
        TreeMap<String, Quantity> sum = new TreeMap<>();
        for (Container c : spec.containers()) {
            add(sum, c.resources().limits());
        }
        for (Container c : spec.initContainers()) {
            if (c.isSidecar()) {
                add(sum, c.resources().limits());
            }
        }
        for (Container c : spec.initContainers()) {
            if (!c.isSidecar()) {
                for (Map.Entry<String, Quantity> e : c.resources().limits().entrySet()) {
                    sum.merge(e.getKey(), e.getValue(), (a, b) -> b.compareTo(a) > 0 ? b : a);
                }
            }
        }
        if (!spec.overhead().isEmpty()) {
            add(sum, spec.overhead());
        }
        return sum;
    }

    private static void add(Map<String, Quantity> into, Map<String, Quantity> amounts) {
        for (Map.Entry<String, Quantity> e : amounts.entrySet()) {
            into.merge(e.getKey(), e.getValue(), Quantity::add);
        }
    }
}

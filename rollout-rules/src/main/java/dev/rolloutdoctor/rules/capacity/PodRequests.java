package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.Quantity;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A pod's effective resource requests, the amounts the scheduler, quota and kubelet admission count, computed as
 * Kubernetes computes them ({@code PodRequests} and {@code AggregateContainerRequests} in
 * {@code staging/src/k8s.io/component-helpers/resource/helpers.go}, kubernetes/kubernetes @ 0085214e563468088672cf8c50849884198a18cc):
 * <ol>
 *   <li>the app containers' requests are summed, and so are those of native sidecars (init containers with
 *       {@code restartPolicy: Always}), which run beside them;</li>
 *   <li>each other init container needs its own requests plus those of the sidecars declared before it (they are
 *       already running); the largest of these, per resource, is the init requirement;</li>
 *   <li>per resource, the larger of the two;</li>
 *   <li>pod-level requests ({@code spec.resources}, for cpu, memory and {@code hugepages-*}) replace the
 *       container aggregate for those resources;</li>
 *   <li>the RuntimeClass overhead ({@code spec.overhead}) is added.</li>
 * </ol>
 * A container's requests are its {@link dev.rolloutdoctor.model.ResourceRequirements#effectiveRequests() effective
 * requests}: a limit without a request counts as the request, as API defaulting makes it on a created pod.
 */
public final class PodRequests {

    private PodRequests() {
    }

    /** The effective requests of a pod or pod template, by resource name. */
    public static SortedMap<String, Quantity> of(PodSpec spec) {
        TreeMap<String, Quantity> result = new TreeMap<>();
        for (Container c : spec.containers()) {
            add(result, c.resources().effectiveRequests());
        }
        TreeMap<String, Quantity> sidecars = new TreeMap<>();
        TreeMap<String, Quantity> init = new TreeMap<>();
        for (Container c : spec.initContainers()) {
            SortedMap<String, Quantity> own = c.resources().effectiveRequests();
            TreeMap<String, Quantity> use;
            if (c.isSidecar()) {
                add(result, own);
                add(sidecars, own);
                use = new TreeMap<>(sidecars);
            } else {
                use = new TreeMap<>(own);
                add(use, sidecars);
            }
            max(init, use);
        }
        max(result, init);
        for (Map.Entry<String, Quantity> e : spec.resources().effectiveRequests().entrySet()) {
            if (isPodLevelResource(e.getKey())) {
                result.put(e.getKey(), e.getValue());
            }
        }
        add(result, spec.overhead());
        return Collections.unmodifiableSortedMap(result);
    }

    /** The effective request of one resource, zero when the pod does not request it. */
    public static Quantity of(PodSpec spec, String resource) {
        return of(spec).getOrDefault(resource, Quantity.ZERO);
    }

    /** The resources pod-level {@code spec.resources} may set ({@code IsSupportedPodLevelResource}). */
    static boolean isPodLevelResource(String resource) {
        return resource.equals("cpu") || resource.equals("memory") || resource.startsWith("hugepages-");
    }

    private static void add(Map<String, Quantity> into, Map<String, Quantity> amounts) {
        for (Map.Entry<String, Quantity> e : amounts.entrySet()) {
            into.merge(e.getKey(), e.getValue(), Quantity::add);
        }
    }

    private static void max(Map<String, Quantity> into, Map<String, Quantity> amounts) {
        for (Map.Entry<String, Quantity> e : amounts.entrySet()) {
            into.merge(e.getKey(), e.getValue(), (a, b) -> b.compareTo(a) > 0 ? b : a);
        }
    }
}

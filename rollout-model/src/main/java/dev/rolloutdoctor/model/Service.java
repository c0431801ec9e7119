package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * A core/v1 Service: the pods it sends traffic to (by label) and the ports it exposes.
 *
 * @param type                     {@code ClusterIP} (the default when absent), {@code NodePort}, {@code LoadBalancer}
 *                                 or {@code ExternalName}
 * @param selector                 the labels of the pods behind the service, sorted; empty means endpoints are
 *                                 managed by hand
 * @param clusterIP                as written; {@code None} for a headless service, "" when absent
 * @param publishNotReadyAddresses true when pods count as endpoints before they are Ready
 */
public record Service(
        String apiVersion,
        ObjectMeta metadata,
        String type,
        SortedMap<String, String> selector,
        List<Port> ports,
        String clusterIP,
        boolean publishNotReadyAddresses,
        Source source) implements KubeObject {

    public Service {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(type, "type");
        selector = Collections2.sortedCopy(selector);
        ports = List.copyOf(ports);
        Objects.requireNonNull(clusterIP, "clusterIP");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "Service";
    }

    /**
     * An entry of {@code spec.ports}.
     *
     * @param name       "" when absent (allowed only for a single port)
     * @param protocol   {@code TCP} when absent
     * @param targetPort the container port (number or name); the API server defaults it to {@code port}
     * @param nodePort   the node port of a NodePort or LoadBalancer service, empty when absent
     */
    public record Port(String name, String protocol, int port, IntOrString targetPort, OptionalInt nodePort) {

        public Port {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(targetPort, "targetPort");
            Objects.requireNonNull(nodePort, "nodePort");
        }
    }

    /** True when the service has no cluster IP ({@code clusterIP: None}): DNS returns the pod addresses. */
    public boolean isHeadless() {
        return "None".equals(clusterIP);
    }

    /** True when the service picks its pods by label (a non-empty selector). */
    public boolean hasSelector() {
        return !selector.isEmpty();
    }

    /** True when the service sends traffic to a pod with these labels. */
    public boolean selects(Map<String, String> podLabels) {
        return hasSelector() && LabelSelector.ofLabels(selector).matches(podLabels);
    }
}

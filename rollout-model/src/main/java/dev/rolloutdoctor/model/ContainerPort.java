package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * A port a container declares ({@code spec.containers[].ports[]}).
 *
 * @param name          the port's name ("" when unnamed), which probes and Services may refer to
 * @param containerPort the port number inside the container
 * @param hostPort      the node port it is bound to, 0 for none. As written: on a Pod the API server has already
 *                      copied {@code containerPort} here when the pod uses the host network; in a workload template it
 *                      has not, see {@link #effectiveHostPort(boolean)}
 * @param protocol      {@code TCP}, {@code UDP} or {@code SCTP}; {@code TCP} when absent, as the API server fills it
 * @param hostIP        the host address to bind ("" for all)
 */
public record ContainerPort(String name, int containerPort, int hostPort, String protocol, String hostIP) {

    public ContainerPort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(hostIP, "hostIP");
    }

    /** The host port in use: with {@code hostNetwork} Kubernetes' defaulting sets an absent host port to the container port. */
    public int effectiveHostPort(boolean hostNetwork) {
        return hostPort == 0 && hostNetwork ? containerPort : hostPort;
    }
}

package dev.rolloutdoctor.model;

import java.util.List;

/**
 * One ingress ({@code from} + {@code ports}) or egress ({@code to} + {@code ports}) rule of a NetworkPolicy: traffic
 * is allowed when it matches one of the peers and one of the ports.
 *
 * @param peers the {@code from} or {@code to} list; empty allows every source or destination
 * @param ports empty allows every port
 */
public record NetworkPolicyRule(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {

    public NetworkPolicyRule {
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }

    /** True when the rule does not restrict the peer: no {@code from}/{@code to}. */
    public boolean allowsAllPeers() {
        return peers.isEmpty();
    }

    /** True when the rule does not restrict the port: no {@code ports}. */
    public boolean allowsAllPorts() {
        return ports.isEmpty();
    }
}

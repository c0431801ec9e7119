package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A port of a NetworkPolicy rule.
 *
 * @param protocol {@code TCP} (the default when absent), {@code UDP} or {@code SCTP}
 * @param port     a number or a named container port; empty matches every port of the protocol
 * @param endPort  with a numeric port, the last port of the range {@code port..endPort}
 */
public record NetworkPolicyPort(String protocol, Optional<IntOrString> port, OptionalInt endPort) {

    public NetworkPolicyPort {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(endPort, "endPort");
    }

    /**
     * True when this entry matches traffic to the given numeric port and protocol. A named port matches a number
     * only through the pod's container ports, so it is compared by {@code portName} (the name of that container port,
     * "" when unnamed).
     */
    public boolean matches(String trafficProtocol, int portNumber, String portName) {
        if (!protocol.equals(trafficProtocol)) {
            return false;
        }
        if (port.isEmpty()) {
            return true;
        }
        IntOrString p = port.get();
        if (!p.isInt()) {
            return !portName.isEmpty() && p.stringValue().equals(portName);
        }
        int first = p.intValue();
        int last = endPort.orElse(first);
        return portNumber >= first && portNumber <= last;
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Objects;

/** What a probe does to check a container: an HTTP GET, a TCP connect, a command, or a gRPC health check. */
public sealed interface ProbeHandler permits ProbeHandler.HttpGet, ProbeHandler.TcpSocket, ProbeHandler.Exec,
        ProbeHandler.Grpc {

    /**
     * An HTTP GET; success is a status from 200 to 399. Header values are not kept (they may carry credentials).
     *
     * @param path        the request path; {@code /} when absent, as the API server fills it
     * @param port        the port number or the name of a container port
     * @param host        the host to connect to; "" means the pod IP
     * @param scheme      {@code HTTP} or {@code HTTPS}; {@code HTTP} when absent, as the API server fills it
     * @param headerNames names of the extra request headers, in order written
     */
    record HttpGet(String path, IntOrString port, String host, String scheme, List<String> headerNames)
            implements ProbeHandler, LifecycleHandler {
        public HttpGet {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(scheme, "scheme");
            headerNames = List.copyOf(headerNames);
        }
    }

    /** A TCP connect to the port (number or container port name); host "" means the pod IP. */
    record TcpSocket(IntOrString port, String host) implements ProbeHandler, LifecycleHandler {
        public TcpSocket {
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(host, "host");
        }
    }

    /** A command run in the container (not in a shell); exit status 0 is success. */
    record Exec(List<String> command) implements ProbeHandler, LifecycleHandler {
        public Exec {
            command = List.copyOf(command);
        }
    }

    /** A call of the gRPC health checking protocol; service "" asks about the server as a whole. */
    record Grpc(int port, String service) implements ProbeHandler {
        public Grpc {
            Objects.requireNonNull(service, "service");
        }
    }
}

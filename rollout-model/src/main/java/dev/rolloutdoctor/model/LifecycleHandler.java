package dev.rolloutdoctor.model;

/**
 * What a container's {@code preStop} or {@code postStart} hook does: run a command, send an HTTP GET, open a TCP
 * connection (accepted for compatibility; kubelet does not run it), or sleep.
 */
public sealed interface LifecycleHandler permits ProbeHandler.HttpGet, ProbeHandler.TcpSocket, ProbeHandler.Exec,
        LifecycleHandler.Sleep {

    /** Sleep for a number of seconds before the container is stopped; delays termination within the grace period. */
    record Sleep(long seconds) implements LifecycleHandler {
    }
}

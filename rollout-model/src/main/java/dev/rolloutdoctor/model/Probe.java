package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A readiness, liveness or startup probe. Timings hold the values in effect: where the input leaves one out (or
 * writes 0), the decoder fills Kubernetes' default ({@code SetDefaults_Probe} in {@code pkg/apis/core/v1/defaults.go}).
 *
 * @param initialDelaySeconds seconds after the container starts before the first probe; default 0
 * @param timeoutSeconds      seconds a probe may take; default 1
 * @param periodSeconds       seconds between probes; default 10
 * @param successThreshold    consecutive successes after a failure to count as passing; default 1
 * @param failureThreshold    consecutive failures to count as failing; default 3
 * @param terminationGracePeriodSeconds the probe-level grace period for a liveness/startup kill, when set
 */
public record Probe(
        ProbeHandler handler,
        int initialDelaySeconds,
        int timeoutSeconds,
        int periodSeconds,
        int successThreshold,
        int failureThreshold,
        OptionalLong terminationGracePeriodSeconds) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    public Probe {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(terminationGracePeriodSeconds, "terminationGracePeriodSeconds");
    }

    /** A probe with Kubernetes' default timings. */
    public static Probe of(ProbeHandler handler) {
        return new Probe(handler, 0, DEFAULT_TIMEOUT_SECONDS, DEFAULT_PERIOD_SECONDS, DEFAULT_SUCCESS_THRESHOLD,
                DEFAULT_FAILURE_THRESHOLD, OptionalLong.empty());
    }
}

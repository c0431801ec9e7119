package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment's {@code maxSurge} and {@code maxUnavailable} resolved to pod counts, exactly as the deployment
 * controller resolves them ({@code ResolveFenceposts} in {@code pkg/controller/deployment/util/deployment_util.go}).
 *
 * <p>A percentage is taken of the desired replicas; surge rounds <em>up</em> and unavailable rounds <em>down</em>.
 * If both resolve to 0, maxUnavailable is forced to 1 "on the theory that surge might not work due to quota"; API
 * validation forbids a literal 0 for both, but {@code 1%}/{@code 0%} on 10 replicas gets there by rounding.
 *
 * @param maxSurge               pods that may exist above the desired count during the rollout
 * @param maxUnavailable         pods that may be unavailable during the rollout (before {@link #clampedMaxUnavailable})
 * @param unavailableForcedToOne whether both resolved to 0 and maxUnavailable was forced to 1
 */
public record RollingUpdateFenceposts(int maxSurge, int maxUnavailable, boolean unavailableForcedToOne) {

    /** The API default for both {@code maxSurge} and {@code maxUnavailable}. */
    public static final IntOrPercent API_DEFAULT = IntOrPercent.ofPercent(25);

    public RollingUpdateFenceposts {
        if (unavailableForcedToOne && (maxSurge != 0 || maxUnavailable != 1)) {
            throw new IllegalArgumentException("maxUnavailable is only forced to 1 when maxSurge is 0, not for "
                    + maxSurge + "/" + maxUnavailable);
        }
    }

    /**
     * Resolves the fields of a Deployment as stored, where an absent field means the API default, 25%.
     *
     * <p>The API server fills in both whenever it decodes a RollingUpdate Deployment ({@code SetDefaults_Deployment}
     * in {@code pkg/apis/apps/v1/defaults.go}), so a dump of a real object has both; absence means a hand-written
     * manifest or a trimmed dump, and 25% is what the object would have had. (Go's {@code ResolveFenceposts} itself reads a nil pointer as 0: see
     * {@link #resolveTreatingAbsentAsZero}.)
     */
    public static RollingUpdateFenceposts resolve(Optional<IntOrPercent> maxSurge,
            Optional<IntOrPercent> maxUnavailable, int desiredReplicas) {
        return resolve(maxSurge.orElse(API_DEFAULT), maxUnavailable.orElse(API_DEFAULT), desiredReplicas);
    }

    /** Go's {@code ResolveFenceposts} to the letter, where a nil value is {@code intstr.FromInt(0)}. */
    public static RollingUpdateFenceposts resolveTreatingAbsentAsZero(Optional<IntOrPercent> maxSurge,
            Optional<IntOrPercent> maxUnavailable, int desiredReplicas) {
        IntOrPercent zero = IntOrPercent.ofInt(0);
        return resolve(maxSurge.orElse(zero), maxUnavailable.orElse(zero), desiredReplicas);
    }

    /**
     * Resolves two present values against the desired replica count ({@code spec.replicas}).
     *
     * @throws IllegalArgumentException if {@code desiredReplicas} is negative
     * @throws ArithmeticException      if a percentage resolves beyond an {@code int}
     */
    public static RollingUpdateFenceposts resolve(IntOrPercent maxSurge, IntOrPercent maxUnavailable,
            int desiredReplicas) {
        Objects.requireNonNull(maxSurge, "maxSurge");
        Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        if (desiredReplicas < 0) {
            throw new IllegalArgumentException("desiredReplicas must not be negative: " + desiredReplicas);
        }
        int surge = maxSurge.scaledValue(desiredReplicas, true);
        int unavailable = maxUnavailable.scaledValue(desiredReplicas, false);
        if (surge == 0 && unavailable == 0) {
            return new RollingUpdateFenceposts(0, 1, true);
        }
        return new RollingUpdateFenceposts(surge, unavailable, false);
    }

    /**
     * Go's {@code MaxUnavailable(deployment)} for a RollingUpdate Deployment: the fields resolved against
     * {@code replicas} (absent meaning 25%, as in {@link #resolve(Optional, Optional, int)}), then clamped by
     * {@link #clampedMaxUnavailable}. A Recreate Deployment has no such budget: the caller returns 0 for it.
     */
    public static int maxUnavailable(Optional<IntOrPercent> maxSurge, Optional<IntOrPercent> maxUnavailable,
            int replicas) {
        return resolve(maxSurge, maxUnavailable, replicas).clampedMaxUnavailable(replicas);
    }

    /**
     * The unavailability budget as the controller uses it when scaling down ({@code MaxUnavailable} in
     * {@code deployment_util.go}): 0 for 0 replicas, otherwise maxUnavailable capped at {@code replicas}. Pass the
     * same {@code spec.replicas} these fenceposts were resolved against.
     */
    public int clampedMaxUnavailable(int replicas) {
        if (replicas == 0) {
            return 0;
        }
        return Math.min(maxUnavailable, replicas);
    }
}

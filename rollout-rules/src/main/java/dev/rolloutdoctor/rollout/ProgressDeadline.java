package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Deployment;

import java.util.OptionalInt;

/** A Deployment's progress deadline as the controller reads it ({@code HasProgressDeadline}). */
final class ProgressDeadline {

    /** The API default of {@code progressDeadlineSeconds}. */
    static final int DEFAULT_SECONDS = 600;

    private ProgressDeadline() {
    }

    /**
     * The deadline in seconds, or empty when the Deployment has none: {@code math.MaxInt32} switches it off. An
     * absent field reads as the API default, which every stored Deployment carries.
     */
    static OptionalInt seconds(Deployment deployment) {
        int seconds = deployment.spec().progressDeadlineSeconds().orElse(DEFAULT_SECONDS);
        return seconds == Integer.MAX_VALUE || seconds <= 0 ? OptionalInt.empty() : OptionalInt.of(seconds);
    }
}

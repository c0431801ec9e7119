package dev.rolloutdoctor.rollout;

import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code kubectl rollout status} viewer returns for an object: the message it prints, whether the rollout
 * counts as done, and the error it fails with.
 *
 * @param message exactly as kubectl's viewer returns it, ending in {@code "\n"}; "" when there is an error
 * @param done    the viewer's {@code done}; note that kubectl returns {@code true} together with the OnDelete error
 * @param error   the error text as kubectl prints it after {@code error: }, if the viewer failed
 */
public record KubectlVerdict(String message, boolean done, Optional<String> error) {

    public KubectlVerdict {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(error, "error");
        if (error.isPresent() && !message.isEmpty()) {
            throw new IllegalArgumentException("kubectl prints no message when it fails: " + message);
        }
    }

    static KubectlVerdict waiting(String message) {
        return new KubectlVerdict(message, false, Optional.empty());
    }

    static KubectlVerdict done(String message) {
        return new KubectlVerdict(message, true, Optional.empty());
    }

    static KubectlVerdict failed(String error, boolean done) {
        return new KubectlVerdict("", done, Optional.of(error));
    }

    /** True when kubectl reports success: done and no error (an OnDelete workload is "done" with an error). */
    public boolean succeeded() {
        return done && error.isEmpty();
    }

    /** True when kubectl fails with an error, and so exits 1. */
    public boolean failed() {
        return error.isPresent();
    }
}

package dev.rolloutdoctor.snapshot;

import java.util.Objects;

/**
 * A readable input that holds no Kubernetes objects we can use (an analysis report, {@code kubectl describe}
 * text, a Table or an API error body), with the reason it was passed over.
 */
public record SkippedInput(String source, String reason) {

    public SkippedInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }
}

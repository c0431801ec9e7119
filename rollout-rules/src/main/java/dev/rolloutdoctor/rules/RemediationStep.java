package dev.rolloutdoctor.rules;

import java.util.Objects;
import java.util.Optional;

/** One step of what to do: a sentence, and where one exists a {@code kubectl} command filled with the real names. */
public record RemediationStep(String text, Optional<String> command) {

    public RemediationStep {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(command, "command");
    }

    public static RemediationStep of(String text) {
        return new RemediationStep(text, Optional.empty());
    }

    public static RemediationStep of(String text, String command) {
        return new RemediationStep(text, Optional.of(command));
    }
}

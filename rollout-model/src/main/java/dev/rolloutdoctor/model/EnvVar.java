package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An environment variable of a container ({@code spec.containers[].env[]}). A literal value is kept only when it
 * does not look like a credential; what happened to it is told by {@link #valueState()}.
 *
 * @param name       the variable's name
 * @param value      the literal value, present only when {@code valueState} is {@link ValueState#LITERAL}
 * @param valueState what the input held in {@code value} and whether it was kept
 * @param valueFrom  where the value comes from instead, if the variable takes it from elsewhere
 */
public record EnvVar(String name, Optional<String> value, ValueState valueState, Optional<EnvVarSource> valueFrom) {

    /** What the input held in the variable's {@code value} field. */
    public enum ValueState {
        /** No {@code value} field (the value comes from {@code valueFrom}, or is empty). */
        NONE,
        /** A literal value, kept. */
        LITERAL,
        /** The value was replaced by a redaction placeholder ({@code ***HIDDEN***}) before we read it. */
        REDACTED,
        /** The value looked like a credential, so it was not kept. */
        WITHHELD
    }

    public EnvVar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(valueState, "valueState");
        Objects.requireNonNull(valueFrom, "valueFrom");
        if (value.isPresent() != (valueState == ValueState.LITERAL)) {
            throw new IllegalArgumentException("a value is kept exactly when its state is LITERAL: " + name);
        }
    }

    /** A variable with a literal value that is kept as is. */
    public static EnvVar literal(String name, String value) {
        return new EnvVar(name, Optional.of(value), ValueState.LITERAL, Optional.empty());
    }

    /** A variable whose value comes from elsewhere. */
    public static EnvVar from(String name, EnvVarSource source) {
        return new EnvVar(name, Optional.empty(), ValueState.NONE, Optional.of(source));
    }

    /** The ConfigMap or Secret key this variable reads, if it reads one. */
    public Optional<KeyReference> keyReference() {
        return valueFrom.filter(KeyReference.class::isInstance).map(KeyReference.class::cast);
    }
}

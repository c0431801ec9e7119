package dev.rolloutdoctor.snapshot;

import dev.rolloutdoctor.model.ObjectRef;

import java.util.Objects;

/**
 * A field whose value was replaced by a redaction placeholder ({@code ***HIDDEN***}) before the dump reached us.
 * The model reads such a value as unknown, never as the placeholder text.
 */
public record RedactedField(ObjectRef object, String fieldPath) {

    public RedactedField {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(fieldPath, "fieldPath");
    }
}

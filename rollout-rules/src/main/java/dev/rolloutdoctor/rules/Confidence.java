package dev.rolloutdoctor.rules;

import java.util.Locale;

/** How sure a finding is of its cause: HIGH when the evidence names it, LOW when it is inferred from indirect signs. */
public enum Confidence {
    HIGH, MEDIUM, LOW;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

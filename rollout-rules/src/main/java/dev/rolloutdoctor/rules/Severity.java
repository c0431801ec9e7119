package dev.rolloutdoctor.rules;

import java.util.Locale;

/** How bad a finding is, worst first; reports print it lower-case ({@code error}). */
public enum Severity {
    /** The rollout cannot finish and the workload is losing capacity or serving errors. */
    CRITICAL,
    /** The rollout cannot finish without a change. */
    ERROR,
    /** A risk, or a symptom that needs a look, that does not block by itself. */
    WARNING,
    /** Context for the postmortem. */
    INFO;

    /** The lower-case name used in reports and the JSON schema. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

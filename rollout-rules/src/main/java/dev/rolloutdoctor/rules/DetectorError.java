package dev.rolloutdoctor.rules;

import java.util.Objects;

/** A detector that failed while the others ran: its rule and what went wrong. Reports list these; they are bugs to report. */
public record DetectorError(String ruleId, String message) {

    public DetectorError {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(message, "message");
    }
}

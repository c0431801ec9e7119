package dev.rolloutdoctor.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A finding in its place in a rollout's causal chain.
 *
 * @param id          a stable id within the report ({@code F1}, {@code F2}, ...)
 * @param rank        1 for the most likely root cause
 * @param explains    ids of the findings this one explains (its symptoms)
 * @param explainedBy ids of the findings that explain this one
 */
public record RankedFinding(String id, int rank, Finding finding, RuleInfo rule, List<String> explains, List<String> explainedBy) {

    public RankedFinding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(rule, "rule");
        explains = List.copyOf(explains);
        explainedBy = List.copyOf(explainedBy);
    }

    /** True for a finding nothing else explains: a root cause, or an unexplained symptom. */
    public boolean isRoot() {
        return explainedBy.isEmpty();
    }

    public Optional<String> firstExplainer() {
        return explainedBy.stream().findFirst();
    }
}

package dev.rolloutdoctor.rules;

/** What a rule's findings are in a causal chain. */
public enum Role {
    /** A root cause: something to fix. */
    CAUSE,
    /**
     * The answer when no cause is found: the rollout is stuck and the snapshot lacks what would explain it. Ranked
     * after causes and before symptoms.
     */
    INCONCLUSIVE,
    /** A symptom: what the user sees (deadline exceeded, pods not ready); explained by a cause when one is found. */
    SYMPTOM,
    /** Context for the postmortem, never ranked above a cause or symptom. */
    CONTEXT
}

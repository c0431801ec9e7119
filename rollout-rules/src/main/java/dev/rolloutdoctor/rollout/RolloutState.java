package dev.rolloutdoctor.rollout;

/** Where a rollout stands, in more detail than kubectl's done/not done. */
public enum RolloutState {

    /** kubectl reports success and no pod of an older revision is still terminating. */
    COMPLETE("Every pod runs the new template and is available; nothing of the old revision is left."),

    /** kubectl reports success, but pods of an older revision are still terminating (kubectl does not look). */
    COMPLETE_OLD_PODS_TERMINATING("kubectl reports success, but pods of the old revision are still shutting down."),

    /** Not done, and progress was made within the stall threshold (or a stall cannot be judged). */
    PROGRESSING("Not done yet, and progress was made recently."),

    /** Not done, no deadline has fired, but nothing has progressed for longer than the stall threshold. */
    STALLED("Not done, and nothing has progressed for longer than the stall threshold."),

    /** The Deployment's progress deadline passed: Progressing has reason ProgressDeadlineExceeded. */
    FAILED("The deployment controller gave up: the progress deadline was exceeded."),

    /** The Deployment is paused ({@code spec.paused}) before its rollout finished. */
    PAUSED("The Deployment is paused (spec.paused) before its rollout finished."),

    /** The controller has not yet observed the latest change ({@code observedGeneration} behind {@code generation}). */
    NOT_OBSERVED("The controller has not yet observed the latest spec change.");

    private final String description;

    RolloutState(String description) {
        this.description = description;
    }

    /** One line saying what the state means, for reports and the README. */
    public String description() {
        return description;
    }

    /** True for the states in which kubectl reports success: COMPLETE and COMPLETE_OLD_PODS_TERMINATING. */
    public boolean isDone() {
        return this == COMPLETE || this == COMPLETE_OLD_PODS_TERMINATING;
    }
}

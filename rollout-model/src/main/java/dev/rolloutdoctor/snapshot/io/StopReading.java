package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadProblem;

/**
 * Unwinds reading when a limit is reached. Unchecked so that it passes through commons-compress unchanged; the
 * reader that owns {@code scope} reports it and goes on, and one with no scope stops the whole read.
 */
final class StopReading extends RuntimeException {

    private final transient LoadProblem problem;
    private final transient Object scope;

    StopReading(LoadProblem problem, Object scope) {
        super(problem.message(), null, false, false);
        this.problem = problem;
        this.scope = scope;
    }

    /** Stops every read: used for the budgets that hold across all inputs. */
    static StopReading everything(LoadProblem problem) {
        return new StopReading(problem, new Object());
    }

    LoadProblem problem() {
        return problem;
    }

    boolean stops(Object candidate) {
        return scope == candidate;
    }
}

package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadProblem;

/** Wraps the caller's visitor so that its own exceptions reach the caller instead of becoming load problems. */
final class SafeVisitor implements InputVisitor {

    private final InputVisitor delegate;

    SafeVisitor(InputVisitor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void entry(InputEntry entry) {
        try {
            delegate.entry(entry);
        } catch (RuntimeException e) {
            throw new VisitorFailed(e);
        }
    }

    @Override
    public void link(InputLink link) {
        try {
            delegate.link(link);
        } catch (RuntimeException e) {
            throw new VisitorFailed(e);
        }
    }

    @Override
    public void problem(LoadProblem problem) {
        try {
            delegate.problem(problem);
        } catch (RuntimeException e) {
            throw new VisitorFailed(e);
        }
    }
}

package dev.rolloutdoctor.snapshot.io;

/** Carries an exception thrown by the caller's visitor past the readers, which would take it for bad input. */
final class VisitorFailed extends RuntimeException {

    VisitorFailed(RuntimeException cause) {
        super(cause);
    }

    RuntimeException original() {
        return (RuntimeException) getCause();
    }
}

package dev.rolloutdoctor.cli;

/** Bad usage or unreadable input: the CLI prints the message on one line and exits 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}

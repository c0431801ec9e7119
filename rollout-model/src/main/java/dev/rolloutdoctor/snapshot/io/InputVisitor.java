package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadProblem;

/**
 * Receives what an {@link InputReader} finds, in a deterministic order: a sorted walk for directories, archive
 * order for archives.
 */
public interface InputVisitor {

    /** A file, archive member or stdin document, read whole. */
    void entry(InputEntry entry);

    /** A symbolic or hard link; it is never followed. */
    void link(InputLink link);

    /** An entry or input that was refused or cut short; reading goes on unless the message says it stopped. */
    void problem(LoadProblem problem);
}

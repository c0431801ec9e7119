package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What decoding one object needs besides its tree: where it came from, where problems go, and the fields found
 * redacted. One context per object; not shared between threads.
 */
public final class DecodeContext {

    /** The placeholder troubleshoot's redactors write in place of a value. */
    public static final String REDACTED = "***HIDDEN***";

    private final Source source;
    private final Consumer<LoadProblem> problems;
    private final String objectLabel;
    private final List<String> redactedPaths = new ArrayList<>();

    public DecodeContext(Source source, String objectLabel, Consumer<LoadProblem> problems) {
        this.source = source;
        this.objectLabel = objectLabel;
        this.problems = problems;
    }

    public Source source() {
        return source;
    }

    /** Reports a problem at a node; the message should say what was expected and what was found. */
    public void problem(Node at, FieldPath path, String message) {
        int line = at.line() > 0 ? at.line() : source.line();
        int column = at.line() > 0 ? at.column() : 0;
        String prefix = objectLabel.isEmpty() ? "" : objectLabel + ": ";
        problems.accept(new LoadProblem(source.path(), line, column, path.toString(), prefix + message));
    }

    /** Notes that the value at {@code path} was replaced by a redaction placeholder. */
    public void redacted(FieldPath path) {
        redactedPaths.add(path.toString());
    }

    public List<String> redactedPaths() {
        return List.copyOf(redactedPaths);
    }
}

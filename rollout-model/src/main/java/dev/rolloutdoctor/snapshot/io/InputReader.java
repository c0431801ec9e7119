package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads what the user points at (a file, a directory, an archive or stdin) into entries and links for an
 * {@link InputVisitor}, within {@link LoadLimits}. Bad input never throws: it becomes a {@link LoadProblem}.
 *
 * <p>One reader serves one load: {@code maxTotalBytes} and {@code maxEntries} count over every {@code read} made
 * with it, and once one is used up, later inputs are refused with a problem. Not thread-safe.
 */
public final class InputReader {

    private final ReadBudget budget;

    public InputReader(LoadLimits limits) {
        this.budget = new ReadBudget(Objects.requireNonNull(limits, "limits"));
    }

    /** A reader that takes the Java heap to be {@code heapBytes} large, for tests of the memory bounds. */
    InputReader(LoadLimits limits, long heapBytes) {
        this.budget = new ReadBudget(Objects.requireNonNull(limits, "limits"), heapBytes);
    }

    /**
     * Reads a file (a document or an archive, told apart by its first bytes) or a directory (walked in sorted
     * order). A link given directly is followed, since the user named it; links inside a directory are not.
     */
    public void read(Path path, InputVisitor visitor) {
        String display = path.toString();
        run(display, visitor, content -> {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                content.problem(display, "cannot read " + display + ": no such file or directory");
                return;
            } catch (AccessDeniedException e) {
                content.problem(display, "cannot read " + display + ": permission denied");
                return;
            } catch (IOException e) {
                content.problem(display, "cannot read " + display + ": " + Describe.reason(e));
                return;
            }
            if (attributes.isDirectory()) {
                new DirectoryReader(content, budget, content.visitor()).read(path, display);
                return;
            }
            String name = Optional.ofNullable(path.getFileName()).map(Path::toString).orElse(display);
            // a pipe given directly, as in <(kubectl get pods -o yaml), is read like stdin
            OptionalLong size = attributes.isRegularFile() ? OptionalLong.of(attributes.size()) : OptionalLong.empty();
            content.readFile(path, Item.given(display, name), size);
        });
    }

    /**
     * Reads a stream, normally stdin under the name {@code -}: an archive if its first bytes say so (its members
     * then show as {@code -!/a/b}), otherwise one document. The stream is not closed.
     */
    public void read(String displayName, InputStream in, InputVisitor visitor) {
        Objects.requireNonNull(in, "in");
        run(displayName, visitor, content -> {
            InputStream buffered = new BufferedInputStream(new NonClosingInputStream(in), 1 << 16);
            try {
                content.read(Item.given(displayName, displayName), buffered, OptionalLong.empty(), false);
            } catch (IOException e) {
                content.problem(displayName, "cannot read " + displayName + ": " + Describe.reason(e));
            }
        });
    }

    private void run(String display, InputVisitor visitor, Consumer<ContentReader> body) {
        Objects.requireNonNull(visitor, "visitor");
        Optional<LoadProblem> refusal = budget.refusal(display);
        if (refusal.isPresent()) {
            visitor.problem(refusal.get());
            return;
        }
        try {
            body.accept(new ContentReader(budget, new SafeVisitor(visitor)));
        } catch (StopReading e) {
            visitor.problem(e.problem());
        } catch (VisitorFailed e) {
            throw e.original();
        }
    }
}

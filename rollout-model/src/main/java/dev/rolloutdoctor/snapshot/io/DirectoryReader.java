package dev.rolloutdoctor.snapshot.io;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Walks a directory in sorted order, hidden files included. Links inside it are reported, never followed, so
 * nothing outside the root is read; devices, FIFOs and sockets are skipped, since reading them could block.
 */
final class DirectoryReader {

    static final int MAX_LEVELS = 64;

    private final ContentReader content;
    private final ReadBudget budget;
    private final InputVisitor visitor;

    DirectoryReader(ContentReader content, ReadBudget budget, InputVisitor visitor) {
        this.content = content;
        this.budget = budget;
        this.visitor = visitor;
    }

    void read(Path root, String rootDisplay) {
        walk(root, root, rootDisplay, "", 0);
    }

    private void walk(Path root, Path dir, String rootDisplay, String relative, int level) {
        String display = relative.isEmpty() ? rootDisplay : rootDisplay + "/" + relative;
        if (level > MAX_LEVELS) {
            content.problem(display, "directory skipped: it is nested more than " + MAX_LEVELS + " levels deep");
            return;
        }
        for (Path child : children(dir, display)) {
            String name = child.getFileName().toString();
            visit(root, child, rootDisplay, EntryName.join(relative, name), level);
        }
    }

    private void visit(Path root, Path child, String rootDisplay, String relative, int level) {
        Item item = Item.inDirectory(rootDisplay, relative);
        budget.countEntry(item.displayPath());
        if (relative.length() > content.limits().maxPathLength()) {
            content.problem(item.displayPath(), "file skipped: its path is " + relative.length()
                    + " characters long, over the limit of " + content.limits().maxPathLength()
                    + " (LoadLimits.maxPathLength)");
            return;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            content.problem(item.displayPath(), "cannot read " + item.displayPath() + ": " + Describe.reason(e));
            return;
        }
        if (attributes.isSymbolicLink()) {
            link(root, child, item);
        } else if (attributes.isDirectory()) {
            walk(root, child, rootDisplay, relative, level + 1);
        } else if (attributes.isRegularFile()) {
            content.readFile(child, item, OptionalLong.of(attributes.size()), LinkOption.NOFOLLOW_LINKS);
        } else {
            content.problem(item.displayPath(), "file skipped: it is a device, a FIFO or a socket, not a file");
        }
    }

    /**
     * Lists a directory, sorted by name. A directory with more children than entries are left stops the read
     * before they are all held in memory, at the same point whatever order the file system lists them in.
     */
    private List<Path> children(Path dir, String display) {
        int room = budget.remainingEntries();
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                if (children.size() == room) {
                    throw budget.entriesExceeded(display);
                }
                children.add(child);
            }
        } catch (IOException e) {
            content.problem(display, "cannot read directory " + display + ": " + Describe.reason(e));
            return List.of();
        } catch (DirectoryIteratorException e) {
            content.problem(display, "cannot read directory " + display + ": " + Describe.reason(e.getCause()));
            return List.of();
        }
        children.sort(Comparator.comparing(child -> child.getFileName().toString()));
        return children;
    }

    private void link(Path root, Path child, Item item) {
        Path target;
        try {
            target = Files.readSymbolicLink(child);
        } catch (IOException e) {
            content.problem(item.displayPath(), "cannot read link " + item.displayPath() + ": " + Describe.reason(e));
            return;
        }
        String text = target.toString();
        if (text.length() > content.limits().maxPathLength()) {
            content.problem(item.displayPath(), "link skipped: its target is " + text.length()
                    + " characters long, over the limit of " + content.limits().maxPathLength()
                    + " (LoadLimits.maxPathLength)");
            return;
        }
        Optional<String> inside = target.isAbsolute()
                ? insideRoot(root, target)
                : EntryName.resolve(EntryName.folder(item.path()), slashes(text, child));
        visitor.link(inside
                .map(path -> new InputLink(item.displayPath(), item.path(), path, true))
                .orElseGet(() -> new InputLink(item.displayPath(), item.path(), text, false)));
    }

    /** An absolute target is inside when it lies under the root, as given or as the file system resolves it. */
    private static Optional<String> insideRoot(Path root, Path target) {
        Path normalised = target.normalize();
        List<Path> roots = new ArrayList<>(List.of(root.toAbsolutePath().normalize()));
        try {
            roots.add(root.toRealPath());
        } catch (IOException e) {
            // the root as given is enough
        }
        for (Path candidate : roots) {
            if (normalised.startsWith(candidate)) {
                return Optional.of(slashes(candidate.relativize(normalised).toString(), target));
            }
        }
        return Optional.empty();
    }

    private static String slashes(String path, Path onFileSystem) {
        return path.replace(onFileSystem.getFileSystem().getSeparator(), "/");
    }
}

package dev.rolloutdoctor.snapshot.io;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Archive entry names and link targets as logical paths: normalised, and refused when they would leave the root.
 * Nothing here touches the file system.
 */
final class EntryName {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:/");

    private EntryName() {
    }

    /** The outcome of normalising an entry name. */
    sealed interface Outcome permits Accepted, Refused {
    }

    /** A name that stays inside the root; {@code path} is empty for the root itself ({@code ./}). */
    record Accepted(String path) implements Outcome {
    }

    /** A name refused, with the reason phrased to follow "entry skipped: ". */
    record Refused(String reason) implements Outcome {
    }

    /**
     * Normalises an entry name: drops {@code .} and empty segments, refuses {@code ..}, absolute names and NUL.
     * With {@code backslashSeparates} (ZIP, where Windows tools wrote {@code \}), a backslash is a separator too.
     */
    static Outcome normalise(String raw, boolean backslashSeparates) {
        String name = backslashSeparates ? raw.replace('\\', '/') : raw;
        if (name.indexOf('\0') >= 0) {
            return new Refused("its name contains a NUL character");
        }
        if (name.startsWith("/") || backslashSeparates && DRIVE.matcher(name).lookingAt()) {
            return new Refused("its name is an absolute path; archive entries must be relative to the archive root");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return new Refused("its name climbs out of the archive root with \"..\"");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return new Accepted(String.join("/", segments));
    }

    /**
     * Resolves a link target against the folder the link is in ({@code ""} for the root), lexically. Empty when
     * the target is absolute or climbs above the root.
     */
    static Optional<String> resolve(String folder, String target) {
        if (target.startsWith("/")) {
            return Optional.empty();
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : (folder + "/" + target).split("/", -1)) {
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.removeLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return Optional.of(String.join("/", segments));
    }

    /** The folder part of a normalised path, {@code ""} at the root. */
    static String folder(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Joins two normalised paths, either of which may be empty. */
    static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : prefix + "/" + path;
    }
}

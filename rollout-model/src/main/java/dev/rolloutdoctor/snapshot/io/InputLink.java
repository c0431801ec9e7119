package dev.rolloutdoctor.snapshot.io;

import java.util.Objects;

/**
 * A symbolic or hard link found in the input, reported instead of followed; the loader decides what it means.
 *
 * @param displayPath  the link's own path as users see it (see {@link InputEntry#displayPath()})
 * @param path         the link's own path relative to the input root (see {@link InputEntry#path()})
 * @param targetPath   when {@code targetInside}: the target resolved against the link's folder (a hard link's
 *                     against its archive's root), relative to the input root like {@code path}; otherwise the
 *                     target exactly as the link holds it
 * @param targetInside whether the target stays inside the root of the archive or directory the link is in
 */
public record InputLink(String displayPath, String path, String targetPath, boolean targetInside) {

    public InputLink {
        Objects.requireNonNull(displayPath, "displayPath");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(targetPath, "targetPath");
    }
}

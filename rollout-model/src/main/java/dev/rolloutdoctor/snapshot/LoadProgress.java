package dev.rolloutdoctor.snapshot;

/** How far a load has come, for a progress line on a terminal. */
public record LoadProgress(int entriesRead, long bytesRead, int objectsLoaded, boolean done) {
}

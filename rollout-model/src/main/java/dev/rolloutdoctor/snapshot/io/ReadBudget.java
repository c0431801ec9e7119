package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.util.Optional;

/** The limits that hold across every read made with one {@link InputReader}: bytes and entries in all. */
final class ReadBudget {

    /** Below this, a document cap of a quarter of the heap would refuse ordinary files; tiny heaps get this much. */
    private static final long SMALLEST_DOCUMENT_CAP = 4L * 1024 * 1024;

    private final LoadLimits limits;
    private final long heapBytes;
    private long totalBytes;
    private int entries;
    private Optional<String> spent = Optional.empty();

    ReadBudget(LoadLimits limits) {
        this(limits, Runtime.getRuntime().maxMemory());
    }

    /** With the Java heap taken to be {@code heapBytes}: tests size it without starting a JVM. */
    ReadBudget(LoadLimits limits, long heapBytes) {
        this.limits = limits;
        this.heapBytes = heapBytes;
    }

    long heapBytes() {
        return heapBytes;
    }

    /**
     * The most of one document held in memory at once: {@code maxEntryBytes}, but never more than a quarter of the
     * Java heap, since reading it and then parsing it take several times its size. Without this, one file that
     * decompresses to a few hundred MiB (a bomb under the ratio limit, or a genuine file on a small heap) ends the
     * whole load with an out-of-memory error, and the other inputs with it.
     */
    long documentCap() {
        return Math.min(limits.maxEntryBytes(), Math.max(SMALLEST_DOCUMENT_CAP, heapBytes / 4));
    }

    LoadLimits limits() {
        return limits;
    }

    /** Counts bytes read or decompressed; stops everything once the total goes past {@code maxTotalBytes}. */
    void countBytes(long n, String source) {
        totalBytes += n;
        if (totalBytes > limits.maxTotalBytes()) {
            String limit = "the limit of " + Describe.bytes(limits.maxTotalBytes()) + " (LoadLimits.maxTotalBytes)";
            spent = Optional.of(limit);
            throw StopReading.everything(LoadProblem.of(source, "stopped reading: more than "
                    + Describe.bytes(limits.maxTotalBytes()) + " read and decompressed in all, over " + limit
                    + "; the rest of the input was not read. Raise the limit if the input is genuine"));
        }
    }

    /** Counts one file, directory, link or archive member; stops everything past {@code maxEntries}. */
    void countEntry(String source) {
        entries++;
        if (entries > limits.maxEntries()) {
            throw entriesExceeded(source);
        }
    }

    /** How many more entries may be looked at. */
    int remainingEntries() {
        return Math.max(0, limits.maxEntries() - entries);
    }

    StopReading entriesExceeded(String source) {
        String limit = "the limit of " + limits.maxEntries() + " (LoadLimits.maxEntries)";
        spent = Optional.of(limit);
        return StopReading.everything(LoadProblem.of(source, "stopped reading: more than " + limits.maxEntries()
                + " files and archive entries, over " + limit + "; the rest of the input was not read."
                + " Point at a smaller part of the input, or raise the limit if it is genuine"));
    }

    /** Refuses an input once an earlier one has used the budget up. */
    Optional<LoadProblem> refusal(String source) {
        return spent.map(limit -> LoadProblem.of(source,
                "not read: the inputs before it already reached " + limit));
    }
}

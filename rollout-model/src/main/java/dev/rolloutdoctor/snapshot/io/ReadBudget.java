package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.util.Optional;

/** The limits that hold across every read made with one {@link InputReader}: bytes and entries in all. */
final class ReadBudget {

    private final LoadLimits limits;
    private long totalBytes;
    private int entries;
    private Optional<String> spent = Optional.empty();

    ReadBudget(LoadLimits limits) {
        this.limits = limits;
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

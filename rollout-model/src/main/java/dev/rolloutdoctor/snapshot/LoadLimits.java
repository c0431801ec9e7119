package dev.rolloutdoctor.snapshot;

/**
 * The bounds the loader holds hostile or oversized input to. Every limit has a default; an input that
 * goes past one is refused or cut short with a {@link LoadProblem}, never with an exception or an
 * out-of-memory error.
 *
 * @param maxTotalBytes        decompressed bytes read from all inputs together
 * @param maxEntryBytes        bytes of one file or archive entry
 * @param maxEntries           files and archive entries looked at, over all inputs
 * @param maxPathLength        characters in one entry path
 * @param maxArchiveDepth      archives inside archives: 1 reads a {@code .tar} found inside a {@code .tar.gz}, 0 reads none
 * @param maxCompressionRatio  decompressed bytes per compressed byte of one archive or entry before it is taken for a bomb
 * @param maxNestingDepth      nesting of mappings and sequences in one JSON or YAML document
 * @param maxStringLength      characters in one scalar value
 * @param maxDocumentCodePoints code points in one YAML document (SnakeYAML's own guard)
 * @param maxLogBytesPerContainer bytes of one container log kept (its tail)
 */
public record LoadLimits(
        long maxTotalBytes,
        long maxEntryBytes,
        int maxEntries,
        int maxPathLength,
        int maxArchiveDepth,
        long maxCompressionRatio,
        int maxNestingDepth,
        int maxStringLength,
        int maxDocumentCodePoints,
        int maxLogBytesPerContainer) {

    /** The defaults: generous for the largest real support bundles, small enough to stop bombs quickly. */
    public static final LoadLimits DEFAULTS = new LoadLimits(
            4L * 1024 * 1024 * 1024,   // 4 GiB in all
            512L * 1024 * 1024,        // 512 MiB per entry
            200_000,                   // entries
            1024,                      // characters per path
            1,                         // one archive inside another
            1000,                      // 1000:1
            200,                       // nesting levels (kubectl objects stay under 30)
            16 * 1024 * 1024,          // 16 Mi characters per scalar
            Integer.MAX_VALUE,         // YAML document size: bounded by maxEntryBytes instead
            1024 * 1024);              // 1 MiB of log tail per container

    public LoadLimits {
        if (maxTotalBytes <= 0 || maxEntryBytes <= 0 || maxEntries <= 0 || maxPathLength <= 0
                || maxArchiveDepth < 0 || maxCompressionRatio <= 0 || maxNestingDepth <= 0
                || maxStringLength <= 0 || maxDocumentCodePoints <= 0 || maxLogBytesPerContainer < 0) {
            throw new IllegalArgumentException("limits must be positive (maxArchiveDepth and maxLogBytesPerContainer may be 0): " + this);
        }
    }

    public LoadLimits withMaxTotalBytes(long value) {
        return new LoadLimits(value, maxEntryBytes, maxEntries, maxPathLength, maxArchiveDepth, maxCompressionRatio,
                maxNestingDepth, maxStringLength, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxEntryBytes(long value) {
        return new LoadLimits(maxTotalBytes, value, maxEntries, maxPathLength, maxArchiveDepth, maxCompressionRatio,
                maxNestingDepth, maxStringLength, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxEntries(int value) {
        return new LoadLimits(maxTotalBytes, maxEntryBytes, value, maxPathLength, maxArchiveDepth, maxCompressionRatio,
                maxNestingDepth, maxStringLength, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxPathLength(int value) {
        return new LoadLimits(maxTotalBytes, maxEntryBytes, maxEntries, value, maxArchiveDepth, maxCompressionRatio,
                maxNestingDepth, maxStringLength, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxArchiveDepth(int value) {
        return new LoadLimits(maxTotalBytes, maxEntryBytes, maxEntries, maxPathLength, value, maxCompressionRatio,
                maxNestingDepth, maxStringLength, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxCompressionRatio(long value) {
        return new LoadLimits(maxTotalBytes, maxEntryBytes, maxEntries, maxPathLength, maxArchiveDepth, value,
                maxNestingDepth, maxStringLength, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxNestingDepth(int value) {
        return new LoadLimits(maxTotalBytes, maxEntryBytes, maxEntries, maxPathLength, maxArchiveDepth, maxCompressionRatio,
                value, maxStringLength, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxStringLength(int value) {
        return new LoadLimits(maxTotalBytes, maxEntryBytes, maxEntries, maxPathLength, maxArchiveDepth, maxCompressionRatio,
                maxNestingDepth, value, maxDocumentCodePoints, maxLogBytesPerContainer);
    }

    public LoadLimits withMaxLogBytesPerContainer(int value) {
        return new LoadLimits(maxTotalBytes, maxEntryBytes, maxEntries, maxPathLength, maxArchiveDepth, maxCompressionRatio,
                maxNestingDepth, maxStringLength, maxDocumentCodePoints, value);
    }
}

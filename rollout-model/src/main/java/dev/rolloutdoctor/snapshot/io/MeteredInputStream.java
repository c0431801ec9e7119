package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadProblem;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes that pass through it and enforces the limits that depend on that count: the total budget, the
 * compression ratio against the compressed side, and a ceiling set by the reader above it. It also remembers how
 * many zero bytes the data read so far ends with, which tells a complete tar from a cut one.
 *
 * <p>Skipping reads the data, so skipped bytes are counted and checked like read ones.
 */
final class MeteredInputStream extends FilterInputStream {

    /** Below this much output no ratio is judged: small files compress unevenly. */
    static final long RATIO_FLOOR = 1024 * 1024;

    private final String source;
    private final ReadBudget budget;
    private final boolean countsTowardTotal;
    private final MeteredInputStream compressedSide;
    private final boolean compressedSideNeedsProgress;
    private long count;
    private long trailingZeros;
    private long ceiling = Long.MAX_VALUE;
    private String ceilingMessage = "";

    private MeteredInputStream(InputStream in, String source, ReadBudget budget, boolean countsTowardTotal,
            MeteredInputStream compressedSide, boolean compressedSideNeedsProgress) {
        super(in);
        this.source = source;
        this.budget = budget;
        this.countsTowardTotal = countsTowardTotal;
        this.compressedSide = compressedSide;
        this.compressedSideNeedsProgress = compressedSideNeedsProgress;
    }

    /** Counts bytes toward nothing; for the ceiling and the trailing zeros only. */
    static MeteredInputStream watching(InputStream in, String source) {
        return new MeteredInputStream(in, source, null, false, null, false);
    }

    /** Counts raw bytes of a file or stdin toward the total budget. */
    static MeteredInputStream counting(InputStream in, ReadBudget budget, String source) {
        return new MeteredInputStream(in, source, budget, true, null, false);
    }

    /**
     * Counts a decompressor's output toward the total and checks its ratio against {@code compressedSide}. With
     * {@code guardHeaders}, every piece of output lets the compressed side go at most {@code headerLimit} further,
     * so a header that never ends (gzip's file name field, say) is stopped before it is buffered.
     */
    static MeteredInputStream decompressed(InputStream in, MeteredInputStream compressedSide, ReadBudget budget,
            String source, boolean guardHeaders) {
        return new MeteredInputStream(in, source, budget, true, compressedSide, guardHeaders);
    }

    long count() {
        return count;
    }

    long trailingZeros() {
        return trailingZeros;
    }

    /** Stops with {@code message} (scoped to this stream) once the count passes {@code absoluteCount}. */
    void ceilingAt(long absoluteCount, String message) {
        ceiling = absoluteCount;
        ceilingMessage = message;
    }

    void noCeiling() {
        ceiling = Long.MAX_VALUE;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            trailingZeros = b == 0 ? trailingZeros + 1 : 0;
            account(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            trackZeros(buffer, offset, n);
            account(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
        // not supported: counting would go wrong after a reset
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void trackZeros(byte[] buffer, int offset, int n) {
        int i = offset + n - 1;
        while (i >= offset && buffer[i] == 0) {
            i--;
        }
        int zerosAtEnd = offset + n - 1 - i;
        trailingZeros = zerosAtEnd == n ? trailingZeros + n : zerosAtEnd;
    }

    private void account(int n) {
        count += n;
        if (count > ceiling) {
            throw new StopReading(LoadProblem.of(source, ceilingMessage), this);
        }
        if (countsTowardTotal) {
            budget.countBytes(n, source);
        }
        if (compressedSide != null) {
            checkRatio();
            if (compressedSideNeedsProgress) {
                compressedSide.ceilingAt(compressedSide.count() + headerLimit(), headerMessage());
            }
        }
    }

    private void checkRatio() {
        if (count < RATIO_FLOOR) {
            return;
        }
        long compressed = Math.max(1, compressedSide.count());
        long ratio = count / compressed;
        long limit = budget.limits().maxCompressionRatio();
        if (ratio > limit) {
            throw new StopReading(LoadProblem.of(source, "stopped reading: this looks like a decompression bomb: "
                    + Describe.bytes(count) + " came out of " + Describe.bytes(compressed) + " (" + ratio
                    + ":1), over the limit of " + limit + ":1 (LoadLimits.maxCompressionRatio); what came before was"
                    + " read. Raise the limit if the input is genuine"), this);
        }
    }

    /** How far compressed input may run ahead of output: far above any real header, far below heap sizes. */
    static long headerLimit() {
        return 1024 * 1024;
    }

    static String headerMessage() {
        return "stopped reading: more than " + Describe.bytes(headerLimit())
                + " of compressed input gave no output (an endless header?); the file is damaged or hostile";
    }
}

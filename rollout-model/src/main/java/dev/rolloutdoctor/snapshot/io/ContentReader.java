package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads one file-like thing, whatever it holds: a document becomes an entry, an archive is handed to the reader of
 * its format, which comes back here for each member.
 */
final class ContentReader {

    /** The most one array holds here, so that one more byte still fits the largest array the JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final long PREALLOCATED_AT_MOST = 64L * 1024 * 1024;
    private static final long UNKNOWN_SIZE_GUESS = 64L * 1024;

    private final ReadBudget budget;
    private final InputVisitor visitor;
    private final GzipReader gzip;
    private final TarReader tar;
    private final ZipReader zip;

    ContentReader(ReadBudget budget, InputVisitor visitor) {
        this.budget = budget;
        this.visitor = visitor;
        this.gzip = new GzipReader(this, budget, visitor);
        this.tar = new TarReader(this, budget, visitor);
        this.zip = new ZipReader(this, budget, visitor);
    }

    LoadLimits limits() {
        return budget.limits();
    }

    InputVisitor visitor() {
        return visitor;
    }

    /** Opens and reads a file; trouble opening or reading it becomes a problem. */
    void readFile(Path file, Item item, OptionalLong size, OpenOption... options) {
        try (InputStream raw = Files.newInputStream(file, options)) {
            read(item, new BufferedInputStream(raw, 1 << 16), size, false);
        } catch (NoSuchFileException e) {
            problem(item.displayPath(), "cannot read " + item.displayPath() + ": no such file or directory");
        } catch (AccessDeniedException e) {
            problem(item.displayPath(), "cannot read " + item.displayPath() + ": permission denied");
        } catch (IOException e) {
            problem(item.displayPath(), "cannot read " + item.displayPath() + ": " + Describe.reason(e));
        }
    }

    /**
     * Reads a document or an archive from {@code in}, which the caller closes. IOExceptions come from {@code in}
     * itself (a broken file, a broken enclosing archive) and go to the caller.
     *
     * @param counted whether the bytes of {@code in} already count toward {@code maxTotalBytes}: they do when they
     *                come out of a decompressor or an archive that counted them; they do not for a file or stdin,
     *                whose bytes count here unless they are compressed, in which case what comes out counts
     */
    void read(Item item, InputStream in, OptionalLong size, boolean counted) throws IOException {
        Sniffer.Sniffed sniffed = Sniffer.sniff(in, item.path());
        if (sniffed.kind() == Sniffer.Kind.DOCUMENT) {
            readDocument(item, counted ? sniffed.stream() : counting(sniffed.stream(), item), size);
            return;
        }
        if (item.archivesAround() > limits().maxArchiveDepth()) {
            problem(item.displayPath(), "archive not opened: it sits inside " + item.archivesAround()
                    + (item.archivesAround() == 1 ? " archive" : " archives") + ", and LoadLimits.maxArchiveDepth is "
                    + limits().maxArchiveDepth() + "; raise the limit to read archives nested this deep");
            return;
        }
        readArchive(item, sniffed, counted);
    }

    private InputStream counting(InputStream in, Item item) {
        return MeteredInputStream.counting(in, budget, item.displayPath());
    }

    /** Reads what came out of a gzip: a tar or zip is part of the same archive, anything else one document. */
    void readGunzipped(Item item, InputStream in) throws IOException {
        Item unpacked = item.gunzipped();
        Sniffer.Sniffed sniffed = Sniffer.sniff(in, unpacked.path());
        if (sniffed.kind() == Sniffer.Kind.TAR || sniffed.kind() == Sniffer.Kind.ZIP) {
            readArchive(item, sniffed, true);
        } else {
            readDocument(unpacked, sniffed.stream(), OptionalLong.empty());
        }
    }

    /** Compressed bytes never count toward the total: what comes out of the gzip or the ZIP entries does. */
    private void readArchive(Item item, Sniffer.Sniffed sniffed, boolean counted) {
        switch (sniffed.kind()) {
            case GZIP:
                gzip.read(item, sniffed.stream());
                break;
            case TAR:
                tar.read(item, counted ? sniffed.stream() : counting(sniffed.stream(), item));
                break;
            case ZIP:
                zip.read(item, sniffed.stream());
                break;
            default:
                throw new IllegalStateException("not an archive: " + sniffed.kind());
        }
    }

    /**
     * Reads a whole document into memory, never more than {@link ReadBudget#documentCap()} {@code + 1} bytes of it:
     * {@code maxEntryBytes}, or a quarter of the Java heap when that is less.
     */
    void readDocument(Item item, InputStream in, OptionalLong size) throws IOException {
        long held = Math.min(budget.documentCap(), MAX_ARRAY);
        if (size.isPresent() && size.getAsLong() > held) {
            problem(item.displayPath(), tooBig(item, "it is " + Describe.bytes(size.getAsLong()), held));
            return;
        }
        byte[] content = readUpTo(in, (int) (held + 1), size);
        if (content.length > held) {
            problem(item.displayPath(), tooBig(item, "it is more than " + Describe.bytes(held), held));
            return;
        }
        visitor.entry(new InputEntry(item.displayPath(), item.path(), content));
    }

    private String tooBig(Item item, String howBig, long held) {
        String what = item.archivesAround() > 0 ? "entry" : "file";
        if (held < limits().maxEntryBytes()) {
            return what + " skipped: " + howBig + ", over a quarter of the Java heap (" + Describe.bytes(budget.heapBytes())
                    + "), the most of one file held in memory at once; run with a larger heap (java -Xmx...) if the file"
                    + " is genuine";
        }
        return what + " skipped: " + howBig + ", over the per-entry limit of "
                + Describe.bytes(limits().maxEntryBytes()) + " (LoadLimits.maxEntryBytes); raise the limit if the file"
                + " is genuine";
    }

    /**
     * Reads at most {@code limit} bytes. A known size is allocated at once, up to 64 MiB: beyond that the array
     * grows as data actually arrives, so a header that promises much and delivers a bomb costs no memory up front.
     */
    private static byte[] readUpTo(InputStream in, int limit, OptionalLong size) throws IOException {
        long guess = size.orElse(UNKNOWN_SIZE_GUESS);
        byte[] buffer = new byte[(int) Math.min(limit, Math.min(guess, PREALLOCATED_AT_MOST))];
        int n = 0;
        while (true) {
            if (n == buffer.length) {
                int probe = in.read();
                if (probe < 0 || n == limit) {
                    return buffer;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(2L * n, UNKNOWN_SIZE_GUESS)));
                buffer[n++] = (byte) probe;
                continue;
            }
            int read = in.read(buffer, n, buffer.length - n);
            if (read < 0) {
                return Arrays.copyOf(buffer, n);
            }
            n += read;
        }
    }

    void problem(String source, String message) {
        visitor.problem(LoadProblem.of(source, message));
    }
}

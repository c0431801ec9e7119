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
            InputStream in = MeteredInputStream.counting(new BufferedInputStream(raw, 1 << 16), budget,
                    item.displayPath());
            read(item, in, size);
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
     */
    void read(Item item, InputStream in, OptionalLong size) throws IOException {
        Sniffer.Sniffed sniffed = Sniffer.sniff(in, item.path());
        if (sniffed.kind() == Sniffer.Kind.DOCUMENT) {
            readDocument(item, sniffed.stream(), size);
            return;
        }
        if (item.archivesAround() > limits().maxArchiveDepth()) {
            problem(item.displayPath(), "archive not opened: it sits inside " + item.archivesAround()
                    + (item.archivesAround() == 1 ? " archive" : " archives") + ", and LoadLimits.maxArchiveDepth is "
                    + limits().maxArchiveDepth() + "; raise the limit to read archives nested this deep");
            return;
        }
        readArchive(item, sniffed);
    }

    /** Reads what came out of a gzip: a tar or zip is part of the same archive, anything else one document. */
    void readGunzipped(Item item, InputStream in) throws IOException {
        Item unpacked = item.gunzipped();
        Sniffer.Sniffed sniffed = Sniffer.sniff(in, unpacked.path());
        if (sniffed.kind() == Sniffer.Kind.TAR || sniffed.kind() == Sniffer.Kind.ZIP) {
            readArchive(item, sniffed);
        } else {
            readDocument(unpacked, sniffed.stream(), OptionalLong.empty());
        }
    }

    private void readArchive(Item item, Sniffer.Sniffed sniffed) {
        switch (sniffed.kind()) {
            case GZIP:
                gzip.read(item, sniffed.stream());
                break;
            case TAR:
                tar.read(item, sniffed.stream());
                break;
            case ZIP:
                zip.read(item, sniffed.stream());
                break;
            default:
                throw new IllegalStateException("not an archive: " + sniffed.kind());
        }
    }

    /** Reads a whole document into memory, never more than {@code maxEntryBytes + 1} bytes of it. */
    void readDocument(Item item, InputStream in, OptionalLong size) throws IOException {
        long max = limits().maxEntryBytes();
        if (size.isPresent() && size.getAsLong() > max) {
            problem(item.displayPath(), tooBig(item, "it is " + Describe.bytes(size.getAsLong())));
            return;
        }
        long held = Math.min(max, MAX_ARRAY);
        byte[] content = readUpTo(in, (int) (held + 1), size);
        if (content.length > held) {
            problem(item.displayPath(), tooBig(item, "it is more than " + Describe.bytes(held)));
            return;
        }
        visitor.entry(new InputEntry(item.displayPath(), item.path(), content));
    }

    private String tooBig(Item item, String howBig) {
        return (item.archivesAround() > 0 ? "entry" : "file") + " skipped: " + howBig + ", over the per-entry limit of "
                + Describe.bytes(limits().maxEntryBytes()) + " (LoadLimits.maxEntryBytes); raise the limit if the"
                + " file is genuine";
    }

    /** Reads at most {@code limit} bytes; a known size is allocated at once instead of grown into. */
    private static byte[] readUpTo(InputStream in, int limit, OptionalLong size) throws IOException {
        if (size.isEmpty() || size.getAsLong() >= limit) {
            return in.readNBytes(limit);
        }
        byte[] first = new byte[(int) size.getAsLong()];
        int n = in.readNBytes(first, 0, first.length);
        if (n < first.length) {
            return Arrays.copyOf(first, n);
        }
        byte[] more = in.readNBytes(limit - n);
        if (more.length == 0) {
            return first;
        }
        byte[] all = Arrays.copyOf(first, n + more.length);
        System.arraycopy(more, 0, all, n, more.length);
        return all;
    }

    void problem(String source, String message) {
        visitor.problem(LoadProblem.of(source, message));
    }
}

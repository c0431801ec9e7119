package dev.rolloutdoctor.snapshot.io;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipMethod;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Reads the members of a ZIP as a stream, local header by local header. Streaming, rather than the central
 * directory, keeps memory flat however many entries the archive claims, and never reads one byte range twice.
 */
final class ZipReader {

    private final ContentReader content;
    private final ReadBudget budget;
    private final InputVisitor visitor;

    ZipReader(ContentReader content, ReadBudget budget, InputVisitor visitor) {
        this.content = content;
        this.budget = budget;
        this.visitor = visitor;
    }

    void read(Item archive, InputStream in) {
        String source = archive.displayPath();
        MeteredInputStream raw = MeteredInputStream.watching(in, source);
        // not closed: that would close the stream of the file or archive around it, which its owner closes
        ZipArchiveInputStream zip = new ZipArchiveInputStream(raw, StandardCharsets.UTF_8.name(), true, false);
        MeteredInputStream out = MeteredInputStream.decompressed(zip, raw, budget, source, false);
        int seen = 0;
        try {
            ZipArchiveEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                budget.countEntry(source);
                if (member(archive, zip, out, entry)) {
                    drain(out);
                }
                seen++;
            }
        } catch (StopReading e) {
            if (!e.stops(out) && !e.stops(raw)) {
                throw e;
            }
            visitor.problem(e.problem());
        } catch (VisitorFailed e) {
            throw e;
        } catch (EOFException e) {
            content.problem(source, Describe.endsEarly(seen, Describe.reason(e)));
        } catch (IOException | RuntimeException e) {
            String reason = Describe.reason(e);
            content.problem(source, Describe.soundsCut(reason)
                    ? Describe.endsEarly(seen, reason) : Describe.damaged(seen, reason));
        }
    }

    /** Reads one member; false when its data is left unread for the archive stream to skip. */
    private boolean member(Item archive, ZipArchiveInputStream zip, InputStream out, ZipArchiveEntry entry) throws IOException {
        String rawName = entry.getName();
        if (rawName.length() > content.limits().maxPathLength()) {
            content.problem(archive.memberDisplay(rawName), "entry skipped: its name is " + rawName.length()
                    + " characters long, over the limit of " + content.limits().maxPathLength()
                    + " (LoadLimits.maxPathLength)");
            return true;
        }
        EntryName.Outcome outcome = EntryName.normalise(rawName, true);
        if (outcome instanceof EntryName.Refused refused) {
            content.problem(archive.memberDisplay(rawName), "entry skipped: " + refused.reason());
            return true;
        }
        String name = ((EntryName.Accepted) outcome).path();
        if (name.isEmpty() || entry.isDirectory()) {
            return true;
        }
        if (!zip.canReadEntryData(entry)) {
            // one member packed with LZMA, bzip2 or encryption need not cost the members after it
            content.problem(archive.memberDisplay(rawName), "entry skipped: " + unreadable(entry)
                    + "; re-create the archive with deflate (zip -Z deflate) or as a .tar.gz to read it");
            return false;
        }
        // the size in a local header is not to be trusted, so it is neither checked nor allocated up front
        content.read(archive.member(name), new NonClosingInputStream(out), OptionalLong.empty(), true);
        return true;
    }

    private static String unreadable(ZipArchiveEntry entry) {
        if (entry.getGeneralPurposeBit().usesEncryption()) {
            return "it is encrypted";
        }
        ZipMethod method = ZipMethod.getMethodByCode(entry.getMethod());
        String name = method == null ? "method " + entry.getMethod() : method.name() + " (method " + entry.getMethod() + ")";
        return "it is compressed with " + name + ", which is not supported";
    }

    /** Reads the rest of the member through the meter, so that skipped data is counted and bomb-checked too. */
    private static void drain(InputStream out) throws IOException {
        byte[] scratch = new byte[8192];
        while (out.read(scratch) >= 0) {
            // discard
        }
    }
}

package dev.rolloutdoctor.snapshot.io;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** Reads the members of a tar stream in archive order; links are reported, never followed. */
final class TarReader {

    private static final int RECORD = 512;

    private final ContentReader content;
    private final ReadBudget budget;
    private final InputVisitor visitor;

    TarReader(ContentReader content, ReadBudget budget, InputVisitor visitor) {
        this.content = content;
        this.budget = budget;
        this.visitor = visitor;
    }

    void read(Item archive, InputStream in) {
        MeteredInputStream raw = MeteredInputStream.watching(in, archive.displayPath());
        // not closed: that would close the stream of the file or archive around it, which its owner closes
        TarArchiveInputStream tar = new TarArchiveInputStream(raw);
        int seen = 0;
        try {
            long dataEnd = 0;
            TarArchiveEntry entry;
            while ((entry = next(tar, raw, dataEnd)) != null) {
                dataEnd = raw.count() + padded(entry.getSize());
                budget.countEntry(archive.displayPath());
                member(archive, tar, entry);
                seen++;
            }
            if (raw.trailingZeros() < RECORD) {
                content.problem(archive.displayPath(), Describe.endsEarly(seen, "it has no end-of-archive marker"));
            }
        } catch (StopReading e) {
            if (!e.stops(raw)) {
                throw e;
            }
            visitor.problem(e.problem());
        } catch (VisitorFailed e) {
            throw e;
        } catch (EOFException e) {
            content.problem(archive.displayPath(), Describe.endsEarly(seen, Describe.reason(e)));
        } catch (IOException | RuntimeException e) {
            String reason = Describe.reason(e);
            content.problem(archive.displayPath(), Describe.soundsCut(reason)
                    ? Describe.endsEarly(seen, reason) : Describe.damaged(seen, reason));
        }
    }

    /**
     * Moves to the next member. Headers are bounded: PAX records and GNU long names are buffered whole by
     * commons-compress, so reading more than the rest of the current member plus 1 MiB before the next member
     * appears stops the archive.
     */
    private static TarArchiveEntry next(TarArchiveInputStream tar, MeteredInputStream raw, long dataEnd)
            throws IOException {
        raw.ceilingAt(Math.max(dataEnd, raw.count()) + MeteredInputStream.headerLimit(),
                "stopped reading this archive: a member's headers (PAX records or a GNU long name) run over "
                        + Describe.bytes(MeteredInputStream.headerLimit()) + "; the archive is damaged or hostile");
        TarArchiveEntry entry = tar.getNextEntry();
        raw.noCeiling();
        return entry;
    }

    private static long padded(long size) {
        return size <= 0 ? 0 : (size + RECORD - 1) / RECORD * RECORD;
    }

    private void member(Item archive, TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
        String rawName = entry.getName();
        if (rawName.length() > content.limits().maxPathLength()) {
            content.problem(archive.memberDisplay(rawName), "entry skipped: its name is " + rawName.length()
                    + " characters long, over the limit of " + content.limits().maxPathLength()
                    + " (LoadLimits.maxPathLength)");
            return;
        }
        EntryName.Outcome outcome = EntryName.normalise(rawName, false);
        if (outcome instanceof EntryName.Refused refused) {
            content.problem(archive.memberDisplay(rawName), "entry skipped: " + refused.reason());
            return;
        }
        String name = ((EntryName.Accepted) outcome).path();
        if (name.isEmpty() || entry.isDirectory()) {
            return;
        }
        Item item = archive.member(name);
        if (entry.isSymbolicLink()) {
            Links.report(visitor, content, item, archive, EntryName.folder(name), entry.getLinkName());
        } else if (entry.isLink()) {
            Links.report(visitor, content, item, archive, "", entry.getLinkName());
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            content.problem(item.displayPath(), "entry skipped: it is a device or a FIFO, not a file");
        } else {
            long size = entry.getRealSize();
            OptionalLong known = size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
            content.read(item, new NonClosingInputStream(tar), known, true);
        }
    }
}

package dev.rolloutdoctor.snapshot.io;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Decompresses a gzip stream (all its members, as {@code gzip -d} does) and reads what it holds. */
final class GzipReader {

    private final ContentReader content;
    private final ReadBudget budget;
    private final InputVisitor visitor;

    GzipReader(ContentReader content, ReadBudget budget, InputVisitor visitor) {
        this.content = content;
        this.budget = budget;
        this.visitor = visitor;
    }

    void read(Item item, InputStream in) {
        String source = item.displayPath();
        MeteredInputStream compressed = MeteredInputStream.watching(new NonClosingInputStream(in), source);
        compressed.ceilingAt(MeteredInputStream.headerLimit(), MeteredInputStream.headerMessage());
        MeteredInputStream out = null;
        try (GzipCompressorInputStream gz = GzipCompressorInputStream.builder()
                .setInputStream(compressed)
                .setDecompressConcatenated(true)
                .get()) {
            out = MeteredInputStream.decompressed(gz, compressed, budget, source, true);
            content.readGunzipped(item, out);
        } catch (StopReading e) {
            if (!e.stops(compressed) && (out == null || !e.stops(out))) {
                throw e;
            }
            visitor.problem(e.problem());
        } catch (VisitorFailed e) {
            throw e;
        } catch (EOFException e) {
            content.problem(source, "compressed file ends early: " + Describe.reason(e)
                    + "; it was probably cut short while being copied; copy it again");
        } catch (IOException | RuntimeException e) {
            content.problem(source, "cannot decompress: " + Describe.reason(e));
        }
    }
}

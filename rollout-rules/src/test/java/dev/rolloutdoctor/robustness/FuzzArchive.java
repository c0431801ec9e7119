package dev.rolloutdoctor.robustness;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Damages a {@code .tar.gz} in one of its layers and works out which members the damage cannot have reached: those
 * whose tar records all lie before the first changed byte of the tar, which for damage to the gzip stream is as much
 * of the tar as the untouched compressed prefix decodes to.
 */
final class FuzzArchive {

    /** Which bytes the damage hits. */
    enum Layer { GZIP, TAR }

    /** The damaged archive, what was done, and the members the damage left whole. */
    record Damaged(byte[] bytes, String detail, List<String> intactEntries, int entries) {
    }

    private static final int GZIP_HEADER = 10;
    private static final int RECORD = 512;

    private FuzzArchive() {
    }

    static Damaged damage(byte[] tarGz, Layer layer, Mutation mutation) {
        byte[] tar = gunzip(tarGz);
        if (layer == Layer.GZIP) {
            Mutation.Outcome outcome = mutation.apply(tarGz);
            int changed = firstChange(tarGz, outcome.bytes());
            long sound = changed < 0 ? tar.length : inflatedPrefix(tarGz, changed);
            return new Damaged(outcome.bytes(), outcome.detail() + " of the .tar.gz; the first " + sound + " tar bytes are sound",
                    entriesBefore(tar, sound), entriesBefore(tar, tar.length).size());
        }
        Mutation.Outcome outcome = mutation.apply(tar);
        int changed = firstChange(tar, outcome.bytes());
        long sound = changed < 0 ? tar.length : changed;
        return new Damaged(gzip(outcome.bytes()), outcome.detail() + " of the tar", entriesBefore(tar, sound),
                entriesBefore(tar, tar.length).size());
    }

    /** The first index at which the damaged bytes differ, -1 when they are the same. */
    private static int firstChange(byte[] original, byte[] damaged) {
        return Arrays.mismatch(original, damaged);
    }

    /** How many bytes the first {@code length} bytes of a gzip stream decode to on their own. */
    private static long inflatedPrefix(byte[] gz, int length) {
        if (length <= GZIP_HEADER || (gz[3] & 0xff) != 0) {
            return 0; // damage in the header, or a header with optional fields this count does not skip
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(gz, GZIP_HEADER, length - GZIP_HEADER);
            byte[] out = new byte[64 * 1024];
            long total = 0;
            while (true) {
                int n = inflater.inflate(out);
                total += n;
                if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                    return total;
                }
            }
        } catch (DataFormatException e) {
            return 0;
        } finally {
            inflater.end();
        }
    }

    /** Names of the members whose header and padded data end at or before {@code end}. */
    private static List<String> entriesBefore(byte[] tar, long end) {
        List<String> names = new ArrayList<>();
        Counting counting = new Counting(new ByteArrayInputStream(tar));
        try (TarArchiveInputStream in = new TarArchiveInputStream(counting)) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                long dataStart = counting.count;
                long dataEnd = dataStart + (entry.getSize() + RECORD - 1) / RECORD * RECORD;
                if (dataEnd > end) {
                    break;
                }
                if (!entry.isDirectory()) {
                    names.add(entry.getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the sound archive does not read", e);
        }
        return names;
    }

    private static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Counts the bytes the tar reader has taken, which it takes a record at a time. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}

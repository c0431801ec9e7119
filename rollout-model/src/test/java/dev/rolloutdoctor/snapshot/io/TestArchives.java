package dev.rolloutdoctor.snapshot.io;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;

/** Builds archives, hostile ones included, in memory with commons-compress writers: no binary fixtures. */
final class TestArchives {

    private TestArchives() {
    }

    static Tar tar() {
        return new Tar();
    }

    static Zip zip() {
        return new Zip();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes that do not compress, the same every run. */
    static byte[] noise(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] gzip(byte[] content) {
        return gzip(content, new GzipParameters());
    }

    static byte[] gzip(byte[] content, GzipParameters parameters) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out, parameters)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One gzip member holding 1 MiB of zeros, about 1 KiB long; repeated, it makes a bomb in no time. */
    static byte[] gzippedMebibyteOfZeros() {
        return gzip(new byte[1024 * 1024]);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] repeat(byte[] part, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(part.length * times);
        for (int i = 0; i < times; i++) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A lone ustar header for a regular file of {@code size} bytes, for streams assembled by hand. */
    static byte[] tarHeader(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(size);
        byte[] header = new byte[512];
        entry.writeEntryHeader(header);
        return header;
    }

    /** Writes tars with raw entry names: nothing is normalised, so hostile names stay hostile. */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

        Tar() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        Tar file(String name, String content) {
            return file(name, utf8(content));
        }

        Tar file(String name, byte[] content) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            return put(entry, content);
        }

        Tar dir(String name) {
            return put(new TarArchiveEntry(name, TarConstants.LF_DIR, true), new byte[0]);
        }

        Tar symlink(String name, String target) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            entry.setLinkName(target);
            return put(entry, new byte[0]);
        }

        Tar hardlink(String name, String target) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            entry.setLinkName(target);
            return put(entry, new byte[0]);
        }

        /** A PAX header giving the next entry this path, written by hand: the writer is slow on huge names. */
        Tar paxPath(String path) {
            String body = " path=" + path + "\n";
            int length = body.length();
            while (String.valueOf(length).length() + body.length() != length) {
                length = String.valueOf(length).length() + body.length();
            }
            byte[] record = utf8(length + body);
            TarArchiveEntry entry = new TarArchiveEntry("PaxHeaders/next",
                    TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
            entry.setSize(record.length);
            return put(entry, record);
        }

        Tar fifo(String name) {
            return put(new TarArchiveEntry(name, TarConstants.LF_FIFO, true), new byte[0]);
        }

        private Tar put(TarArchiveEntry entry, byte[] content) {
            // whole seconds, so that no PAX header is needed for the time and every entry is header + data
            entry.setModTime(FileTime.fromMillis(1_670_424_812_000L));
            try {
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] build() {
            try {
                tar.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        byte[] gzipped() {
            return gzip(build());
        }
    }

    /** Writes ZIPs with raw entry names. */
    static final class Zip {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes);

        Zip file(String name, String content) {
            return file(name, utf8(content));
        }

        Zip file(String name, byte[] content) {
            try {
                zip.putArchiveEntry(new ZipArchiveEntry(name));
                zip.write(content);
                zip.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Zip dir(String name) {
            return file(name.endsWith("/") ? name : name + "/", new byte[0]);
        }

        byte[] build() {
            try {
                zip.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    /** Fast gzip for big test inputs: the fastest level is plenty for test data. */
    static GzipParameters fastest() {
        GzipParameters parameters = new GzipParameters();
        parameters.setCompressionLevel(Deflater.BEST_SPEED);
        return parameters;
    }

    static byte[] cut(byte[] bytes, int keep) {
        return Arrays.copyOf(bytes, keep);
    }
}

package dev.rolloutdoctor.cli;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes crafted archives straight to disk, streaming, so that a bomb or a million entries costs the test neither
 * memory nor much disk; entry names are written raw, so hostile names stay hostile.
 */
final class HostileArchives {

    private static final FileTime MODIFIED = FileTime.fromMillis(1_714_557_600_000L);
    private static final int BUFFER = 1 << 16;

    private HostileArchives() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A tar being written to a file, gzipped or plain; in a gzipped one, runs of zeros compress as a bomb does. */
    static final class Tar implements Closeable {

        private final TarArchiveOutputStream tar;

        private Tar(OutputStream out) {
            tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        static Tar gzipped(Path file) {
            return new Tar(new ZeroRunDeflater(open(file), true));
        }

        static Tar plain(Path file) {
            return new Tar(open(file));
        }

        Tar file(String name, String content) {
            return file(name, utf8(content));
        }

        Tar file(String name, byte[] content) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            return put(entry, content);
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

        /** One entry of {@code size} zero bytes, streamed. */
        Tar zeros(String name, long size) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(size);
            entry.setModTime(MODIFIED);
            try {
                tar.putArchiveEntry(entry);
                writeZeros(tar, size);
                tar.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** {@code count} empty files named {@code prefix0000000} on: a 512-byte header each before gzip. */
        Tar emptyFiles(String prefix, int count) {
            byte[] none = new byte[0];
            for (int i = 0; i < count; i++) {
                String number = Integer.toString(i);
                file(prefix + "0".repeat(Math.max(0, 7 - number.length())) + number, none);
            }
            return this;
        }

        private Tar put(TarArchiveEntry entry, byte[] content) {
            // whole seconds, so that no PAX header is needed for the time
            entry.setModTime(MODIFIED);
            try {
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public void close() {
            try {
                tar.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A tar of one file, in memory, for nesting inside another archive. */
    static byte[] tar(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            entry.setModTime(MODIFIED);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new ZeroRunDeflater(bytes, true)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A gzipped file of {@code size} zero bytes, streamed: 2 GiB takes about 2 MiB on disk. */
    static void gzippedZeros(Path file, long size) {
        try (OutputStream gz = new ZeroRunDeflater(open(file), true)) {
            writeZeros(gz, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A ZIP of deflated or stored entries, written by hand, since commons-compress's writer keeps its headers
     * honest: here the local header and the central directory can lie about an entry's size and method.
     */
    static final class Zip implements Closeable {

        private final OutputStream out;
        private final ByteArrayOutputStream central = new ByteArrayOutputStream();
        private long offset;
        private int entries;

        Zip(Path file) {
            out = open(file);
        }

        Zip deflated(String name, byte[] content) {
            return entry(name, 8, deflate(content), crc(content), content.length);
        }

        /** An entry of {@code size} zeros, deflated as a bomb: about 1 KiB per MiB. */
        Zip zeros(String name, long size) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            CRC32 crc = new CRC32();
            try (OutputStream deflater = new ZeroRunDeflater(compressed, false)) {
                byte[] zeros = new byte[BUFFER];
                for (long left = size; left > 0; left -= zeros.length) {
                    int n = (int) Math.min(left, zeros.length);
                    deflater.write(zeros, 0, n);
                    crc.update(zeros, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return entry(name, 8, compressed.toByteArray(), crc.getValue(), size);
        }

        /** A deflated entry whose headers say it holds {@code declaredSize} bytes. */
        Zip lying(String name, byte[] content, long declaredSize) {
            return entry(name, 8, deflate(content), crc(content), declaredSize);
        }

        /** An entry stored as it is, whose headers name {@code method} (14 is LZMA, 99 AES) as its compression. */
        Zip method(String name, byte[] content, int method) {
            return entry(name, method, content, crc(content), content.length);
        }

        private Zip entry(String name, int method, byte[] data, long crc, long declaredSize) {
            byte[] nameBytes = utf8(name);
            int declared = (int) Math.min(declaredSize, 0xFFFF_FFFEL);
            // version 2.0, UTF-8 names, the method, a fixed DOS time, then crc and sizes: no data descriptor
            ByteBuffer local = littleEndian(30 + nameBytes.length);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) method)
                    .putShort((short) 0).putShort((short) 0x5821)
                    .putInt((int) crc).putInt(data.length).putInt(declared)
                    .putShort((short) nameBytes.length).putShort((short) 0).put(nameBytes);
            ByteBuffer dir = littleEndian(46 + nameBytes.length);
            dir.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x0800)
                    .putShort((short) method).putShort((short) 0).putShort((short) 0x5821)
                    .putInt((int) crc).putInt(data.length).putInt(declared)
                    .putShort((short) nameBytes.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(nameBytes);
            central.writeBytes(dir.array());
            write(local.array());
            write(data);
            entries++;
            return this;
        }

        private void write(byte[] bytes) {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            offset += bytes.length;
        }

        @Override
        public void close() {
            byte[] dir = central.toByteArray();
            ByteBuffer end = littleEndian(22);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries)
                    .putShort((short) entries).putInt(dir.length).putInt((int) offset).putShort((short) 0);
            write(dir);
            write(end.array());
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The first {@code keep} bytes of {@code file}, written to {@code to}. */
    static void cut(Path file, Path to, long keep) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(to, Arrays.copyOf(bytes, (int) Math.min(keep, bytes.length)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deflates (raw, or framed as gzip) at the fastest level, except that each 16 MiB of zeros in a row is written
     * as one precomputed best-compression chunk: a gibibyte of zeros costs a scan instead of seconds of deflating,
     * and comes out at deflate's best ratio, about 1030:1, as {@code gzip -9} makes a bomb.
     */
    static final class ZeroRunDeflater extends OutputStream {

        private static final int MIB = 1 << 20;
        private static final int CHUNK = 16 * MIB;
        private static final byte[] ZEROS = new byte[MIB];
        private static final byte[] ZERO_CHUNK = zeroChunk();

        private final OutputStream out;
        private final boolean gzip;
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        private final byte[] buffer = new byte[BUFFER];
        private final CRC32 crc = new CRC32();
        private long size;
        private long pendingZeros;

        ZeroRunDeflater(OutputStream out, boolean gzip) {
            this.out = out;
            this.gzip = gzip;
            if (gzip) {
                raw(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
            }
        }

        /** {@code CHUNK} zeros deflated on their own, ending byte-aligned and referring to nothing before them. */
        private static byte[] zeroChunk() {
            Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            byte[] buf = new byte[BUFFER];
            for (int i = 0; i < CHUNK / MIB; i++) {
                d.setInput(ZEROS);
                int flush = i == CHUNK / MIB - 1 ? Deflater.FULL_FLUSH : Deflater.NO_FLUSH;
                int n;
                do {
                    n = d.deflate(buf, 0, buf.length, flush);
                    chunk.write(buf, 0, n);
                } while (n == buf.length || !d.needsInput());
            }
            d.end();
            return chunk.toByteArray();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int start = off; start < off + len; start += MIB) {
                piece(b, start, Math.min(MIB, off + len - start));
            }
        }

        private void piece(byte[] b, int off, int len) throws IOException {
            crc.update(b, off, len);
            size += len;
            if (Arrays.mismatch(b, off, off + len, ZEROS, 0, len) < 0) {
                pendingZeros += len;
                return;
            }
            flushZeros();
            deflate(b, off, len, Deflater.NO_FLUSH);
        }

        private void flushZeros() throws IOException {
            if (pendingZeros >= CHUNK) {
                // empties the deflater and forgets its window, so that nothing after the chunks refers across them
                deflate(new byte[0], 0, 0, Deflater.FULL_FLUSH);
                for (; pendingZeros >= CHUNK; pendingZeros -= CHUNK) {
                    raw(ZERO_CHUNK);
                }
            }
            for (; pendingZeros > 0; pendingZeros -= Math.min(pendingZeros, MIB)) {
                deflate(ZEROS, 0, (int) Math.min(pendingZeros, MIB), Deflater.NO_FLUSH);
            }
        }

        private void deflate(byte[] b, int off, int len, int flush) throws IOException {
            deflater.setInput(b, off, len);
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, flush);
                out.write(buffer, 0, n);
            } while (n == buffer.length || !deflater.needsInput());
        }

        @Override
        public void close() throws IOException {
            flushZeros();
            deflater.finish();
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            deflater.end();
            if (gzip) {
                raw(littleEndian(8).putInt((int) crc.getValue()).putInt((int) size).array());
            }
            out.close();
        }

        private void raw(byte[] bytes) {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static byte[] deflate(byte[] content) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream deflater = new ZeroRunDeflater(compressed, false)) {
            deflater.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    private static long crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }

    private static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static OutputStream open(Path file) {
        try {
            return new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeZeros(OutputStream out, long size) throws IOException {
        byte[] zeros = new byte[BUFFER];
        for (long left = size; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(left, zeros.length));
        }
    }
}

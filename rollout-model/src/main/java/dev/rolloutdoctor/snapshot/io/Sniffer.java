package dev.rolloutdoctor.snapshot.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/** Tells archives from documents by their first bytes, and hands the stream back with those bytes still in it. */
final class Sniffer {

    /** What a stream holds. */
    enum Kind { DOCUMENT, GZIP, ZIP, TAR }

    /** The kind found, and the stream to read it from (from its first byte). */
    record Sniffed(Kind kind, InputStream stream) {
    }

    private static final int HEAD = 512;
    private static final int TAR_MAGIC_OFFSET = 257;
    private static final byte[] TAR_MAGIC = "ustar".getBytes(StandardCharsets.US_ASCII);

    private Sniffer() {
    }

    /** Peeks at up to 512 bytes; {@code name} only decides for old tars, which have no magic. */
    static Sniffed sniff(InputStream in, String name) throws IOException {
        byte[] head = in.readNBytes(HEAD);
        InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), in);
        return new Sniffed(kind(head, name), whole);
    }

    static Kind kind(byte[] head, String name) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Kind.GZIP;
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6)) {
            return Kind.ZIP;
        }
        if (hasTarMagic(head) || name.endsWith(".tar")) {
            return Kind.TAR;
        }
        return Kind.DOCUMENT;
    }

    private static boolean hasTarMagic(byte[] head) {
        if (head.length < TAR_MAGIC_OFFSET + TAR_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < TAR_MAGIC.length; i++) {
            if (head[TAR_MAGIC_OFFSET + i] != TAR_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}

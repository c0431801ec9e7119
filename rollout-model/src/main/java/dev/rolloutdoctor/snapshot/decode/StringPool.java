package dev.rolloutdoctor.snapshot.decode;

/**
 * Hands out one String for repeated short scalars (kinds, namespaces, node names, images, label values, reasons), so
 * a snapshot of a large bundle does not keep hundreds of thousands of copies of the same text. A fixed table of
 * recent strings, direct-mapped by hash: bounded memory whatever the input, and a miss only costs the String the
 * parser would have made anyway. Not thread-safe: one per reader.
 */
final class StringPool {

    /** Longer texts are messages, uids and digests: nearly always unique, so not worth a lookup. */
    static final int MAX_POOLED_LENGTH = 64;
    private static final int SLOTS = 1 << 12;

    private final String[] slots = new String[SLOTS];
    private final int[] hashes = new int[SLOTS];

    String of(char[] chars, int offset, int length) {
        if (length > MAX_POOLED_LENGTH) {
            return new String(chars, offset, length);
        }
        int hash = 0;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + chars[i];
        }
        int slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
        String pooled = slots[slot];
        if (pooled != null && hashes[slot] == hash && pooled.length() == length && same(pooled, chars, offset)) {
            return pooled;
        }
        String made = new String(chars, offset, length);
        slots[slot] = made;
        hashes[slot] = hash;
        return made;
    }

    String of(String text) {
        if (text.length() > MAX_POOLED_LENGTH) {
            return text;
        }
        int hash = text.hashCode();
        int slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
        String pooled = slots[slot];
        if (text.equals(pooled)) {
            return pooled;
        }
        slots[slot] = text;
        hashes[slot] = hash;
        return text;
    }

    private static boolean same(String pooled, char[] chars, int offset) {
        for (int i = 0; i < pooled.length(); i++) {
            if (pooled.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}

package dev.rolloutdoctor.snapshot.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * A mapping, keeping its keys in the order written. Kubernetes objects have small mappings, so keys sit in an
 * array and lookups scan it: less memory and faster than a hash map at these sizes.
 */
public final class MapNode implements Node {

    private static final String[] NO_KEYS = new String[0];
    private static final Node[] NO_VALUES = new Node[0];

    /** An empty mapping at no particular place, for absent sections. */
    public static final MapNode EMPTY = new MapNode(NO_KEYS, NO_VALUES, 0, 0, 0);

    private final String[] keys;
    private final Node[] values;
    private final int size;
    private final int line;
    private final int column;

    private MapNode(String[] keys, Node[] values, int size, int line, int column) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.line = line;
        this.column = column;
    }

    /** A mapping of the first {@code size} keys and values, copied; the keys must be distinct. */
    static MapNode copyOf(String[] keys, Node[] values, int size, int line, int column) {
        if (size == 0) {
            return new MapNode(NO_KEYS, NO_VALUES, 0, line, column);
        }
        return new MapNode(java.util.Arrays.copyOf(keys, size), java.util.Arrays.copyOf(values, size), size, line, column);
    }

    @Override
    public Node get(String key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return MissingNode.INSTANCE;
    }

    public boolean has(String key) {
        return get(key) != MissingNode.INSTANCE;
    }

    public int size() {
        return size;
    }

    public String keyAt(int i) {
        return keys[i];
    }

    public Node valueAt(int i) {
        return values[i];
    }

    public List<String> keys() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(keys[i]);
        }
        return out;
    }

    /** A copy with {@code key} set to {@code value} (added at the end when new). */
    public MapNode with(String key, Node value) {
        Builder b = new Builder(line, column);
        for (int i = 0; i < size; i++) {
            b.put(keys[i], values[i]);
        }
        b.put(key, value);
        return b.build();
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int line() {
        return line;
    }

    @Override
    public int column() {
        return column;
    }

    @Override
    public String describe() {
        return "a mapping";
    }

    /** Collects keys and values in order; a repeated key replaces the earlier value (last one wins, as kubectl's decoder does). */
    public static final class Builder {
        private String[] keys = new String[8];
        private Node[] values = new Node[8];
        private int size;
        private final int line;
        private final int column;

        public Builder(int line, int column) {
            this.line = line;
            this.column = column;
        }

        /** Adds a key; returns false when the key was already there (its value is replaced). */
        public boolean put(String key, Node value) {
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    values[i] = value;
                    return false;
                }
            }
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            size++;
            return true;
        }

        public MapNode build() {
            if (size == 0) {
                return new MapNode(NO_KEYS, NO_VALUES, 0, line, column);
            }
            return new MapNode(java.util.Arrays.copyOf(keys, size), java.util.Arrays.copyOf(values, size), size, line, column);
        }
    }
}

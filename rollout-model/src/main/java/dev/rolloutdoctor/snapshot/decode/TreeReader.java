package dev.rolloutdoctor.snapshot.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@link Node} tree for the value the parser stands on. Fields no diagnosis needs and that weigh most
 * ({@code managedFields}) are skipped unread; repeated keys are reported; overlong strings are cut.
 */
public final class TreeReader {

    /** Keys skipped wherever they appear: server-side-apply bookkeeping, often half of an object's bytes. */
    private static final Set<String> SKIPPED = Set.of("managedFields");

    /** Receives what is odd but not fatal in a document. */
    public interface Listener {
        void duplicateKey(String key, int line, int column);

        void stringTooLong(int length, int line, int column);

        /** A YAML alias ({@code *name}): read as the anchor's name, not expanded, since kubectl never writes them. */
        void alias(String anchor, int line, int column);
    }

    private final int maxStringLength;
    private final Listener listener;
    private final StringPool pool = new StringPool();
    private String[][] scratchKeys = new String[16][];
    private Node[][] scratchValues = new Node[16][];
    private int depth;
    private int lineOffset;

    public TreeReader(int maxStringLength, Listener listener) {
        this.maxStringLength = maxStringLength;
        this.listener = listener;
    }

    /** Lines to add to the parser's line numbers, when it reads a part of a larger file. */
    public void lineOffset(int offset) {
        this.lineOffset = offset;
    }

    /** Reads the value whose first token the parser is on; leaves the parser on its last token. */
    public Node read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        int tokenLine = tokenLine(p);
        int tokenColumn = tokenColumn(p);
        int line = tokenLine > 0 ? tokenLine + lineOffset : 0;
        int column = tokenColumn > 0 ? tokenColumn : 0;
        if (t == JsonToken.START_OBJECT) {
            return readMap(p, line, column);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p));
            }
            return new SeqNode(items.isEmpty() ? List.of() : items, line, column);
        }
        return scalar(p, t, line, column);
    }

    private MapNode readMap(JsonParser p, int line, int column) throws IOException {
        // keys and values gather in arrays kept per nesting level, so a mapping costs only its final, exact-size copy
        int level = depth++;
        try {
            if (level == scratchKeys.length) {
                scratchKeys = Arrays.copyOf(scratchKeys, level * 2);
                scratchValues = Arrays.copyOf(scratchValues, level * 2);
            }
            if (scratchKeys[level] == null) {
                scratchKeys[level] = new String[16];
                scratchValues[level] = new Node[16];
            }
            String[] keys = scratchKeys[level];
            Node[] values = scratchValues[level];
            int size = 0;
            boolean yaml = p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                // the JSON parser already shares the String of each field name; the YAML parser makes a new one each time
                String key = yaml ? pool.of(p.currentName()) : p.currentName();
                JsonToken valueToken = p.nextToken();
                if (SKIPPED.contains(key)) {
                    if (valueToken == JsonToken.START_OBJECT || valueToken == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                    continue;
                }
                int keyLine = tokenLine(p);
                int keyColumn = tokenColumn(p);
                Node value = read(p);
                int existing = indexOf(keys, size, key);
                if (existing >= 0) {
                    // last one wins, as kubectl's decoder does; the key keeps its first place
                    values[existing] = value;
                    listener.duplicateKey(key, Math.max(0, keyLine) + lineOffset, Math.max(0, keyColumn));
                    continue;
                }
                if (size == keys.length) {
                    keys = Arrays.copyOf(keys, size * 2);
                    values = Arrays.copyOf(values, size * 2);
                    scratchKeys[level] = keys;
                    scratchValues[level] = values;
                }
                keys[size] = key;
                values[size] = value;
                size++;
            }
            MapNode map = MapNode.copyOf(keys, values, size, line, column);
            Arrays.fill(keys, 0, size, null);
            Arrays.fill(values, 0, size, null);
            return map;
        } finally {
            depth--;
        }
    }

    private static int indexOf(String[] keys, int size, String key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The line of the current token, as {@link JsonParser#currentTokenLocation()} gives it. For the byte parser of JSON
     * it is read without making a location object: a large bundle has tens of millions of tokens.
     */
    private static int tokenLine(JsonParser p) {
        if (p instanceof UTF8StreamJsonParser u && p.currentToken() != JsonToken.FIELD_NAME) {
            return u.getTokenLineNr();
        }
        return p.currentTokenLocation().getLineNr();
    }

    /** The column of the current token, as {@link JsonParser#currentTokenLocation()} gives it (see {@link #tokenLine}). */
    private static int tokenColumn(JsonParser p) {
        if (p instanceof UTF8StreamJsonParser u && p.currentToken() != JsonToken.FIELD_NAME) {
            // getTokenColumnNr() is the location's column plus one, unless unknown (negative)
            int column = u.getTokenColumnNr();
            return column < 0 ? column : column - 1;
        }
        return p.currentTokenLocation().getColumnNr();
    }

    private Node scalar(JsonParser p, JsonToken t, int line, int column) throws IOException {
        ScalarNode.Type type = switch (t) {
            case VALUE_NUMBER_INT -> ScalarNode.Type.INTEGER;
            case VALUE_NUMBER_FLOAT -> ScalarNode.Type.FLOAT;
            case VALUE_TRUE, VALUE_FALSE -> ScalarNode.Type.BOOLEAN;
            case VALUE_NULL -> ScalarNode.Type.NULL;
            default -> ScalarNode.Type.STRING;
        };
        if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser yp && yp.isCurrentAlias()) {
            listener.alias(p.getText(), line, column);
        }
        String text = text(p, t);
        if (text == null) {
            text = "";
        }
        if (text.length() > maxStringLength) {
            listener.stringTooLong(text.length(), line, column);
            text = text.substring(0, maxStringLength);
        }
        return new ScalarNode(text, type, line, column);
    }

    /** The scalar's text, the same String for repeated short values. */
    private String text(JsonParser p, JsonToken t) throws IOException {
        boolean textual = t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
        if (textual && !(p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser)) {
            // read from the parser's buffer: a pooled value costs no String at all
            return pool.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
        String text = p.getText();
        return text == null ? null : pool.of(text);
    }
}

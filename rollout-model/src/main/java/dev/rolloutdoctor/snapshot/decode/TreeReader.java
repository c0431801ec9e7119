package dev.rolloutdoctor.snapshot.decode;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
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
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr() > 0 ? loc.getLineNr() + lineOffset : 0;
        int column = loc.getColumnNr() > 0 ? loc.getColumnNr() : 0;
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
        MapNode.Builder b = new MapNode.Builder(line, column);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken valueToken = p.nextToken();
            if (SKIPPED.contains(key)) {
                if (valueToken == JsonToken.START_OBJECT || valueToken == JsonToken.START_ARRAY) {
                    p.skipChildren();
                }
                continue;
            }
            JsonLocation keyLoc = p.currentTokenLocation();
            if (!b.put(key, read(p))) {
                listener.duplicateKey(key, Math.max(0, keyLoc.getLineNr()) + lineOffset, Math.max(0, keyLoc.getColumnNr()));
            }
        }
        return b.build();
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
        String text = p.getText();
        if (text == null) {
            text = "";
        }
        if (text.length() > maxStringLength) {
            listener.stringTooLong(text.length(), line, column);
            text = text.substring(0, maxStringLength);
        }
        return new ScalarNode(text, type, line, column);
    }
}

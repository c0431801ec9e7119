package dev.rolloutdoctor.snapshot.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rolloutdoctor.snapshot.DataGap;
import dev.rolloutdoctor.snapshot.SkippedInput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads a collector's error file ({@code cluster-resources/pods-errors.json}, a {@code -logs-errors.log}) into data gaps. */
final class CollectorErrors {

    private static final JsonFactory JSON = new JsonFactory();

    private CollectorErrors() {
    }

    static void read(PathHint hint, byte[] content, String source, LoadSink sink) {
        String kind = hint.kind().orElse("");
        String namespace = hint.namespace().orElse("");
        String text = new String(content, StandardCharsets.UTF_8).trim();
        if (text.startsWith("{")) {
            object(content, kind, namespace, source, sink);
            return;
        }
        if (!text.startsWith("[")) {
            if (!text.isEmpty()) {
                sink.gap(new DataGap(kind, namespace, firstLine(text), source));
            }
            return;
        }
        try (JsonParser p = JSON.createParser(content)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return;
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                if (t == JsonToken.VALUE_STRING) {
                    sink.gap(new DataGap(kind, namespace, p.getText(), source));
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            sink.skipped(new SkippedInput(source, "an unreadable collector error file: " + e.getMessage()));
        }
    }

    /** {@code collector-errors/<name>.json}: {"collector": "etcd", "error": "...", "timestamp": "..."}. */
    private static void object(byte[] content, String kind, String namespace, String source, LoadSink sink) {
        String collector = "";
        String error = "";
        try (JsonParser p = JSON.createParser(content)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && field.equals("collector")) {
                    collector = p.getText();
                } else if (value == JsonToken.VALUE_STRING && field.equals("error")) {
                    error = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            sink.skipped(new SkippedInput(source, "an unreadable collector error file: " + e.getMessage()));
            return;
        }
        if (!error.isEmpty()) {
            sink.gap(new DataGap(kind, namespace, collector.isEmpty() ? error : "collector " + collector + ": " + error, source));
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}

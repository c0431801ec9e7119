package dev.rolloutdoctor.snapshot.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a YAML stream at its {@code ---} document markers, so that a broken document costs only itself: the
 * parser cannot resume after an error, but the next document can be parsed afresh.
 */
final class YamlDocuments {

    /** One document's text and the 1-based line of the file it starts on. */
    record Document(String text, int firstLine) {
    }

    private YamlDocuments() {
    }

    static List<Document> split(String text) {
        List<Document> docs = new ArrayList<>();
        int docStart = 0;
        int docLine = 1;
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int eol = text.indexOf('\n', i);
            int end = eol < 0 ? n : eol;
            if (isMarker(text, i, end)) {
                addIfContent(docs, text.substring(docStart, i), docLine);
                // the marker line itself may carry content after "--- " ("--- !tag" or an inline document): keep it
                docStart = i + 3;
                docLine = line;
            }
            i = end + 1;
            line++;
        }
        addIfContent(docs, text.substring(Math.min(docStart, n)), docLine);
        return docs;
    }

    private static boolean isMarker(String text, int start, int end) {
        if (end - start < 3 || !text.startsWith("---", start)) {
            return false;
        }
        return end - start == 3 || text.charAt(start + 3) == ' ' || text.charAt(start + 3) == '\t' || text.charAt(start + 3) == '\r';
    }

    private static void addIfContent(List<Document> docs, String doc, int firstLine) {
        for (int i = 0; i < doc.length(); i++) {
            char c = doc.charAt(i);
            if (c == '#') {
                int eol = doc.indexOf('\n', i);
                if (eol < 0) {
                    return;
                }
                i = eol;
            } else if (!Character.isWhitespace(c)) {
                docs.add(new Document(doc, firstLine));
                return;
            }
        }
    }
}

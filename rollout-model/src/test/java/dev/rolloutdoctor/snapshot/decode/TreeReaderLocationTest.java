package dev.rolloutdoctor.snapshot.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TreeReaderLocationTest {

    private static final String JSON = """
            {"kind": "Pod", "metadata": {"name": "web-0", "labels": {"app": "web"}},
              "spec": {
                "containers": [ {"name": "app", "image": "ghcr.io/acme/web:1.0", "ports": [8080, 9090]},
                                {"name": "sidecar", "args": ["--x", null, true, 1.5]} ]
              }
            }
            """;

    private static final TreeReader.Listener QUIET = new TreeReader.Listener() {
        @Override
        public void duplicateKey(String key, int line, int column) {
        }

        @Override
        public void stringTooLong(int length, int line, int column) {
        }

        @Override
        public void alias(String anchor, int line, int column) {
        }
    };

    @Test
    void everyNodeOfAJsonDocumentReadFromBytesHasTheLocationJacksonGivesItsToken() throws IOException {
        JsonFactory factory = new JsonFactory();
        List<int[]> expected = new ArrayList<>();
        try (JsonParser p = factory.createParser(JSON.getBytes(StandardCharsets.UTF_8))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
                    JsonLocation loc = p.currentTokenLocation();
                    expected.add(new int[] {loc.getLineNr() > 0 ? loc.getLineNr() : 0, loc.getColumnNr() > 0 ? loc.getColumnNr() : 0});
                }
            }
        }
        List<int[]> actual = new ArrayList<>();
        try (JsonParser p = factory.createParser(JSON.getBytes(StandardCharsets.UTF_8))) {
            p.nextToken();
            collect(new TreeReader(1000, QUIET).read(p), actual);
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("node " + i).containsExactly(expected.get(i));
        }
        assertThat(expected).anySatisfy(loc -> assertThat(loc[0]).isGreaterThan(1));
    }

    private static void collect(Node node, List<int[]> out) {
        out.add(new int[] {node.line(), node.column()});
        if (node instanceof MapNode m) {
            for (int i = 0; i < m.size(); i++) {
                collect(m.valueAt(i), out);
            }
        } else if (node instanceof SeqNode s) {
            s.items().forEach(item -> collect(item, out));
        }
    }
}

package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.PodLog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps the tail of a container log: the last lines are what explains a crash. */
final class LogTail {

    /** At most this many lines are kept, whatever the byte limit allows. */
    static final int MAX_LINES = 200;

    private LogTail() {
    }

    static PodLog read(PathHint.LogTarget target, byte[] content, int maxBytes, String source) {
        int from = Math.max(0, content.length - maxBytes);
        boolean truncated = from > 0;
        if (truncated) {
            // start at a line boundary
            while (from < content.length && content[from - 1] != '\n') {
                from++;
            }
        }
        String text = new String(content, from, content.length - from, StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--;
        }
        int skipped = Math.max(0, count - MAX_LINES);
        List<String> kept = new ArrayList<>(count - skipped);
        for (int i = skipped; i < count; i++) {
            kept.add(lines[i]);
        }
        int linesBefore = truncated ? countNewlines(content, from) : 0;
        return new PodLog(target.namespace(), target.pod(), target.container(), target.previous(), kept,
                linesBefore + skipped + 1, truncated || skipped > 0, source);
    }

    private static int countNewlines(byte[] c, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo; i++) {
            if (c[i] == '\n') {
                n++;
            }
        }
        return n;
    }
}

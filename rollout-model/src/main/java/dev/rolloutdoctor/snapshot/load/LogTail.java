package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.PodLog;
import dev.rolloutdoctor.snapshot.decode.CredentialHeuristics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps the tail of a container log, the last lines being what explains a crash, with credentials withheld. */
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
        List<String> kept = screen(lines, skipped, count);
        int linesBefore = truncated ? countNewlines(content, from) : 0;
        return new PodLog(target.namespace(), target.pod(), target.container(), target.previous(), kept,
                linesBefore + skipped + 1, truncated || skipped > 0, source);
    }

    /**
     * The lines from {@code from} to {@code to} with credentials withheld: logs get pasted into tickets with the
     * report, so the model keeps no password a program printed. Lines inside a PEM private key block, and lines that
     * are nothing but an opaque token, are withheld whole.
     */
    static List<String> screen(String[] lines, int from, int to) {
        List<String> kept = new ArrayList<>(to - from);
        boolean inPrivateKey = false;
        for (int i = from; i < to; i++) {
            String line = lines[i];
            if (inPrivateKey) {
                inPrivateKey = !line.contains("-----END");
                kept.add(inPrivateKey ? CredentialHeuristics.WITHHELD : line);
            } else if (line.contains("-----BEGIN") && line.contains("PRIVATE KEY")) {
                inPrivateKey = !line.contains("-----END");
                kept.add(inPrivateKey ? line : CredentialHeuristics.WITHHELD);
            } else {
                kept.add(CredentialHeuristics.isOpaqueToken(line.strip()) ? CredentialHeuristics.WITHHELD
                        : CredentialHeuristics.screenLogLine(line));
            }
        }
        return kept;
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

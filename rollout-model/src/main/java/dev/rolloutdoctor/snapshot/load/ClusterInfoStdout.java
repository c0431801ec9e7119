package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.LoadProblem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits what {@code kubectl cluster-info dump} prints to stdout: JSON documents one after another, with each
 * container's log between {@code ==== START logs for container C of pod NS/P ====} and the matching END line.
 */
final class ClusterInfoStdout {

    private static final byte[] MARKER = "==== START logs for container ".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern START = Pattern.compile("==== START logs for container (\\S+) of pod ([^/\\s]+)/(\\S+) ====");
    private static final Pattern END = Pattern.compile("==== END logs for container \\S+ of pod \\S+ ====");

    private ClusterInfoStdout() {
    }

    static boolean looksLikeOne(byte[] content) {
        int limit = content.length - MARKER.length;
        outer:
        for (int i = 0; i <= limit; i++) {
            if (content[i] != '=' || (i > 0 && content[i - 1] != '\n')) {
                continue;
            }
            for (int j = 0; j < MARKER.length; j++) {
                if (content[i + j] != MARKER[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static void split(String text, String displayPath, DocumentParser parser, PathHint hint, LoadSink sink) {
        String[] lines = text.split("\n", -1);
        StringBuilder json = new StringBuilder();
        int jsonFirstLine = 1;
        int document = 0;
        int i = 0;
        while (i < lines.length) {
            Matcher start = START.matcher(lines[i].stripTrailing());
            if (!start.matches()) {
                if (json.length() == 0) {
                    jsonFirstLine = i + 1;
                }
                json.append(lines[i]).append('\n');
                i++;
                continue;
            }
            document = flush(json, jsonFirstLine, displayPath, parser, hint, sink, document);
            List<String> log = new ArrayList<>();
            int logStart = i + 2;
            i++;
            while (i < lines.length && !END.matcher(lines[i].stripTrailing()).matches() && !startsSomethingElse(lines[i])) {
                log.add(lines[i]);
                i++;
            }
            if (i < lines.length && END.matcher(lines[i].stripTrailing()).matches()) {
                i++;
            } else {
                // a damaged END line must not turn the rest of the dump into log text
                sink.problem(new LoadProblem(displayPath, logStart - 1, 0, "", "the log of container " + start.group(1)
                        + " of pod " + start.group(2) + "/" + start.group(3) + " has no \"==== END logs\" line; it was taken to end "
                        + (i < lines.length ? "before line " + (i + 1) + ", where a JSON document or another log starts" : "with the file")));
            }
            PathHint.LogTarget target = new PathHint.LogTarget(start.group(2), start.group(3), start.group(1), false);
            byte[] bytes = String.join("\n", log).getBytes(StandardCharsets.UTF_8);
            var podLog = LogTail.read(target, bytes, parser.limits().maxLogBytesPerContainer(), displayPath);
            sink.log(new dev.rolloutdoctor.snapshot.PodLog(podLog.namespace(), podLog.pod(), podLog.container(), false,
                    podLog.lines(), logStart + podLog.firstLine() - 1, podLog.truncated(), displayPath));
        }
        flush(json, jsonFirstLine, displayPath, parser, hint, sink, document);
    }

    /** A line that cannot be log text: the next log's START marker, or the opening brace of the next JSON document. */
    private static boolean startsSomethingElse(String line) {
        String trimmed = line.stripTrailing();
        return trimmed.equals("{") || START.matcher(trimmed).matches();
    }

    private static int flush(StringBuilder json, int firstLine, String displayPath, DocumentParser parser, PathHint hint,
                             LoadSink sink, int document) {
        if (json.toString().isBlank()) {
            json.setLength(0);
            return document;
        }
        parser.parseJsonText(displayPath, json.toString(), firstLine - 1, hint, sink, document);
        json.setLength(0);
        return document + 1;
    }
}

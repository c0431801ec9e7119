package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.decode.Times;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Capture times that bundles state themselves: troubleshoot's folder name, must-gather's timestamp file, sonobuoy's archive name. */
public final class BundleTimes {

    /** A time a bundle states, and where it says so. */
    public record Stated(Instant instant, String detail) {
    }

    private static final Pattern TROUBLESHOOT = Pattern.compile(
            "(?:^|.*/|.*!/)support-bundle-(\\d{4}-\\d{2}-\\d{2})T(\\d{2})_(\\d{2})_(\\d{2})(?:/.*|\\.tar\\.gz!/.*|\\.tgz!/.*)");
    private static final Pattern SONOBUOY = Pattern.compile("(?:^|.*/)(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})_sonobuoy_[^/]*\\.tar\\.gz!/.*");
    private static final Pattern MUST_GATHER_TIMESTAMP = Pattern.compile("(?:^|.*/)timestamp");

    private BundleTimes() {
    }

    /** The time the entry's path or content states, if it is one of the entries that state one. */
    public static Optional<Stated> of(String path, String displayPath, byte[] content) {
        Matcher m = TROUBLESHOOT.matcher(displayPath);
        if (m.matches()) {
            try {
                LocalDateTime t = LocalDateTime.parse(m.group(1) + "T" + m.group(2) + ":" + m.group(3) + ":" + m.group(4));
                return Optional.of(new Stated(t.toInstant(ZoneOffset.UTC), "the support bundle's folder name"));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        m = SONOBUOY.matcher(displayPath);
        if (m.matches()) {
            try {
                LocalDateTime t = LocalDateTime.parse(m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "T" + m.group(4) + ":" + m.group(5));
                return Optional.of(new Stated(t.toInstant(ZoneOffset.UTC), "the sonobuoy archive's name"));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (MUST_GATHER_TIMESTAMP.matcher(path).matches() && content.length < 4096) {
            return mustGather(new String(content, StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    /** must-gather's {@code timestamp} file: start and end lines in Go's time format; the last line is when gathering ended. */
    private static Optional<Stated> mustGather(String text) {
        Optional<Instant> last = Optional.empty();
        for (String line : text.split("\n")) {
            String t = line.trim();
            int monotonic = t.indexOf(" m=");
            if (monotonic > 0) {
                t = t.substring(0, monotonic);
            }
            Optional<Instant> parsed = Times.parse(t);
            if (parsed.isPresent()) {
                last = parsed;
            }
        }
        return last.map(i -> new Stated(i, "must-gather's timestamp file"));
    }
}

package dev.rolloutdoctor.snapshot.decode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the timestamps found in dumps: RFC 3339 with or without fractions and offsets (what the API server writes),
 * and the forms of Go's {@code time.Time.String()} that hand-written fixtures use ({@code 2018-01-09 22:56:45 UTC},
 * {@code 2018-01-09 22:56:45 +0000 UTC}).
 */
public final class Times {

    private static final Pattern GO_STRING = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)(?: ([+-]\\d{4}))?(?: [A-Z]{2,5})?");

    private Times() {
    }

    /** The instant the text names, or empty when it is not a timestamp in any of the accepted forms. */
    public static Optional<Instant> parse(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException notRfc3339) {
            return parseGoString(text);
        }
    }

    private static Optional<Instant> parseGoString(String text) {
        var m = GO_STRING.matcher(text);
        if (!m.matches()) {
            // lowercase 'z' and 't' are valid RFC 3339
            if (text.indexOf('t') > 0 || text.endsWith("z")) {
                String upper = text.replace('t', 'T').replace('z', 'Z');
                if (!upper.equals(text)) {
                    return parse(upper);
                }
            }
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
            ZoneOffset offset = m.group(3) == null ? ZoneOffset.UTC
                    : ZoneOffset.of(m.group(3).substring(0, 3) + ":" + m.group(3).substring(3));
            return Optional.of(local.toInstant(offset));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}

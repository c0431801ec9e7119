package dev.rolloutdoctor.rules.messages;

import java.util.Arrays;
import java.util.List;

/** Text helpers shared by the volume message parsers: Go's quoting and list printing. */
final class VolumeTexts {

    /** The prefix client-go puts on an event that stands for several similar ones. */
    static final String COMBINED = "(combined from similar events): ";

    private VolumeTexts() {
    }

    /** The message without client-go's aggregation prefix and surrounding blanks. */
    static String plain(String message) {
        String text = message.strip();
        return text.startsWith(COMBINED) ? text.substring(COMBINED.length()) : text;
    }

    /** Undoes Go's {@code %q} escaping of quotes and backslashes (volume names never hold anything else). */
    static String unquote(String quoted) {
        return quoted.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** A Go {@code []string} printed with {@code %s}/{@code %v}: {@code [a b c]} without the brackets. */
    static List<String> goList(String inside) {
        if (inside == null || inside.isBlank()) {
            return List.of();
        }
        return Arrays.stream(inside.strip().split("\\s+")).toList();
    }
}

package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * Thrown when a string is not a Kubernetes resource quantity; it names the input and what is wrong with it.
 */
public final class QuantityFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;

    /**
     * @param input  the text that failed to parse, exactly as given
     * @param reason what is wrong with it, in one lower-case phrase ({@code unknown suffix "mi"})
     */
    public QuantityFormatException(String input, String reason) {
        super("invalid quantity " + quote(Objects.requireNonNull(input, "input")) + ": "
                + Objects.requireNonNull(reason, "reason"));
        this.input = input;
        this.reason = reason;
    }

    /** The text that failed to parse, exactly as given. */
    public String input() {
        return input;
    }

    /** What is wrong with the input, without the input itself. */
    public String reason() {
        return reason;
    }

    /** Quotes like Go's {@code %q} for the characters that matter, so a message always stays on one line. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}

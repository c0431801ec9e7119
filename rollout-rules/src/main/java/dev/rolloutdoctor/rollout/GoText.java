package dev.rolloutdoctor.rollout;

import java.math.BigInteger;

/**
 * The two pieces of Go's standard library whose text reaches kubectl's output: {@code strconv.Quote} (what
 * {@code %q} prints) and the errors of {@code strconv.ParseInt(s, 10, 64)}.
 */
final class GoText {

    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger INT64_CUTOFF = BigInteger.ONE.shiftLeft(63);

    private GoText() {
    }

    /** The result of {@link #parseInt64}: the value, or the error text Go would return. */
    record ParsedInt(long value, String error) {
        boolean ok() {
            return error.isEmpty();
        }
    }

    /**
     * Go's {@code strconv.ParseInt(text, 10, 64)}. The error texts are Go's {@code NumError}:
     * {@code strconv.ParseInt: parsing "abc": invalid syntax} and {@code ...: value out of range}. Like Go, it stops
     * at the first byte that is not a digit (a syntax error) or at the first digit that overflows 64 unsigned bits (a
     * range error), whichever comes first.
     */
    static ParsedInt parseInt64(String text) {
        if (text.isEmpty()) {
            return syntaxError(text);
        }
        int start = text.charAt(0) == '+' || text.charAt(0) == '-' ? 1 : 0;
        boolean negative = text.charAt(0) == '-';
        if (start == text.length()) {
            return syntaxError(text);
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return syntaxError(text);
            }
            value = value.multiply(BigInteger.TEN).add(BigInteger.valueOf(c - '0'));
            if (value.compareTo(MAX_UINT64) > 0) {
                return rangeError(text);
            }
        }
        if (!negative && value.compareTo(INT64_CUTOFF) >= 0 || negative && value.compareTo(INT64_CUTOFF) > 0) {
            return rangeError(text);
        }
        return new ParsedInt(negative ? value.negate().longValue() : value.longValue(), "");
    }

    private static ParsedInt syntaxError(String text) {
        return new ParsedInt(0, "strconv.ParseInt: parsing " + quote(text) + ": invalid syntax");
    }

    private static ParsedInt rangeError(String text) {
        return new ParsedInt(0, "strconv.ParseInt: parsing " + quote(text) + ": value out of range");
    }

    /**
     * Go's {@code strconv.Quote}: double quotes around the text, with {@code \"} and {@code \\}, the C escapes
     * ({@code \a \b \f \n \r \t \v}), {@code \xNN} for other ASCII control characters and {@code \u005CuNNNN} /
     * {@code \u005CUNNNNNNNN} for other runes that Go's {@code unicode.IsPrint} rejects. Printable runes are kept;
     * "printable" follows Java's Unicode tables, which may differ from Go's for the newest code points.
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(cp -> appendRune(out, cp));
        return out.append('"').toString();
    }

    private static void appendRune(StringBuilder out, int cp) {
        switch (cp) {
            case '"': out.append("\\\""); return;
            case '\\': out.append("\\\\"); return;
            case 0x07: out.append("\\a"); return;
            case '\b': out.append("\\b"); return;
            case '\f': out.append("\\f"); return;
            case '\n': out.append("\\n"); return;
            case '\r': out.append("\\r"); return;
            case '\t': out.append("\\t"); return;
            case 0x0B: out.append("\\v"); return;
            default:
                break;
        }
        if (isPrint(cp)) {
            out.appendCodePoint(cp);
        } else if (cp < ' ' || cp == 0x7F) {
            out.append(String.format("\\x%02x", cp));
        } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
            // a lone surrogate is not valid UTF-8: Go would see the replacement character's bytes
            out.append("\\ufffd");
        } else if (cp < 0x10000) {
            out.append(String.format("\\u%04x", cp));
        } else {
            out.append(String.format("\\U%08x", cp));
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols, and the ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION,
                    Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }
}

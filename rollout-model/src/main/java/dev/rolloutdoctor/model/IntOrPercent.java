package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A count or a percentage of a total, as Kubernetes writes {@code maxSurge}, {@code maxUnavailable} and similar
 * int-or-percent fields ({@code 1}, {@code 25%}), with the controllers' rounding.
 *
 * <p>Equality is by kind and number ({@code +5%} equals {@code 5%}); {@link #toString()} prints the text as written.
 */
public final class IntOrPercent {

    private final boolean percent;
    private final int value;
    private final String text;

    private IntOrPercent(boolean percent, int value, String text) {
        this.percent = percent;
        this.value = value;
        this.text = text;
    }

    /** A plain count, as a YAML/JSON integer such as {@code maxSurge: 1} means. */
    public static IntOrPercent ofInt(int value) {
        return new IntOrPercent(false, value, Integer.toString(value));
    }

    /** A percentage: {@code ofPercent(25)} is {@code 25%}. */
    public static IntOrPercent ofPercent(int percent) {
        return new IntOrPercent(true, percent, percent + "%");
    }

    /**
     * Parses {@code 25%} (a percentage) or {@code 1} (a count). The number is read with Go's {@code strconv.Atoi}
     * rules, as {@code intstr.GetScaledValueFromIntOrPercent} does: an optional sign and ASCII digits, nothing else.
     *
     * <p>Kubernetes itself treats a JSON <em>string</em> without {@code %} as an error, and API validation only lets
     * {@code ^[0-9]+%$} through; a count without {@code %} is accepted here for text that has lost its JSON type.
     *
     * @throws IllegalArgumentException naming the text if it is neither, or if the number does not fit an {@code int}
     */
    public static IntOrPercent parse(String text) {
        Objects.requireNonNull(text, "text");
        boolean percent = text.endsWith("%");
        String number = percent ? text.substring(0, text.length() - 1) : text;
        OptionalLong parsed = parseGoInt64(number);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(QuantityFormatException.quote(text)
                    + " is neither an integer nor a percentage like \"25%\"");
        }
        long v = parsed.getAsLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(QuantityFormatException.quote(text) + " is out of range");
        }
        return new IntOrPercent(percent, (int) v, text);
    }

    /** Whether this is a percentage of some total rather than a count. */
    public boolean isPercent() {
        return percent;
    }

    /** The number as written: the count, or the percentage without {@code %}. */
    public int value() {
        return value;
    }

    /**
     * Kubernetes' {@code intstr.GetScaledValueFromIntOrPercent}: a count is returned as is; a percentage is
     * {@code ceil(value * total / 100)} when {@code roundUp}, else {@code floor(...)}.
     *
     * @throws ArithmeticException if the result does not fit an {@code int}
     */
    public int scaledValue(int total, boolean roundUp) {
        if (!percent) {
            return value;
        }
        // Go computes this in float64. The product of two ints is exact in a long; it is also exact in a float64
        // while |value * total| <= 2^53 (any replica count with any percentage up to 4194304%). Then
        // |value * total / 100| < 2^47, where float64 values are at most 2^-6 apart, so the division's rounding
        // error is at most 2^-7. A quotient that is not a whole number is at least 1/100 away from one, so rounding
        // can never land it on one: Go's ceil and floor agree with the exact integer division below. Past 2^53 Go's
        // answer drifts and ours stays exact.
        long product = (long) value * total;
        long scaled = roundUp ? -Math.floorDiv(-product, 100) : Math.floorDiv(product, 100);
        return Math.toIntExact(scaled);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IntOrPercent)) {
            return false;
        }
        IntOrPercent other = (IntOrPercent) o;
        return percent == other.percent && value == other.value;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(percent) * 31 + value;
    }

    /** The text as written ({@code 25%}, {@code 1}). */
    @Override
    public String toString() {
        return text;
    }

    /**
     * Go's {@code strconv.ParseInt(s, 10, 64)} (and {@code Atoi} on 64-bit platforms): an optional {@code +} or
     * {@code -} followed by at least one ASCII digit, within the range of a {@code long}. Unlike
     * {@link Long#parseLong}, digits outside ASCII are rejected.
     */
    static OptionalLong parseGoInt64(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) {
            return OptionalLong.empty();
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException outOfRange) {
            return OptionalLong.empty();
        }
    }
}

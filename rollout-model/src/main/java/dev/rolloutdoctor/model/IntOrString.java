package dev.rolloutdoctor.model;

import java.util.Objects;

/**
 * A Kubernetes {@code intstr.IntOrString}, such as a probe's or a Service's target port: a number ({@code 8080}) or
 * a name ({@code http}).
 *
 * <p>The kind is part of the value, as in Kubernetes: the integer {@code 80} and the string {@code "80"} differ
 * (JSON decides by the first byte, so a quoted {@code "80"} is a string, i.e. a port <em>name</em>).
 */
public final class IntOrString {

    private final boolean isInt;
    private final int intValue;
    private final String stringValue;

    private IntOrString(boolean isInt, int intValue, String stringValue) {
        this.isInt = isInt;
        this.intValue = intValue;
        this.stringValue = stringValue;
    }

    /** A number. */
    public static IntOrString of(int value) {
        return new IntOrString(true, value, Integer.toString(value));
    }

    /** A string, kept as a string even if it looks like a number. */
    public static IntOrString of(String value) {
        return new IntOrString(false, 0, Objects.requireNonNull(value, "value"));
    }

    /** Whether this holds a number. */
    public boolean isInt() {
        return isInt;
    }

    /**
     * The number.
     *
     * @throws IllegalStateException if this holds a string
     */
    public int intValue() {
        if (!isInt) {
            throw new IllegalStateException("not an integer: " + QuantityFormatException.quote(stringValue));
        }
        return intValue;
    }

    /** The string, or for a number its decimal text, as Go's {@code IntOrString.String()} returns. */
    public String stringValue() {
        return stringValue;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IntOrString)) {
            return false;
        }
        IntOrString other = (IntOrString) o;
        return isInt == other.isInt && stringValue.equals(other.stringValue);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(isInt) * 31 + stringValue.hashCode();
    }

    /** The value as written: {@code 8080} or {@code http}. */
    @Override
    public String toString() {
        return stringValue;
    }
}

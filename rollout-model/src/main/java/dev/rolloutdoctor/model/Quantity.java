package dev.rolloutdoctor.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Kubernetes resource quantity ({@code 250m}, {@code 1.5Gi}, {@code 1e3}) with the API server's exact parsing,
 * comparison, arithmetic and canonical form.
 *
 * <h2>Grammar</h2>
 * As in {@code k8s.io/apimachinery/pkg/api/resource} ({@code ParseQuantity}): an optional sign ({@code +}/{@code -}),
 * a decimal number written {@code 1}, {@code 1.5}, {@code 1.} or {@code .5}, and a suffix:
 * <ul>
 *   <li>decimal SI: {@code n} (10<sup>-9</sup>), {@code u} (10<sup>-6</sup>), {@code m} (10<sup>-3</sup>), none,
 *       {@code k}, {@code M}, {@code G}, {@code T}, {@code P}, {@code E} (10<sup>18</sup>);</li>
 *   <li>binary SI: {@code Ki Mi Gi Ti Pi Ei} (2<sup>10</sup> to 2<sup>60</sup>);</li>
 *   <li>decimal exponent: {@code e} or {@code E} and a signed integer ({@code 1e3}, {@code 1E-3}, {@code 1e+3}).
 *       A lone {@code E} is the exa suffix, so {@code 1E} is 10<sup>18</sup> while {@code 1E3} is 1000.</li>
 * </ul>
 * Suffixes are case-sensitive and whitespace is rejected anywhere (Kubernetes trims it only when decoding JSON,
 * so a loader should trim before calling {@link #parse}). Kubernetes also accepts a number without digits as zero
 * ({@code "."}, {@code "-"}, {@code "k"}, {@code "Mi"}) except where its slow path rejects it ({@code "Pi"},
 * {@code "Ei"}, {@code "e-10"}); so does this class, so that it accepts exactly what the API server accepts.
 *
 * <h2>Value</h2>
 * Values are exact ({@link BigDecimal}). On parse a non-zero value is rounded <em>up</em>, away from zero, to nano
 * precision ("if you want some resources, you should get some resources"): {@code 0.9n} is {@code 1n} and
 * {@code .000000000001Ki} is {@code 2n}. A binary SI value larger than 2<sup>63</sup>-1 is capped there
 * ({@code 9Ei}), and a binary SI value strictly between 0 and 1 switches to decimal SI. Decimal values are not capped.
 * Equality, hashing and ordering are numeric: {@code 1Gi} equals {@code 1024Mi}; the text and format are ignored.
 *
 * <h2>Canonical form</h2>
 * {@link #canonical()} is the form Kubernetes re-emits ({@code CanonicalizeBytes}): no fractional digits, the largest
 * exponent that loses no precision, and the suffix family the value was parsed with ({@code 1.5} is {@code 1500m},
 * {@code 1.5Gi} is {@code 1536Mi}, {@code 1000M} is {@code 1G}, {@code 1e9} stays {@code 1e9}). A binary SI value
 * between -1024 and 1024, or one that is not a whole number, is written in decimal SI ({@code .001Ki} is
 * {@code 1024m}); a decimal SI exponent above {@code E} falls back to exponent notation ({@code 1000E} is
 * {@code 1e21}).
 *
 * <p>Deliberate differences from the Go code, none of which affects a value the API server would store:
 * decimal exponents beyond ±{@value #MAX_EXPONENT} are rejected (Go wraps exponents beyond 32 bits and expands
 * huge ones digit by digit; we keep arithmetic on untrusted input cheap); a binary SI value of 1024 Ei or more, which
 * only arithmetic can produce, is written with {@code Ei} instead of Go's suffix-less (wrong) text; and
 * {@link #longValue()}/{@link #milliValue()} throw instead of overflowing.
 */
public final class Quantity implements Comparable<Quantity> {

    /** How a quantity's suffix is written; kept from parsing and used again for the canonical form. */
    public enum Format {
        /** Decimal SI suffixes: {@code 12M} is 12 × 10<sup>6</sup>. */
        DECIMAL_SI,
        /** Binary SI suffixes: {@code 12Mi} is 12 × 2<sup>20</sup>. */
        BINARY_SI,
        /** Decimal exponent: {@code 12e6}. */
        DECIMAL_EXPONENT
    }

    /** Largest decimal exponent magnitude accepted ({@code 1e10000}). */
    public static final int MAX_EXPONENT = 10_000;

    /** Zero, written {@code 0}. */
    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, "0");

    private static final int NANO_SCALE = 9;
    private static final BigDecimal NANO = BigDecimal.ONE.movePointLeft(NANO_SCALE);
    private static final BigDecimal MAX_BINARY = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal BINARY_CANONICAL_LIMIT = BigDecimal.valueOf(1024);
    private static final BigInteger KIBI = BigInteger.valueOf(1024);
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String SUFFIX_CHARACTERS = "eEinumkKMGTP";
    private static final String GRAMMAR_HINT = "a quantity is a decimal number (1, 1.5, .5) with an optional suffix"
            + " (n u m k M G T P E Ki Mi Gi Ti Pi Ei) or exponent (e3)";

    private static final Map<String, Suffix> SUFFIXES = Map.ofEntries(
            Map.entry("n", Suffix.decimal(-9)),
            Map.entry("u", Suffix.decimal(-6)),
            Map.entry("m", Suffix.decimal(-3)),
            Map.entry("", Suffix.decimal(0)),
            Map.entry("k", Suffix.decimal(3)),
            Map.entry("M", Suffix.decimal(6)),
            Map.entry("G", Suffix.decimal(9)),
            Map.entry("T", Suffix.decimal(12)),
            Map.entry("P", Suffix.decimal(15)),
            Map.entry("E", Suffix.decimal(18)),
            Map.entry("Ki", Suffix.binary(10)),
            Map.entry("Mi", Suffix.binary(20)),
            Map.entry("Gi", Suffix.binary(30)),
            Map.entry("Ti", Suffix.binary(40)),
            Map.entry("Pi", Suffix.binary(50)),
            Map.entry("Ei", Suffix.binary(60)));

    private final BigDecimal value;
    private final Format format;
    private final String text;

    private Quantity(BigDecimal value, Format format, String text) {
        this.value = value;
        this.format = format;
        this.text = text;
    }

    /**
     * Parses a quantity exactly as the API server does.
     *
     * @throws QuantityFormatException if the text is not a quantity; the message names the text and the problem
     */
    public static Quantity parse(CharSequence text) {
        String input = Objects.requireNonNull(text, "text").toString();
        if (input.isEmpty()) {
            throw new QuantityFormatException(input, "the string is empty");
        }
        if (input.equals("0")) {
            return ZERO;
        }
        Parts parts = Parts.split(input);
        Suffix suffix = interpret(input, parts.suffix());
        if (parts.digitless()) {
            return parseDigitless(input, suffix);
        }
        BigDecimal magnitude = roundUpToNano(suffix.apply(parts.magnitude()));
        Format format = suffix.format();
        if (format == Format.BINARY_SI && magnitude.compareTo(MAX_BINARY) > 0) {
            magnitude = MAX_BINARY;
        }
        if (format == Format.BINARY_SI && magnitude.signum() > 0 && magnitude.compareTo(BigDecimal.ONE) < 0) {
            format = Format.DECIMAL_SI;
        }
        return new Quantity(parts.negative() ? magnitude.negate() : magnitude, format, input);
    }

    /** Parses a quantity, or returns empty if the text (or {@code null}) is not one. */
    public static Optional<Quantity> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (QuantityFormatException e) {
            return Optional.empty();
        }
    }

    /** A whole number of units in decimal SI, like Go's {@code NewQuantity(v, DecimalSI)}: {@code ofUnits(1000)} is {@code 1k}. */
    public static Quantity ofUnits(long units) {
        return of(BigDecimal.valueOf(units), Format.DECIMAL_SI);
    }

    /** Thousandths of a unit in decimal SI, like Go's {@code NewMilliQuantity(v, DecimalSI)}: {@code ofMillis(1500)} is {@code 1500m}. */
    public static Quantity ofMillis(long millis) {
        return of(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
    }

    /** A quantity of the given value and format, rounded up to nano precision as parsing does; its text is canonical. */
    public static Quantity of(BigDecimal value, Format format) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(format, "format");
        BigDecimal rounded = roundUpToNano(value.abs());
        return derived(value.signum() < 0 ? rounded.negate() : rounded, format);
    }

    /** The exact value. */
    public BigDecimal value() {
        return value;
    }

    /** The suffix family, used again by {@link #canonical()}. */
    public Format format() {
        return format;
    }

    /** The text this quantity was parsed from, or its canonical form if it was computed. */
    public String text() {
        return text;
    }

    /**
     * Kubernetes' {@code Value()}: the value rounded to a whole number away from zero ({@code 1500m} is 2).
     *
     * @throws ArithmeticException if the result does not fit a {@code long} (Go's result would be undefined)
     */
    public long longValue() {
        return roundedLong(value);
    }

    /**
     * Kubernetes' {@code MilliValue()}: the value in thousandths, rounded away from zero ({@code 1n} is 1); for the
     * non-negative quantities of real objects this is {@code ceil(q * 1000)}.
     *
     * @throws ArithmeticException if the result does not fit a {@code long}
     */
    public long milliValue() {
        return roundedLong(value.movePointRight(3));
    }

    /** The sum, in this quantity's format (or the other's if this one is zero, as Go's {@code Add} does). */
    public Quantity add(Quantity other) {
        return derived(value.add(other.value), isZero() ? other.format : format);
    }

    /** The difference, in this quantity's format (or the other's if this one is zero, as Go's {@code Sub} does). */
    public Quantity subtract(Quantity other) {
        return derived(value.subtract(other.value), isZero() ? other.format : format);
    }

    /** This quantity times a whole number, in this quantity's format. */
    public Quantity multiply(long factor) {
        return derived(value.multiply(BigDecimal.valueOf(factor)), format);
    }

    /** The negated quantity, in this quantity's format. */
    public Quantity negate() {
        return derived(value.negate(), format);
    }

    /** -1, 0 or 1 as the value is negative, zero or positive. */
    public int signum() {
        return value.signum();
    }

    /** Whether the value is zero, however it was written ({@code 0Mi}, {@code 0.0}). */
    public boolean isZero() {
        return value.signum() == 0;
    }

    /**
     * The text Kubernetes writes for this value in this format (see the class documentation).
     *
     * <p>One quirk of the API server is not reproduced here: when the text it parsed is already canonical except for
     * its spelling (an explicit {@code +}, leading zeros, a trailing point, {@code E} or a signed exponent, as in
     * {@code +1}, {@code 010}, {@code 1.}, {@code 1E3}), Go's {@code String()} echoes that text instead. Such text
     * may therefore appear in dumps; {@link #text()} keeps it.
     */
    public String canonical() {
        return canonicalText(value, format);
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity && value.compareTo(((Quantity) o).value) == 0;
    }

    @Override
    public int hashCode() {
        return value.stripTrailingZeros().hashCode();
    }

    /** The text as parsed, like {@link #text()}. */
    @Override
    public String toString() {
        return text;
    }

    private static Quantity derived(BigDecimal value, Format format) {
        return new Quantity(value, format, canonicalText(value, format));
    }

    private static Suffix interpret(String input, String suffix) {
        Suffix known = SUFFIXES.get(suffix);
        if (known != null) {
            return known;
        }
        if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            OptionalLong exponent = IntOrPercent.parseGoInt64(suffix.substring(1));
            if (exponent.isEmpty()) {
                throw new QuantityFormatException(input, "invalid exponent " + QuantityFormatException.quote(suffix));
            }
            if (Math.abs(exponent.getAsLong()) > MAX_EXPONENT) {
                throw new QuantityFormatException(input, "exponent " + suffix.substring(1)
                        + " is out of range (at most " + MAX_EXPONENT + " either way)");
            }
            return new Suffix(10, (int) exponent.getAsLong(), Format.DECIMAL_EXPONENT);
        }
        throw new QuantityFormatException(input, "unknown suffix " + QuantityFormatException.quote(suffix)
                + caseHint(suffix) + "; " + GRAMMAR_HINT);
    }

    private static String caseHint(String suffix) {
        if (suffix.isEmpty()) {
            return "";
        }
        String first = suffix.substring(0, 1);
        String rest = suffix.substring(1);
        for (String candidate : new String[] {first.toUpperCase(Locale.ROOT) + rest,
                first.toLowerCase(Locale.ROOT) + rest}) {
            if (!candidate.equals(suffix) && SUFFIXES.containsKey(candidate)) {
                return " (suffixes are case-sensitive: did you mean " + QuantityFormatException.quote(candidate) + "?)";
            }
        }
        return "";
    }

    /*
     * Go parses a number without digits on its int64 fast path, where it becomes zero. That path is skipped when the
     * scale would drop below nano or, for binary suffixes, when its precision estimate
     * 15 - 1 - int(exponent*3/10) - 1 turns negative (Pi and Ei); the slow path then hands the empty number to a
     * decimal parser, which rejects it.
     */
    private static Quantity parseDigitless(String input, Suffix suffix) {
        boolean fastPath = suffix.base() == 2 ? suffix.exponent() <= 40 : suffix.exponent() >= -NANO_SCALE;
        if (!fastPath) {
            throw new QuantityFormatException(input, "the number has no digits");
        }
        return new Quantity(BigDecimal.ZERO, suffix.format(), input);
    }

    private static BigDecimal roundUpToNano(BigDecimal magnitude) {
        if (magnitude.signum() == 0 || magnitude.scale() <= NANO_SCALE) {
            return magnitude;
        }
        // Everything below one nano rounds up to exactly one nano; deciding that without setScale keeps an input
        // like 0.000…(a million zeros)…1 from costing a million-digit division.
        if (magnitude.precision() - magnitude.scale() <= -NANO_SCALE) {
            return magnitude.signum() > 0 ? NANO : NANO.negate();
        }
        return magnitude.setScale(NANO_SCALE, RoundingMode.UP);
    }

    private static long roundedLong(BigDecimal v) {
        if (v.signum() == 0) {
            return 0;
        }
        if (v.precision() - v.scale() > 19) {
            throw new ArithmeticException("quantity " + v.toString() + " does not fit a long");
        }
        return v.setScale(0, RoundingMode.UP).longValueExact();
    }

    private static String canonicalText(BigDecimal value, Format format) {
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI) {
            if (value.abs().compareTo(BINARY_CANONICAL_LIMIT) >= 0) {
                BigDecimal whole = value.setScale(0, RoundingMode.UP);
                if (whole.compareTo(value) == 0) {
                    return binaryText(whole.toBigIntegerExact());
                }
            }
            format = Format.DECIMAL_SI;
        }
        return decimalText(value, format);
    }

    private static String binaryText(BigInteger whole) {
        BigInteger mantissa = whole;
        int power = 0;
        while (power < BINARY_SUFFIXES.length - 1) {
            BigInteger[] divided = mantissa.divideAndRemainder(KIBI);
            if (divided[1].signum() != 0) {
                break;
            }
            mantissa = divided[0];
            power++;
        }
        return mantissa + BINARY_SUFFIXES[power];
    }

    private static String decimalText(BigDecimal value, Format format) {
        BigDecimal stripped = value.stripTrailingZeros();
        long exponent = -(long) stripped.scale();
        int down = (int) Math.floorMod(exponent, 3L);
        BigInteger mantissa = stripped.unscaledValue().multiply(BigInteger.TEN.pow(down));
        exponent -= down;
        if (format == Format.DECIMAL_SI) {
            String suffix = decimalSuffix(exponent);
            if (suffix != null) {
                return mantissa + suffix;
            }
        }
        return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
    }

    private static String decimalSuffix(long exponent) {
        switch ((int) Math.max(Math.min(exponent, 100), -100)) {
            case -9: return "n";
            case -6: return "u";
            case -3: return "m";
            case 0: return "";
            case 3: return "k";
            case 6: return "M";
            case 9: return "G";
            case 12: return "T";
            case 15: return "P";
            case 18: return "E";
            default: return null;
        }
    }

    /** What a suffix means: a power of {@code base} and the format it implies. */
    private record Suffix(int base, int exponent, Format format) {

        static Suffix decimal(int exponent) {
            return new Suffix(10, exponent, Format.DECIMAL_SI);
        }

        static Suffix binary(int exponent) {
            return new Suffix(2, exponent, Format.BINARY_SI);
        }

        BigDecimal apply(BigDecimal number) {
            return base == 10
                    ? number.scaleByPowerOfTen(exponent)
                    : number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
        }
    }

    /**
     * The pieces of a quantity's text, split the way Go's {@code parseQuantityString} scans it: sign, whole digits,
     * fraction digits, then a suffix made of the letters {@code eEinumkKMGTP}, an optional sign and digits.
     */
    private record Parts(boolean negative, String wholeDigits, String fractionDigits, String suffix) {

        static Parts split(String s) {
            int pos = 0;
            boolean negative = false;
            if (s.charAt(0) == '+' || s.charAt(0) == '-') {
                negative = s.charAt(0) == '-';
                pos++;
            }
            int wholeStart = pos;
            pos = skipDigits(s, pos);
            String whole = s.substring(wholeStart, pos);
            String fraction = "";
            if (pos < s.length() && s.charAt(pos) == '.') {
                int fractionStart = ++pos;
                pos = skipDigits(s, pos);
                fraction = s.substring(fractionStart, pos);
            }
            int suffixStart = pos;
            while (pos < s.length() && SUFFIX_CHARACTERS.indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            pos = skipDigits(s, pos);
            if (pos < s.length()) {
                throw new QuantityFormatException(s, unexpected(s, pos));
            }
            return new Parts(negative, whole, fraction, s.substring(suffixStart));
        }

        boolean digitless() {
            return wholeDigits.isEmpty() && fractionDigits.isEmpty();
        }

        BigDecimal magnitude() {
            return new BigDecimal(new BigInteger(wholeDigits + fractionDigits), fractionDigits.length());
        }

        private static int skipDigits(String s, int pos) {
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos;
        }

        private static String unexpected(String s, int pos) {
            int c = s.codePointAt(pos);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "whitespace is not allowed (at index " + pos + ")";
            }
            return "unexpected " + QuantityFormatException.quote(new String(Character.toChars(c)))
                    + " at index " + pos + "; " + GRAMMAR_HINT;
        }
    }
}

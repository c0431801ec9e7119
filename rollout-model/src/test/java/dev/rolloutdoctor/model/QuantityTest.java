package dev.rolloutdoctor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutdoctor.model.Quantity.Format;
import java.math.BigDecimal;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins Quantity to the behaviour of k8s.io/apimachinery/pkg/api/resource. Cases marked with a Go test name take their
 * inputs and expected results from that test's table in quantity_test.go.
 */
class QuantityTest {

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    @Nested
    class Grammar {

        // TestQuantityParse: "Decimal suffixes", "Binary suffixes", "Decimal exponents".
        @ParameterizedTest(name = "{0} = {1} ({2})")
        @CsvSource({
            "5n,       0.000000005,          DECIMAL_SI",
            "4u,       0.000004,             DECIMAL_SI",
            "3m,       0.003,                DECIMAL_SI",
            "9,        9,                    DECIMAL_SI",
            "8k,       8000,                 DECIMAL_SI",
            "7M,       7000000,              DECIMAL_SI",
            "6G,       6000000000,           DECIMAL_SI",
            "5T,       5000000000000,        DECIMAL_SI",
            "2P,       2000000000000000,     DECIMAL_SI",
            "1E,       1000000000000000000,  DECIMAL_SI",
            "1Ki,      1024,                 BINARY_SI",
            "7Mi,      7340032,              BINARY_SI",
            "6Gi,      6442450944,           BINARY_SI",
            "5Ti,      5497558138880,        BINARY_SI",
            "4Pi,      4503599627370496,     BINARY_SI",
            "3Ei,      3458764513820540928,  BINARY_SI",
            "1E-3,     0.001,                DECIMAL_EXPONENT",
            "1e3,      1000,                 DECIMAL_EXPONENT",
            "1E6,      1000000,              DECIMAL_EXPONENT",
            "1.3E+6,   1300000,              DECIMAL_EXPONENT",
            "0.5e-2,   0.005,                DECIMAL_EXPONENT",
        })
        void suffixesScaleTheNumberAndSetTheFormat(String text, String value, Format format) {
            Quantity q = Quantity.parse(text);
            assertThat(q.value()).isEqualByComparingTo(dec(value));
            assertThat(q.format()).isEqualTo(format);
        }

        @Test
        void aLoneCapitalEIsExaWhileEWithDigitsIsAnExponent() {
            assertThat(Quantity.parse("1E").value()).isEqualByComparingTo(dec("1e18"));
            assertThat(Quantity.parse("1E").format()).isEqualTo(Format.DECIMAL_SI);
            assertThat(Quantity.parse("1E3").value()).isEqualByComparingTo(dec("1000"));
            assertThat(Quantity.parse("1E3").format()).isEqualTo(Format.DECIMAL_EXPONENT);
        }

        // TestQuantityParse: "Things written by trolls" and "Things that look like floating point".
        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource({
            ".001,     0.001",
            ".0001k,   0.1",
            "1.,       1",
            "1.G,      1000000000",
            "0.0005k,  0.5",
            "100.035k, 100035",
            "10.035M,  10035000",
            "9.01,     9.01",
            "+9.01,    9.01",
            "-9.01,    -9.01",
            "010,      10",
        })
        void numbersMayOmitEitherSideOfThePointAndCarryASign(String text, String value) {
            assertThat(Quantity.parse(text).value()).isEqualByComparingTo(dec(value));
        }

        // TestQuantityParse: the fractional binary cases.
        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource({
            "100.035Ki, 102435.84",
            "0.5Mi,     524288",
            "0.05Gi,    53687091.2",
            "0.025Ti,   27487790694.4",
        })
        void binarySuffixesAcceptFractions(String text, String value) {
            Quantity q = Quantity.parse(text);
            assertThat(q.value()).isEqualByComparingTo(dec(value));
            assertThat(q.format()).isEqualTo(Format.BINARY_SI);
        }

        // TestQuantityParse: the "0<suffix>" cases keep the suffix's format.
        @ParameterizedTest
        @ValueSource(strings = {"0", "0n", "0u", "0m", "0k", "0M", "0G", "0T", "-0", "+0", "000", "0.0"})
        void zeroInAnyDecimalSpellingIsDecimalZero(String text) {
            Quantity q = Quantity.parse(text);
            assertThat(q.isZero()).isTrue();
            assertThat(q.format()).isEqualTo(Format.DECIMAL_SI);
            assertThat(q).isEqualTo(Quantity.ZERO);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0Ki", "0Mi", "0Gi", "0Ti"})
        void zeroWithABinarySuffixStaysBinary(String text) {
            assertThat(Quantity.parse(text).format()).isEqualTo(Format.BINARY_SI);
        }

        // TestParseQuantityString lists "." and "-."; ParseQuantity's int64 fast path turns them into zero.
        @ParameterizedTest
        @ValueSource(strings = {".", "-.", "+", "-", "k", "m", "E", "Mi", "Ti", "e3"})
        void aNumberWithoutDigitsIsZeroAsTheApiServerAcceptsIt(String text) {
            assertThat(Quantity.parse(text).isZero()).isTrue();
        }

        // The Go slow path, taken for big binary suffixes or sub-nano scales, rejects the empty number.
        @ParameterizedTest
        @ValueSource(strings = {"Pi", "Ei", "-Ei", "e-10", "E-12"})
        void aNumberWithoutDigitsIsRejectedWhereTheApiServerRejectsIt(String text) {
            assertThatThrownBy(() -> Quantity.parse(text))
                    .isInstanceOf(QuantityFormatException.class)
                    .hasMessageContaining("no digits");
        }

        // Deliberately stricter than Go, which wraps exponents beyond 32 bits and expands huge ones digit by digit.
        @Test
        void exponentsBeyondTheLimitAreRejected() {
            assertThat(Quantity.parse("1e10000").value()).isEqualByComparingTo(dec("1e10000"));
            assertThatThrownBy(() -> Quantity.parse("1e10001"))
                    .isInstanceOf(QuantityFormatException.class)
                    .hasMessageContaining("out of range");
            assertThatThrownBy(() -> Quantity.parse("1e-99999999999")).isInstanceOf(QuantityFormatException.class);
        }

        // TestQuantityParse: the invalid table, plus neighbours of its cases.
        @ParameterizedTest
        @ValueSource(strings = {"", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
            " 1", "1 ", "1 Gi", "1\t", "1e", "1K", "1KI", "1ki", "1e3.5", "1ee3", "1Mi3", "--1", "1,5", "٣",
            "Non-Numeric"})
        void malformedTextIsRejected(String text) {
            assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(QuantityFormatException.class);
            assertThat(Quantity.tryParse(text)).isEmpty();
        }
    }

    @Nested
    class Errors {

        @Test
        void theMessageNamesTheInputAndTheOffendingCharacter() {
            assertThatThrownBy(() -> Quantity.parse("1.1.M"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid quantity \"1.1.M\": unexpected \".\" at index 3");
        }

        @Test
        void aWronglyCasedSuffixGetsAHint() {
            assertThatThrownBy(() -> Quantity.parse("512mi"))
                    .hasMessageStartingWith("invalid quantity \"512mi\": unknown suffix \"mi\"")
                    .hasMessageContaining("did you mean \"Mi\"?");
        }

        @Test
        void whitespaceIsCalledOut() {
            assertThatThrownBy(() -> Quantity.parse("100m "))
                    .hasMessage("invalid quantity \"100m \": whitespace is not allowed (at index 4)");
        }

        @Test
        void theEmptyStringIsCalledOut() {
            assertThatThrownBy(() -> Quantity.parse(""))
                    .hasMessage("invalid quantity \"\": the string is empty");
        }

        @Test
        void theExceptionCarriesTheInputAndTheReason() {
            assertThatThrownBy(() -> Quantity.parse("-3.01e-"))
                    .isInstanceOfSatisfying(QuantityFormatException.class, e -> {
                        assertThat(e.input()).isEqualTo("-3.01e-");
                        assertThat(e.reason()).isEqualTo("invalid exponent \"e-\"");
                    });
        }

        @Test
        void controlCharactersAreEscapedSoTheMessageStaysOnOneLine() {
            assertThatThrownBy(() -> Quantity.parse("1\n2"))
                    .hasMessageStartingWith("invalid quantity \"1\\n2\"");
        }

        @Test
        void tryParseOfNullIsEmpty() {
            assertThat(Quantity.tryParse(null)).isEmpty();
            assertThat(Quantity.tryParse("250m")).contains(Quantity.ofMillis(250));
        }
    }

    @Nested
    class RoundingOnParse {

        // TestQuantityParse: "Things that saturate/round" and "Things written by trolls".
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "3.001n,           0.000000004",
            "1.1E-9,           0.000000002",
            "0.0000000001,     0.000000001",
            "0.0000000005,     0.000000001",
            "0.00000000050,    0.000000001",
            "0.5e-9,           0.000000001",
            "0.9n,             0.000000001",
            "0.00000012345,    0.000000124",
            "0.00000012354,    0.000000124",
            "0.000000000001Ki, 0.000000002",
        })
        void nonZeroValuesRoundUpToTheNextNano(String text, String value) {
            assertThat(Quantity.parse(text).value()).isEqualByComparingTo(dec(value));
        }

        @Test
        void negativeValuesRoundAwayFromZero() {
            assertThat(Quantity.parse("-0.9n").value()).isEqualByComparingTo(dec("-0.000000001"));
            assertThat(Quantity.parse("-3.001n").value()).isEqualByComparingTo(dec("-0.000000004"));
        }

        @Test
        void aValueFarBelowOneNanoStillRoundsUpToOneNano() {
            String tiny = "0." + "0".repeat(100_000) + "1";
            assertThat(Quantity.parse(tiny).value()).isEqualByComparingTo(dec("1e-9"));
        }

        // TestQuantityParse: {"9Ei", maxAllowed} and {"9223372036854775807Ki", maxAllowed}.
        @ParameterizedTest
        @ValueSource(strings = {"9Ei", "8Ei", "9223372036854775807Ki"})
        void binaryValuesAreCappedAtTheLargestInt64(String text) {
            assertThat(Quantity.parse(text).value()).isEqualByComparingTo(BigDecimal.valueOf(Long.MAX_VALUE));
        }

        @Test
        void negativeBinaryValuesAreCappedByMagnitude() {
            assertThat(Quantity.parse("-9Ei").value()).isEqualByComparingTo(BigDecimal.valueOf(-Long.MAX_VALUE));
        }

        @Test
        void decimalValuesAreNotCapped() {
            assertThat(Quantity.parse("18446744073709551616").value())
                    .isEqualByComparingTo(dec("18446744073709551616"));
            assertThat(Quantity.parse("12E").value()).isEqualByComparingTo(dec("12e18"));
        }

        @Test
        void aBinaryValueBetweenZeroAndOneBecomesDecimal() {
            assertThat(Quantity.parse(".000001Ki").format()).isEqualTo(Format.DECIMAL_SI);
            assertThat(Quantity.parse(".001Ki").format()).isEqualTo(Format.BINARY_SI);
        }
    }

    @Nested
    class Canonical {

        // TestQuantityString and TestQuantityParseEmit: text -> canonical text.
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "1024Mi,       1Gi",
            "307200Ki,     300Mi",
            "6Ki,          6Ki",
            "1025024Mi,    1001Gi",
            "1024Gi,       1Ti",
            "1.5Gi,        1536Mi",
            "1.5,          1500m",
            "0.5,          500m",
            "1000M,        1G",
            "0.001T,       1G",
            "1000000k,     1G",
            "1000u,        1m",
            "1.08,         1080m",
            "1080000000n,  1080m",
            "1080m,        1080m",
            "300M,         300M",
            "1234567M,     1234567M",
            "3000,         3k",
            "1025,         1025",
            ".001Ki,       1024m",
            ".000001Ki,    1024u",
            ".000000001Ki, 1024n",
            ".000000000001Ki, 2n",
            "1e9,          1e9",
            ".001e12,      1e9",
            "0.001e0,      1e-3",
            "1000e-12,     1e-9",
            "80e-3,        80e-3",
            "300e6,        300e6",
            "1e0,          1",
            "1000E,        1e21",
            "5000E,        5e21",
            "1000000E,     1e24",
            "1E,           1E",
            "1.01E,        1010P",
            "00,           0",
            "0Mi,          0",
        })
        void isWhatKubernetesWritesBack(String text, String canonical) {
            assertThat(Quantity.parse(text).canonical()).isEqualTo(canonical);
        }

        // TestQuantityString: every entry negated prints with a leading minus.
        @ParameterizedTest(name = "-{0} -> -{1}")
        @CsvSource({"1Gi, 1Gi", "1.5Gi, 1536Mi", "1.5, 1500m", "1e9, 1e9", ".001Ki, 1024m", "1025, 1025"})
        void negativeValuesKeepTheirSign(String text, String canonical) {
            assertThat(Quantity.parse("-" + text).canonical()).isEqualTo("-" + canonical);
        }

        @Test
        void aBinaryValueThatIsNotWholeIsWrittenInDecimalToKeepItsPrecision() {
            assertThat(Quantity.parse("100.035Ki").canonical()).isEqualTo("102435840m");
        }

        @Test
        void aBinaryValueBelow1024IsWrittenInDecimal() {
            assertThat(Quantity.parse("0.5Ki").canonical()).isEqualTo("512");
            assertThat(Quantity.parse("1Ki").canonical()).isEqualTo("1Ki");
        }

        @Test
        void theCappedBinaryMaximumHasNoBinarySuffix() {
            assertThat(Quantity.parse("9Ei").canonical()).isEqualTo("9223372036854775807");
        }

        @Test
        void toStringAndTextKeepTheTextAsParsed() {
            Quantity q = Quantity.parse("1024Mi");
            assertThat(q.text()).isEqualTo("1024Mi");
            assertThat(q).hasToString("1024Mi");
            assertThat(q.canonical()).isEqualTo("1Gi");
        }
    }

    @Nested
    class Comparison {

        @Test
        void equalityIsNumericAcrossSuffixFamilies() {
            assertThat(Quantity.parse("1Gi")).isEqualTo(Quantity.parse("1024Mi"));
            assertThat(Quantity.parse("1Gi")).hasSameHashCodeAs(Quantity.parse("1073741824"));
            assertThat(Quantity.parse("1G")).isEqualTo(Quantity.parse("1e9"));
            assertThat(Quantity.parse("500m")).isEqualTo(Quantity.parse("0.5"));
            assertThat(Quantity.parse("500m")).hasSameHashCodeAs(Quantity.parse("0.50000"));
            assertThat(Quantity.parse("1G")).isNotEqualTo(Quantity.parse("1Gi"));
        }

        // TestQuantityCmp.
        @ParameterizedTest(name = "{0} vs {1} = {2}")
        @CsvSource({
            "0,      0,     0",
            "100m,   50m,   1",
            "50m,    100m,  -1",
            "10000T, 100Gi, 1",
            "1Gi,    1G,    1",
            "999Mi,  1G,    1",
            "953Mi,  1G,    -1",
            "-1,     1m,    -1",
        })
        void orderingIsNumeric(String left, String right, int expected) {
            assertThat(Integer.signum(Quantity.parse(left).compareTo(Quantity.parse(right)))).isEqualTo(expected);
        }

        @Test
        void sortingMixesFamiliesByValue() {
            TreeSet<Quantity> sorted = new TreeSet<>(List.of(
                    Quantity.parse("1Gi"), Quantity.parse("512Mi"), Quantity.parse("1G"), Quantity.parse("2e8")));
            assertThat(sorted).extracting(Quantity::text).containsExactly("2e8", "512Mi", "1G", "1Gi");
        }
    }

    @Nested
    class Conversions {

        @ParameterizedTest(name = "{0}.longValue() = {1}")
        @CsvSource({"1500m, 2", "1, 1", "1n, 1", "1Ki, 1024", "0, 0", "-1500m, -2", "1.5Gi, 1610612736", "1E, 1000000000000000000"})
        void longValueRoundsAwayFromZeroLikeValue(String text, long expected) {
            assertThat(Quantity.parse(text).longValue()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "{0}.milliValue() = {1}")
        @CsvSource({"1500m, 1500", "1n, 1", "1.0001m, 2", "2, 2000", "0.5Ki, 512000", "-1n, -1"})
        void milliValueIsTheCeilingOfThousandths(String text, long expected) {
            assertThat(Quantity.parse(text).milliValue()).isEqualTo(expected);
        }

        @Test
        void conversionsThatDoNotFitALongThrow() {
            assertThatThrownBy(() -> Quantity.parse("12E").longValue()).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> Quantity.parse("1E").milliValue()).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> Quantity.parse("1e1000").longValue()).isInstanceOf(ArithmeticException.class);
        }

        // TestNewSet and TestMilliNewSet (DecimalSI rows).
        @Test
        void factoriesGiveCanonicalText() {
            assertThat(Quantity.ofUnits(1000)).hasToString("1k");
            assertThat(Quantity.ofUnits(1234000)).hasToString("1234k");
            assertThat(Quantity.ofUnits(1)).hasToString("1");
            assertThat(Quantity.ofMillis(1)).hasToString("1m");
            assertThat(Quantity.ofMillis(1000)).hasToString("1");
            assertThat(Quantity.ofMillis(1234000)).hasToString("1234");
            assertThat(Quantity.ofMillis(1500).format()).isEqualTo(Format.DECIMAL_SI);
            assertThat(Quantity.ZERO).hasToString("0");
        }

        @Test
        void ofBigDecimalRoundsUpToNanoAndKeepsTheFormat() {
            Quantity q = Quantity.of(dec("0.0000000001"), Format.DECIMAL_SI);
            assertThat(q.value()).isEqualByComparingTo(dec("1e-9"));
            assertThat(Quantity.of(dec("1073741824"), Format.BINARY_SI)).hasToString("1Gi");
            assertThat(Quantity.of(dec("-2.5e-10"), Format.DECIMAL_SI)).hasToString("-1n");
        }
    }

    @Nested
    class Arithmetic {

        @Test
        void sumsAreExactAndTakeTheLeftOperandsFormat() {
            Quantity sum = Quantity.parse("1Gi").add(Quantity.parse("512Mi"));
            assertThat(sum.value()).isEqualByComparingTo(dec("1610612736"));
            assertThat(sum.format()).isEqualTo(Format.BINARY_SI);
            assertThat(sum).hasToString("1536Mi");
            assertThat(Quantity.parse("100m").add(Quantity.parse("1"))).hasToString("1100m");
        }

        // TestQuantityAddZeroPreservesSuffix and TestQuantitySubZeroPreservesSuffix.
        @Test
        void zeroTakesTheOtherOperandsFormat() {
            assertThat(Quantity.ZERO.add(Quantity.parse("1Gi"))).hasToString("1Gi");
            assertThat(Quantity.parse("1Gi").add(Quantity.ZERO)).hasToString("1Gi");
            assertThat(Quantity.ZERO.subtract(Quantity.parse("1Gi"))).hasToString("-1Gi");
            assertThat(Quantity.parse("100m").subtract(Quantity.ZERO)).hasToString("100m");
        }

        @Test
        void aMixedSumThatIsNotWholeIsWrittenInDecimal() {
            assertThat(Quantity.parse("1Ki").add(Quantity.parse("1m"))).hasToString("1024001m");
        }

        @Test
        void differencesMayGoNegative() {
            Quantity difference = Quantity.parse("250m").subtract(Quantity.parse("1"));
            assertThat(difference.signum()).isEqualTo(-1);
            assertThat(difference).hasToString("-750m");
        }

        @Test
        void multiplicationByACountIsExact() {
            assertThat(Quantity.parse("250m").multiply(4)).isEqualTo(Quantity.parse("1"));
            assertThat(Quantity.parse("250m").multiply(4)).hasToString("1");
            assertThat(Quantity.parse("512Mi").multiply(3)).hasToString("1536Mi");
            assertThat(Quantity.parse("1Ei").multiply(1024)).hasToString("1024Ei");
        }

        // TestQuantityNeg.
        @Test
        void negationKeepsTheFormat() {
            assertThat(Quantity.parse("9.01").negate()).hasToString("-9010m");
            assertThat(Quantity.parse("-1Gi").negate()).hasToString("1Gi");
        }

        @Test
        void arithmeticLeavesOperandsUntouched() {
            Quantity a = Quantity.parse("1Gi");
            a.add(Quantity.parse("1Gi"));
            a.negate();
            assertThat(a).hasToString("1Gi");
            assertThat(a.value()).isEqualByComparingTo(dec("1073741824"));
        }
    }
}

package dev.rolloutdoctor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntOrPercentTest {

    @Test
    void aNumberEndingInPercentIsAPercentage() {
        IntOrPercent value = IntOrPercent.parse("25%");
        assertThat(value.isPercent()).isTrue();
        assertThat(value.value()).isEqualTo(25);
        assertThat(value).hasToString("25%").isEqualTo(IntOrPercent.ofPercent(25));
    }

    @Test
    void aBareNumberIsACount() {
        IntOrPercent value = IntOrPercent.parse("1");
        assertThat(value.isPercent()).isFalse();
        assertThat(value.value()).isEqualTo(1);
        assertThat(value).hasToString("1").isEqualTo(IntOrPercent.ofInt(1));
    }

    // strconv.Atoi accepts a sign and leading zeros; equality is by meaning, the text stays as written.
    @ParameterizedTest(name = "{0} is {1}%")
    @CsvSource({"+5%, 5", "05%, 5", "-5%, -5", "0%, 0", "250%, 250"})
    void percentagesFollowGoAtoiRules(String text, int percent) {
        IntOrPercent value = IntOrPercent.parse(text);
        assertThat(value).isEqualTo(IntOrPercent.ofPercent(percent)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxSurgeValue", "", "%", "25 %", " 25%", "25%%", "%25", "2.5%", "1_000", "0x10", "٢٥%",
        "twenty-five"})
    void anythingElseIsRejectedNamingTheValue(String text) {
        assertThatThrownBy(() -> IntOrPercent.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither an integer nor a percentage like \"25%\"");
    }

    @Test
    void theMessageQuotesTheValue() {
        assertThatThrownBy(() -> IntOrPercent.parse("maxSurgeValue"))
                .hasMessage("\"maxSurgeValue\" is neither an integer nor a percentage like \"25%\"");
    }

    @Test
    void numbersBeyondAnIntAreRejected() {
        assertThatThrownBy(() -> IntOrPercent.parse("3000000000%"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void equalityDistinguishesCountsFromPercentages() {
        assertThat(IntOrPercent.ofInt(25)).isNotEqualTo(IntOrPercent.ofPercent(25));
        assertThat(IntOrPercent.ofPercent(25)).hasSameHashCodeAs(IntOrPercent.parse("25%"));
    }

    @Test
    void aCountScalesToItself() {
        assertThat(IntOrPercent.ofInt(3).scaledValue(10, true)).isEqualTo(3);
        assertThat(IntOrPercent.ofInt(30).scaledValue(10, false)).isEqualTo(30);
    }

    // intstr.GetScaledValueFromIntOrPercent: ceil(v*total/100) rounding up, floor(...) rounding down.
    @ParameterizedTest(name = "{0}% of {1}: up {2}, down {3}")
    @CsvSource({
        "25,   10, 3,   2",
        "39,   10, 4,   3",
        "25,   8,  2,   2",
        "1,    2,  1,   0",
        "0,    10, 0,   0",
        "100,  7,  7,   7",
        "150,  3,  5,   4",
        "33,   3,  1,   0",
        "25,   0,  0,   0",
        "-25,  10, -2,  -3",
    })
    void percentagesScaleWithCeilingOrFloor(int percent, int total, int up, int down) {
        IntOrPercent value = IntOrPercent.ofPercent(percent);
        assertThat(value.scaledValue(total, true)).isEqualTo(up);
        assertThat(value.scaledValue(total, false)).isEqualTo(down);
    }

    @Test
    void scalingAgreesWithFloatingPointWhereGoIsExact() {
        int[] percents = {1, 3, 7, 13, 25, 33, 39, 50, 66, 99, 100, 101, 250, 1000};
        for (int percent : percents) {
            for (int total = 0; total <= 1000; total++) {
                double exact = (double) percent * total / 100;
                IntOrPercent value = IntOrPercent.ofPercent(percent);
                assertThat(value.scaledValue(total, true)).isEqualTo((int) Math.ceil(exact));
                assertThat(value.scaledValue(total, false)).isEqualTo((int) Math.floor(exact));
            }
        }
        IntOrPercent large = IntOrPercent.ofPercent(4_194_304);
        assertThat(large.scaledValue(211, true)).isEqualTo((int) Math.ceil(4_194_304.0 * 211 / 100));
    }

    @Test
    void aResultBeyondAnIntThrows() {
        assertThatThrownBy(() -> IntOrPercent.ofPercent(Integer.MAX_VALUE).scaledValue(1000, true))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void goParseIntAcceptsOnlyASignAndAsciiDigits() {
        assertThat(IntOrPercent.parseGoInt64("-9223372036854775808")).hasValue(Long.MIN_VALUE);
        assertThat(IntOrPercent.parseGoInt64("+7")).hasValue(7);
        assertThat(IntOrPercent.parseGoInt64("9223372036854775808")).isEmpty();
        assertThat(IntOrPercent.parseGoInt64("+")).isEmpty();
        assertThat(IntOrPercent.parseGoInt64("")).isEmpty();
        assertThat(IntOrPercent.parseGoInt64("١")).isEmpty();
    }
}

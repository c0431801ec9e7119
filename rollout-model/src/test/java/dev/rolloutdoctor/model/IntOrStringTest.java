package dev.rolloutdoctor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IntOrStringTest {

    @Test
    void aNumberedPortIsAnInt() {
        IntOrString port = IntOrString.of(8080);
        assertThat(port.isInt()).isTrue();
        assertThat(port.intValue()).isEqualTo(8080);
        assertThat(port.stringValue()).isEqualTo("8080");
        assertThat(port).hasToString("8080");
    }

    @Test
    void aNamedPortIsAString() {
        IntOrString port = IntOrString.of("http");
        assertThat(port.isInt()).isFalse();
        assertThat(port.stringValue()).isEqualTo("http");
        assertThat(port).hasToString("http");
    }

    @Test
    void askingAStringForItsIntThrows() {
        assertThatThrownBy(() -> IntOrString.of("http").intValue())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"http\"");
    }

    @Test
    void aNumericStringStaysAString() {
        IntOrString quoted = IntOrString.of("8080");
        assertThat(quoted.isInt()).isFalse();
        assertThat(quoted).isNotEqualTo(IntOrString.of(8080));
    }

    @Test
    void equalValuesOfTheSameKindAreEqual() {
        assertThat(IntOrString.of(80)).isEqualTo(IntOrString.of(80)).hasSameHashCodeAs(IntOrString.of(80));
        assertThat(IntOrString.of("web")).isEqualTo(IntOrString.of("web"));
        assertThat(IntOrString.of("web")).isNotEqualTo(IntOrString.of("Web"));
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> IntOrString.of((String) null)).isInstanceOf(NullPointerException.class);
    }
}

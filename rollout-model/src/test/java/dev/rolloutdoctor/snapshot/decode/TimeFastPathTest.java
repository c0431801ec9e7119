package dev.rolloutdoctor.snapshot.decode;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimeFastPathTest {

    @Test
    void theFastPathAgreesWithTheGeneralParserOnApiServerTimestamps() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L));
            String text = t.toString();
            assertThat(Obj.parseTime(text)).as(text).isEqualTo(Times.parse(text));
        }
    }

    @Test
    void theFastPathAgreesWithTheGeneralParserOnOddAndInvalidTexts() {
        List<String> texts = new ArrayList<>(List.of("2024-02-29T23:59:59Z", "2023-02-29T10:00:00Z", "2024-04-31T10:00:00Z",
                "2024-13-01T10:00:00Z", "2024-00-10T10:00:00Z", "2024-05-00T10:00:00Z", "2024-05-02T24:00:00Z",
                "2024-05-02T23:60:00Z", "2024-05-02T23:59:60Z", "2024-05-02t10:00:00z", "2024-05-02T10:00:00+02:00",
                "2024-05-02T10:00:00.123Z", "2024-05-02 10:00:00 UTC", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                "2024-05-02T1a:00:00Z", "+024-05-02T10:00:00Z", "2024-05-02X10:00:00Z", "", "yesterday"));
        SplittableRandom random = new SplittableRandom(11);
        char[] alphabet = "0123456789-T:Z+ ".toCharArray();
        for (int i = 0; i < 20_000; i++) {
            char[] c = "2024-05-02T10:30:00Z".toCharArray();
            c[random.nextInt(c.length)] = alphabet[random.nextInt(alphabet.length)];
            texts.add(new String(c));
        }
        for (String text : texts) {
            assertThat(Obj.parseTime(text)).as(text).isEqualTo(Times.parse(text));
        }
    }
}

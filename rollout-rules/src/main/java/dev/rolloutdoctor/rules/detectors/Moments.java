package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How the workload rules write instants and how they stand against the capture time. */
final class Moments {

    private Moments() {
    }

    /** RFC 3339 to the second: {@code 2024-05-01T10:04:31Z}. */
    static String at(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** "12m before capture", "25s after capture", "at capture". */
    static String relative(Instant instant, Instant capturedAt) {
        Duration d = Duration.between(instant, capturedAt);
        if (d.isZero()) {
            return "at capture";
        }
        return d.isNegative() ? Durations.format(d.negated()) + " after capture" : Durations.format(d) + " before capture";
    }

    /** A number of seconds as kubectl shows durations: {@code 600} is {@code 10m}. */
    static String seconds(long seconds) {
        return Durations.format(Duration.ofSeconds(seconds));
    }
}

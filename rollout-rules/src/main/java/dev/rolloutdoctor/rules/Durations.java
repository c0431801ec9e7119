package dev.rolloutdoctor.rules;

import java.time.Duration;

/** Formats durations the way kubectl shows ages: {@code 45s}, {@code 12m}, {@code 3h5m}, {@code 2d4h}. */
public final class Durations {

    private Durations() {
    }

    public static String format(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        }
        long days = h / 24;
        return h % 24 == 0 ? days + "d" : days + "d" + (h % 24) + "h";
    }
}

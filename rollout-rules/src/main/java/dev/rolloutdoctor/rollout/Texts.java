package dev.rolloutdoctor.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** How times and durations read in reasons and timeline entries. */
final class Texts {

    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Texts() {
    }

    /**
     * An instant as {@code 10:04:31Z} when it falls on the capture's (UTC) day, else in full
     * ({@code 2024-05-01T10:04:31Z}), so that a reason stays short without hiding a date.
     */
    static String time(Instant at, Optional<Instant> capturedAt) {
        Instant seconds = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (capturedAt.isPresent() && day(seconds).equals(day(capturedAt.get()))) {
            return TIME_OF_DAY.format(seconds);
        }
        return DateTimeFormatter.ISO_INSTANT.format(seconds);
    }

    private static LocalDate day(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * A duration as kubectl prints ages ({@code duration.HumanDuration} of k8s.io/apimachinery): seconds up to two
     * minutes, then {@code 5m30s}, {@code 12m}, {@code 3h5m}, {@code 20h}, {@code 2d4h}, {@code 30d}, {@code 2y10d}.
     */
    static String duration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = hours / 24;
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? days + "d" : days + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) {
            return days + "d";
        }
        if (hours < 24 * 365 * 8) {
            long d2 = days % 365;
            return d2 == 0 ? days / 365 + "y" : days / 365 + "y" + d2 + "d";
        }
        return days / 365 + "y";
    }

    /** "All 3 pods are", "The 1 pod is": the start of a sentence about every pod of a workload (at least one). */
    static String everyPod(int n) {
        return n == 1 ? "The 1 pod is" : "All " + n + " pods are";
    }

    /** "1 pod" / "2 pods". */
    static String pods(int n) {
        return n == 1 ? "1 pod" : n + " pods";
    }
}

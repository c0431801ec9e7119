package dev.rolloutdoctor.snapshot.io;

import java.util.Locale;

/** Wording shared by the problems this package reports. */
final class Describe {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final int NAME_SHOWN = 120;

    private Describe() {
    }

    /** {@code 512 MiB}, {@code 1.5 KiB}, {@code 12 bytes}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n == 1 ? "1 byte" : n + " bytes";
        }
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value)
                ? String.format(Locale.ROOT, "%d %s", (long) value, UNITS[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** An entry name as written in the archive, made safe to print: no control characters, long names cut. */
    static String name(String raw) {
        StringBuilder shown = new StringBuilder(Math.min(raw.length(), NAME_SHOWN + 1));
        for (int i = 0; i < raw.length() && i < NAME_SHOWN; i++) {
            char c = raw.charAt(i);
            shown.append(Character.isISOControl(c) ? '?' : c);
        }
        if (raw.length() > NAME_SHOWN) {
            shown.append('…');
        }
        return shown.toString();
    }

    static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Whether commons-compress's message says the data stopped short, rather than that it is garbled. */
    static boolean soundsCut(String reason) {
        String lower = reason.toLowerCase(Locale.ROOT);
        return lower.contains("truncated") || lower.contains("premature end") || lower.contains("unexpected end");
    }

    static String endsEarly(int entries, String reason) {
        return "archive ends early after " + entries + (entries == 1 ? " entry" : " entries") + ": " + reason
                + "; the entries before were read. The file was probably cut short while being copied; copy it again";
    }

    static String damaged(int entries, String reason) {
        return "archive cannot be read past " + entries + (entries == 1 ? " entry" : " entries") + ": " + reason
                + "; the entries before were read";
    }
}

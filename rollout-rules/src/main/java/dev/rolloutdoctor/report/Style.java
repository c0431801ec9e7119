package dev.rolloutdoctor.report;

/** ANSI styling for the text report, or none: colour only on a terminal, and never when NO_COLOR is set. */
public final class Style {

    private final boolean color;

    private Style(boolean color) {
        this.color = color;
    }

    public static final Style PLAIN = new Style(false);
    public static final Style COLOR = new Style(true);

    /**
     * Colour when stdout is a terminal, {@code NO_COLOR} is unset or empty (no-color.org) and {@code TERM} is not
     * {@code dumb}.
     */
    public static Style forTerminal() {
        String noColor = System.getenv("NO_COLOR");
        boolean tty = System.console() != null;
        boolean dumb = "dumb".equals(System.getenv("TERM"));
        return tty && (noColor == null || noColor.isEmpty()) && !dumb ? COLOR : PLAIN;
    }

    String bold(String s) {
        return wrap("1", s);
    }

    String red(String s) {
        return wrap("31", s);
    }

    String yellow(String s) {
        return wrap("33", s);
    }

    String green(String s) {
        return wrap("32", s);
    }

    String dim(String s) {
        return wrap("2", s);
    }

    String cyan(String s) {
        return wrap("36", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}

package dev.rolloutdoctor.robustness;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a pretty-printed JSON or block-style YAML dump file, seen just well enough to edit one field without
 * breaking the syntax around it: which lines are {@code key: value} lines and how far the value's block reaches.
 * It relies on the layout kubectl and the fixtures' writers produce (one field per line, indentation that follows
 * the nesting), not on a parser, so that the edits keep every other byte of the file as it was.
 */
final class FuzzLines {

    /** {@code "key": value,} as {@code json.MarshalIndent} writes it. */
    private static final Pattern JSON_KEY = Pattern.compile("^(\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"):\\s?(.*?)(,?)$");
    /** {@code key: value}, {@code - key: value} or {@code key:} opening a block, as kubectl writes YAML. */
    private static final Pattern YAML_KEY =
            Pattern.compile("^( *)(- )?([A-Za-z0-9_.\\-/]+|\"[^\"]*\"|'[^']*'):(?:[ ]+(.*?))?[ ]*$");

    /** One {@code key: value} line. */
    record KeyLine(int index, String indent, boolean dash, String rawKey, Optional<String> value, boolean comma) {

        /** The key without its quotes. */
        String key() {
            return rawKey.length() >= 2 && (rawKey.startsWith("\"") || rawKey.startsWith("'"))
                    ? rawKey.substring(1, rawKey.length() - 1) : rawKey;
        }

        /** The column the key starts at: after the dash of a sequence item. */
        int keyIndent() {
            return indent.length() + (dash ? 2 : 0);
        }
    }

    private final List<String> lines;
    private final boolean json;

    private FuzzLines(List<String> lines, boolean json) {
        this.lines = lines;
        this.json = json;
    }

    static FuzzLines of(String text) {
        String start = text.stripLeading();
        return new FuzzLines(new ArrayList<>(List.of(text.split("\n", -1))), start.startsWith("{") || start.startsWith("["));
    }

    boolean json() {
        return json;
    }

    String text() {
        return String.join("\n", lines);
    }

    int size() {
        return lines.size();
    }

    String line(int index) {
        return lines.get(index);
    }

    Optional<KeyLine> key(int index) {
        String line = lines.get(index);
        if (json) {
            Matcher m = JSON_KEY.matcher(line);
            return m.matches()
                    ? Optional.of(new KeyLine(index, m.group(1), false, m.group(2), Optional.of(m.group(3)), !m.group(4).isEmpty()))
                    : Optional.empty();
        }
        Matcher m = YAML_KEY.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new KeyLine(index, m.group(1), m.group(2) != null, m.group(3),
                Optional.ofNullable(m.group(4)).filter(v -> !v.isEmpty()), false));
    }

    /** The key lines that satisfy a condition, in file order. */
    List<KeyLine> keys(Predicate<KeyLine> condition) {
        List<KeyLine> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            key(i).filter(condition).ifPresent(found::add);
        }
        return found;
    }

    /** A key line whose value is a whole scalar on that line: replacing the line's value changes nothing else. */
    boolean isScalar(KeyLine k) {
        if (k.value().isEmpty()) {
            return false;
        }
        String v = k.value().get();
        if (json) {
            return !v.equals("{") && !v.equals("[");
        }
        if (v.startsWith("|") || v.startsWith(">") || v.startsWith("#") || v.startsWith("&") || v.startsWith("*")
                || v.startsWith("!") || unclosedQuote(v)) {
            return false;
        }
        return blockEnd(k) == k.index() + 1;
    }

    private static boolean unclosedQuote(String v) {
        if (v.startsWith("'")) {
            return v.length() < 2 || !v.endsWith("'");
        }
        if (v.startsWith("\"")) {
            return v.length() < 2 || !v.endsWith("\"") || v.endsWith("\\\"");
        }
        return false;
    }

    /** The index after the last line of the key's value: its nested block, or the line itself for a scalar. */
    int blockEnd(KeyLine k) {
        int i = k.index();
        if (json) {
            String v = k.value().orElse("");
            if (!v.equals("{") && !v.equals("[")) {
                return i + 1;
            }
            for (int j = i + 1; j < lines.size(); j++) {
                String t = lines.get(j);
                if (indentOf(t) == k.indent().length() && (t.stripLeading().startsWith("}") || t.stripLeading().startsWith("]"))) {
                    return j + 1;
                }
            }
            return lines.size();
        }
        int keyIndent = k.keyIndent();
        int j = i + 1;
        while (j < lines.size()) {
            String t = lines.get(j);
            int indent = indentOf(t);
            boolean compactSequence = k.value().isEmpty() && indent == keyIndent && t.startsWith("- ", indent);
            if (!t.isBlank() && indent <= keyIndent && !compactSequence) {
                break;
            }
            j++;
        }
        while (j > i + 1 && lines.get(j - 1).isBlank()) {
            j--;
        }
        return j;
    }

    /** Whether a JSON block or line ends with a comma, so that what replaces it must too. */
    private boolean endsWithComma(KeyLine k) {
        return lines.get(blockEnd(k) - 1).stripTrailing().endsWith(",");
    }

    /** The key line with another value: for a block, the whole block becomes that one line. */
    void replaceValue(KeyLine k, String value) {
        boolean comma = json && endsWithComma(k);
        String line = k.indent() + (k.dash() ? "- " : "") + k.rawKey() + ": " + value + (comma ? "," : "");
        replace(k.index(), blockEnd(k), List.of(line));
    }

    /** Removes the key and its value; in JSON the comma before it goes too when it was the last member. */
    void delete(KeyLine k) {
        boolean comma = json && endsWithComma(k);
        int end = blockEnd(k);
        replace(k.index(), end, List.of());
        if (json && !comma && k.index() > 0) {
            String before = lines.get(k.index() - 1);
            if (before.stripTrailing().endsWith(",")) {
                String trimmed = before.stripTrailing();
                lines.set(k.index() - 1, trimmed.substring(0, trimmed.length() - 1));
            }
        }
    }

    /** Puts a copy of the key and its whole value right before it: the same key twice in one mapping. */
    void duplicate(KeyLine k) {
        List<String> copy = new ArrayList<>(lines.subList(k.index(), blockEnd(k)));
        if (k.dash()) {
            // the copy must not start a new sequence item: it becomes a sibling key after the original line
            copy.set(0, " ".repeat(k.indent().length() + 2) + copy.get(0).substring(k.indent().length() + 2));
            int end = blockEnd(k);
            List<String> moved = new ArrayList<>(lines.subList(k.index(), end));
            moved.addAll(copy);
            replace(k.index(), end, moved);
            return;
        }
        if (json) {
            int last = copy.size() - 1;
            String t = copy.get(last).stripTrailing();
            copy.set(last, t.endsWith(",") ? t : t + ",");
        }
        lines.addAll(k.index(), copy);
    }

    /** Inserts lines of another field before a key line, at its key's indentation: a sibling of that key. */
    void insertSibling(KeyLine k, List<String> fieldLines) {
        String pad = " ".repeat(k.keyIndent());
        List<String> added = new ArrayList<>();
        for (String f : fieldLines) {
            added.add(pad + f + (json ? "," : ""));
        }
        if (k.dash()) {
            int end = blockEnd(k);
            if (end != k.index() + 1) {
                return; // a "- key:" opening a block has no place for a sibling right after it
            }
            lines.addAll(k.index() + 1, added);
            return;
        }
        lines.addAll(k.index(), added);
    }

    /** The key lines whose values hold this key line, innermost first; none for a key at the root of a document. */
    List<KeyLine> enclosing(KeyLine k) {
        List<KeyLine> found = new ArrayList<>();
        int threshold = json ? k.indent().length() : k.keyIndent();
        for (int j = k.index() - 1; j >= 0 && threshold > 0; j--) {
            String t = lines.get(j);
            if (t.isBlank()) {
                continue;
            }
            Optional<KeyLine> above = key(j);
            int indent = json ? indentOf(t) : above.map(KeyLine::keyIndent).orElse(Integer.MAX_VALUE);
            if (indent < threshold && above.isPresent()) {
                found.add(above.get());
                threshold = indent;
            } else if (json && indent < threshold) {
                threshold = indent; // the brace or bracket of an array item
            }
        }
        return found;
    }

    /** Replaces lines {@code [from, to)}. */
    void replace(int from, int to, List<String> with) {
        List<String> tail = new ArrayList<>(lines.subList(to, lines.size()));
        while (lines.size() > from) {
            lines.remove(lines.size() - 1);
        }
        lines.addAll(with);
        lines.addAll(tail);
    }

    void set(int index, String line) {
        lines.set(index, line);
    }

    static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}

package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.fixtures.gen.Gen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * One way of damaging the bytes of one dump file, with every random decision drawn up front, so that a failing
 * try replays from its seed and shrinks towards the first kind, the start of the file and the smallest sizes.
 *
 * @param kind    what is done to the file
 * @param where   where in the file, as millionths of its length or of its candidate lines
 * @param variant which form of the damage (which replacement value, which invalid sequence ...)
 * @param size    how much: bytes flipped or inserted, nesting levels, characters of a long string
 * @param noise   seed of the random bytes the damage writes
 */
record Mutation(Kind kind, int where, int variant, int size, long noise) {

    /** What a mutation does to a file. */
    enum Kind {
        TRUNCATE, FLIP_BYTES, INSERT_BYTES, INVALID_UTF8, SWAP_TYPE, DELETE_FIELD, DUPLICATE_KEY, CRLF, TABS,
        HUGE_NUMBER, LONG_STRING, DEEP_NESTING, ANCHORS, BILLION_LAUGHS, UNKNOWN_KIND, UNKNOWN_FIELD,
        /** A whole line gone; for half of the tries one of the log markers of {@code cluster-info dump}'s stdout. */
        DELETE_LINE,
        /** A number of more than 1000 digits or a key of more than 50,000 characters: past Jackson's token limits. */
        OVERLONG_TOKEN
    }

    /** The mutated bytes, whether the file stays a readable dump of the same objects, and what was done. */
    record Outcome(byte[] bytes, boolean keepsObjects, String detail, java.util.OptionalInt duplicateReportedAt) {

        Outcome(byte[] bytes, boolean keepsObjects, String detail) {
            this(bytes, keepsObjects, detail, java.util.OptionalInt.empty());
        }

        /** False when the file had no line the mutation fits, so that it was left as it was. */
        boolean changed() {
            return !detail.endsWith(UNCHANGED);
        }

        @Override
        public String toString() {
            return detail + (keepsObjects ? " (keeps objects)" : "");
        }
    }

    /** Fields whose value makes an object what it is (its ref) or makes a list a list: changing them loses objects. */
    static final Set<String> IDENTITY = Set.of("kind", "name", "namespace", "metadata", "items", "apiVersion");
    /** Fields every object or list needs. */
    static final Set<String> REQUIRED = Set.of("apiVersion", "kind", "metadata", "name", "spec", "status", "items", "namespace");
    /** The levels at which a nested value stays well within LoadLimits.maxNestingDepth (200) in any dump file. */
    static final int SHALLOW_NESTING = 150;

    private static final int MILLION = 1_000_000;
    private static final String UNCHANGED = ": no fitting line, file unchanged";

    private static final String[] JSON_SWAPS = {"{\"fuzz\": 1}", "[1, \"two\"]", "\"three\"", "true", "null", "3", "\"\"", "-1"};
    private static final String[] YAML_SWAPS = {"{fuzz: 1}", "[1, two]", "\"three\"", "true", "null", "3", "\"\"", "-1"};
    private static final String[] HUGE = {"99999999999999999999999", "1e400", "-1e400", "1e-400", "2147483648",
            "-9223372036854775809", "0.000000000000000000000000000001", "123456789012345678901234567890.5e300"};
    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xC3, 0x28}, {(byte) 0xA0, (byte) 0xA1}, {(byte) 0xE2, 0x28, (byte) 0xA1}, {(byte) 0xF0, 0x28, (byte) 0x8C, (byte) 0xBC},
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}};

    /** Any mutation; sizes stay small enough that a default run takes seconds. */
    static Gen<Mutation> any() {
        return Gen.elements(Arrays.asList(Kind.values())).flatMap(Mutation::of);
    }

    /** Mutations of kinds that keep the file a readable dump of the same objects, given a fitting line. */
    static Gen<Mutation> keepingObjects() {
        return Gen.of(Kind.CRLF, Kind.TABS, Kind.UNKNOWN_FIELD, Kind.DUPLICATE_KEY, Kind.SWAP_TYPE, Kind.HUGE_NUMBER,
                Kind.LONG_STRING, Kind.DEEP_NESTING, Kind.BILLION_LAUGHS).flatMap(Mutation::of);
    }

    /** Mutations of raw bytes, for archives. */
    static Gen<Mutation> ofBytes() {
        return Gen.of(Kind.TRUNCATE, Kind.FLIP_BYTES, Kind.INSERT_BYTES).flatMap(Mutation::of);
    }

    static Gen<Mutation> of(Kind kind) {
        Gen<Integer> size = switch (kind) {
            case FLIP_BYTES, INSERT_BYTES -> Gen.integers(1, 32);
            case OVERLONG_TOKEN -> Gen.frequency(Gen.weighted(1, Gen.integers(1_001, 5_000)), Gen.weighted(1, Gen.integers(50_001, 200_000)));
            case LONG_STRING -> Gen.frequency(Gen.weighted(6, Gen.integers(1_000, 100_000)), Gen.weighted(1, Gen.integers(1_000_000, 3_000_000)));
            case DEEP_NESTING -> Gen.frequency(Gen.weighted(1, Gen.integers(1, SHALLOW_NESTING)), Gen.weighted(1, Gen.integers(201, 5_000)));
            case BILLION_LAUGHS -> Gen.integers(2, 12);
            default -> Gen.constant(0);
        };
        return Gen.zip(Gen.integers(0, MILLION - 1), Gen.integers(0, 15), size, Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE),
                (where, variant, n, noise) -> new Mutation(kind, where, variant, n, noise));
    }

    /** Applies the mutation to the bytes of one file. */
    Outcome apply(byte[] original) {
        SplittableRandom random = new SplittableRandom(noise);
        return switch (kind) {
            case TRUNCATE -> truncate(original);
            case FLIP_BYTES -> flip(original, random);
            case INSERT_BYTES -> insertBytes(original, random);
            case INVALID_UTF8 -> invalidUtf8(original);
            case CRLF -> new Outcome(text(original).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), true, "CRLF line endings");
            case TABS -> tabs(original);
            case DELETE_LINE -> deleteLine(original);
            default -> edit(original);
        };
    }

    private int at(int length) {
        return (int) ((long) where * length / MILLION);
    }

    private Outcome truncate(byte[] original) {
        int cut = at(original.length);
        return new Outcome(Arrays.copyOf(original, cut), false, "truncated at byte " + cut + " of " + original.length);
    }

    private Outcome flip(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < size && bytes.length > 0; i++) {
            // the first flip sits where the shrinker can move it; the others anywhere
            int p = i == 0 ? at(bytes.length) : random.nextInt(bytes.length);
            bytes[p] ^= (byte) (1 + random.nextInt(255));
            at.add(p);
        }
        return new Outcome(bytes, false, "flipped bytes at " + at);
    }

    private Outcome insertBytes(byte[] original, SplittableRandom random) {
        byte[] inserted = new byte[size];
        random.nextBytes(inserted);
        int p = at(original.length);
        return new Outcome(splice(original, p, inserted), false, "inserted " + hex(inserted) + " at byte " + p);
    }

    private Outcome invalidUtf8(byte[] original) {
        byte[] sequence = INVALID_UTF8[variant % INVALID_UTF8.length];
        FuzzLines lines = FuzzLines.of(text(original));
        List<FuzzLines.KeyLine> scalars = lines.keys(lines::isScalar);
        if (scalars.isEmpty() || variant >= 12) {
            int p = at(original.length);
            return new Outcome(splice(original, p, sequence), false, "inserted invalid UTF-8 " + hex(sequence) + " at byte " + p);
        }
        FuzzLines.KeyLine k = pick(scalars);
        String marker = "\u0000FUZZ\u0000";
        String value = k.value().get();
        lines.replaceValue(k, value.substring(0, value.length() / 2) + marker + value.substring(value.length() / 2));
        byte[] marked = lines.text().getBytes(StandardCharsets.UTF_8);
        int p = indexOf(marked, marker.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = splice(Arrays.copyOf(marked, p), p, sequence);
        byte[] rest = Arrays.copyOfRange(marked, p + marker.length(), marked.length);
        return new Outcome(splice(bytes, bytes.length, rest), false,
                "invalid UTF-8 " + hex(sequence) + " inside the value of " + describe(k));
    }

    private Outcome tabs(byte[] original) {
        FuzzLines lines = FuzzLines.of(text(original));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.line(i);
            int indent = FuzzLines.indentOf(line);
            if (lines.json()) {
                // tabs are JSON whitespace anywhere between tokens
                out.append("\t".repeat(indent)).append(line.substring(indent));
            } else if (variant % 2 == 0) {
                // a tab after a plain value is separation space, which YAML allows (SnakeYAML only there, YAML 1.2
                // also after quoted and flow values)
                out.append(line).append(lines.key(i).filter(k -> plainValue(lines, k)).isPresent() ? "\t" : "");
            } else {
                // YAML forbids tabs in indentation
                out.append(indent > 0 && lines.key(i).isPresent() ? "\t" + line.substring(1) : line);
            }
            out.append(i + 1 < lines.size() ? "\n" : "");
        }
        boolean legal = lines.json() || variant % 2 == 0;
        return new Outcome(out.toString().getBytes(StandardCharsets.UTF_8), legal,
                lines.json() ? "JSON indented with tabs" : legal ? "a tab after every plain YAML value" : "YAML indented with tabs");
    }

    private Outcome deleteLine(byte[] original) {
        FuzzLines lines = FuzzLines.of(text(original));
        List<Integer> markers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.line(i).startsWith("==== ")) {
                markers.add(i);
            }
        }
        int line = variant % 2 == 1 && !markers.isEmpty() ? pick(markers) : at(lines.size());
        String gone = lines.line(line);
        lines.replace(line, line + 1, List.of());
        return new Outcome(lines.text().getBytes(StandardCharsets.UTF_8), false,
                "deleted line " + (line + 1) + " '" + (gone.length() > 60 ? gone.substring(0, 60) + "..." : gone) + "'");
    }

    private static boolean plainValue(FuzzLines lines, FuzzLines.KeyLine k) {
        return lines.isScalar(k) && "\"'[{".indexOf(k.value().get().charAt(0)) < 0;
    }

    /** Mutations that edit one field, found by its line. */
    private Outcome edit(byte[] original) {
        String text = text(original);
        FuzzLines lines = FuzzLines.of(text);
        Outcome unchanged = new Outcome(original, true, kind + UNCHANGED);
        return switch (kind) {
            case SWAP_TYPE -> swapType(lines).orElse(unchanged);
            case DELETE_FIELD -> onKey(lines, k -> REQUIRED.contains(k.key()) && !k.dash(), k -> {
                lines.delete(k);
                return false;
            }, "deleted").orElse(unchanged);
            case DUPLICATE_KEY -> duplicateKey(lines).orElse(unchanged);
            case HUGE_NUMBER -> hugeNumber(lines).orElse(unchanged);
            case OVERLONG_TOKEN -> size <= 5_000 ? onKey(lines, k -> lines.isScalar(k) && k.value().get().matches("-?[0-9]+"), k -> {
                lines.replaceValue(k, "9".repeat(size));
                return false;
            }, "a number of " + size + " digits as").orElse(unchanged) : onKey(lines, k -> !k.dash(), k -> {
                String key = "k".repeat(size);
                lines.insertSibling(k, List.of(lines.json() ? "\"" + key + "\": 1" : key + ": 1"));
                return false;
            }, "a key of " + size + " characters before").orElse(unchanged);
            case LONG_STRING -> onKey(lines, lines::isScalar, k -> {
                lines.replaceValue(k, "\"" + "long-".repeat(size / 5 + 1).substring(0, size) + "\"");
                return !IDENTITY.contains(k.key());
            }, "a string of " + size + " characters as").orElse(unchanged);
            case DEEP_NESTING -> onKey(lines, lines::isScalar, k -> {
                String open = variant % 2 == 0 ? "[" : lines.json() ? "{\"a\": " : "{a: ";
                String close = variant % 2 == 0 ? "]" : "}";
                lines.replaceValue(k, open.repeat(size) + "1" + close.repeat(size));
                return size <= SHALLOW_NESTING && !IDENTITY.contains(k.key());
            }, size + " levels of " + (variant % 2 == 0 ? "sequences" : "mappings") + " as").orElse(unchanged);
            case ANCHORS -> anchors(lines).orElse(unchanged);
            case BILLION_LAUGHS -> onKey(lines, k -> !k.dash(), k -> {
                lines.insertSibling(k, laughs(size));
                return !lines.json();
            }, "billion laughs (" + size + " levels) before").orElse(unchanged);
            case UNKNOWN_KIND -> onKey(lines, k -> k.key().equals("kind") && lines.isScalar(k), k -> {
                lines.replaceValue(k, lines.json() ? "\"FuzzWidget\"" : "FuzzWidget");
                return false;
            }, "kind FuzzWidget in").orElse(unchanged);
            case UNKNOWN_FIELD -> onKey(lines, k -> !k.dash(), k -> {
                lines.insertSibling(k, List.of(lines.json() ? "\"x-fuzz-field\": {\"a\": [1, \"b\", {\"c\": null}]}" : "x-fuzz-field: {a: [1, b, {c: null}]}"));
                return true;
            }, "an unknown field before").orElse(unchanged);
            default -> throw new IllegalStateException(kind.toString());
        };
    }

    private java.util.Optional<Outcome> swapType(FuzzLines lines) {
        String[] swaps = lines.json() ? JSON_SWAPS : YAML_SWAPS;
        String value = swaps[variant % swaps.length];
        List<FuzzLines.KeyLine> replicas = lines.keys(k -> k.key().equals("replicas") && lines.isScalar(k));
        if (variant >= 12 && !replicas.isEmpty()) {
            // the classic: a number written out in words
            FuzzLines.KeyLine k = pick(replicas);
            String detail = "replicas: \"three\" at " + describe(k);
            lines.replaceValue(k, "\"three\"");
            return java.util.Optional.of(outcome(lines, true, detail));
        }
        boolean block = variant % 3 == 2;
        Predicate<FuzzLines.KeyLine> fits = block ? k -> !lines.isScalar(k) && k.value().isEmpty() == !lines.json() && !k.dash()
                : lines::isScalar;
        return onKey(lines, fits, k -> {
            lines.replaceValue(k, value);
            return !IDENTITY.contains(k.key());
        }, (block ? "a block replaced by " : "") + value + " as");
    }

    /**
     * Repeats a key in its mapping. The outcome says the line of the repetition the loader must report, for a key
     * that is a key to the loader: not inside a block scalar nor under the {@code managedFields} it skips unread.
     */
    private java.util.Optional<Outcome> duplicateKey(FuzzLines lines) {
        List<FuzzLines.KeyLine> candidates = lines.keys(k -> !k.key().equals("managedFields"));
        if (candidates.isEmpty()) {
            return java.util.Optional.empty();
        }
        FuzzLines.KeyLine k = pick(candidates);
        List<FuzzLines.KeyLine> enclosing = lines.enclosing(k);
        boolean read = enclosing.stream().noneMatch(e -> e.key().equals("managedFields")
                || e.value().filter(v -> v.startsWith("|") || v.startsWith(">")).isPresent());
        int copied = lines.blockEnd(k) - k.index();
        boolean scalar = lines.isScalar(k);
        // the later of the two is reported: the original, after its copy, or for a sequence item's first key the copy
        int later = k.index() + copied + 1;
        boolean root = enclosing.isEmpty();
        String detail = "duplicated " + describe(k) + (root ? " at the root" : "");
        lines.duplicate(k);
        return java.util.Optional.of(new Outcome(lines.text().getBytes(StandardCharsets.UTF_8), true, detail,
                read && scalar ? java.util.OptionalInt.of(later) : java.util.OptionalInt.empty()));
    }

    private java.util.Optional<Outcome> hugeNumber(FuzzLines lines) {
        String value = HUGE[variant % HUGE.length];
        Predicate<FuzzLines.KeyLine> numeric = k -> lines.isScalar(k) && k.value().get().matches("-?[0-9]+(\\.[0-9]+)?");
        List<FuzzLines.KeyLine> replicas = lines.keys(k -> numeric.test(k) && k.key().equals("replicas"));
        if (variant % 2 == 0 && !replicas.isEmpty()) {
            FuzzLines.KeyLine k = pick(replicas);
            String detail = "replicas: " + value + " at " + describe(k);
            lines.replaceValue(k, value);
            return java.util.Optional.of(outcome(lines, true, detail));
        }
        return onKey(lines, numeric, k -> {
            lines.replaceValue(k, value);
            return !IDENTITY.contains(k.key());
        }, value + " as");
    }

    private java.util.Optional<Outcome> anchors(FuzzLines lines) {
        List<FuzzLines.KeyLine> scalars = lines.keys(lines::isScalar);
        if (scalars.size() < 2) {
            return java.util.Optional.empty();
        }
        int first = (int) ((long) where * (scalars.size() - 1) / MILLION);
        FuzzLines.KeyLine anchored = scalars.get(first);
        FuzzLines.KeyLine alias = scalars.get(first + 1 + (int) Math.floorMod(noise, (long) (scalars.size() - first - 1)));
        boolean undefined = variant % 4 == 3;
        String detail = "anchor &fuzz on " + describe(anchored) + ", alias *" + (undefined ? "nowhere" : "fuzz") + " as " + describe(alias);
        lines.replaceValue(anchored, "&fuzz " + anchored.value().get());
        lines.replaceValue(alias, undefined ? "*nowhere" : "*fuzz");
        return java.util.Optional.of(outcome(lines, false, detail));
    }

    /** The alias expansion of the "billion laughs" attack: each level refers ten times to the one below. */
    static List<String> laughs(int levels) {
        List<String> fields = new ArrayList<>();
        fields.add("lol0: &lol0 \"lol\"");
        for (int i = 1; i < levels; i++) {
            fields.add("lol" + i + ": &lol" + i + " [" + String.join(", ", java.util.Collections.nCopies(10, "*lol" + (i - 1))) + "]");
        }
        return fields;
    }

    /** Edits the line picked among the key lines that fit; the edit says whether the objects stay. */
    private java.util.Optional<Outcome> onKey(FuzzLines lines, Predicate<FuzzLines.KeyLine> fits,
            Predicate<FuzzLines.KeyLine> editKeepsObjects, String what) {
        List<FuzzLines.KeyLine> candidates = lines.keys(fits);
        if (candidates.isEmpty()) {
            return java.util.Optional.empty();
        }
        FuzzLines.KeyLine k = pick(candidates);
        String detail = what + " " + describe(k);
        boolean keeps = editKeepsObjects.test(k);
        return java.util.Optional.of(outcome(lines, keeps, detail));
    }

    private static Outcome outcome(FuzzLines lines, boolean keepsObjects, String detail) {
        return new Outcome(lines.text().getBytes(StandardCharsets.UTF_8), keepsObjects, detail);
    }

    private <T> T pick(List<T> candidates) {
        return candidates.get((int) ((long) where * candidates.size() / MILLION));
    }

    private static String describe(FuzzLines.KeyLine k) {
        String value = k.value().orElse("");
        return "line " + (k.index() + 1) + " '" + k.key() + ": " + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] splice(byte[] original, int at, byte[] inserted) {
        byte[] out = new byte[original.length + inserted.length];
        System.arraycopy(original, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(original, at, out, at + inserted.length, original.length - at);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("marker not found");
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02X", b & 0xff));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return kind + "(where=" + where + ", variant=" + variant + ", size=" + size + ", noise=" + noise + ")";
    }
}

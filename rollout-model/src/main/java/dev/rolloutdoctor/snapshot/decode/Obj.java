package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.IntOrPercent;
import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.LabelSelector;
import dev.rolloutdoctor.model.Quantity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A mapping being decoded, with its path and context: typed accessors that turn a value of the wrong type into a
 * problem (and the field's default) instead of an exception.
 */
public final class Obj {

    private final MapNode node;
    private final FieldPath path;
    private final DecodeContext ctx;

    public Obj(MapNode node, FieldPath path, DecodeContext ctx) {
        this.node = node;
        this.path = path;
        this.ctx = ctx;
    }

    /** The mapping at {@code n}; an absent value gives an empty mapping, any other value a problem and an empty mapping. */
    public static Obj of(Node n, FieldPath path, DecodeContext ctx) {
        if (n instanceof MapNode m) {
            return new Obj(m, path, ctx);
        }
        if (!n.isAbsent()) {
            ctx.problem(n, path, "expected a mapping, found " + n.describe());
        }
        return new Obj(MapNode.EMPTY, path, ctx);
    }

    public MapNode node() {
        return node;
    }

    public FieldPath path() {
        return path;
    }

    public DecodeContext ctx() {
        return ctx;
    }

    public boolean has(String key) {
        return !node.get(key).isAbsent();
    }

    public Node raw(String key) {
        return node.get(key);
    }

    public Obj obj(String key) {
        return of(node.get(key), path.field(key), ctx);
    }

    /** The scalar text under {@code key}, or "" when absent, null, redacted or not a scalar (the last is a problem). */
    public String str(String key) {
        return optStr(key).orElse("");
    }

    public Optional<String> optStr(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        if (n instanceof ScalarNode s) {
            if (DecodeContext.REDACTED.equals(s.text())) {
                ctx.redacted(path.field(key));
                return Optional.empty();
            }
            return Optional.of(s.text());
        }
        ctx.problem(n, path.field(key), "expected a string, found " + n.describe());
        return Optional.empty();
    }

    /** True when the value under {@code key} is the redaction placeholder. */
    public boolean isRedacted(String key) {
        return node.get(key) instanceof ScalarNode s && DecodeContext.REDACTED.equals(s.text());
    }

    public int integer(String key, int defaultValue) {
        return optInt(key).orElse(defaultValue);
    }

    public OptionalInt optInt(String key) {
        OptionalLong v = optLong(key);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        long l = v.getAsLong();
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            ctx.problem(node.get(key), path.field(key), "expected a 32-bit integer, found " + l);
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) l);
    }

    public long lng(String key, long defaultValue) {
        return optLong(key).orElse(defaultValue);
    }

    public OptionalLong optLong(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return OptionalLong.empty();
        }
        if (n instanceof ScalarNode s && !isRedactedScalar(s, key)) {
            OptionalLong parsed = parseInteger(s.text());
            if (parsed.isPresent()) {
                return parsed;
            }
        } else if (n instanceof ScalarNode) {
            return OptionalLong.empty();
        }
        ctx.problem(n, path.field(key), "expected an integer, found " + n.describe());
        return OptionalLong.empty();
    }

    private boolean isRedactedScalar(ScalarNode s, String key) {
        if (DecodeContext.REDACTED.equals(s.text())) {
            ctx.redacted(path.field(key));
            return true;
        }
        return false;
    }

    static OptionalLong parseInteger(String text) {
        String t = text.startsWith("+") ? text.substring(1) : text;
        try {
            return OptionalLong.of(Long.parseLong(t));
        } catch (NumberFormatException notPlain) {
            // JSON writers sometimes print whole numbers as 3.0 or 3e2
            try {
                var d = new java.math.BigDecimal(t);
                return OptionalLong.of(d.longValueExact());
            } catch (NumberFormatException | ArithmeticException notIntegral) {
                return OptionalLong.empty();
            }
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        return optBool(key).orElse(defaultValue);
    }

    public Optional<Boolean> optBool(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        if (n instanceof ScalarNode s) {
            // YAML 1.1 words too: sigs.k8s.io/yaml reads them as booleans
            switch (s.text()) {
                case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
                    return Optional.of(true);
                case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N":
                    return Optional.of(false);
                default:
                    break;
            }
        }
        ctx.problem(n, path.field(key), "expected true or false, found " + n.describe());
        return Optional.empty();
    }

    public Optional<Instant> time(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        if (n instanceof ScalarNode s) {
            if (isRedactedScalar(s, key)) {
                return Optional.empty();
            }
            Optional<Instant> t = parseTime(s.text());
            if (t.isPresent()) {
                return t;
            }
        }
        ctx.problem(n, path.field(key), "expected an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, found " + n.describe());
        return Optional.empty();
    }

    /**
     * {@link Times#parse}, with a fast path for the one form the API server writes ({@code 2024-05-02T12:00:00Z}):
     * a large bundle holds millions of timestamps, and the general parser costs a tenth of the whole load. Anything
     * else, or a value out of range, goes to {@link Times#parse}, so the answer is always the same.
     */
    static Optional<Instant> parseTime(String text) {
        if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 2);
            int day = digits(text, 8, 2);
            int hour = digits(text, 11, 2);
            int minute = digits(text, 14, 2);
            int second = digits(text, 17, 2);
            if ((year | month | day | hour | minute | second) >= 0 && month >= 1 && month <= 12 && day >= 1
                    && day <= java.time.YearMonth.of(year, month).lengthOfMonth() && hour <= 23 && minute <= 59 && second <= 59) {
                long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                return Optional.of(Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second));
            }
        }
        return Times.parse(text);
    }

    /** The decimal number of {@code length} ASCII digits at {@code from}, or -1 when any is not a digit. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** String-to-string map (labels, annotations, nodeSelector), sorted by key; non-scalar values are problems. */
    public SortedMap<String, String> strMap(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Collections.emptySortedMap();
        }
        if (!(n instanceof MapNode m)) {
            ctx.problem(n, path.field(key), "expected a mapping of strings, found " + n.describe());
            return Collections.emptySortedMap();
        }
        TreeMap<String, String> out = new TreeMap<>();
        for (int i = 0; i < m.size(); i++) {
            Node v = m.valueAt(i);
            if (v instanceof ScalarNode s) {
                out.put(m.keyAt(i), s.isNull() ? "" : s.text());
            } else {
                ctx.problem(v, path.field(key).field(m.keyAt(i)), "expected a string, found " + v.describe());
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** The keys of a mapping in the order written (ConfigMap and Secret data: keys only, never values). */
    public List<String> keysOf(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return List.of();
        }
        if (!(n instanceof MapNode m)) {
            ctx.problem(n, path.field(key), "expected a mapping, found " + n.describe());
            return List.of();
        }
        return List.copyOf(m.keys());
    }

    /** Resource quantities ({@code requests}, {@code capacity}, {@code hard}), sorted by resource name. */
    public SortedMap<String, Quantity> quantities(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Collections.emptySortedMap();
        }
        if (!(n instanceof MapNode m)) {
            ctx.problem(n, path.field(key), "expected a mapping of resource quantities, found " + n.describe());
            return Collections.emptySortedMap();
        }
        TreeMap<String, Quantity> out = new TreeMap<>();
        for (int i = 0; i < m.size(); i++) {
            Node v = m.valueAt(i);
            FieldPath p = path.field(key).field(m.keyAt(i));
            if (v instanceof ScalarNode s && !s.isNull()) {
                if (DecodeContext.REDACTED.equals(s.text())) {
                    ctx.redacted(p);
                    continue;
                }
                try {
                    out.put(m.keyAt(i), Quantity.parse(s.text().trim()));
                } catch (IllegalArgumentException e) {
                    ctx.problem(v, p, "expected a resource quantity such as 500m, 2Gi or 1.5, found " + v.describe());
                }
            } else if (!v.isAbsent()) {
                ctx.problem(v, p, "expected a resource quantity, found " + v.describe());
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    public Optional<Quantity> quantity(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        if (n instanceof ScalarNode s) {
            try {
                return Optional.of(Quantity.parse(s.text().trim()));
            } catch (IllegalArgumentException e) {
                // fall through to the problem
            }
        }
        ctx.problem(n, path.field(key), "expected a resource quantity such as 500m, 2Gi or 1.5, found " + n.describe());
        return Optional.empty();
    }

    public List<String> strList(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return List.of();
        }
        if (!(n instanceof SeqNode seq)) {
            ctx.problem(n, path.field(key), "expected a list of strings, found " + n.describe());
            return List.of();
        }
        List<String> out = new ArrayList<>(seq.size());
        for (int i = 0; i < seq.size(); i++) {
            Node item = seq.items().get(i);
            if (item instanceof ScalarNode s && !s.isNull()) {
                out.add(s.text());
            } else {
                ctx.problem(item, path.field(key).index(i), "expected a string, found " + item.describe());
            }
        }
        return List.copyOf(out);
    }

    /** A list of mappings decoded one by one; items that are not mappings are problems and skipped. */
    public <T> List<T> list(String key, Function<Obj, T> decoder) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return List.of();
        }
        if (!(n instanceof SeqNode seq)) {
            ctx.problem(n, path.field(key), "expected a list, found " + n.describe());
            return List.of();
        }
        List<T> out = new ArrayList<>(seq.size());
        FieldPath listPath = path.field(key);
        for (int i = 0; i < seq.size(); i++) {
            Node item = seq.items().get(i);
            FieldPath p = listPath.index(i);
            if (item instanceof MapNode m) {
                T value = decoder.apply(new Obj(m, p, ctx));
                if (value != null) {
                    out.add(value);
                }
            } else if (!item.isAbsent()) {
                ctx.problem(item, p, "expected a mapping, found " + item.describe());
            }
        }
        return List.copyOf(out);
    }

    /** Mappings under each key of a mapping, in order written (e.g. a list-shaped map). */
    public <T> Map<String, T> map(String key, Function<Obj, T> decoder) {
        Node n = node.get(key);
        if (!(n instanceof MapNode m)) {
            if (!n.isAbsent()) {
                ctx.problem(n, path.field(key), "expected a mapping, found " + n.describe());
            }
            return Map.of();
        }
        Map<String, T> out = new LinkedHashMap<>();
        for (int i = 0; i < m.size(); i++) {
            out.put(m.keyAt(i), decoder.apply(of(m.valueAt(i), path.field(key).field(m.keyAt(i)), ctx)));
        }
        return Collections.unmodifiableMap(out);
    }

    public Optional<IntOrPercent> intOrPercent(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        if (n instanceof ScalarNode s) {
            try {
                return Optional.of(s.type() == ScalarNode.Type.INTEGER
                        ? IntOrPercent.ofInt(Integer.parseInt(s.text()))
                        : IntOrPercent.parse(s.text()));
            } catch (IllegalArgumentException e) {
                ctx.problem(n, path.field(key), "expected an integer or a percentage such as 25%, found " + n.describe());
                return Optional.empty();
            }
        }
        ctx.problem(n, path.field(key), "expected an integer or a percentage such as 25%, found " + n.describe());
        return Optional.empty();
    }

    public Optional<IntOrString> intOrString(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        if (n instanceof ScalarNode s) {
            if (s.type() == ScalarNode.Type.INTEGER) {
                OptionalLong v = parseInteger(s.text());
                if (v.isPresent() && v.getAsLong() >= Integer.MIN_VALUE && v.getAsLong() <= Integer.MAX_VALUE) {
                    return Optional.of(IntOrString.of((int) v.getAsLong()));
                }
            }
            return Optional.of(IntOrString.of(s.text()));
        }
        ctx.problem(n, path.field(key), "expected a port number or name, found " + n.describe());
        return Optional.empty();
    }

    /** A metav1.LabelSelector; absent gives empty (which Kubernetes reads as "selects nothing" for workloads). */
    public Optional<LabelSelector> selector(String key) {
        Node n = node.get(key);
        if (n.isAbsent()) {
            return Optional.empty();
        }
        Obj sel = obj(key);
        List<LabelSelector.Requirement> reqs = sel.list("matchExpressions", e -> {
            Optional<LabelSelector.Operator> op = LabelSelector.Operator.fromKubernetes(e.str("operator"));
            if (op.isEmpty()) {
                e.ctx.problem(e.raw("operator"), e.path.field("operator"),
                        "expected one of In, NotIn, Exists, DoesNotExist, found " + e.raw("operator").describe());
                return null;
            }
            try {
                return new LabelSelector.Requirement(e.str("key"), op.get(), e.strList("values"));
            } catch (IllegalArgumentException invalid) {
                e.ctx.problem(e.node, e.path, "invalid label selector requirement: " + invalid.getMessage());
                return null;
            }
        });
        try {
            return Optional.of(new LabelSelector(sel.strMap("matchLabels"), reqs));
        } catch (IllegalArgumentException invalid) {
            ctx.problem(n, path.field(key), "invalid label selector: " + invalid.getMessage());
            return Optional.empty();
        }
    }
}

package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.rules.diff.TemplateDiff.Change;
import dev.rolloutdoctor.rules.diff.TemplateDiff.Kind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Collects changes while two templates are walked, with the comparisons most fields need. */
final class ChangeList {

    private final List<Change> changes = new ArrayList<>();

    List<Change> changes() {
        return List.copyOf(changes);
    }

    void add(String path, Kind kind, Optional<String> before, Optional<String> after) {
        changes.add(new Change(path, before, after, kind));
    }

    /** A scalar where "" means absent, as our records keep unset strings. */
    void text(String path, Kind kind, String before, String after) {
        if (!before.equals(after)) {
            add(path, kind, present(before), present(after));
        }
    }

    /** An optional value, compared with {@code equals} and shown with {@code show}. */
    <T> void optional(String path, Kind kind, Optional<T> before, Optional<T> after, Function<T, String> show) {
        if (!before.equals(after)) {
            add(path, kind, before.map(show), after.map(show));
        }
    }

    /**
     * Entries keyed by name (labels, env, volumes, containers by name): what the new map added or changed, in its
     * order, then what it dropped, in the old map's order.
     */
    <T> void entries(String path, Kind kind, Map<String, T> before, Map<String, T> after, Function<T, String> show) {
        compare(key -> path + "[" + key + "]", kind, before, after, show);
    }

    /** Like {@link #entries}, for keys that are field names: {@code resources.requests.cpu}, {@code securityContext.runAsUser}. */
    <T> void fields(String path, Kind kind, Map<String, T> before, Map<String, T> after, Function<T, String> show) {
        compare(key -> path + "." + key, kind, before, after, show);
    }

    private <T> void compare(Function<String, String> at, Kind kind, Map<String, T> before, Map<String, T> after,
            Function<T, String> show) {
        for (Map.Entry<String, T> e : after.entrySet()) {
            T old = before.get(e.getKey());
            if (old == null) {
                add(at.apply(e.getKey()), kind, Optional.empty(), Optional.of(show.apply(e.getValue())));
            } else if (!Objects.equals(old, e.getValue())) {
                add(at.apply(e.getKey()), kind, Optional.of(show.apply(old)), Optional.of(show.apply(e.getValue())));
            }
        }
        for (Map.Entry<String, T> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                add(at.apply(e.getKey()), kind, Optional.of(show.apply(e.getValue())), Optional.empty());
            }
        }
    }

    /** Members of a set, each shown by its text (tolerations, envFrom sources): only additions and removals. */
    <T> void members(String path, Kind kind, List<T> before, List<T> after, Function<T, String> show) {
        entries(path, kind, byText(before, show), byText(after, show), s -> s);
    }

    /** A list keyed by a name; a later duplicate replaces an earlier one, as Kubernetes reads duplicate env names. */
    static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T item : items) {
            out.put(name.apply(item), item);
        }
        return out;
    }

    private static <T> Map<String, String> byText(List<T> items, Function<T, String> show) {
        Map<String, String> out = new LinkedHashMap<>();
        for (T item : items) {
            String text = show.apply(item);
            out.put(text, text);
        }
        return out;
    }

    static Optional<String> present(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}

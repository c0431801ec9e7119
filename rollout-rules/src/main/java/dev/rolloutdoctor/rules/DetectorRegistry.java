package dev.rolloutdoctor.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The detectors an engine runs, each with its validated {@link RuleInfo}. The built-in ones come from an explicit,
 * sorted list; third-party detectors come in through {@link ServiceLoader} only when asked for
 * ({@link #withServiceLoader(ClassLoader)}), so that embedding the library never activates unknown jars by surprise.
 *
 * <p>Registration fails fast on a detector without {@link Rule}, a malformed or duplicate id, or an {@code explains}
 * that names no registered rule. Immutable.
 */
public final class DetectorRegistry {

    private final Map<String, Registered> byId;

    /** A detector and its rule. */
    public record Registered(RuleInfo rule, Detector detector) {
    }

    private DetectorRegistry(Map<String, Registered> byId) {
        this.byId = byId;
    }

    /** The built-in detectors and the engine's own rules. */
    public static DetectorRegistry builtIn() {
        return of(BuiltInDetectors.all());
    }

    /** A registry of exactly these detectors (plus the engine's own rules). */
    public static DetectorRegistry of(List<? extends Detector> detectors) {
        Map<String, Registered> map = new LinkedHashMap<>();
        for (RuleInfo own : BuiltInDetectors.engineRules()) {
            map.put(own.id(), new Registered(own, context -> List.of()));
        }
        for (Detector d : detectors) {
            add(map, d);
        }
        validateExplains(map);
        return new DetectorRegistry(sorted(map));
    }

    /** This registry plus the detectors that {@code loader} finds through {@code META-INF/services/dev.rolloutdoctor.rules.Detector}. */
    public DetectorRegistry withServiceLoader(ClassLoader loader) {
        List<Detector> extra = new ArrayList<>();
        for (Detector d : ServiceLoader.load(Detector.class, Objects.requireNonNull(loader, "loader"))) {
            extra.add(d);
        }
        extra.sort(Comparator.comparing(d -> d.getClass().getName()));
        return with(extra);
    }

    /** This registry plus the given detectors. */
    public DetectorRegistry with(List<? extends Detector> detectors) {
        Map<String, Registered> map = new LinkedHashMap<>(byId);
        for (Detector d : detectors) {
            add(map, d);
        }
        validateExplains(map);
        return new DetectorRegistry(sorted(map));
    }

    private static void add(Map<String, Registered> map, Detector detector) {
        RuleInfo info = RuleInfo.of(detector.getClass());
        Registered existing = map.get(info.id());
        if (existing != null) {
            throw new IllegalArgumentException("rule id \"" + info.id() + "\" of " + info.detectorClass()
                    + " is already registered by " + existing.rule().detectorClass());
        }
        map.put(info.id(), new Registered(info, detector));
    }

    /**
     * Every {@code explains} must name a rule: a registered one, or one of the built-in catalogue (so that a registry
     * of a few detectors, as tests and embedders build, may leave out the rules they explain).
     */
    private static void validateExplains(Map<String, Registered> map) {
        for (Registered r : map.values()) {
            for (String e : r.rule().explains()) {
                if (!map.containsKey(e) && !BuiltInDetectors.ids().contains(e)) {
                    throw new IllegalArgumentException("rule " + r.rule().id() + " says it explains \"" + e
                            + "\", which is neither registered nor a built-in rule");
                }
            }
        }
    }

    private static Map<String, Registered> sorted(Map<String, Registered> map) {
        Map<String, Registered> out = new LinkedHashMap<>();
        map.keySet().stream().sorted().forEach(k -> out.put(k, map.get(k)));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Every rule, sorted by id. */
    public List<RuleInfo> rules() {
        return byId.values().stream().map(Registered::rule).toList();
    }

    /** Every detector with its rule, sorted by id. */
    public List<Registered> detectors() {
        return List.copyOf(byId.values());
    }

    public java.util.Optional<RuleInfo> rule(String id) {
        return java.util.Optional.ofNullable(byId.get(id)).map(Registered::rule);
    }

    /** Rule ids, sorted. */
    public Set<String> ids() {
        return new HashSet<>(byId.keySet());
    }
}

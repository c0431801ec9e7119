package dev.rolloutdoctor.rules;

import java.util.List;

/**
 * The built-in detectors, one line each, kept sorted by rule id. A test checks that every class annotated with
 * {@link Rule} in {@code dev.rolloutdoctor.rules.detectors} is listed here.
 */
final class BuiltInDetectors {

    private BuiltInDetectors() {
    }

    static List<Detector> all() {
        return List.of(
                // keep-sorted start
                new dev.rolloutdoctor.rules.detectors.RolloutPaused()
                // keep-sorted end
        );
    }

    /** Rules the engine itself applies after the detectors ran. */
    static List<RuleInfo> engineRules() {
        return List.of(RuleInfo.of(StalledUnexplained.class));
    }
}

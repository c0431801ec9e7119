package dev.rolloutdoctor.rules.fakes;

import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.rules.RuleInfo;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;

/** The whole engine with the built-in detectors plus the given ones (each added only when not built in already). */
public final class Engines {

    private Engines() {
    }

    public static Diagnosis diagnose(Snapshot snapshot, Detector... detectors) {
        DetectorRegistry registry = DetectorRegistry.builtIn();
        List<Detector> extra = new ArrayList<>();
        for (Detector d : detectors) {
            if (registry.rule(RuleInfo.of(d.getClass()).id()).isEmpty()) {
                extra.add(d);
            }
        }
        return RuleEngine.of(registry.with(extra)).diagnose(snapshot);
    }

    /** Only the given detectors (and the engine's own rules). */
    public static Diagnosis only(Snapshot snapshot, Detector... detectors) {
        return RuleEngine.of(DetectorRegistry.of(List.of(detectors))).diagnose(snapshot);
    }
}

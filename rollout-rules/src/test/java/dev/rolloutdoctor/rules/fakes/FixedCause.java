package dev.rolloutdoctor.rules.fakes;

import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;

import java.util.List;

/**
 * A stand-in root cause for ranking tests: one error-level cause on every rollout that is not done, so that a test can
 * show how a symptom ranks under a cause without depending on any real cause detector. Kept out of the detectors
 * package so that nothing mistakes it for a built-in rule.
 */
@Rule(id = "test-fixed-cause", title = "Stand-in cause", severity = Severity.ERROR, layer = Layer.POD,
        description = "A cause every unfinished rollout has, for tests of ranking only.")
public final class FixedCause implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        return context.unfinishedRollouts().stream()
                .map(s -> Finding.of(FixedCause.class).workload(s.workload()).title(s.ref() + " has a stand-in cause").build())
                .toList();
    }
}

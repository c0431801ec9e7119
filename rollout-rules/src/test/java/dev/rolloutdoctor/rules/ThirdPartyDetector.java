package dev.rolloutdoctor.rules;

import java.util.List;

/** A detector as a third party would ship one: registered in META-INF/services of the test class path. */
@Rule(id = "acme-team-label", title = "Workload without a team label", severity = Severity.INFO, layer = Layer.WORKLOAD,
        role = Role.CONTEXT, description = "Every workload should carry a team label (an example of a third-party rule).")
public final class ThirdPartyDetector implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        return context.rollouts().stream()
                .filter(s -> !s.workload().metadata().labels().containsKey("team"))
                .map(s -> Finding.of(ThirdPartyDetector.class).workload(s.workload())
                        .title(s.workload().ref() + " has no team label").build())
                .toList();
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.rollout.RolloutState;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * A paused Deployment ({@code spec.paused: true}) never finishes its rollout: the controller scales but does not
 * roll, and {@code kubectl rollout status} waits until its timeout. Progress deadlines do not run while paused.
 */
@Rule(id = "rollout-paused", title = "Rollout paused", severity = Severity.ERROR, layer = Layer.WORKLOAD,
        description = "spec.paused holds the Deployment's rollout: the controller does not move pods to the new template "
                + "until it is resumed, and kubectl rollout status waits forever.")
public final class RolloutPaused implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.rollouts()) {
            if (status.state() != RolloutState.PAUSED || !(status.workload() instanceof Deployment d)) {
                continue;
            }
            var counts = status.structure().counted();
            Finding.Builder f = Finding.of(RolloutPaused.class)
                    .workload(d)
                    .culprit(d)
                    .title(d.ref() + " is paused with " + counts.updated() + " of " + counts.desired()
                            + " pods on the new template")
                    .explanation("spec.paused is true, so the deployment controller does not replace old pods with new ones "
                            + "(it still scales). kubectl rollout status waits until it times out, and the progress deadline "
                            + "does not run while paused. Someone ran `kubectl rollout pause`, or a tool (a canary controller, "
                            + "a GitOps sync) set spec.paused.")
                    .evidence(Evidence.field(d, "spec.paused", "true"));
            d.status().condition("Progressing").filter(c -> "DeploymentPaused".equals(c.reason()))
                    .ifPresent((Condition c) -> f.evidence(Evidence.field(d, "status.conditions[Progressing]",
                            c.status() + " " + c.reason() + ": " + c.message(), c.lastTransitionTime())));
            f.step("Resume the rollout if the pause was not meant to last", Kubectl.rolloutResume(d.ref()))
                    .step("Then follow it to the end", Kubectl.rolloutStatus(d.ref()))
                    .step("If a controller paused it (Argo Rollouts, Flagger, a GitOps tool), resume it there instead, "
                            + "or the tool will pause it again");
            findings.add(f.build());
        }
        return findings;
    }
}

package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.rules.detectors.AdmissionRejected;
import dev.rolloutdoctor.rules.detectors.ContainerConfigMissing;
import dev.rolloutdoctor.rules.detectors.CrashLoop;
import dev.rolloutdoctor.rules.detectors.GenerationNotObserved;
import dev.rolloutdoctor.rules.detectors.ImagePullFailed;
import dev.rolloutdoctor.rules.detectors.InitContainerFailed;
import dev.rolloutdoctor.rules.detectors.InsufficientResources;
import dev.rolloutdoctor.rules.detectors.MutableImageTag;
import dev.rolloutdoctor.rules.detectors.NetworkPolicyIsolation;
import dev.rolloutdoctor.rules.detectors.NodeNotReady;
import dev.rolloutdoctor.rules.detectors.OldPodsTerminating;
import dev.rolloutdoctor.rules.detectors.OomKilled;
import dev.rolloutdoctor.rules.detectors.PodsStuckTerminating;
import dev.rolloutdoctor.rules.detectors.ProbeMisconfigured;
import dev.rolloutdoctor.rules.detectors.ProgressDeadlineExceeded;
import dev.rolloutdoctor.rules.detectors.PvcUnbound;
import dev.rolloutdoctor.rules.detectors.QuotaExceeded;
import dev.rolloutdoctor.rules.detectors.ReadinessProbeFailing;
import dev.rolloutdoctor.rules.detectors.RollingUpdateDeadlock;
import dev.rolloutdoctor.rules.detectors.RolloutPaused;
import dev.rolloutdoctor.rules.detectors.TemplateChanged;
import dev.rolloutdoctor.rules.detectors.UnschedulablePlacement;
import dev.rolloutdoctor.rules.detectors.VolumeAttachConflict;
import dev.rolloutdoctor.rules.detectors.VolumeMountFailed;

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
                new AdmissionRejected(),
                new ContainerConfigMissing(),
                new CrashLoop(),
                new GenerationNotObserved(),
                new ImagePullFailed(),
                new InitContainerFailed(),
                new InsufficientResources(),
                new MutableImageTag(),
                new NetworkPolicyIsolation(),
                new NodeNotReady(),
                new OldPodsTerminating(),
                new OomKilled(),
                new PodsStuckTerminating(),
                new ProbeMisconfigured(),
                new ProgressDeadlineExceeded(),
                new PvcUnbound(),
                new QuotaExceeded(),
                new ReadinessProbeFailing(),
                new RollingUpdateDeadlock(),
                new RolloutPaused(),
                new TemplateChanged(),
                new UnschedulablePlacement(),
                new VolumeAttachConflict(),
                new VolumeMountFailed()
                // keep-sorted end
        );
    }

    /** The ids of the built-in rules, detectors' and the engine's own. */
    static java.util.Set<String> ids() {
        return IDS;
    }

    private static final java.util.Set<String> IDS = java.util.stream.Stream.concat(
                    all().stream().map(d -> RuleInfo.of(d.getClass()).id()),
                    engineRules().stream().map(RuleInfo::id))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Rules the engine itself applies after the detectors ran. */
    static List<RuleInfo> engineRules() {
        return List.of(RuleInfo.of(StalledUnexplained.class));
    }
}

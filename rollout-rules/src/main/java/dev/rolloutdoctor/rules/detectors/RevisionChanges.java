package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.diff.TemplateDiff;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the new revision changed in one container, for detectors that cite the change that likely broke it ("the new
 * revision changed the args of container velero"), as the template-changed rule reports it in full.
 */
final class RevisionChanges {

    /** Kinds of change that can make a container fail to start or crash. */
    private static final Set<TemplateDiff.Kind> STARTUP = Set.of(TemplateDiff.Kind.IMAGE, TemplateDiff.Kind.COMMAND,
            TemplateDiff.Kind.ARGS, TemplateDiff.Kind.ENV, TemplateDiff.Kind.ENV_FROM, TemplateDiff.Kind.VOLUME_MOUNT,
            TemplateDiff.Kind.RESOURCES, TemplateDiff.Kind.SECURITY_CONTEXT);

    private RevisionChanges() {
    }

    /** The startup-relevant changes of {@code container} between the previous and the new ReplicaSet, if both are known. */
    static List<TemplateDiff.Change> ofContainer(RolloutStatus status, String container) {
        Optional<ReplicaSet> previous = status.structure().previousReplicaSet();
        Optional<ReplicaSet> current = status.structure().newReplicaSet();
        if (previous.isEmpty() || current.isEmpty()) {
            return List.of();
        }
        return TemplateDiff.between(previous.get().spec().template(), current.get().spec().template()).changes().stream()
                .filter(c -> STARTUP.contains(c.kind()) && c.container().map(container::equals).orElse(false))
                .toList();
    }

    /** A sentence naming the changes, or "" when there are none. */
    static String sentence(List<TemplateDiff.Change> changes, String container) {
        if (changes.isEmpty()) {
            return "";
        }
        List<String> kinds = changes.stream().map(c -> c.kind().label()).distinct().toList();
        return " The new revision changed the " + String.join(", ", kinds) + " of container " + container
                + ": a likely cause (see the changes in the evidence).";
    }

    /** Evidence lines for the changes, at most {@code max}, on the new ReplicaSet. */
    static List<Evidence> evidence(RolloutStatus status, List<TemplateDiff.Change> changes, int max) {
        ReplicaSet current = status.structure().newReplicaSet().orElseThrow();
        return changes.stream().limit(max).map(c -> Evidence.field(current, c.path(), c.beforeAndAfter())).toList();
    }
}

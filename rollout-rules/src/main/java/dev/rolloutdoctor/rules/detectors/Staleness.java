package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.snapshot.CaptureTime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How long a workload's change has waited for its controller, as far as the snapshot tells. {@code managedFields} are
 * not kept, so the time of the change itself is unknown; what is known is when the controller last wrote a condition
 * (the change came after that) or, for an object it never observed, when the object was created.
 *
 * @param age         how long, at least (or exactly, see {@code exact}); empty when it cannot be judged
 * @param exact       true when {@code age} is measured from the creation of an object never observed
 * @param withinGrace true when the change may be younger than the grace a healthy controller needs: no finding then
 * @param description one or two sentences saying what the age rests on
 * @param evidence    the field the age rests on
 */
record Staleness(Optional<Duration> age, boolean exact, boolean withinGrace, String description, Optional<Evidence> evidence) {

    static Staleness of(KubeObject w, long observed, List<Condition> conditions, CaptureTime capture) {
        if (capture.instant().isEmpty()) {
            return new Staleness(Optional.empty(), false, false,
                    "The snapshot has no capture time, so how long the change has waited cannot be judged.", Optional.empty());
        }
        Instant now = capture.instant().get();
        boolean estimated = capture.origin() == CaptureTime.Origin.NEWEST_TIMESTAMP;
        Optional<Instant> created = w.metadata().creationTimestamp();
        if (observed == 0 && created.isPresent()) {
            Duration age = Duration.between(created.get(), now);
            return judged(age, true, estimated, "The object was created at " + Moments.at(created.get()) + " ("
                    + Moments.relative(created.get(), now) + ") and its controller has never written its status.",
                    Evidence.field(w, "metadata.creationTimestamp", Moments.at(created.get()), created));
        }
        Optional<Condition> newest = newest(conditions);
        if (newest.isPresent()) {
            Condition c = newest.get();
            Instant t = written(c).orElseThrow();
            return judged(Duration.between(t, now), false, estimated, "The controller last wrote a condition at "
                    + Moments.at(t) + " (" + Moments.relative(t, now) + "); the change came after that, at a time the snapshot "
                    + "does not record (managedFields are not kept).",
                    Evidence.field(w, "status.conditions[" + c.type() + "]", ProgressDeadlineExceeded.conditionText(c), Optional.of(t)));
        }
        return new Staleness(Optional.empty(), false, false,
                "Neither condition times nor a creation time show how long the change has waited.", Optional.empty());
    }

    /**
     * A capture time estimated from the newest timestamp is only a lower bound of the real one: a short wait measured
     * against it proves nothing, so it is reported without an age rather than dismissed.
     */
    private static Staleness judged(Duration age, boolean exact, boolean estimated, String description, Evidence evidence) {
        boolean young = age.compareTo(GenerationNotObserved.GRACE) <= 0;
        if (young && estimated) {
            return new Staleness(Optional.empty(), false, false, description + " The capture time is estimated from the newest "
                    + "timestamp in the input, so how long the change has waited cannot be judged.", Optional.of(evidence));
        }
        return new Staleness(young ? Optional.empty() : Optional.of(age), exact, young,
                description + (young ? "" : " That is " + (exact ? "" : "at least ") + Durations.format(age) + "."),
                Optional.of(evidence));
    }

    private static Optional<Condition> newest(List<Condition> conditions) {
        Condition best = null;
        for (Condition c : conditions) {
            if (written(c).isPresent() && (best == null || written(c).get().isAfter(written(best).get()))) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<Instant> written(Condition c) {
        Optional<Instant> update = c.lastUpdateTime();
        Optional<Instant> transition = c.lastTransitionTime();
        if (update.isPresent() && transition.isPresent()) {
            return update.get().isAfter(transition.get()) ? update : transition;
        }
        return update.or(() -> transition);
    }
}

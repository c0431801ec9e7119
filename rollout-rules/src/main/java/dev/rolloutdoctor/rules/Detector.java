package dev.rolloutdoctor.rules;

import java.util.List;

/**
 * A rule's check: a pure function of the snapshot and the rollout statuses in {@link DetectionContext}, returning
 * findings and never deciding how they are shown. Annotate the implementing class with {@link Rule}.
 *
 * <p>Implementations must be stateless and thread-safe. Finding nothing is an empty list, never an exception;
 * a detector that throws is isolated and reported as a detector error, and the others still run.
 */
@FunctionalInterface
public interface Detector {

    List<Finding> detect(DetectionContext context);
}

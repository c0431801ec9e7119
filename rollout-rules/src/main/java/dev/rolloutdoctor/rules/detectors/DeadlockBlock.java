package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.RemediationStep;

import java.util.List;
import java.util.Objects;

/**
 * Why a rollout's surge pod cannot start, and what removing old pods would change: the part of a
 * {@link RollingUpdateDeadlock} finding that depends on what blocks the surge (capacity, anti-affinity, host ports,
 * quota).
 *
 * @param reason       the title's clause ({@code the surge pod fits no node (Insufficient cpu)})
 * @param why          sentences with the numbers
 * @param oldPodsToFree how many old pods must go before one new pod can start
 * @param relief       a sentence on what removing them frees
 * @param evidence     the facts it rests on
 * @param confidence   how sure: HIGH when computed from the snapshot and confirmed by the scheduler or the quota
 * @param otherFixes   fixes other than the strategy (more capacity, more quota)
 */
record DeadlockBlock(String reason, String why, int oldPodsToFree, String relief, List<Evidence> evidence,
                     Confidence confidence, List<RemediationStep> otherFixes) {

    DeadlockBlock {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(relief, "relief");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(confidence, "confidence");
        otherFixes = List.copyOf(otherFixes);
    }
}

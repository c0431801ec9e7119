/**
 * Rollout status: what {@code kubectl rollout status --watch=false} prints for every Deployment, StatefulSet and
 * DaemonSet of a snapshot ({@link dev.rolloutdoctor.rollout.KubectlStatus}), our finer state with its reason and the
 * rollout's structure ({@link dev.rolloutdoctor.rollout.RolloutStatuses}), and the rollout's timeline
 * ({@link dev.rolloutdoctor.rollout.Timeline}). Every age and deadline is measured against the snapshot's capture
 * time, never the wall clock.
 */
package dev.rolloutdoctor.rollout;

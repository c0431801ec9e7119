/**
 * Differences between two pod templates ({@link dev.rolloutdoctor.rules.diff.TemplateDiff}): what a new revision
 * changed, for the postmortem and for detectors that need to know what is new in the new pods.
 */
package dev.rolloutdoctor.rules.diff;

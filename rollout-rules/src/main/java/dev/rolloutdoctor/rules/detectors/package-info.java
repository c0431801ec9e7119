/**
 * The built-in detectors, one final class per rule, each annotated with {@link dev.rolloutdoctor.rules.Rule} and
 * listed in the engine's sorted registry; and the few package-private helpers they share ({@link
 * dev.rolloutdoctor.rules.detectors.Kubectl} commands, {@link dev.rolloutdoctor.rules.detectors.EventQuery}).
 */
package dev.rolloutdoctor.rules.detectors;

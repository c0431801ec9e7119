package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rollout.RolloutOptions;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.RolloutStatuses;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Diagnoses a snapshot: computes every rollout's status, runs the detectors (each isolated from the others'
 * failures), groups findings by workload, ranks each group as a causal chain, and answers "inconclusive" for stuck
 * rollouts that nothing explains.
 *
 * <pre>{@code
 * Diagnosis diagnosis = RuleEngine.create().diagnose(SnapshotLoader.create().load(Path.of("bundle.tar.gz")));
 * for (RolloutDiagnosis rollout : diagnosis.stuck()) {
 *     rollout.rootCause().ifPresent(f -> System.out.println(rollout.workload() + ": " + f.finding().title()));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe: one engine may diagnose many snapshots at once.
 */
public final class RuleEngine {

    private final DetectorRegistry registry;
    private final RolloutOptions options;

    private RuleEngine(DetectorRegistry registry, RolloutOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /** An engine with the built-in detectors and default options. */
    public static RuleEngine create() {
        return new RuleEngine(DetectorRegistry.builtIn(), RolloutOptions.DEFAULTS);
    }

    public static RuleEngine of(DetectorRegistry registry) {
        return new RuleEngine(Objects.requireNonNull(registry, "registry"), RolloutOptions.DEFAULTS);
    }

    public RuleEngine withOptions(RolloutOptions value) {
        return new RuleEngine(registry, Objects.requireNonNull(value, "options"));
    }

    public DetectorRegistry registry() {
        return registry;
    }

    /** Diagnoses every rollout in the snapshot. */
    public Diagnosis diagnose(Snapshot snapshot) {
        return diagnose(snapshot, w -> true);
    }

    /** Diagnoses the rollouts whose workload passes {@code workloads} (a namespace or a single workload, say). */
    public Diagnosis diagnose(Snapshot snapshot, Predicate<ObjectRef> workloads) {
        List<RolloutStatus> statuses = RolloutStatuses.of(snapshot, options).stream()
                .filter(s -> workloads.test(s.workload().ref()))
                .toList();
        DetectionContext context = new DetectionContext(snapshot, statuses);
        List<DetectorError> errors = new ArrayList<>();
        Map<ObjectRef, List<Finding>> byWorkload = new HashMap<>();
        for (DetectorRegistry.Registered r : registry.detectors()) {
            List<Finding> found;
            try {
                found = r.detector().detect(context);
            } catch (RuntimeException | StackOverflowError e) {
                errors.add(new DetectorError(r.rule().id(), e.toString()));
                continue;
            }
            for (Finding f : found) {
                if (!f.ruleId().equals(r.rule().id())) {
                    errors.add(new DetectorError(r.rule().id(), "returned a finding of another rule, " + f.ruleId()));
                } else if (context.rollout(f.workload()).isEmpty()) {
                    if (workloads.test(f.workload())) {
                        errors.add(new DetectorError(r.rule().id(), "returned a finding for " + f.workload()
                                + ", which is not a Deployment, StatefulSet or DaemonSet of the snapshot"));
                    }
                } else {
                    byWorkload.computeIfAbsent(f.workload(), k -> new ArrayList<>()).add(f);
                }
            }
        }
        Ranking ranking = new Ranking(registry);
        List<RolloutDiagnosis> rollouts = new ArrayList<>();
        int[] nextId = {1};
        for (RolloutStatus status : statuses) {
            List<Finding> findings = new ArrayList<>(byWorkload.getOrDefault(status.workload().ref(), List.of()));
            StalledUnexplained.check(context, status, findings, registry).ifPresent(findings::add);
            rollouts.add(new RolloutDiagnosis(status, ranking.rank(findings, nextId)));
        }
        errors.sort(Comparator.comparing(DetectorError::ruleId).thenComparing(DetectorError::message));
        return new Diagnosis(snapshot, rollouts, errors);
    }
}

package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.fixtures.dump.Cluster;
import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.dump.KubeDoc;
import dev.rolloutdoctor.fixtures.dump.PodLogText;
import dev.rolloutdoctor.fixtures.gen.Statistics;
import dev.rolloutdoctor.fixtures.scenario.Scenario;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.stream.Stream;

/** Runs the built-in engine over generated scenarios, for {@link ScenarioProperties}. */
final class ScenarioRuns {

    static final RuleEngine ENGINE = RuleEngine.create();

    /** The parameter that says which variant of its failure mode a scenario is, per mode. */
    private static final List<String> VARIANT_KEYS = List.of("admission", "claimProblem", "configKind", "deadlock", "dependency",
            "exitCode", "heldBy", "initContainer", "jvm", "missing", "mistake", "mountProblem", "pausedMidRollout", "placement",
            "poolTrouble", "probeAnswer", "pullFailure", "quotaResource", "shortage", "controllerManager", "terminationGracePeriodSeconds");

    private ScenarioRuns() {
    }

    /** Skips the property until the lead registers the detector of the rule in {@code BuiltInDetectors}. */
    static void assumeRegistered(String rule) {
        Assumptions.assumeTrue(ENGINE.registry().rule(rule).isPresent(),
                () -> "no detector for rule " + rule + " is registered in BuiltInDetectors yet");
    }

    /** The diagnosis of the scenario's stuck workload. */
    static RolloutDiagnosis stuckRollout(Scenario scenario, Snapshot snapshot) {
        return ENGINE.diagnose(snapshot).rollout(scenario.stuckWorkload().orElseThrow())
                .orElseThrow(() -> new AssertionError("the engine did not diagnose " + scenario.stuckWorkload().get()));
    }

    /** The rule ids of the stuck workload's findings, most likely root cause first. */
    static List<String> rankedRuleIds(Scenario scenario, Snapshot snapshot) {
        return stuckRollout(scenario, snapshot).findings().stream().map(f -> f.finding().ruleId()).toList();
    }

    /** What a failure of the property should show: every finding of the stuck workload, ranked. */
    static String describe(RolloutDiagnosis rollout) {
        StringBuilder b = new StringBuilder("state " + rollout.status().state() + ", findings:");
        for (RankedFinding f : rollout.findings()) {
            b.append("\n  ").append(f.rank()).append(". ").append(f.finding().ruleId()).append(" (")
                    .append(f.finding().severity().label()).append("): ").append(f.finding().title());
        }
        return b.toString();
    }

    /** Tables of how the tries were spread over the scenario's variants, timings, releases and event collection. */
    static void label(Scenario scenario) {
        SortedMap<String, String> p = scenario.parameters();
        List<String> variant = new ArrayList<>();
        for (String key : VARIANT_KEYS) {
            if (p.containsKey(key)) {
                variant.add(key + "=" + p.get(key));
            }
        }
        Statistics.label("variant", variant.isEmpty() ? "-" : String.join(", ", variant));
        Statistics.label("timing", p.getOrDefault("timing", "-"));
        Statistics.label("kubernetes", p.getOrDefault("kubernetes", "-"));
        Statistics.label("events", p.getOrDefault("events", "collected").equals("none") ? "not collected"
                : (Boolean.parseBoolean(p.getOrDefault("eventsApi", "false")) ? "events.k8s.io/v1" : "core/v1")
                + (Boolean.parseBoolean(p.getOrDefault("combinedEvents", "false")) ? ", combined" : ""));
    }

    /** The same capture with its objects and logs in another order, as another collector run might list them. */
    static Scenario shuffled(Scenario scenario, long seed) {
        Cluster cluster = scenario.cluster();
        List<KubeDoc> documents = new ArrayList<>(cluster.documents());
        List<PodLogText> logs = new ArrayList<>(cluster.logs());
        Random random = new Random(seed);
        Collections.shuffle(documents, random);
        Collections.shuffle(logs, random);
        Cluster.Builder b = Cluster.builder().capturedAt(cluster.capturedAt()).kubernetesVersion(cluster.kubernetesVersion());
        documents.forEach(b::add);
        logs.forEach(b::log);
        return scenario.withCluster(b.build());
    }

    /** Loads each file of a folder form as an input of its own, in the order given by {@code seed}. */
    static Snapshot filesInOrder(Scenario scenario, DumpForm form, long seed) {
        Path directory;
        try {
            directory = Files.createTempDirectory("scenario-files-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            form.write(scenario.cluster(), directory);
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, byte[]> file : form.render(scenario.cluster()).entrySet()) {
                files.add(directory.resolve(file.getKey()));
            }
            Collections.shuffle(files, new Random(seed));
            return SnapshotLoader.create().withParallelism(1).load(files);
        } finally {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

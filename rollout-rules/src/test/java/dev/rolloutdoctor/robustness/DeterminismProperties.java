package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.fixtures.dump.Cluster;
import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.gen.ForAll;
import dev.rolloutdoctor.fixtures.gen.Gen;
import dev.rolloutdoctor.fixtures.gen.PropertyTest;
import dev.rolloutdoctor.fixtures.gen.Statistics;
import dev.rolloutdoctor.fixtures.scenario.Scenario;
import dev.rolloutdoctor.fixtures.scenario.Scenarios;
import dev.rolloutdoctor.report.JsonReport;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reports depend on the facts of a capture only: not on how its objects are split into files, the order of
 * objects, files or arguments, the loader's parallelism, nor on other diagnoses running at the same time. Reports are
 * rendered as the CLI renders them ({@link DeterminismOutputs}), with the capture time the snapshot carries.
 */
class DeterminismProperties {

    static final int TRIES = 10;

    /** A capture with one or two failures and noise, and the seed of the reordering to try. */
    record Capture(String description, Cluster cluster, long seed) {
        @Override
        public String toString() {
            return description + " (reordered with seed " + seed + ")";
        }
    }

    @PropertyTest(tries = 6)
    void splittingTheObjectsIntoFilesDifferentlyNeverChangesTheReports(@ForAll("captures") Capture c) {
        Cluster cluster = DeterminismDumps.withoutLogs(c.cluster());
        try (DeterminismDumps dumps = new DeterminismDumps()) {
            DeterminismOutputs list = DeterminismOutputs.of(DeterminismDumps.load(1, dumps.form("list", DumpForm.LIST_YAML, cluster)));
            assertSameReports("one List file", list, "multi-document YAML",
                    DeterminismOutputs.of(DeterminismDumps.load(1, dumps.form("multi", DumpForm.MULTI_DOC_YAML, cluster))));
            assertSameReports("one List file", list, "a JSON file per kind",
                    DeterminismOutputs.of(DeterminismDumps.load(1, dumps.form("kinds", DumpForm.JSON_PER_KIND, cluster))));
            assertSameReports("one List file", list, "a file per object",
                    DeterminismOutputs.of(DeterminismDumps.load(1, dumps.perObject("objects", cluster, c.seed()).get(0).getParent())));
        }
    }

    @PropertyTest(tries = TRIES)
    void theOrderOfObjectsInAFileNeverChangesTheReports(@ForAll("captures") Capture c) {
        Cluster shuffled = DeterminismDumps.shuffled(c.cluster(), c.seed());
        for (DumpForm form : List.of(DumpForm.LIST_YAML, DumpForm.SUPPORT_BUNDLE_TAR_GZ)) {
            try (DeterminismDumps dumps = new DeterminismDumps()) {
                DeterminismOutputs ordered = DeterminismOutputs.of(DeterminismDumps.load(1, dumps.form("dump", form, c.cluster())));
                dumps.clear("dump");
                DeterminismOutputs reordered = DeterminismOutputs.of(DeterminismDumps.load(1, dumps.form("dump", form, shuffled)));
                assertSameReports(form + " in cluster order", ordered, form + " reordered", reordered);
            }
        }
    }

    @PropertyTest(tries = TRIES)
    void theOrderOfFileNamesNeverChangesTheReports(@ForAll("captures") Capture c) {
        Cluster cluster = DeterminismDumps.withoutLogs(c.cluster());
        try (DeterminismDumps dumps = new DeterminismDumps()) {
            Path named = dumps.perObject("named", cluster, 0).get(0).getParent();
            Path renamed = dumps.perObject("renamed", cluster, c.seed()).get(0).getParent();
            assertSameReports("files named in object order", DeterminismOutputs.of(DeterminismDumps.load(1, named)),
                    "files named in another order", DeterminismOutputs.of(DeterminismDumps.load(1, renamed)));
        }
    }

    @PropertyTest(tries = TRIES)
    void theOrderOfInputPathsNeverChangesTheReports(@ForAll("captures") Capture c) {
        Cluster cluster = DeterminismDumps.withoutLogs(c.cluster());
        try (DeterminismDumps dumps = new DeterminismDumps()) {
            List<Path> files = new ArrayList<>(dumps.perObject("objects", cluster, c.seed()));
            List<Path> shuffled = new ArrayList<>(files);
            Collections.shuffle(shuffled, new Random(c.seed()));
            DeterminismOutputs inOrder = DeterminismOutputs.of(DeterminismDumps.load(1, files));
            DeterminismOutputs reordered = DeterminismOutputs.of(DeterminismDumps.load(1, shuffled));
            assertIdentical("paths in name order", inOrder, "paths in another order", reordered);
        }
    }

    @PropertyTest(tries = TRIES)
    void theLoadersParallelismNeverChangesTheReports(@ForAll("captures") Capture c) {
        try (DeterminismDumps dumps = new DeterminismDumps()) {
            Path bundle = dumps.form("bundle", DumpForm.SUPPORT_BUNDLE, c.cluster());
            assertIdentical("a support bundle folder read by one thread", DeterminismOutputs.of(DeterminismDumps.load(1, bundle)),
                    "by eight", DeterminismOutputs.of(DeterminismDumps.load(8, bundle)));
            Path objects = dumps.perObject("objects", DeterminismDumps.withoutLogs(c.cluster()), c.seed()).get(0).getParent();
            assertIdentical("a folder of files per object read by one thread", DeterminismOutputs.of(DeterminismDumps.load(1, objects)),
                    "by eight", DeterminismOutputs.of(DeterminismDumps.load(8, objects)));
        }
    }

    @Test
    void diagnosingSnapshotsConcurrentlyWithOneEngineGivesTheReportsOfDiagnosingThemOneByOne() throws Exception {
        Gen<Capture> captures = captures();
        List<Snapshot> snapshots = new ArrayList<>();
        for (long seed = 1; seed <= 16; seed++) {
            Capture c = captures.sample(seed);
            try (DeterminismDumps dumps = new DeterminismDumps()) {
                snapshots.add(DeterminismDumps.load(1, dumps.form("bundle", DumpForm.SUPPORT_BUNDLE, c.cluster())));
            }
        }
        RuleEngine engine = DeterminismOutputs.CLI_ENGINE;
        List<String> oneByOne = snapshots.stream().map(s -> JsonReport.render(engine.diagnose(s))).toList();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<String>> futures = new ArrayList<>();
                for (Snapshot s : snapshots) {
                    futures.add(pool.submit(() -> JsonReport.render(engine.diagnose(s))));
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).as("snapshot %s, round %s", i, round).isEqualTo(oneByOne.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One or two failure scenarios with noise around the first, merged into one capture. */
    static Gen<Capture> captures() {
        return Gen.zip(Scenarios.withNoise(Scenarios.anyFailure()), Scenarios.anyFailure().optional(), Gen.longs(1, Long.MAX_VALUE),
                (first, second, seed) -> {
                    Statistics.label("failures", second.isPresent() ? "two" : "one");
                    return new Capture(describe(first, second), second.map(s -> DeterminismDumps.merged(first.cluster(), s.cluster()))
                            .orElse(first.cluster()), seed);
                });
    }

    private static String describe(Scenario first, Optional<Scenario> second) {
        return first + second.map(s -> " merged with " + s).orElse("");
    }

    private static void assertIdentical(String what, DeterminismOutputs expected, String other, DeterminismOutputs actual) {
        expected.byName().forEach((name, text) -> assertThat(actual.byName().get(name))
                .as("%s of %s against %s", name, other, what).isEqualTo(text));
    }

    /**
     * Equal once the names of the input files and the line numbers in them, which differ by construction, are taken
     * out.
     */
    private static void assertSameReports(String what, DeterminismOutputs expected, String other, DeterminismOutputs actual) {
        assertIdentical(what, DeterminismNormal.withoutSources(expected), other, DeterminismNormal.withoutSources(actual));
    }
}

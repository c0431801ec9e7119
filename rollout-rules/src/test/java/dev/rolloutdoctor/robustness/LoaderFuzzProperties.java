package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.gen.ForAll;
import dev.rolloutdoctor.fixtures.gen.Gen;
import dev.rolloutdoctor.fixtures.gen.PropertyTest;
import dev.rolloutdoctor.fixtures.gen.Statistics;
import dev.rolloutdoctor.fixtures.scenario.Scenario;
import dev.rolloutdoctor.fixtures.scenario.Scenarios;
import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loader against hostile and broken input: valid dumps of generated clusters, in every {@link DumpForm}, with
 * one file damaged per try (see {@link Mutation}: truncation, flipped and inserted bytes, invalid UTF-8, fields of
 * the wrong type, required fields deleted, duplicate keys, CRLF and tabs, huge numbers, long strings, deep nesting,
 * anchors and aliases up to a "billion laughs", unknown kinds and fields), and the support bundle archive damaged
 * in its compressed bytes or in the tar inside. Whatever the damage, loading never throws, never hangs, blames
 * only the damaged file, says the line of what it could not parse, and keeps every object of the files left alone;
 * damage that leaves the file readable loses no object at all.
 *
 * <p>Each property runs {@code -Dproperty.tries} tries (50 in the build), the whole class in a few seconds. Run more,
 * or new seeds:
 * <pre>
 * mvn -q -B -pl rollout-rules -am test -Dtest='LoaderFuzzProperties' -Dsurefire.failIfNoSpecifiedTests=false -Dproperty.tries=2000
 * mvn ... -Dproperty.tries=500 -Dproperty.seed=random
 * </pre>
 * A failure reports its seed, the try and the shrunk case (scenario, form, file and mutation, whose {@code detail}
 * says the line and the edit); {@code -Dproperty.seed=<seed>}, with at least as many tries as the failing one took,
 * replays it.
 * Each table printed after a run shows how the tries were spread over mutations and forms.
 */
class LoaderFuzzProperties {

    /** A cluster, the form its dump is written in, which of its files to damage (in millionths) and how. */
    record Damage(Scenario scenario, DumpForm form, int file, Mutation mutation) {

        @Override
        public String toString() {
            return form + " dump of " + scenario.name() + " " + scenario.parameters() + ", file " + file + "/1000000, " + mutation;
        }
    }

    /** The support bundle archive of a cluster, damaged in its gzip stream or in the tar inside it. */
    record ArchiveDamage(Scenario scenario, FuzzArchive.Layer layer, Mutation mutation) {

        @Override
        public String toString() {
            return layer + " layer of the support bundle of " + scenario.name() + " " + scenario.parameters() + ", " + mutation;
        }
    }

    @PropertyTest
    void damageToOneFileNeverThrowsAndKeepsTheObjectsOfTheOthers(@ForAll("anyDamage") Damage damage) {
        check(damage);
    }

    @PropertyTest
    void damageThatKeepsAFileReadableKeepsEveryObject(@ForAll("readableDamage") Damage damage) {
        check(damage);
    }

    @PropertyTest
    void damageToTheArchiveNeverThrowsAndKeepsTheMembersBeforeIt(@ForAll("archiveDamage") ArchiveDamage damage) {
        Statistics.label("mutation", damage.layer() + " " + damage.mutation().kind());
        try (FuzzDump dump = FuzzDump.archive(damage.scenario().cluster())) {
            Snapshot before = dump.load();
            FuzzArchive.Damaged damaged = FuzzArchive.damage(dump.files().get(dump.files().firstKey()), damage.layer(), damage.mutation());
            dump.replace(dump.files().firstKey(), damaged.bytes());
            String archive = dump.input().toString();
            String what = damage + ": " + damaged.detail();
            Snapshot after = FuzzChecks.loadWithin(dump::load, what);

            List<String> intact = damaged.intactEntries().stream().map(e -> archive + "!/" + e).toList();
            Statistics.label("intact entries", damaged.intactEntries().size() == damaged.entries() ? "all"
                    : damaged.intactEntries().isEmpty() ? "none" : "some");
            FuzzChecks.newProblemsName(before, after, s -> s.equals(archive) || s.startsWith(archive + "!/"), what);
            FuzzChecks.locatedProblemsHaveALine(after, what);
            FuzzChecks.objectsOfSoundSourcesStay(before, after, s -> !intact.contains(s), what);
        }
    }

    // Regressions: what the properties found, each fixed, as the smallest input that showed it.

    @Test
    void theNestingLimitProblemSaysTheLineWhereTheParserStopped(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("deep.json");
        Files.writeString(file, "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"deep\"},\n \"data\": "
                + "[".repeat(201) + "]".repeat(201) + "}\n");

        Snapshot snapshot = SnapshotLoader.create().load(file);

        assertThat(snapshot.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo("the document is nested deeper than 200 levels (LoadLimits.maxNestingDepth);"
                    + " the rest of the file was not read");
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @Test
    void aNumberOfAThousandDigitsIsAValueProblemAndTheFileReadsOn(@TempDir Path folder) throws IOException {
        Path number = folder.resolve("number.json");
        Files.writeString(number, "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\",\n \"metadata\": {\"name\": \"web\","
                + " \"namespace\": \"shop\"},\n \"spec\": {\"replicas\": " + "9".repeat(1001) + "}}\n"
                + "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"after\", \"namespace\": \"shop\"}}\n");

        Snapshot snapshot = SnapshotLoader.create().load(number);

        assertThat(snapshot.objects()).extracting(o -> o.ref().toString())
                .containsExactly("ConfigMap shop/after", "Deployment shop/web");
        assertThat(snapshot.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.fieldPath()).isEqualTo("spec.replicas");
            assertThat(p.message()).doesNotContain("nested");
        });
    }

    @Test
    void aKeyOfFiftyThousandCharactersIsNamedForWhatItIs(@TempDir Path folder) throws IOException {
        Path key = folder.resolve("key.json");
        Files.writeString(key, "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"settings\"},\n"
                + " \"data\": {\"" + "k".repeat(50_001) + "\": \"v\"}}\n");

        Snapshot snapshot = SnapshotLoader.create().load(key);

        assertThat(snapshot.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo("a key longer than 50000 characters, which no Kubernetes object has;"
                    + " the rest of the file was not read");
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @Test
    void aStringPastMaxStringLengthIsCutInJsonAsInYaml(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("settings.json");
        Files.writeString(json, "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"settings\"},\n"
                + " \"data\": {\"k\": \"" + "x".repeat(4000) + "\"}}\n");
        Path yaml = folder.resolve("other.yaml");
        Files.writeString(yaml, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  k: " + "x".repeat(1001) + "\n");

        Snapshot snapshot = SnapshotLoader.create().withLimits(LoadLimits.DEFAULTS.withMaxStringLength(1000)).load(json, yaml);

        assertThat(snapshot.objects()).extracting(o -> o.ref().toString()).containsExactly("ConfigMap other", "ConfigMap settings");
        assertThat(snapshot.problems()).extracting(LoadProblem::message).containsExactlyInAnyOrder(
                "a value of 4000 characters is longer than the limit of 1000 (LoadLimits.maxStringLength); it was cut",
                "a value of 1001 characters is longer than the limit of 1000 (LoadLimits.maxStringLength); it was cut");
    }

    @Test
    void aKeyRepeatedAtTheRootOfADocumentIsReportedLikeOneFurtherDown(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("web.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: ConfigMap
                kind: Secret
                metadata:
                  name: web
                  name: web
                """);

        Snapshot snapshot = SnapshotLoader.create().load(file);

        assertThat(snapshot.objects()).extracting(o -> o.ref().toString()).containsExactly("Secret web");
        assertThat(snapshot.problems()).extracting(LoadProblem::line, LoadProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, "duplicate key \"kind\": the last value is used, as kubectl does"),
                org.assertj.core.groups.Tuple.tuple(6, "duplicate key \"name\": the last value is used, as kubectl does"));
    }

    @Test
    void aLogSectionWithoutItsEndLineEndsWhereTheNextJsonDocumentStartsWithAProblem(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("cluster-info-dump.txt");
        Files.writeString(file, """
                {
                    "kind": "PodList",
                    "apiVersion": "v1",
                    "items": [{"metadata": {"name": "web-1", "namespace": "shop"}, "spec": {}, "status": {}}]
                }
                ==== START logs for container app of pod shop/web-1 ====
                listening on :8080
                ==== ENDlogs for container app of pod shop/web-1 ====
                {
                    "kind": "EventList",
                    "apiVersion": "v1",
                    "items": [{"metadata": {"name": "web-1.17cba4e1", "namespace": "shop"},
                               "involvedObject": {"kind": "Pod", "namespace": "shop", "name": "web-1"}, "reason": "Started"}]
                }
                """);

        Snapshot snapshot = SnapshotLoader.create().load(file);

        assertThat(snapshot.objects()).extracting(o -> o.ref().toString())
                .containsExactlyInAnyOrder("Pod shop/web-1", "Event shop/web-1.17cba4e1");
        assertThat(snapshot.problems()).extracting(LoadProblem::line, LoadProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(6, "the log of container app of pod shop/web-1 has no \"==== END logs\" line;"
                        + " it was taken to end before line 9, where a JSON document or another log starts"));
    }

    private static void check(Damage damage) {
        Statistics.label("mutation", damage.mutation().kind());
        Statistics.label("form", damage.form());
        try (FuzzDump dump = FuzzDump.write(damage.scenario().cluster(), damage.form())) {
            Snapshot before = dump.load();
            List<String> files = dump.objectFiles();
            String file = files.get((int) ((long) damage.file() * files.size() / 1_000_000));
            Mutation.Outcome outcome = damage.mutation().apply(dump.files().get(file));
            dump.replace(file, outcome.bytes());
            String damaged = dump.displayPath(file);
            String what = damage + ": " + file + ": " + outcome;
            Snapshot after = FuzzChecks.loadWithin(dump::load, what);

            Statistics.label("outcome", !outcome.changed() ? "no fitting line" : outcome.keepsObjects() ? "readable"
                    : after.problems().size() > before.problems().size() ? "problems" : "no problem");
            FuzzChecks.newProblemsName(before, after, damaged::equals, what);
            FuzzChecks.locationsAreInTheText(after, damaged, outcome.bytes(), what);
            FuzzChecks.objectsOfSoundSourcesStay(before, after, damaged::equals, what);
            if (outcome.keepsObjects()) {
                FuzzChecks.everyObjectStays(before, after, what);
            }
            FuzzChecks.nestingProblemOnlyWhenNested(after, damage.mutation().kind() == Mutation.Kind.DEEP_NESTING
                    && damage.mutation().size() > Mutation.SHALLOW_NESTING, what);
            if (damage.mutation().kind() == Mutation.Kind.DUPLICATE_KEY) {
                Statistics.label("duplicate key", outcome.duplicateReportedAt().isPresent() ? "must be reported" : "not checked: a block value, or not read as a key");
            }
            if (before.objects().stream().anyMatch(o -> o.source().path().equals(damaged))) {
                FuzzChecks.duplicateReported(after, damaged, outcome.duplicateReportedAt(), what);
            }
            if (damage.mutation().kind() == Mutation.Kind.CRLF) {
                // CRLF counts as one line break, like LF, so even the lines and columns of sources stay
                assertThat(after.objects()).as("%s: the objects", what).isEqualTo(before.objects());
            }
            assertThat(after.sources()).as(what).isEqualTo(before.sources());
        }
    }

    static Gen<Damage> anyDamage() {
        return Gen.zip(Scenarios.any(), Gen.enumValues(DumpForm.class), Gen.integers(0, 999_999), Mutation.any(), Damage::new);
    }

    static Gen<Damage> readableDamage() {
        return Gen.zip(Scenarios.any(), Gen.enumValues(DumpForm.class), Gen.integers(0, 999_999), Mutation.keepingObjects(), Damage::new);
    }

    static Gen<ArchiveDamage> archiveDamage() {
        return Gen.zip(Scenarios.any(), Gen.enumValues(FuzzArchive.Layer.class), Mutation.ofBytes(), ArchiveDamage::new);
    }
}

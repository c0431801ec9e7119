package dev.rolloutdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.rolloutdoctor.cli.HostileArchives.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable jar, run as a process with a 64 MiB heap, on inputs crafted to hurt it: every run must finish,
 * exit with the documented code, print no stack trace, and name what it refused in one line.
 */
class HostileInputIT {

    /** A small heap, and an out-of-memory error ends the process at once instead of being caught and hidden. */
    private static final List<String> SMALL_HEAP = List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");

    private static final String PAUSED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              uid: d-1
              generation: 4
              annotations: {deployment.kubernetes.io/revision: "3"}
            spec:
              paused: true
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: app, image: "shop/web:1.3"}]
            status:
              observedGeneration: 4
              replicas: 3
              updatedReplicas: 0
              readyReplicas: 3
              availableReplicas: 3
              conditions:
              - {type: Progressing, status: Unknown, reason: DeploymentPaused, message: Deployment is paused,
                 lastTransitionTime: "2024-05-01T10:00:00Z", lastUpdateTime: "2024-05-01T10:00:00Z"}
            """;

    private static final String DIAGNOSED = "Deployment shop/web  PAUSED";

    @TempDir
    Path dir;

    /** Where the jar runs from: a folder of its own, so anything written relative to it would show. */
    private Path work;

    @BeforeEach
    void workingDirectory() throws IOException {
        work = Files.createDirectories(dir.resolve("work/a/b/c"));
    }

    // ------------------------------------------------------------------ names that leave the archive

    @Test
    void entriesNamedOutOfTheArchiveAreRefusedNothingIsWrittenAndTheRestIsDiagnosed() throws IOException {
        Path archive = dir.resolve("evil.tar.gz");
        try (HostileArchives.Tar tar = HostileArchives.Tar.gzipped(archive)) {
            tar.file("../../etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
                    .file("/etc/shadow", "root:*:19000:0:99999:7:::\n")
                    .file("bundle/cluster-resources/deployments/shop.yaml", PAUSED);
        }
        List<Path> before = tree(dir);

        Jar.Run run = diagnose(archive.toString());

        assertFoundStuck(run);
        assertProblemLine(run, "evil.tar.gz!/../../etc/passwd: entry skipped: its name climbs out of the archive root");
        assertProblemLine(run, "evil.tar.gz!//etc/shadow: entry skipped: its name is an absolute path");
        assertThat(run.stdout()).doesNotContain("root:x:0:0");
        assertThat(tree(dir)).as("files under the test folder after the run").isEqualTo(before);
    }

    @Test
    void symbolicAndHardLinksOutOfATarAreReportedAndNeverFollowed() throws IOException {
        Path archive = dir.resolve("links.tar");
        try (HostileArchives.Tar tar = HostileArchives.Tar.plain(archive)) {
            tar.file("bundle/deployments/shop.yaml", PAUSED)
                    .symlink("bundle/passwd.yaml", "/etc/passwd")
                    .symlink("bundle/up.yaml", "../../../etc/hostname")
                    .hardlink("bundle/hard.yaml", "../etc/passwd")
                    .hardlink("bundle/hard-absolute.yaml", "/etc/passwd");
        }

        Jar.Run run = diagnose(archive.toString(), "--format", "json");

        assertThat(run.exitCode()).as(printed(run)).isEqualTo(1);
        assertNoStackTrace(run);
        assertThat(skipped(run)).contains(
                archive + "!/bundle/passwd.yaml: a link to /etc/passwd, outside the input: not followed",
                archive + "!/bundle/up.yaml: a link to ../../../etc/hostname, outside the input: not followed",
                archive + "!/bundle/hard.yaml: a link to ../etc/passwd, outside the input: not followed",
                archive + "!/bundle/hard-absolute.yaml: a link to /etc/passwd, outside the input: not followed");
        assertThat(run.stdout()).doesNotContain("root:x:0:0");
    }

    @Test
    void aSymlinkInADirectoryToAFileOutsideItIsReportedAndNotFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("other.yaml"), PAUSED.replace("name: web", "name: secret"));
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("shop.yaml"), PAUSED);
        Files.createSymbolicLink(bundle.resolve("relative.yaml"), Path.of("../outside/other.yaml"));
        Files.createSymbolicLink(bundle.resolve("absolute.yaml"), outside.resolve("other.yaml").toAbsolutePath());

        Jar.Run run = diagnose(bundle.toString(), "--format", "json");

        assertThat(run.exitCode()).as(printed(run)).isEqualTo(1);
        assertNoStackTrace(run);
        assertThat(run.stdout()).contains("\"name\" : \"web\"").doesNotContain("secret");
        assertThat(skipped(run)).contains(
                bundle + "/relative.yaml: a link to ../outside/other.yaml, outside the input: not followed",
                bundle + "/absolute.yaml: a link to " + outside.resolve("other.yaml").toAbsolutePath()
                        + ", outside the input: not followed");
    }

    // ------------------------------------------------------------------ bombs

    @Test
    void aGzipBombOfTwoGibibytesOfZerosIsCutAtAQuarterOfTheHeap() throws IOException {
        Path bomb = dir.resolve("bomb.yaml.gz");
        HostileArchives.gzippedZeros(bomb, 2L << 30);
        assertThat(Files.size(bomb)).isLessThan(4L << 20);
        Path valid = Files.writeString(dir.resolve("shop.yaml"), PAUSED);

        Jar.Run alone = diagnose(bomb.toString());
        Jar.Run withAValidFile = diagnose(valid.toString(), bomb.toString());

        String refused = "bomb.yaml.gz: file skipped: it is more than 16 MiB, over a quarter of the Java heap (64 MiB),"
                + " the most of one file held in memory at once; run with a larger heap (java -Xmx...) if the file is genuine";
        assertRefusedOnStderr(alone, refused);
        assertFoundStuck(withAValidFile);
        assertProblemLine(withAValidFile, refused);
    }

    @Test
    void aTarGzEntryOfAGibibyteOfZerosIsSkippedAndTheEntryBeforeItDiagnosed() throws IOException {
        Path archive = dir.resolve("bundle.tar.gz");
        try (HostileArchives.Tar tar = HostileArchives.Tar.gzipped(archive)) {
            tar.file("bundle/deployments/shop.yaml", PAUSED).zeros("bundle/deployments/huge.yaml", 1L << 30);
        }

        Jar.Run run = diagnose(archive.toString());

        assertFoundStuck(run);
        assertProblemLine(run, "bundle.tar.gz!/bundle/deployments/huge.yaml: entry skipped: it is 1 GiB, over a quarter of the"
                + " Java heap (64 MiB), the most of one file held in memory at once");
    }

    @Test
    void aZipBombEntryIsStoppedByTheCompressionRatioAndTheEntryBeforeItDiagnosed() throws IOException {
        Path archive = dir.resolve("bomb.zip");
        try (HostileArchives.Zip zip = new HostileArchives.Zip(archive)) {
            zip.deflated("dump/shop.yaml", utf8(PAUSED)).zeros("dump/bomb.yaml", 1L << 30);
        }

        Jar.Run run = diagnose(archive.toString());

        assertFoundStuck(run);
        assertProblemLine(run, "bomb.zip: stopped reading: this looks like a decompression bomb");
    }

    @Test
    void aZipEntryWhoseHeadersLieAboutItsSizeIsReadForWhatItHolds() throws IOException {
        Path archive = dir.resolve("lying.zip");
        try (HostileArchives.Zip zip = new HostileArchives.Zip(archive)) {
            zip.lying("dump/says-four-gib.yaml", utf8(PAUSED), 0xFFFF_FFFEL)
                    .lying("dump/says-ten-bytes.yaml", utf8(PAUSED.replace("name: web", "name: api")), 10);
        }

        Jar.Run run = diagnose(archive.toString());

        assertThat(run.exitCode()).as(printed(run)).isEqualTo(1);
        assertNoStackTrace(run);
        assertThat(run.stdout()).contains(DIAGNOSED).contains("Deployment shop/api  PAUSED");
    }

    @Test
    void aZipEntryOfAnUnsupportedCompressionMethodIsSkippedByNameAndTheRestRead() throws IOException {
        Path archive = dir.resolve("lzma.zip");
        try (HostileArchives.Zip zip = new HostileArchives.Zip(archive)) {
            zip.method("dump/lzma.yaml", utf8(PAUSED.replace("name: web", "name: api")), 14)
                    .deflated("dump/shop.yaml", utf8(PAUSED));
        }

        Jar.Run run = diagnose(archive.toString());

        assertFoundStuck(run);
        assertThat(problemLines(run)).anySatisfy(line -> assertThat(line).contains("lzma.zip").contains("lzma.yaml"));
    }

    // ------------------------------------------------------------------ too many, too long, too deep

    @Test
    void aMillionEmptyEntriesStopAtTheEntryLimitAfterTheDeploymentBeforeThem() throws IOException {
        Path archive = dir.resolve("many.tar.gz");
        try (HostileArchives.Tar tar = HostileArchives.Tar.gzipped(archive)) {
            tar.file("bundle/deployments/shop.yaml", PAUSED).emptyFiles("bundle/empty/", 1_000_000);
        }

        Jar.Run run = diagnose(archive.toString());

        assertFoundStuck(run);
        assertProblemLine(run, "many.tar.gz: stopped reading: more than 200000 files and archive entries, over the limit of 200000 (LoadLimits.maxEntries)");
    }

    @Test
    void anEntryNameOfFiveThousandCharactersIsSkippedAndShownCut() throws IOException {
        String name = "bundle/" + "x".repeat(4_990) + ".yaml";
        Path archive = dir.resolve("long.tar.gz");
        try (HostileArchives.Tar tar = HostileArchives.Tar.gzipped(archive)) {
            tar.file(name, PAUSED.replace("name: web", "name: api")).file("bundle/shop.yaml", PAUSED);
        }

        Jar.Run run = diagnose(archive.toString());

        assertFoundStuck(run);
        assertThat(run.stdout()).doesNotContain("shop/api");
        assertProblemLine(run, "entry skipped: its name is 5002 characters long, over the limit of 1024 (LoadLimits.maxPathLength)");
        assertThat(problemLines(run)).allSatisfy(line -> assertThat(line).hasSizeLessThan(400));
    }

    @Test
    void aTarInsideATarGzIsRead() throws IOException {
        Path archive = dir.resolve("outer.tar.gz");
        try (HostileArchives.Tar tar = HostileArchives.Tar.gzipped(archive)) {
            tar.file("outer/inner.tar", HostileArchives.tar("inner/deployments/shop.yaml", utf8(PAUSED)));
        }

        Jar.Run run = diagnose(archive.toString());

        assertFoundStuck(run);
    }

    @Test
    void aTarGzInsideATarInsideATarGzIsNotOpened() throws IOException {
        byte[] deepest = HostileArchives.gzip(HostileArchives.tar("deployments/shop.yaml", utf8(PAUSED)));
        Path archive = dir.resolve("deep.tar.gz");
        try (HostileArchives.Tar tar = HostileArchives.Tar.gzipped(archive)) {
            tar.file("level1.tar", HostileArchives.tar("level2.tar.gz", deepest));
        }

        Jar.Run run = diagnose(archive.toString());

        assertRefusedOnStderr(run, "deep.tar.gz!/level1.tar!/level2.tar.gz: archive not opened: it sits inside 2 archives,"
                + " and LoadLimits.maxArchiveDepth is 1");
    }

    // ------------------------------------------------------------------ broken and empty

    @Test
    void aTruncatedTarGzKeepsTheDeploymentBeforeTheCut() throws IOException {
        Path whole = dir.resolve("whole.tar.gz");
        byte[] noise = new byte[256 * 1024];
        new Random(9).nextBytes(noise);
        try (HostileArchives.Tar tar = HostileArchives.Tar.gzipped(whole)) {
            tar.file("bundle/deployments/shop.yaml", PAUSED).file("bundle/logs/noise.log", noise);
        }
        Path cut = dir.resolve("cut.tar.gz");
        HostileArchives.cut(whole, cut, Files.size(whole) / 2);

        Jar.Run run = diagnose(cut.toString());

        assertFoundStuck(run);
        assertProblemLine(run, "cut.tar.gz");
        assertThat(problemLines(run)).anySatisfy(line -> assertThat(line).containsAnyOf("ends early", "cut short"));
    }

    @Test
    void junkBytesNamedTarGzExitTwoWithOneLine() throws IOException {
        byte[] junk = new byte[64 * 1024];
        new Random(7).nextBytes(junk);
        junk[0] = 'J';
        Path plainJunk = Files.write(dir.resolve("junk.tar.gz"), junk);
        junk[0] = 0x1f;
        junk[1] = (byte) 0x8b;
        Path gzipJunk = Files.write(dir.resolve("gzip-junk.tar.gz"), junk);

        assertRefusedOnStderr(diagnose(plainJunk.toString()), "junk.tar.gz");
        assertRefusedOnStderr(diagnose(gzipJunk.toString()), "gzip-junk.tar.gz");
    }

    @Test
    void anEmptyFileExitsTwoSayingThereIsNothingInIt() throws IOException {
        Path yaml = Files.createFile(dir.resolve("empty.yaml"));
        Path tarGz = Files.createFile(dir.resolve("empty.tar.gz"));

        assertRefusedOnStderr(diagnose(yaml.toString()), "no Kubernetes objects in the input");
        assertRefusedOnStderr(diagnose(tarGz.toString()), "no Kubernetes objects in the input");
    }

    @Test
    void tenThousandTinyFilesInADirectoryAreAllLoaded() throws IOException {
        Path bundle = Files.createDirectories(dir.resolve("many"));
        Files.writeString(bundle.resolve("shop.yaml"), PAUSED);
        String healthy = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api-%1$d, namespace: shop, uid: u-%1$d, generation: 1}
                spec: {replicas: 1, selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}}}
                status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}
                """;
        for (int i = 1; i < 10_000; i++) {
            Files.writeString(bundle.resolve(String.format("api-%05d.yaml", i)), healthy.formatted(i));
        }

        // no time limit but Jar's hang guard: speed is the benchmark's business
        Jar.Run run = diagnose(bundle.toString());

        assertFoundStuck(run);
        assertThat(run.stdout()).contains("10000 rollouts, 1 stuck or failed");
    }

    // ------------------------------------------------------------------ helpers

    private Jar.Run diagnose(String... paths) {
        String[] args = Stream.concat(Stream.of("diagnose"), Stream.of(paths)).toArray(String[]::new);
        return Jar.runWithJvm(work, SMALL_HEAP, args);
    }

    /** What the run printed, for failure messages: HotSpot reports an out-of-memory exit on stdout. */
    private static String printed(Jar.Run run) {
        String out = run.stdout();
        return "exit " + run.exitCode() + "; stderr: " + run.stderr() + "; end of stdout: "
                + out.substring(Math.max(0, out.length() - 800));
    }

    private static void assertNoStackTrace(Jar.Run run) {
        assertThat(run.stderr()).as("stderr")
                .doesNotContain("\tat ")
                .doesNotContain("Exception in thread")
                .doesNotContain("OutOfMemoryError")
                .doesNotContain("internal error");
        assertThat(run.stdout()).as("stdout").doesNotContain("OutOfMemoryError");
    }

    /** Something was read: the paused Deployment is diagnosed, exit 1. */
    private static void assertFoundStuck(Jar.Run run) {
        assertThat(run.exitCode()).as(printed(run)).isEqualTo(1);
        assertNoStackTrace(run);
        assertThat(run.stdout()).contains(DIAGNOSED);
    }

    /** Nothing was read: exit 2, and one line on stderr says why. */
    private static void assertRefusedOnStderr(Jar.Run run, String says) {
        assertThat(run.exitCode()).as(printed(run)).isEqualTo(2);
        assertNoStackTrace(run);
        assertThat(run.stderr().lines()).as("stderr").hasSize(1);
        assertThat(run.stderr()).startsWith("rollout-doctor: ").contains(says);
    }

    private static void assertProblemLine(Jar.Run run, String says) {
        assertThat(problemLines(run)).as("load problems in:%n%s", run.stdout()).anySatisfy(line -> assertThat(line).contains(says));
    }

    /** The lines under "Load problems" at the end of the text report. */
    private static List<String> problemLines(Jar.Run run) {
        List<String> lines = run.stdout().lines().toList();
        int heading = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Load problems")) {
                heading = i;
            }
        }
        return heading < 0 ? List.of() : lines.subList(heading + 1, lines.size());
    }

    private static List<String> skipped(Jar.Run run) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(run.stdout()).findValues("skipped")) {
            node.forEach(s -> skipped.add(s.path("source").asText() + ": " + s.path("reason").asText()));
        }
        return skipped;
    }

    private static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize).sorted().toList();
        }
    }
}

package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.rolloutdoctor.snapshot.io.TestArchives.tar;
import static org.assertj.core.api.Assertions.assertThat;

class TarArchiveReadingTest {

    private static final String PODS = """
            apiVersion: v1
            kind: PodList
            items: []
            """;

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsEveryFileOfATarGzInArchiveOrderWithPathsNormalised() throws IOException {
        Path bundle = write("bundle.tar.gz", tar()
                .dir("./")
                .dir("./support-bundle/")
                .file("./support-bundle/version.yaml", "kind: SupportBundle\n")
                .file("./support-bundle/cluster-resources/pods/shop.json", "{\"items\":[]}")
                .file("support-bundle//cluster-resources/./nodes.json", "[]")
                .gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.paths()).containsExactly(
                "support-bundle/version.yaml",
                "support-bundle/cluster-resources/pods/shop.json",
                "support-bundle/cluster-resources/nodes.json");
        assertThat(read.displayPaths()).containsExactly(
                bundle + "!/support-bundle/version.yaml",
                bundle + "!/support-bundle/cluster-resources/pods/shop.json",
                bundle + "!/support-bundle/cluster-resources/nodes.json");
        assertThat(read.texts()).containsEntry("support-bundle/version.yaml", "kind: SupportBundle\n");
    }

    @Test
    void recognisesATarGzByItsBytesWhateverItIsCalled() throws IOException {
        Path bundle = write("capture.data", tar().file("pods.yaml", PODS).gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.paths()).containsExactly("pods.yaml");
    }

    @Test
    void readsAPlainTarAndATgz() throws IOException {
        Path plain = write("dump.tar", tar().file("pods.yaml", PODS).build());
        Path tgz = write("dump.tgz", tar().file("pods.yaml", PODS).gzipped());

        assertThat(Recorder.read(LoadLimits.DEFAULTS, plain).paths()).containsExactly("pods.yaml");
        assertThat(Recorder.read(LoadLimits.DEFAULTS, tgz).paths()).containsExactly("pods.yaml");
    }

    @Test
    void readsAGzippedSingleFileAsOneEntryWithoutGz() throws IOException {
        Path pods = write("pods.json.gz", TestArchives.gzip(TestArchives.utf8("{\"kind\":\"PodList\",\"items\":[]}")));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, pods);

        assertThat(read.problems).isEmpty();
        assertThat(read.entries).singleElement().satisfies(entry -> {
            assertThat(entry.path()).isEqualTo("pods.json");
            assertThat(entry.displayPath()).isEqualTo(pods.toString());
        });
        assertThat(read.texts()).containsEntry("pods.json", "{\"kind\":\"PodList\",\"items\":[]}");
    }

    @Test
    void readsAnOldTarWithoutMagicOnlyWhenItsNameSaysTar() throws IOException {
        byte[] old = withoutMagic(tar().file("pods.yaml", PODS).build());

        assertThat(Recorder.read(LoadLimits.DEFAULTS, write("old.tar", old)).paths()).containsExactly("pods.yaml");
        assertThat(Recorder.read(LoadLimits.DEFAULTS, write("old.bin", old)).paths()).containsExactly("old.bin");
    }

    @Test
    void reportsSymlinksWithTargetsResolvedInsideTheArchive() throws IOException {
        Path bundle = write("bundle.tar.gz", tar()
                .file("sb/cluster-resources/pods/logs/default/web/nginx.log", "started\n")
                .symlink("sb/all-logs/web/nginx.log", "../../cluster-resources/pods/logs/default/web/nginx.log")
                .symlink("sb/static.log", "cluster-resources/pods/logs/default/web/nginx.log")
                .gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.links).containsExactly(
                new InputLink(bundle + "!/sb/all-logs/web/nginx.log", "sb/all-logs/web/nginx.log",
                        "sb/cluster-resources/pods/logs/default/web/nginx.log", true),
                new InputLink(bundle + "!/sb/static.log", "sb/static.log",
                        "sb/cluster-resources/pods/logs/default/web/nginx.log", true));
        assertThat(read.paths()).containsExactly("sb/cluster-resources/pods/logs/default/web/nginx.log");
    }

    @Test
    void reportsSymlinksLeavingTheArchiveAsOutsideAndNeverFollowsThem() throws IOException {
        Path bundle = write("bundle.tar.gz", tar()
                .symlink("sb/passwd", "/etc/passwd")
                .symlink("sb/up", "../../secret.yaml")
                .gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.entries).isEmpty();
        assertThat(read.links).containsExactly(
                new InputLink(bundle + "!/sb/passwd", "sb/passwd", "/etc/passwd", false),
                new InputLink(bundle + "!/sb/up", "sb/up", "../../secret.yaml", false));
    }

    @Test
    void resolvesHardlinkTargetsFromTheArchiveRoot() throws IOException {
        Path bundle = write("bundle.tar", tar()
                .file("sb/a/pods.json", "[]")
                .hardlink("sb/b/pods.json", "sb/a/pods.json")
                .hardlink("sb/c/evil", "../outside")
                .build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.links).containsExactly(
                new InputLink(bundle + "!/sb/b/pods.json", "sb/b/pods.json", "sb/a/pods.json", true),
                new InputLink(bundle + "!/sb/c/evil", "sb/c/evil", "../outside", false));
    }

    @Test
    void refusesEntriesNamedOutOfTheArchiveAndReadsTheRest() throws IOException {
        Path bundle = write("evil.tar.gz", tar()
                .file("../evil", "x")
                .file("/etc/passwd", "root:x:0:0")
                .file("ok/../../../tmp/x", "x")
                .file("pods.yaml", PODS)
                .gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.paths()).containsExactly("pods.yaml");
        assertThat(read.problems).extracting(LoadProblem::source).containsExactly(
                bundle + "!/../evil", bundle + "!//etc/passwd", bundle + "!/ok/../../../tmp/x");
        assertThat(read.messages()).containsExactly(
                "entry skipped: its name climbs out of the archive root with \"..\"",
                "entry skipped: its name is an absolute path; archive entries must be relative to the archive root",
                "entry skipped: its name climbs out of the archive root with \"..\"");
    }

    @Test
    void skipsAnEntryWhoseNameIsTooLong() throws IOException {
        String longName = "d/" + "x".repeat(4998);
        Path bundle = write("long.tar.gz", tar().file(longName, "x").file("pods.yaml", PODS).gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.paths()).containsExactly("pods.yaml");
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.message()).isEqualTo("entry skipped: its name is 5000 characters long, over the"
                    + " limit of 1024 (LoadLimits.maxPathLength)");
            assertThat(problem.source()).hasSizeLessThan(bundle.toString().length() + 130);
        });
    }

    @Test
    void skipsFifosWithAProblem() throws IOException {
        Path bundle = write("b.tar", tar().fifo("sb/pipe").file("sb/pods.yaml", PODS).build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.paths()).containsExactly("sb/pods.yaml");
        assertThat(read.messages()).containsExactly("entry skipped: it is a device or a FIFO, not a file");
    }

    @Test
    void skipsAnEntryOverThePerEntryLimitAndReadsTheNext() throws IOException {
        Path bundle = write("big.tar.gz", tar()
                .file("sb/big.json", new byte[3000])
                .file("sb/pods.yaml", PODS)
                .gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(2048), bundle);

        assertThat(read.paths()).containsExactly("sb/pods.yaml");
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(bundle + "!/sb/big.json");
            assertThat(problem.message()).isEqualTo("entry skipped: it is 2.9 KiB, over the per-entry limit of"
                    + " 2 KiB (LoadLimits.maxEntryBytes); raise the limit if the file is genuine");
        });
    }

    @Test
    void keepsTheEntriesBeforeTheCutOfATruncatedTarGz() throws IOException {
        byte[] whole = tar()
                .file("a.yaml", PODS)
                .file("b.yaml", PODS)
                .file("c.bin", TestArchives.noise(200_000, 1))
                .gzipped();
        Path cut = write("cut.tar.gz", TestArchives.cut(whole, whole.length - 100_000));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, cut);

        assertThat(read.paths()).containsExactly("a.yaml", "b.yaml");
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(cut.toString());
            assertThat(problem.message()).startsWith("archive ends early after 2 entries: ");
        });
    }

    @Test
    void reportsATruncatedGzippedFile() throws IOException {
        byte[] whole = TestArchives.gzip(TestArchives.noise(50_000, 1));
        Path cut = write("pods.json.gz", TestArchives.cut(whole, 20_000));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, cut);

        assertThat(read.entries).isEmpty();
        assertThat(read.messages()).singleElement().asString().startsWith("compressed file ends early: ");
    }

    @Test
    void reportsATarCutBetweenEntriesAsEndingEarly() throws IOException {
        byte[] whole = tar().file("a.yaml", PODS).file("b.yaml", PODS).build();
        Path cut = write("cut.tar", TestArchives.cut(whole, 1024));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, cut);

        assertThat(read.paths()).containsExactly("a.yaml");
        assertThat(read.messages()).singleElement().asString()
                .startsWith("archive ends early after 1 entry: it has no end-of-archive marker");
    }

    @Test
    void readsATarInsideATarGzWhenOneLevelOfNestingIsAllowed() throws IOException {
        byte[] inner = tar().file("rrd/load.json", "{}").symlink("rrd/latest", "load.json").build();
        Path outer = write("outer.tar.gz", tar().file("collectd/archive.tar", inner).file("top.json", "{}").gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxArchiveDepth(1), outer);

        assertThat(read.problems).isEmpty();
        assertThat(read.displayPaths()).containsExactly(
                outer + "!/collectd/archive.tar!/rrd/load.json", outer + "!/top.json");
        assertThat(read.paths()).containsExactly("collectd/archive.tar/rrd/load.json", "top.json");
        assertThat(read.links).containsExactly(new InputLink(outer + "!/collectd/archive.tar!/rrd/latest",
                "collectd/archive.tar/rrd/latest", "collectd/archive.tar/rrd/load.json", true));
    }

    @Test
    void refusesATarInsideATarGzWhenNoNestingIsAllowed() throws IOException {
        byte[] inner = tar().file("x.json", "{}").build();
        Path outer = write("outer.tar.gz", tar().file("collectd/archive.tar", inner).file("top.json", "{}").gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxArchiveDepth(0), outer);

        assertThat(read.paths()).containsExactly("top.json");
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(outer + "!/collectd/archive.tar");
            assertThat(problem.message()).isEqualTo("archive not opened: it sits inside 1 archive, and"
                    + " LoadLimits.maxArchiveDepth is 0; raise the limit to read archives nested this deep");
        });
    }

    @Test
    void refusesArchivesNestedDeeperThanTheLimit() throws IOException {
        byte[] innermost = tar().file("x.json", "{}").build();
        byte[] middle = tar().file("in.tar", innermost).file("m.json", "{}").build();
        Path outer = write("outer.tar.gz", tar().file("mid.tar.gz", TestArchives.gzip(middle)).gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxArchiveDepth(1), outer);

        assertThat(read.displayPaths()).containsExactly(outer + "!/mid.tar.gz!/m.json");
        assertThat(read.problems).extracting(LoadProblem::source).containsExactly(outer + "!/mid.tar.gz!/in.tar");
    }

    @Test
    void readsAGzippedFileInsideATarAsOneEntry() throws IOException {
        byte[] gzipped = TestArchives.gzip(TestArchives.utf8("[]"));
        Path bundle = write("b.tar", tar().file("logs/pods.json.gz", gzipped).build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.entries).singleElement().satisfies(entry -> {
            assertThat(entry.displayPath()).isEqualTo(bundle + "!/logs/pods.json.gz");
            assertThat(entry.path()).isEqualTo("logs/pods.json");
        });
    }

    private static byte[] withoutMagic(byte[] tar) {
        byte[] old = tar.clone();
        for (int i = 257; i < 265; i++) {
            old[i] = 0;
        }
        java.util.Arrays.fill(old, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += old[i] & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, old, 148, 8);
        return old;
    }
}

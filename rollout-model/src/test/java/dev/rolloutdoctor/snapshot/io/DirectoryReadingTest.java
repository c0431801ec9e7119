package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DirectoryReadingTest {

    private static final String PODS = """
            apiVersion: v1
            kind: PodList
            items: []
            """;

    @TempDir
    Path tmp;

    private Path file(Path path, String content) throws IOException {
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }

    @Test
    void readsEveryFileInSortedOrderHiddenOnesIncluded() throws IOException {
        Path dump = tmp.resolve("dump");
        file(dump.resolve("shop/pods.json"), "{}");
        file(dump.resolve("b.yaml"), PODS);
        file(dump.resolve(".hidden.yaml"), PODS);
        file(dump.resolve("a/x.yaml"), PODS);

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, dump);

        assertThat(read.problems).isEmpty();
        assertThat(read.paths()).containsExactly(".hidden.yaml", "a/x.yaml", "b.yaml", "shop/pods.json");
        assertThat(read.displayPaths()).last().isEqualTo(dump + "/shop/pods.json");
    }

    @Test
    void reportsSymlinksInsteadOfFollowingThem() throws IOException {
        Path dump = tmp.resolve("dump");
        Path outside = file(tmp.resolve("secret/credentials.yaml"), "password: hunter2\n");
        file(dump.resolve("shop/pods.json"), "{}");
        Files.createSymbolicLink(dump.resolve("escape.yaml"), outside);
        Files.createSymbolicLink(dump.resolve("up"), Path.of("../secret"));
        Files.createSymbolicLink(dump.resolve("shop/same.json"), Path.of("pods.json"));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, dump);

        assertThat(read.problems).isEmpty();
        assertThat(read.paths()).containsExactly("shop/pods.json");
        assertThat(read.links).containsExactly(
                new InputLink(dump + "/escape.yaml", "escape.yaml", outside.toString(), false),
                new InputLink(dump + "/shop/same.json", "shop/same.json", "shop/pods.json", true),
                new InputLink(dump + "/up", "up", "../secret", false));
    }

    @Test
    void judgesAnAbsoluteSymlinkIntoTheRootAsInside() throws IOException {
        Path dump = tmp.resolve("dump");
        Path pods = file(dump.resolve("shop/pods.json"), "{}");
        Files.createSymbolicLink(dump.resolve("latest.json"), pods.toAbsolutePath());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, dump);

        assertThat(read.links).containsExactly(
                new InputLink(dump + "/latest.json", "latest.json", "shop/pods.json", true));
    }

    @Test
    void followsASymlinkTheUserNamedDirectly() throws IOException {
        Path pods = file(tmp.resolve("real/pods.yaml"), PODS);
        Path link = Files.createSymbolicLink(tmp.resolve("pods-link.yaml"), pods);

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, link);

        assertThat(read.texts()).containsEntry("pods-link.yaml", PODS);
    }

    @Test
    void readsArchivesFoundInADirectoryUnderTheirOwnPath() throws IOException {
        Path dump = tmp.resolve("dump");
        Files.createDirectories(dump);
        Files.write(dump.resolve("bundle.tar.gz"), TestArchives.tar().file("sb/pods.json", "{}").gzipped());
        Files.write(dump.resolve("nodes.json.gz"), TestArchives.gzip(TestArchives.utf8("[]")));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, dump);

        assertThat(read.problems).isEmpty();
        assertThat(read.displayPaths()).containsExactly(dump + "/bundle.tar.gz!/sb/pods.json", dump + "/nodes.json.gz");
        assertThat(read.paths()).containsExactly("bundle.tar.gz/sb/pods.json", "nodes.json");
    }

    @Test
    void refusesAFileGivenDirectlyThatIsOverThePerEntryLimit() throws IOException {
        Path big = file(tmp.resolve("pods.yaml"), "x".repeat(2048));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(1024), big);

        assertThat(read.entries).isEmpty();
        assertThat(read.problems).containsExactly(LoadProblem.of(big.toString(), "file skipped: it is 2 KiB, over"
                + " the per-entry limit of 1 KiB (LoadLimits.maxEntryBytes); raise the limit if the file is genuine"));
    }

    @Test
    void reportsAMissingPath() {
        Path missing = tmp.resolve("missing.yaml");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, missing);

        assertThat(read.problems).containsExactly(
                LoadProblem.of(missing.toString(), "cannot read " + missing + ": no such file or directory"));
    }

    @Test
    void reportsAnUnreadableFileAndReadsTheRest() throws IOException {
        Path dump = tmp.resolve("dump");
        Path secret = file(dump.resolve("a-secret.yaml"), PODS);
        file(dump.resolve("pods.yaml"), PODS);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(secret), "running as a user who reads everything (root)");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, dump);

        assertThat(read.paths()).containsExactly("pods.yaml");
        assertThat(read.messages()).containsExactly("cannot read " + secret + ": permission denied");
    }

    @Test
    @Timeout(10)
    void skipsAFifoInADirectoryWithoutBlockingOnIt() throws Exception {
        Path dump = tmp.resolve("dump");
        file(dump.resolve("pods.yaml"), PODS);
        Path fifo = dump.resolve("pipe");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, dump);

        assertThat(read.paths()).containsExactly("pods.yaml");
        assertThat(read.problems).containsExactly(
                LoadProblem.of(fifo.toString(), "file skipped: it is a device, a FIFO or a socket, not a file"));
    }

    @Test
    void stopsBeforeListingADirectoryWithMoreFilesThanEntriesLeft() throws IOException {
        Path dump = tmp.resolve("dump");
        for (int i = 0; i < 50; i++) {
            file(dump.resolve(i + ".json"), "{}");
        }

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntries(10), dump);

        assertThat(read.entries).isEmpty();
        assertThat(read.messages()).singleElement().asString().startsWith("stopped reading: more than 10 files");
    }

    @Test
    void skipsDirectoriesNestedDeeperThanSixtyFourLevels() throws IOException {
        Path dump = tmp.resolve("dump");
        file(dump.resolve("d/".repeat(70) + "pods.yaml"), PODS);

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, dump);

        assertThat(read.entries).isEmpty();
        assertThat(read.messages()).containsExactly("directory skipped: it is nested more than 64 levels deep");
    }

    @Test
    void letsTheVisitorsOwnExceptionsThrough() throws IOException {
        Path bundle = Files.write(tmp.resolve("b.tar.gz"), TestArchives.tar().file("pods.yaml", PODS).gzipped());
        IllegalStateException failure = new IllegalStateException("loader bug");
        InputVisitor failing = new InputVisitor() {
            @Override
            public void entry(InputEntry entry) {
                throw failure;
            }

            @Override
            public void link(InputLink link) {
            }

            @Override
            public void problem(LoadProblem problem) {
            }
        };

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> new InputReader(LoadLimits.DEFAULTS).read(bundle, failing));

        assertThat(thrown).isSameAs(failure);
    }

    private static boolean mkfifo(Path fifo) throws InterruptedException {
        try {
            return new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}

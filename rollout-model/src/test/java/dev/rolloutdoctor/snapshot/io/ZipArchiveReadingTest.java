package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.rolloutdoctor.snapshot.io.TestArchives.zip;
import static org.assertj.core.api.Assertions.assertThat;

class ZipArchiveReadingTest {

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
    void readsEveryFileOfAZipInArchiveOrder() throws IOException {
        Path bundle = write("must-gather.zip", zip()
                .dir("must-gather/")
                .file("must-gather/namespaces/shop/core/pods.yaml", PODS)
                .file("./must-gather/timestamp", "2024-03-01 10:00:00")
                .build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.paths()).containsExactly("must-gather/namespaces/shop/core/pods.yaml", "must-gather/timestamp");
        assertThat(read.displayPaths()).first().isEqualTo(bundle + "!/must-gather/namespaces/shop/core/pods.yaml");
        assertThat(read.texts()).containsEntry("must-gather/namespaces/shop/core/pods.yaml", PODS);
    }

    @Test
    void skipsAnEntryInAnUnsupportedCompressionMethodAndReadsTheNext() throws IOException {
        Path bundle = write("bundle.zip", withMethod(storedZip("dump/lzma.yaml", PODS, "dump/pods.yaml", PODS), 14));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.paths()).containsExactly("dump/pods.yaml");
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(bundle + "!/dump/lzma.yaml");
            assertThat(problem.message()).isEqualTo("entry skipped: it is compressed with LZMA (method 14), which is"
                    + " not supported; re-create the archive with deflate (zip -Z deflate) or as a .tar.gz to read it");
        });
    }

    /** Two STORED entries with their sizes in the local headers, so a reader can skip the first without decoding it. */
    private static byte[] storedZip(String firstName, String first, String secondName, String second) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream zip =
                     new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(bytes)) {
            for (String[] e : new String[][] {{firstName, first}, {secondName, second}}) {
                byte[] content = e[1].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                org.apache.commons.compress.archivers.zip.ZipArchiveEntry entry =
                        new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(e[0]);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(content);
                entry.setMethod(java.util.zip.ZipEntry.STORED);
                entry.setSize(content.length);
                entry.setCompressedSize(content.length);
                entry.setCrc(crc.getValue());
                zip.putArchiveEntry(entry);
                zip.write(content);
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The first entry's method set to {@code method} in its local header, which is all a streaming reader sees. */
    private static byte[] withMethod(byte[] zip, int method) {
        byte[] out = zip.clone();
        out[8] = (byte) method;
        out[9] = (byte) (method >> 8);
        return out;
    }

    @Test
    void recognisesAZipByItsBytesWhateverItIsCalled() throws IOException {
        Path bundle = write("capture", zip().file("pods.yaml", PODS).build());

        assertThat(Recorder.read(LoadLimits.DEFAULTS, bundle).paths()).containsExactly("pods.yaml");
    }

    @Test
    void refusesEntriesNamedOutOfTheArchiveWithEitherSlash() throws IOException {
        Path bundle = write("evil.zip", zip()
                .file("../evil", "x")
                .file("/etc/passwd", "x")
                .file("..\\..\\windows\\evil", "x")
                .file("C:\\Windows\\evil", "x")
                .file("pods.yaml", PODS)
                .build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.paths()).containsExactly("pods.yaml");
        // commons-compress already turns the backslashes of names written on Windows into slashes
        assertThat(read.problems).extracting(LoadProblem::source).containsExactly(bundle + "!/../evil",
                bundle + "!//etc/passwd", bundle + "!/../../windows/evil", bundle + "!/C:/Windows/evil");
        assertThat(read.messages()).allMatch(message -> message.startsWith("entry skipped: its name "));
    }

    @Test
    void skipsAnEntryWhoseNameIsTooLong() throws IOException {
        Path bundle = write("long.zip", zip().file("x".repeat(5000), "x").file("pods.yaml", PODS).build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.paths()).containsExactly("pods.yaml");
        assertThat(read.messages()).containsExactly(
                "entry skipped: its name is 5000 characters long, over the limit of 1024 (LoadLimits.maxPathLength)");
    }

    @Test
    void stopsAZipBombOnceItsRatioPassesTheLimit() throws IOException {
        Path bundle = write("bomb.zip", zip()
                .file("pods.yaml", PODS)
                .file("zeros.json", new byte[20 * 1024 * 1024])
                .file("after.yaml", PODS)
                .build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxCompressionRatio(100), bundle);

        assertThat(read.paths()).containsExactly("pods.yaml");
        assertThat(read.messages()).singleElement().asString()
                .startsWith("stopped reading: this looks like a decompression bomb");
    }

    @Test
    void skipsAnEntryOverThePerEntryLimitAndReadsTheNext() throws IOException {
        Path bundle = write("big.zip", zip()
                .file("big.json", TestArchives.noise(5000, 1))
                .file("pods.yaml", PODS)
                .build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(4096), bundle);

        assertThat(read.paths()).containsExactly("pods.yaml");
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(bundle + "!/big.json");
            assertThat(problem.message()).startsWith("entry skipped: it is more than 4 KiB, over the per-entry limit");
        });
    }

    @Test
    void stopsAfterMaxEntries() throws IOException {
        TestArchives.Zip flood = zip();
        for (int i = 0; i < 10_000; i++) {
            flood.file("flood/" + i + ".json", "");
        }
        Path bundle = write("flood.zip", flood.build());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntries(1000), bundle);

        assertThat(read.entries).hasSize(1000);
        assertThat(read.messages()).singleElement().asString().startsWith("stopped reading: more than 1000 files");
    }

    @Test
    void keepsTheEntriesBeforeTheCutOfATruncatedZip() throws IOException {
        byte[] whole = zip()
                .file("a.yaml", PODS)
                .file("b.yaml", PODS)
                .file("c.bin", TestArchives.noise(200_000, 1))
                .build();
        Path cut = write("cut.zip", TestArchives.cut(whole, whole.length - 100_000));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, cut);

        assertThat(read.paths()).containsExactly("a.yaml", "b.yaml");
        assertThat(read.messages()).singleElement().asString().startsWith("archive ends early after 2 entries: ");
    }

    @Test
    void readsATarInsideAZipWithinTheNestingLimit() throws IOException {
        byte[] inner = TestArchives.tar().file("x.json", "{}").build();
        Path bundle = write("b.zip", zip().file("inner/archive.tar", inner).build());

        assertThat(Recorder.read(LoadLimits.DEFAULTS.withMaxArchiveDepth(1), bundle).displayPaths())
                .containsExactly(bundle + "!/inner/archive.tar!/x.json");
        assertThat(Recorder.read(LoadLimits.DEFAULTS.withMaxArchiveDepth(0), bundle).messages())
                .singleElement().asString().startsWith("archive not opened: it sits inside 1 archive");
    }
}

package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.rolloutdoctor.snapshot.io.TestArchives.tar;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostile archives: bombs, floods of entries, endless headers. Each must stop quickly with a clear problem. */
class ArchiveLimitsTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void holdsNoDocumentLargerThanAQuarterOfTheHeap() throws IOException {
        // 40 MiB of zeros, well under the ratio limit of 1000:1 once gzip's fastest level packs it
        Path big = write("pods.json.gz", TestArchives.gzip(new byte[40 * MIB], TestArchives.fastest()));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxCompressionRatio(100_000), 64L * MIB, big);

        assertThat(read.entries).isEmpty();
        assertThat(read.problems).singleElement().satisfies(problem -> assertThat(problem.message())
                .isEqualTo("file skipped: it is more than 16 MiB, over a quarter of the Java heap (64 MiB), the most of"
                        + " one file held in memory at once; run with a larger heap (java -Xmx...) if the file is genuine"));
    }

    @Test
    void aLargeHeapLeavesThePerEntryLimitInCharge() throws IOException {
        Path big = write("pods.json", new byte[2 * MIB]);

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(MIB), 64L * 1024 * MIB, big);

        assertThat(read.messages()).singleElement().asString().contains("over the per-entry limit of 1 MiB");
    }

    @Test
    void stopsAGzipBombOnceItsRatioPassesTheLimit() throws IOException {
        // 200 MiB of zeros in about 200 KiB: 200 gzip members of 1 MiB each, read as one stream
        Path bomb = write("pods.json.gz", TestArchives.repeat(TestArchives.gzippedMebibyteOfZeros(), 200));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(1024L * MIB)
                .withMaxCompressionRatio(100), bomb);

        assertThat(read.entries).isEmpty();
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(bomb.toString());
            assertThat(problem.message())
                    .startsWith("stopped reading: this looks like a decompression bomb: 1 MiB came out of ")
                    .contains("over the limit of 100:1 (LoadLimits.maxCompressionRatio)");
        });
    }

    @Test
    void stopsATarGzBombAndKeepsTheEntriesBeforeIt() throws IOException {
        byte[] first = tar().file("sb/pods.yaml", "kind: PodList\n").build();
        byte[] headerOnly = java.util.Arrays.copyOf(first, 1024);
        byte[] bomb = TestArchives.concat(
                TestArchives.gzip(headerOnly),
                TestArchives.gzip(TestArchives.tarHeader("sb/zeros.json", 200L * MIB)),
                TestArchives.repeat(TestArchives.gzippedMebibyteOfZeros(), 200),
                TestArchives.gzip(new byte[1024]));
        Path bundle = write("bomb.tar.gz", bomb);

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(1024L * MIB)
                .withMaxCompressionRatio(100), bundle);

        assertThat(read.paths()).containsExactly("sb/pods.yaml");
        assertThat(read.messages()).singleElement().asString()
                .startsWith("stopped reading: this looks like a decompression bomb");
    }

    @Test
    void skipsAnEntryLargerThanThePerEntryLimitWithoutHoldingIt() throws IOException {
        byte[] bomb = TestArchives.concat(
                TestArchives.gzip(TestArchives.tarHeader("sb/zeros.json", 20L * MIB)),
                TestArchives.repeat(TestArchives.gzippedMebibyteOfZeros(), 20),
                TestArchives.gzip(tar().file("sb/pods.yaml", "kind: PodList\n").build()));
        Path bundle = write("big.tar.gz", bomb);

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(MIB), bundle);

        assertThat(read.paths()).containsExactly("sb/pods.yaml");
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(bundle + "!/sb/zeros.json");
            assertThat(problem.message()).isEqualTo("entry skipped: it is 20 MiB, over the per-entry limit of"
                    + " 1 MiB (LoadLimits.maxEntryBytes); raise the limit if the file is genuine");
        });
    }

    @Test
    void skipsAGzippedFileThatUnpacksPastThePerEntryLimit() throws IOException {
        Path big = write("pods.json.gz", TestArchives.repeat(TestArchives.gzippedMebibyteOfZeros(), 3));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntryBytes(2 * MIB), big);

        assertThat(read.entries).isEmpty();
        assertThat(read.messages()).containsExactly("file skipped: it is more than 2 MiB, over the per-entry limit"
                + " of 2 MiB (LoadLimits.maxEntryBytes); raise the limit if the file is genuine");
    }

    @Test
    void stopsAfterMaxEntriesOfAHundredThousandEmptyEntries() throws IOException {
        Path flood = write("flood.tar.gz", emptyEntries(100_000));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxEntries(1000), flood);

        assertThat(read.entries).hasSize(1000);
        assertThat(read.problems).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(flood.toString());
            assertThat(problem.message()).startsWith("stopped reading: more than 1000 files and archive entries,"
                    + " over the limit of 1000 (LoadLimits.maxEntries); the rest of the input was not read.");
        });
    }

    @Test
    void refusesLaterInputsOnceTheEntryBudgetIsSpent() throws IOException {
        Path flood = write("flood.tar.gz", emptyEntries(20));
        Path pods = write("pods.yaml", TestArchives.utf8("kind: PodList\n"));
        InputReader reader = new InputReader(LoadLimits.DEFAULTS.withMaxEntries(10));
        Recorder read = new Recorder();

        reader.read(flood, read);
        reader.read(pods, read);

        assertThat(read.entries).hasSize(10);
        assertThat(read.problems).extracting(LoadProblem::source).containsExactly(flood.toString(), pods.toString());
        assertThat(read.messages().get(1))
                .isEqualTo("not read: the inputs before it already reached the limit of 10 (LoadLimits.maxEntries)");
    }

    @Test
    void stopsOnceTheTotalDecompressedBytesPassTheLimit() throws IOException {
        Path bundle = write("b.tar.gz", tar()
                .file("a.bin", TestArchives.noise(8192, 1))
                .file("b.bin", TestArchives.noise(8192, 2))
                .file("c.bin", TestArchives.noise(8192, 3))
                .gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxTotalBytes(20_000), bundle);

        // each member is 512 bytes of header and 8 KiB of data: the third goes past 20 000 bytes
        assertThat(read.paths()).containsExactly("a.bin", "b.bin");
        assertThat(read.messages()).singleElement().asString().startsWith("stopped reading: more than 19.5 KiB read"
                + " and decompressed in all, over the limit of 19.5 KiB (LoadLimits.maxTotalBytes)");
    }

    @Test
    void countsWhatComesOutOfAGzipButNotTheCompressedBytesToo() throws IOException {
        // about 10 KiB compressed, 20 KiB of tar (padded to two 10 KiB blocks) once decompressed
        Path bundle = write("b.tar.gz", tar().file("a.bin", TestArchives.noise(10_000, 1)).gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxTotalBytes(24 * 1024), bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.paths()).containsExactly("a.bin");
    }

    @Test
    void stopsATarWhoseHeaderNeverEnds() throws IOException {
        // a 2 MiB name travels in a PAX header, which commons-compress would buffer whole
        Path bundle = write("long-header.tar.gz", tar()
                .file("ok.yaml", "kind: PodList\n")
                .paxPath("x".repeat(2 * MIB))
                .file("short-name-replaced-by-pax", "x")
                .gzipped());

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.paths()).containsExactly("ok.yaml");
        assertThat(read.messages()).containsExactly("stopped reading this archive: a member's headers (PAX records or"
                + " a GNU long name) run over 1 MiB; the archive is damaged or hostile");
    }

    @Test
    void stopsAGzipWhoseFileNameFieldNeverEnds() throws IOException {
        GzipParameters parameters = new GzipParameters();
        parameters.setFileName("n".repeat(2 * MIB));
        Path gz = write("pods.json.gz", TestArchives.gzip(TestArchives.utf8("[]"), parameters));

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, gz);

        assertThat(read.entries).isEmpty();
        assertThat(read.messages()).containsExactly("stopped reading: more than 1 MiB of compressed input gave no"
                + " output (an endless header?); the file is damaged or hostile");
    }

    /** Headers written straight into the gzip: the archive writer is too slow for a quick test. */
    private static byte[] emptyEntries(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes, TestArchives.fastest())) {
            for (int i = 0; i < count; i++) {
                gz.write(TestArchives.tarHeader("flood/" + i + ".json", 0));
            }
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }
}

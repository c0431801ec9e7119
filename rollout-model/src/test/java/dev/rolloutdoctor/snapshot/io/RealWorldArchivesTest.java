package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads archives captured by real tools (troubleshoot support bundles, sonobuoy results) from the team's shared
 * corpus, which a user's clone does not have: there the tests are skipped.
 */
class RealWorldArchivesTest {

    private static final Path CORPUS = Path.of("/work/shared/realworld");

    private static Path archive(String relative) {
        assumeTrue(Files.isDirectory(CORPUS), "the shared real-world corpus is absent");
        Path archive = CORPUS.resolve(relative);
        assumeTrue(Files.isRegularFile(archive), relative + " is absent from the corpus");
        return archive;
    }

    @Test
    void readsTroubleshootsBaselineBundleWithItsNestedEmptyTars() {
        Path bundle = archive("replicatedhq__troubleshoot/test/baselines/supportbundle/baseline.tar.gz");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.entries).hasSize(145);
        assertThat(read.paths()).contains("supportbundle/version.yaml")
                .noneMatch(path -> path.endsWith("archive.tar"));
        assertThat(read.links).hasSize(2).allMatch(InputLink::targetInside);
        assertThat(read.links).extracting(InputLink::targetPath).containsExactly(
                "supportbundle/cluster-resources/pods/logs/default/run-example/collector.log",
                "supportbundle/cluster-resources/pods/logs/default/run-pod-example/example.log");
    }

    @Test
    void reportsTheBaselineBundlesNestedTarsWhenNestingIsOff() {
        Path bundle = archive("replicatedhq__troubleshoot/test/baselines/supportbundle/baseline.tar.gz");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS.withMaxArchiveDepth(0), bundle);

        assertThat(read.entries).hasSize(145);
        assertThat(read.problems).hasSize(2).allMatch(problem -> problem.source().endsWith("/archive.tar")
                && problem.message().startsWith("archive not opened"));
    }

    @Test
    void readsTroubleshootsTestBundleWithItsLogSymlinks() {
        Path bundle = archive("replicatedhq__troubleshoot/testdata/supportbundle/support-bundle.tar.gz");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.entries).hasSize(102);
        assertThat(read.links).hasSize(19).allMatch(InputLink::targetInside);
        assertThat(read.links).extracting(InputLink::targetPath).allMatch(read.paths()::contains);
    }

    @Test
    void readsSonobuoyResultsWithDotSlashNames() {
        Path results = archive("vmware-tanzu__sonobuoy/pkg/client/results/testdata/results-0.10.tar.gz");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, results);

        assertThat(read.problems).isEmpty();
        assertThat(read.links).isEmpty();
        assertThat(read.entries).hasSize(60);
        assertThat(read.paths()).noneMatch(path -> path.startsWith("./") || path.startsWith("/"));
    }

    @Test
    void readsSonobuoyResultsWithE2eFailures() {
        Path results = archive("vmware-tanzu__sonobuoy/test/integration/testdata/results-4-e2e-failures.tar.gz");

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, results);

        assertThat(read.problems).isEmpty();
        assertThat(read.links).isEmpty();
        assertThat(read.entries).hasSize(103);
        assertThat(read.paths()).contains("hosts/kind-control-plane/configz.json");
    }
}

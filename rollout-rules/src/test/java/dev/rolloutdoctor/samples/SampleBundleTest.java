package dev.rolloutdoctor.samples;

import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample bundle the README diagnoses is what {@link SampleBundle} writes, and reads as the README says. */
class SampleBundleTest {

    @Test
    void theShippedSampleIsExactlyWhatTheGeneratorWrites(@TempDir Path dir) throws IOException {
        Path written = DumpForm.SUPPORT_BUNDLE_TAR_GZ.write(SampleBundle.cluster(), dir);

        assertThat(written.getFileName()).isEqualTo(SampleBundle.PATH.getFileName());
        assertThat(Files.readAllBytes(SampleBundle.PATH))
                .as("the shipped sample is stale: run SampleBundle.main to write it again")
                .isEqualTo(Files.readAllBytes(written));
    }

    @Test
    void theSampleShowsAnImagePullFailureBehindTheMissedDeadline() {
        Diagnosis diagnosis = RuleEngine.create().diagnose(SnapshotLoader.create().load(SampleBundle.PATH));

        assertThat(diagnosis.snapshot().problems()).isEmpty();
        assertThat(diagnosis.stuck()).singleElement().satisfies(r -> {
            assertThat(r.workload()).isEqualTo(ObjectRef.of("Deployment", "shop", "web"));
            assertThat(r.rootCause()).hasValueSatisfying(f -> {
                assertThat(f.finding().ruleId()).isEqualTo("image-pull-failed");
                assertThat(f.finding().title()).contains("ghcr.io/acme/web:1.5.0").contains("not found");
            });
            assertThat(r.findings()).anySatisfy(f -> {
                assertThat(f.finding().ruleId()).isEqualTo("progress-deadline-exceeded");
                assertThat(f.explainedBy()).isNotEmpty();
            });
        });
    }
}

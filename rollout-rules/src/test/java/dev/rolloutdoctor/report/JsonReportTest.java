package dev.rolloutdoctor.report;

import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The JSON report follows its schema for every input we can find, and is the same bytes every time. */
class JsonReportTest {

    static final Path SHARED = Path.of("..", "..", "shared").toAbsolutePath().normalize();

    static Stream<String> realWorldInputs() throws IOException {
        if (!Files.isDirectory(SHARED.resolve("realworld"))) {
            return Stream.of("(absent)");
        }
        try (Stream<Path> files = Files.walk(SHARED.resolve("realworld"))) {
            return files.filter(Files::isRegularFile).map(p -> SHARED.relativize(p).toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realWorldInputs")
    void everyReportOnTheRealWorldCorpusValidatesAgainstTheSchema(String file) {
        assumeTrue(!file.equals("(absent)"), "../shared is absent: skipping the real-world corpus");
        Diagnosis diagnosis = RuleEngine.create().diagnose(SnapshotLoader.create().load(SHARED.resolve(file)));

        String json = JsonReport.render(diagnosis);

        assertThat(SchemaValidator.reportSchema().validate(json)).as("schema violations in the report of %s", file).isEmpty();
        assertThat(diagnosis.detectorErrors()).as("detector errors on %s", file).isEmpty();
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        assumeTrue(Files.isDirectory(SHARED.resolve("realworld")), "../shared is absent");
        Path dir = SHARED.resolve("realworld/replicatedhq__sbctl/tests/support-bundle");

        String first = JsonReport.render(RuleEngine.create().diagnose(SnapshotLoader.create().load(dir)));
        String second = JsonReport.render(RuleEngine.create().diagnose(SnapshotLoader.create().withParallelism(1).load(dir)));

        assertThat(second).isEqualTo(first);
        assertThat(first).startsWith("{\n  \"schemaVersion\" : 1,\n").endsWith("}\n");
    }

    @Test
    void theValidatorCatchesAReportThatBreaksTheSchema() {
        assertThat(SchemaValidator.reportSchema().validate("{\"schemaVersion\": 2}"))
                .contains("$: missing required field input", "$.schemaVersion: expected 1, found 2");
    }
}

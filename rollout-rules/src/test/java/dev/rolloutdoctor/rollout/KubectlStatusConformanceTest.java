package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.KubeObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of kubectl-rollout-status-cases.yaml, byte for byte: message, done and error. */
class KubectlStatusConformanceTest {

    @BeforeAll
    static void sharedFilesArePresent() {
        SharedConformance.assumePresent();
    }

    static Stream<Arguments> cases() {
        return SharedConformance.cases("kubectl-rollout-status-cases.yaml").stream()
                .map(c -> Arguments.of(c.get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesKubectl(String name, Map<String, Object> testCase) {
        KubeObject workload = SharedConformance.object((String) testCase.get("kind"), testCase.get("object"));
        long revision = ((Number) testCase.get("revision")).longValue();
        Map<String, Object> expected = (Map<String, Object>) testCase.get("expected");

        KubectlVerdict verdict = KubectlStatus.of(workload, revision);

        assertThat(verdict.message()).isEqualTo(expected.get("message"));
        assertThat(verdict.done()).isEqualTo(expected.get("done"));
        assertThat(verdict.error()).isEqualTo(Optional.ofNullable((String) expected.get("error")));
    }
}

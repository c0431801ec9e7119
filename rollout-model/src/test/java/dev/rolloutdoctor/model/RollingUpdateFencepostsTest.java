package dev.rolloutdoctor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollingUpdateFencepostsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Optional<IntOrPercent> field(String value) {
        return value == null ? Optional.empty() : Optional.of(IntOrPercent.parse(value));
    }

    private static RollingUpdateFenceposts resolve(String maxSurge, String maxUnavailable, int desired) {
        return RollingUpdateFenceposts.resolve(field(maxSurge), field(maxUnavailable), desired);
    }

    /** Reads the strategy the way a decoder would: a YAML integer is a count, a string is parsed. */
    private static RollingUpdateFenceposts resolveDeployment(String yaml) throws Exception {
        JsonNode spec = YAML.readTree(yaml).path("spec");
        JsonNode rollingUpdate = spec.path("strategy").path("rollingUpdate");
        return RollingUpdateFenceposts.resolve(intOrPercent(rollingUpdate.get("maxSurge")),
                intOrPercent(rollingUpdate.get("maxUnavailable")), spec.path("replicas").asInt(1));
    }

    private static Optional<IntOrPercent> intOrPercent(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(node.isInt() ? IntOrPercent.ofInt(node.asInt()) : IntOrPercent.parse(node.asText()));
    }

    // TestResolveFenceposts in pkg/controller/deployment/util and the RollingUpdateDeployment field docs.
    @ParameterizedTest(name = "surge {0}, unavailable {1} of {2} -> {3}/{4}")
    @CsvSource({
        "39%, 39%, 10, 4, 3",
        "25%, 25%, 10, 3, 2",
        "25%, 25%, 8,  2, 2",
        "1,   1,   2,  1, 1",
        "3,   2,   10, 3, 2",
        "50%, 0,   3,  2, 0",
        "0,   30%, 10, 0, 3",
        "200%, 0,  3,  6, 0",
        "1%,  0,   2,  1, 0",
    })
    void surgeRoundsUpAndUnavailableRoundsDown(String surge, String unavailable, int desired, int expectedSurge,
            int expectedUnavailable) {
        RollingUpdateFenceposts fenceposts = resolve(surge, unavailable, desired);
        assertThat(fenceposts).isEqualTo(new RollingUpdateFenceposts(expectedSurge, expectedUnavailable, false));
    }

    // TestResolveFenceposts: {"0%", "0%", desired 0} -> surge 0, unavailable 1; ResolveFenceposts' doc comment:
    // "2 desired, max unavailable 1%, surge 0%".
    @ParameterizedTest(name = "surge {0}, unavailable {1} of {2}")
    @CsvSource({"0%, 0%, 0", "0, 0, 10", "0%, 1%, 2", "0, 1%, 10", "0%, 9%, 10", "25%, 25%, 0"})
    void bothZeroForcesUnavailableToOne(String surge, String unavailable, int desired) {
        RollingUpdateFenceposts fenceposts = resolve(surge, unavailable, desired);
        assertThat(fenceposts).isEqualTo(new RollingUpdateFenceposts(0, 1, true));
        assertThat(fenceposts.unavailableForcedToOne()).isTrue();
    }

    @Test
    void anAbsentFieldMeansTheApiDefaultOf25Percent() {
        assertThat(resolve(null, null, 10)).isEqualTo(new RollingUpdateFenceposts(3, 2, false));
        assertThat(resolve("1", null, 10)).isEqualTo(new RollingUpdateFenceposts(1, 2, false));
        assertThat(resolve(null, "0", 4)).isEqualTo(new RollingUpdateFenceposts(1, 0, false));
    }

    // TestResolveFenceposts: "nil inputs with desired 10" -> surge 0, unavailable 1.
    @Test
    void theControllersOwnNilHandlingMeansZero() {
        assertThat(RollingUpdateFenceposts.resolveTreatingAbsentAsZero(Optional.empty(), Optional.empty(), 10))
                .isEqualTo(new RollingUpdateFenceposts(0, 1, true));
        assertThat(RollingUpdateFenceposts.resolveTreatingAbsentAsZero(Optional.empty(),
                Optional.of(IntOrPercent.parse("39%")), 10))
                .isEqualTo(new RollingUpdateFenceposts(0, 3, false));
    }

    @Test
    void aDeploymentDumpResolvesItsStrategy() throws Exception {
        RollingUpdateFenceposts fenceposts = resolveDeployment("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                spec:
                  replicas: 4
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 1
                      maxUnavailable: 0
                """);
        assertThat(fenceposts).isEqualTo(new RollingUpdateFenceposts(1, 0, false));
    }

    @Test
    void aDeploymentWithSmallPercentagesHitsTheForcedFallback() throws Exception {
        RollingUpdateFenceposts fenceposts = resolveDeployment("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                spec:
                  replicas: 10
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: "0%"
                      maxUnavailable: "5%"
                """);
        assertThat(fenceposts.unavailableForcedToOne()).isTrue();
        assertThat(fenceposts.maxUnavailable()).isEqualTo(1);
    }

    // TestMaxUnavailable in deployment_util_test.go.
    @Test
    void theClampedBudgetIsZeroForZeroReplicas() {
        assertThat(resolve("25%", "25%", 0).clampedMaxUnavailable(0)).isZero();
        assertThat(RollingUpdateFenceposts.maxUnavailable(field("0"), field("1"), 0)).isZero();
    }

    @Test
    void theClampedBudgetNeverExceedsTheReplicas() {
        assertThat(resolve("0", "10", 3).clampedMaxUnavailable(3)).isEqualTo(3);
        assertThat(RollingUpdateFenceposts.maxUnavailable(field("0"), field("10"), 3)).isEqualTo(3);
        assertThat(RollingUpdateFenceposts.maxUnavailable(field("0%"), field("30%"), 10)).isEqualTo(3);
        assertThat(RollingUpdateFenceposts.maxUnavailable(Optional.empty(), Optional.empty(), 10)).isEqualTo(2);
    }

    @Test
    void negativeReplicasAreRejected() {
        assertThatThrownBy(() -> resolve("1", "1", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theForcedFlagOnlyGoesWithZeroSurgeAndOneUnavailable() {
        assertThatThrownBy(() -> new RollingUpdateFenceposts(1, 1, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RollingUpdateFenceposts(0, 1, false).unavailableForcedToOne()).isFalse();
    }
}

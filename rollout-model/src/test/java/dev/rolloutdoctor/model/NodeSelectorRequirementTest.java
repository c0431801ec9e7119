package dev.rolloutdoctor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutdoctor.model.NodeSelectorRequirement.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectorRequirementTest {

    private static final Map<String, String> NODE = Map.of(
            "kubernetes.io/hostname", "worker-1",
            "topology.kubernetes.io/zone", "eu-west-1a",
            "node.kubernetes.io/instance-type", "m5.xlarge",
            "example.com/gpu-count", "4",
            "example.com/generation", "v2");

    private static NodeSelectorRequirement requirement(String key, Operator operator, String... values) {
        return new NodeSelectorRequirement(key, operator, List.of(values));
    }

    @Test
    void inNeedsTheLabelWithOneOfTheValues() {
        assertThat(requirement("topology.kubernetes.io/zone", Operator.IN, "eu-west-1a", "eu-west-1b").matches(NODE))
                .isTrue();
        assertThat(requirement("topology.kubernetes.io/zone", Operator.IN, "us-east-1a").matches(NODE)).isFalse();
        assertThat(requirement("example.com/missing", Operator.IN, "x").matches(NODE)).isFalse();
    }

    @Test
    void notInMatchesWhenTheLabelIsAbsent() {
        assertThat(requirement("example.com/missing", Operator.NOT_IN, "x").matches(NODE)).isTrue();
        assertThat(requirement("kubernetes.io/hostname", Operator.NOT_IN, "worker-1").matches(NODE)).isFalse();
    }

    @Test
    void existsAndDoesNotExistLookOnlyAtTheKey() {
        assertThat(requirement("example.com/gpu-count", Operator.EXISTS).matches(NODE)).isTrue();
        assertThat(requirement("example.com/spot", Operator.EXISTS).matches(NODE)).isFalse();
        assertThat(requirement("example.com/spot", Operator.DOES_NOT_EXIST).matches(NODE)).isTrue();
        assertThat(requirement("example.com/gpu-count", Operator.DOES_NOT_EXIST).matches(NODE)).isFalse();
    }

    @Test
    void gtAndLtCompareAsIntegers() {
        assertThat(requirement("example.com/gpu-count", Operator.GT, "3").matches(NODE)).isTrue();
        assertThat(requirement("example.com/gpu-count", Operator.GT, "4").matches(NODE)).isFalse();
        assertThat(requirement("example.com/gpu-count", Operator.LT, "10").matches(NODE)).isTrue();
        assertThat(requirement("example.com/gpu-count", Operator.LT, "4").matches(NODE)).isFalse();
        assertThat(requirement("example.com/gpu-count", Operator.GT, "-1").matches(NODE)).isTrue();
        assertThat(requirement("example.com/gpu-count", Operator.LT, "+5").matches(NODE)).isTrue();
    }

    @Test
    void gtAndLtNeedTheLabel() {
        assertThat(requirement("example.com/missing", Operator.GT, "0").matches(NODE)).isFalse();
        assertThat(requirement("example.com/missing", Operator.LT, "0").matches(NODE)).isFalse();
    }

    @Test
    void aNonIntegerLabelValueNeverMatchesGtOrLt() {
        assertThat(requirement("example.com/generation", Operator.GT, "1").matches(NODE)).isFalse();
        assertThat(requirement("example.com/generation", Operator.LT, "1").matches(NODE)).isFalse();
        assertThat(requirement("k", Operator.GT, "1").matches(Map.of("k", " 5"))).isFalse();
        assertThat(requirement("k", Operator.GT, "1").matches(Map.of("k", "5.0"))).isFalse();
    }

    @Test
    void aNonIntegerRequirementValueNeverMatches() {
        assertThat(requirement("example.com/gpu-count", Operator.GT, "two").matches(NODE)).isFalse();
        assertThat(requirement("example.com/gpu-count", Operator.LT, "1e3").matches(NODE)).isFalse();
    }

    @Test
    void integersAre64Bit() {
        assertThat(requirement("k", Operator.GT, "9223372036854775806").matches(Map.of("k", "9223372036854775807")))
                .isTrue();
        assertThat(requirement("k", Operator.LT, "0").matches(Map.of("k", "9223372036854775808"))).isFalse();
    }

    @Test
    void gtAndLtTakeExactlyOneValue() {
        assertThatThrownBy(() -> requirement("k", Operator.GT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one value is required");
        assertThatThrownBy(() -> requirement("k", Operator.LT, "1", "2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valueCountsAreCheckedForTheOtherOperators() {
        assertThatThrownBy(() -> requirement("k", Operator.IN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> requirement("k", Operator.EXISTS, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> requirement("", Operator.EXISTS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void operatorsAreReadWithTheirKubernetesSpelling() {
        assertThat(Operator.fromKubernetes("Gt")).contains(Operator.GT);
        assertThat(Operator.fromKubernetes("Lt")).contains(Operator.LT);
        assertThat(Operator.fromKubernetes("DoesNotExist")).contains(Operator.DOES_NOT_EXIST);
        assertThat(Operator.fromKubernetes("gt")).isEmpty();
        assertThat(Operator.fromKubernetes("Equals")).isEmpty();
    }

    @Test
    void toStringUsesSelectorSyntax() {
        assertThat(requirement("zone", Operator.IN, "b", "a")).hasToString("zone in (a,b)");
        assertThat(requirement("zone", Operator.NOT_IN, "a")).hasToString("zone notin (a)");
        assertThat(requirement("gpu", Operator.EXISTS)).hasToString("gpu");
        assertThat(requirement("gpu", Operator.DOES_NOT_EXIST)).hasToString("!gpu");
        assertThat(requirement("cores", Operator.GT, "4")).hasToString("cores>4");
        assertThat(requirement("cores", Operator.LT, "4")).hasToString("cores<4");
    }
}

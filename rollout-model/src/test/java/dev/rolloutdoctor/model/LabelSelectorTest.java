package dev.rolloutdoctor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rolloutdoctor.model.LabelSelector.Operator;
import dev.rolloutdoctor.model.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> WEB_POD = Map.of(
            "app", "web", "tier", "frontend", "pod-template-hash", "7d4b9c8f6d");

    private static Requirement requirement(String key, Operator operator, String... values) {
        return new Requirement(key, operator, List.of(values));
    }

    @Test
    void theEmptySelectorMatchesEverything() {
        assertThat(LabelSelector.EVERYTHING.isEmpty()).isTrue();
        assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
        assertThat(LabelSelector.EVERYTHING.matches(WEB_POD)).isTrue();
        assertThat(new LabelSelector(Map.of(), List.of())).isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void matchLabelsNeedEveryPairPresentAndEqual() {
        LabelSelector selector = LabelSelector.ofLabels(Map.of("app", "web", "tier", "frontend"));
        assertThat(selector.isEmpty()).isFalse();
        assertThat(selector.matches(WEB_POD)).isTrue();
        assertThat(selector.matches(Map.of("app", "web"))).isFalse();
        assertThat(selector.matches(Map.of("app", "web", "tier", "backend"))).isFalse();
    }

    @Test
    void inNeedsTheKeyWithOneOfTheValues() {
        Requirement in = requirement("tier", Operator.IN, "frontend", "edge");
        assertThat(in.matches(WEB_POD)).isTrue();
        assertThat(in.matches(Map.of("tier", "backend"))).isFalse();
        assertThat(in.matches(Map.of())).isFalse();
    }

    @Test
    void notInMatchesWhenTheKeyIsAbsent() {
        Requirement notIn = requirement("track", Operator.NOT_IN, "canary");
        assertThat(notIn.matches(WEB_POD)).isTrue();
        assertThat(notIn.matches(Map.of("track", "stable"))).isTrue();
        assertThat(notIn.matches(Map.of("track", "canary"))).isFalse();
    }

    @Test
    void existsAndDoesNotExistLookOnlyAtTheKey() {
        assertThat(requirement("app", Operator.EXISTS).matches(Map.of("app", ""))).isTrue();
        assertThat(requirement("app", Operator.EXISTS).matches(Map.of())).isFalse();
        assertThat(requirement("legacy", Operator.DOES_NOT_EXIST).matches(WEB_POD)).isTrue();
        assertThat(requirement("legacy", Operator.DOES_NOT_EXIST).matches(Map.of("legacy", "true"))).isFalse();
    }

    @Test
    void allRequirementsMustHold() {
        LabelSelector selector = new LabelSelector(Map.of("app", "web"), List.of(
                requirement("tier", Operator.IN, "frontend"),
                requirement("legacy", Operator.DOES_NOT_EXIST)));
        assertThat(selector.matches(WEB_POD)).isTrue();
        Map<String, String> legacyPod = new HashMap<>(WEB_POD);
        legacyPod.put("legacy", "true");
        assertThat(selector.matches(legacyPod)).isFalse();
    }

    @Test
    void anEmptyStringIsAValidValue() {
        assertThat(requirement("canary", Operator.IN, "").matches(Map.of("canary", ""))).isTrue();
    }

    @Test
    void toStringPrintsKubectlSyntaxSortedByKey() {
        LabelSelector selector = new LabelSelector(Map.of("tier", "web", "app", "shop"), List.of(
                requirement("env", Operator.IN, "prod", "dev"),
                requirement("legacy", Operator.DOES_NOT_EXIST),
                requirement("zone", Operator.EXISTS),
                requirement("track", Operator.NOT_IN, "canary", "beta")));
        assertThat(selector).hasToString("app=shop,env in (dev,prod),!legacy,tier=web,track notin (beta,canary),zone");
    }

    @Test
    void forEqualKeysMatchLabelsPrintBeforeExpressions() {
        LabelSelector selector = new LabelSelector(Map.of("app", "web"),
                List.of(requirement("app", Operator.IN, "web", "api")));
        assertThat(selector).hasToString("app=web,app in (api,web)");
    }

    @Test
    void theEmptySelectorPrintsAsAnEmptyString() {
        assertThat(LabelSelector.EVERYTHING).hasToString("");
    }

    @Test
    void matchLabelsAreCopiedSortedAndUnmodifiable() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tier", "web");
        labels.put("app", "shop");
        LabelSelector selector = LabelSelector.ofLabels(labels);
        labels.put("extra", "x");
        assertThat(selector.matchLabels()).containsExactly(Map.entry("app", "shop"), Map.entry("tier", "web"));
        assertThatThrownBy(() -> selector.matchLabels().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void selectorsWithTheSameRequirementsAreEqual() {
        LabelSelector a = LabelSelector.ofLabels(new LinkedHashMap<>(Map.of("app", "web", "tier", "x")));
        LabelSelector b = LabelSelector.ofLabels(Map.of("tier", "x", "app", "web"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void operatorsAreReadWithTheirKubernetesSpelling() {
        assertThat(Operator.fromKubernetes("In")).contains(Operator.IN);
        assertThat(Operator.fromKubernetes("NotIn")).contains(Operator.NOT_IN);
        assertThat(Operator.fromKubernetes("Exists")).contains(Operator.EXISTS);
        assertThat(Operator.fromKubernetes("DoesNotExist")).contains(Operator.DOES_NOT_EXIST);
        assertThat(Operator.fromKubernetes("in")).isEmpty();
        assertThat(Operator.fromKubernetes("Gt")).isEmpty();
        assertThat(Operator.NOT_IN.kubernetesName()).isEqualTo("NotIn");
    }

    @Test
    void inAndNotInNeedValues() {
        assertThatThrownBy(() -> requirement("tier", Operator.IN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values set can't be empty");
        assertThatThrownBy(() -> requirement("tier", Operator.NOT_IN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void existsAndDoesNotExistTakeNoValues() {
        assertThatThrownBy(() -> requirement("tier", Operator.EXISTS, "web"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values set must be empty");
        assertThatThrownBy(() -> requirement("tier", Operator.DOES_NOT_EXIST, "web"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequirementNeedsAKey() {
        assertThatThrownBy(() -> requirement("", Operator.EXISTS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requirementValuesAreCopied() {
        List<String> values = new ArrayList<>(List.of("a"));
        Requirement requirement = new Requirement("k", Operator.IN, values);
        values.add("b");
        assertThat(requirement.values()).containsExactly("a");
    }
}

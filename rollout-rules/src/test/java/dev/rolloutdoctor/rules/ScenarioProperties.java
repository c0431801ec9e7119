package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.gen.ForAll;
import dev.rolloutdoctor.fixtures.gen.Gen;
import dev.rolloutdoctor.fixtures.gen.Property;
import dev.rolloutdoctor.fixtures.gen.PropertyTest;
import dev.rolloutdoctor.fixtures.gen.Statistics;
import dev.rolloutdoctor.fixtures.scenario.Scenario;
import dev.rolloutdoctor.fixtures.scenario.Scenarios;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole engine over generated captures whose truth is known (rollout-fixtures' {@link Scenarios}): the injected
 * failure is the root cause, healthy captures raise no error, and nothing that does not change the facts (noise,
 * order, the form of the dump) changes the ranking.
 */
class ScenarioProperties {

    /** A scenario and the same facts presented another way. */
    record Variant(Scenario scenario, Scenario other, long seed, DumpForm form) {
    }

    static Stream<String> failureModes() {
        return Scenarios.failureModes().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failureModes")
    void theInjectedFailureIsTheRootCauseOfTheStuckWorkload(String rule) {
        ScenarioRuns.assumeRegistered(rule);

        Property.forAll(Scenarios.failureModes().get(rule)).check(scenario -> {
            ScenarioRuns.label(scenario);
            RolloutDiagnosis rollout = ScenarioRuns.stuckRollout(scenario, scenario.snapshot());

            assertThat(rollout.rootCause().map(f -> f.finding().ruleId()))
                    .as("root cause of %s in %s\n%s", scenario.stuckWorkload().get(), scenario, ScenarioRuns.describe(rollout))
                    .contains(rule);
        });
    }

    @PropertyTest
    void healthyCapturesHaveNoErrorOrCriticalFinding(@ForAll("healthy") Scenario scenario) {
        Statistics.label("scenario", scenario.name());

        Diagnosis diagnosis = ScenarioRuns.ENGINE.diagnose(scenario.snapshot());

        for (RolloutDiagnosis rollout : diagnosis.rollouts()) {
            assertThat(rollout.findings()).as("%s of %s\n%s", rollout.workload(), scenario, ScenarioRuns.describe(rollout))
                    .allSatisfy(f -> assertThat(f.finding().severity()).isIn(Severity.WARNING, Severity.INFO));
        }
    }

    @PropertyTest
    void addingNoiseNeverChangesTheRankedRulesOfTheStuckWorkload(@ForAll("noisy") Variant v) {
        Statistics.label("noise", v.other().parameters().get("noise"));

        assertThat(ScenarioRuns.rankedRuleIds(v.other(), v.other().snapshot()))
                .as("with noise, %s", v.other()).isEqualTo(ScenarioRuns.rankedRuleIds(v.scenario(), v.scenario().snapshot()));
    }

    @PropertyTest
    void theOrderOfObjectsInTheDumpNeverChangesTheRankedRules(@ForAll("shuffled") Variant v) {
        Statistics.label("scenario", v.scenario().name());

        assertThat(ScenarioRuns.rankedRuleIds(v.other(), v.other().snapshot()))
                .as("reordered, %s", v.scenario()).isEqualTo(ScenarioRuns.rankedRuleIds(v.scenario(), v.scenario().snapshot()));
    }

    @PropertyTest
    void theOrderOfInputFilesNeverChangesTheRankedRules(@ForAll("shuffled") Variant v) {
        Snapshot folder = v.scenario().snapshot(DumpForm.JSON_PER_KIND);
        Snapshot files = ScenarioRuns.filesInOrder(v.scenario(), DumpForm.JSON_PER_KIND, v.seed());

        assertThat(ScenarioRuns.rankedRuleIds(v.scenario(), files))
                .as("files in another order, %s", v.scenario()).isEqualTo(ScenarioRuns.rankedRuleIds(v.scenario(), folder));
    }

    @PropertyTest
    void theFormOfTheDumpNeverChangesTheRankedRules(@ForAll("inAnotherForm") Variant v) {
        Statistics.label("form", v.form());

        DumpForm reference = v.scenario().completeForm();
        assertThat(ScenarioRuns.rankedRuleIds(v.scenario(), v.scenario().snapshot(v.form())))
                .as("%s against %s, %s", v.form(), reference, v.scenario())
                .isEqualTo(ScenarioRuns.rankedRuleIds(v.scenario(), v.scenario().snapshot(reference)));
    }

    static Gen<Scenario> healthy() {
        return Gen.oneOf(Scenarios.healthyComplete(), Scenarios.healthyProgressing(), Scenarios.noise());
    }

    static Gen<Variant> noisy() {
        return Scenarios.anyFailure().flatMap(s -> Scenarios.noiseAround(s).map(n -> new Variant(s, n, 0, DumpForm.SUPPORT_BUNDLE_TAR_GZ)));
    }

    static Gen<Variant> shuffled() {
        return Gen.zip(Scenarios.anyFailure(), Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE),
                (s, seed) -> new Variant(s, ScenarioRuns.shuffled(s, seed), seed, DumpForm.SUPPORT_BUNDLE_TAR_GZ));
    }

    /** A failure scenario and a form, other than the reference, that holds everything of it. */
    static Gen<Variant> inAnotherForm() {
        return Scenarios.anyFailure().filter(s -> others(s).size() > 0)
                .flatMap(s -> Gen.elements(others(s)).map(f -> new Variant(s, s, 0, f)));
    }

    private static List<DumpForm> others(Scenario scenario) {
        return Arrays.stream(DumpForm.values()).filter(scenario::isFullyCarriedBy).filter(f -> f != scenario.completeForm()).toList();
    }
}

package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.fixtures.scenario.Scenario;
import dev.rolloutdoctor.fixtures.scenario.Scenarios;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios the properties once shrank to, kept as examples: each names the seed of the generator and the root cause
 * that must rank first.
 */
class ScenarioRegressionTest {

    static final Map<String, Supplier<dev.rolloutdoctor.fixtures.gen.Gen<Scenario>>> GENERATORS = Map.of(
            "probeMisconfigured", Scenarios::probeMisconfigured,
            "insufficientResources", Scenarios::insufficientResources);

    @ParameterizedTest(name = "{0} seed {1} ranks {2} first")
    @CsvSource({
            // a readiness probe whose initialDelaySeconds outlasts the progress deadline, before any Unhealthy event
            "probeMisconfigured, 23770, probe-misconfigured",
            "probeMisconfigured, 47527, probe-misconfigured",
            "probeMisconfigured, 71284, probe-misconfigured",
            // nodes filled by another team: with every old pod gone the new template still does not fit, so this is a
            // shortage, not a surge deadlock
            "insufficientResources, 13, insufficient-resources",
            "insufficientResources, 15851, insufficient-resources",
            "insufficientResources, 340530, insufficient-resources"})
    void theInjectedCauseRanksFirst(String generator, long seed, String rule) {
        Scenario scenario = GENERATORS.get(generator).get().sample(seed);

        Diagnosis diagnosis = RuleEngine.create().diagnose(scenario.snapshot());

        assertThat(diagnosis.rollout(scenario.stuckWorkload().orElseThrow()).orElseThrow().rootCause())
                .as("%s", scenario)
                .hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo(rule));
    }
}

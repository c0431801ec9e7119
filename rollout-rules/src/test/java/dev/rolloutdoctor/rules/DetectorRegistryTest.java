package dev.rolloutdoctor.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry holds every built-in detector, validates metadata, and loads third-party detectors only when asked. */
class DetectorRegistryTest {

    static final List<String> ARCHITECTURE_IDS = List.of(
            "progress-deadline-exceeded", "rollout-paused", "generation-not-observed", "old-pods-terminating",
            "pods-stuck-terminating", "rolling-update-deadlock", "insufficient-resources", "unschedulable-placement",
            "node-not-ready", "quota-exceeded", "admission-rejected", "pvc-unbound", "volume-attach-conflict",
            "volume-mount-failed", "image-pull-failed", "container-config-missing", "crash-loop", "oom-killed",
            "init-container-failed", "readiness-probe-failing", "probe-misconfigured", "network-policy-isolation",
            "mutable-image-tag", "template-changed", "rollout-stalled-unexplained");

    @Test
    void everyDetectorClassWithARuleIsInTheBuiltInRegistry() throws IOException, URISyntaxException {
        Path classes = Path.of(Detector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> annotated;
        try (Stream<Path> files = Files.list(classes.resolve("dev/rolloutdoctor/rules/detectors"))) {
            annotated = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .map(n -> "dev.rolloutdoctor.rules.detectors." + n.substring(0, n.length() - ".class".length()))
                    .filter(DetectorRegistryTest::hasRule)
                    .sorted()
                    .toList();
        }
        List<String> registered = DetectorRegistry.builtIn().rules().stream()
                .map(RuleInfo::detectorClass).filter(c -> c.startsWith("dev.rolloutdoctor.rules.detectors.")).sorted().toList();

        assertThat(registered).isEqualTo(annotated);
    }

    @Test
    void theBuiltInListIsKeptSortedByRuleId() {
        List<String> ids = BuiltInDetectors.all().stream().map(d -> RuleInfo.of(d.getClass()).id()).toList();

        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void everyBuiltInRuleIdIsOneOfTheArchitectureContract() {
        assertThat(DetectorRegistry.builtIn().rules()).extracting(RuleInfo::id).allMatch(ARCHITECTURE_IDS::contains);
    }

    @Test
    void aDetectorWithoutRuleOrWithABadIdIsRefused() {
        Detector anonymous = context -> List.of();
        assertThatThrownBy(() -> DetectorRegistry.builtIn().with(List.of(anonymous)))
                .hasMessageContaining("has no @Rule annotation");
        assertThatThrownBy(() -> DetectorRegistry.builtIn().with(List.of(new BadId())))
                .hasMessageContaining("is not kebab-case");
        assertThatThrownBy(() -> DetectorRegistry.builtIn().with(List.of(new Duplicate())))
                .hasMessageContaining("is already registered");
    }

    @Test
    void thirdPartyDetectorsComeInOnlyWhenAskedFor() {
        ClassLoader loader = getClass().getClassLoader();

        assertThat(DetectorRegistry.builtIn().rule("acme-team-label")).isEmpty();
        assertThat(DetectorRegistry.builtIn().withServiceLoader(loader).rule("acme-team-label")).isPresent();
    }

    @Test
    void aDetectorThatThrowsIsReportedAndTheOthersStillRun() {
        var diagnosis = RuleEngine.of(DetectorRegistry.builtIn().with(List.of(new Throws())))
                .diagnose(DetectorHarness.of(new Throws()).yaml("""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web, namespace: shop}
                        spec: {replicas: 1, paused: true}
                        status: {observedGeneration: 0}
                        """).snapshot());

        assertThat(diagnosis.detectorErrors()).singleElement()
                .satisfies(e -> assertThat(e.ruleId()).isEqualTo("acme-throws"));
        assertThat(diagnosis.rollouts()).singleElement()
                .satisfies(r -> assertThat(r.findings()).extracting(f -> f.finding().ruleId()).contains("rollout-paused"));
    }

    static boolean hasRule(String className) {
        try {
            return Class.forName(className).isAnnotationPresent(Rule.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Rule(id = "Bad_Id", title = "Bad", severity = Severity.INFO, layer = Layer.WORKLOAD, description = "bad")
    static final class BadId implements Detector {
        @Override
        public List<Finding> detect(DetectionContext context) {
            return List.of();
        }
    }

    @Rule(id = "rollout-paused", title = "Again", severity = Severity.INFO, layer = Layer.WORKLOAD, description = "again")
    static final class Duplicate implements Detector {
        @Override
        public List<Finding> detect(DetectionContext context) {
            return List.of();
        }
    }

    @Rule(id = "acme-throws", title = "Throws", severity = Severity.INFO, layer = Layer.WORKLOAD, description = "throws")
    static final class Throws implements Detector {
        @Override
        public List<Finding> detect(DetectionContext context) {
            throw new IllegalStateException("boom");
        }
    }
}

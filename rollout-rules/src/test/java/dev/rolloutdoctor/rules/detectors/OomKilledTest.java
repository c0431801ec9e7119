package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.rollout;
import static org.assertj.core.api.Assertions.assertThat;

class OomKilledTest {

    static String spec(String image, String resources) {
        return """
                containers:
                - name: app
                  image: %s
                  resources: %s
                """.formatted(image, resources);
    }

    static final String OLD_SPEC = spec("shop/web:1.2", "{requests: {memory: 256Mi}, limits: {memory: 512Mi}}");
    static final String LOWERED = spec("shop/web:1.3", "{requests: {memory: 128Mi}, limits: {memory: 256Mi}}");

    static String lastRun(String reason, int exitCode, int restarts) {
        return """
                phase: Running
                conditions:
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]"}
                containerStatuses:
                - name: app
                  image: shop/web:1.3
                  ready: false
                  restartCount: %d
                  state:
                    waiting: {reason: CrashLoopBackOff, message: back-off 1m20s restarting failed container=app pod=web}
                  lastState:
                    terminated: {exitCode: %d, reason: %s, startedAt: "2024-05-01T10:28:40Z", finishedAt: "2024-05-01T10:29:10Z"}
                """.formatted(restarts, exitCode, reason);
    }

    static final String OOM = lastRun("OOMKilled", 137, 4);

    static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new OomKilled()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void aLimitTheRolloutLoweredIsComparedWithThePreviousOneAndRestored() {
        assertThat(findings(rollout(OLD_SPEC, LOWERED, OOM, OOM))).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("oom-killed");
            assertThat(f.title()).isEqualTo("2 of 2 new pods of Deployment shop/web are OOMKilled: container app exceeds "
                    + "its 256Mi memory limit (was 512Mi)");
            assertThat(f.explanation())
                    .contains("The kernel killed container app (exit code 137 (OOMKilled) at 2024-05-01T10:29:10Z, 50s before "
                            + "the capture, after running 30s) for using more memory than its limit of 256Mi (request 128Mi).")
                    .contains("The previous revision allowed 512Mi: this rollout lowered the limit");
            assertThat(f.evidence()).extracting(Evidence::path).contains("status.containerStatuses[0].lastState.terminated",
                    "spec.template.spec.containers[0].resources", "spec.template.spec.containers[0].resources.limits.memory");
            assertThat(f.evidence()).extracting(Evidence::text).contains("limits.memory 256Mi, requests.memory 128Mi", "512Mi");
            assertThat(commands(f)).containsExactly(
                    "kubectl set resources deployment/web -c app --limits=memory=512Mi -n shop",
                    "kubectl top pod web-5d8f7c9b6-b7k2p -n shop --containers",
                    "kubectl rollout undo deployment/web -n shop");
        });
    }

    @Test
    void anUnchangedLimitMeansTheNewVersionNeedsMoreAndAboutTwiceIsSuggested() {
        String same = spec("shop/web:1.3", "{requests: {memory: 256Mi}, limits: {memory: 512Mi}}");

        assertThat(findings(rollout(OLD_SPEC, same, OOM, OOM))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("container app exceeds its 512Mi memory limit");
            assertThat(f.explanation()).contains("The previous revision had the same limit, so the new version uses more memory");
            assertThat(commands(f)).first().isEqualTo("kubectl set resources deployment/web -c app --limits=memory=1Gi -n shop");
        });
    }

    @Test
    void withoutAMemoryLimitTheNodeRanOutOfMemory() {
        String none = spec("shop/web:1.3", "{requests: {cpu: 100m}}");

        assertThat(findings(rollout(OLD_SPEC, none, OOM, OOM))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("container app was killed with no memory limit set (the node ran out of memory)");
            assertThat(f.explanation()).contains("It has no memory limit");
            assertThat(commands(f)).first().isEqualTo(
                    "kubectl set resources deployment/web -c app --requests=memory=<memory> --limits=memory=<memory> -n shop");
        });
    }

    @Test
    void aLimitSetByALimitRangeDefaultIsToldApart() {
        String template = spec("shop/web:1.3", "{}");
        // the pods carry the LimitRange default the admission plugin applied; the template has none
        String yaml = rollout(OLD_SPEC, template, OOM, OOM)
                .replace("  - name: app\n    image: shop/web:1.3\n    resources: {}",
                        "  - name: app\n    image: shop/web:1.3\n    resources: {limits: {memory: 128Mi}}");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).contains("exceeds its 128Mi memory limit");
            assertThat(f.explanation()).contains("this one is a LimitRange default of the namespace");
        });
    }

    @Test
    void otherExitsAreNotMemoryKills() {
        String error = lastRun("Error", 1, 4);

        assertThat(findings(rollout(OLD_SPEC, LOWERED, error, error))).isEmpty();
    }

    @Test
    void theOomKillExplainsTheCrashLoopOfTheSameWorkload() {
        var snapshot = DetectorHarness.of(new OomKilled()).yaml(rollout(OLD_SPEC, LOWERED, OOM, lastRun("Error", 1, 3)))
                .capturedAt(CAPTURED_AT).snapshot();

        var diagnosis = ContainerRollouts.diagnose(snapshot, new CrashLoop(), new OomKilled());

        List<RankedFinding> ranked = diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web")).orElseThrow().findings();
        RankedFinding oom = ranked.stream().filter(r -> r.finding().ruleId().equals("oom-killed")).findFirst().orElseThrow();
        RankedFinding crash = ranked.stream().filter(r -> r.finding().ruleId().equals("crash-loop")).findFirst().orElseThrow();
        assertThat(oom.rank()).isEqualTo(1);
        assertThat(oom.explains()).contains(crash.id());
        assertThat(crash.explainedBy()).contains(oom.id());
    }

    @Test
    void suggestionsAreAboutTwiceTheLimitRoundedToQuantitiesPeopleWrite() {
        assertThat(OomKilled.suggest(Quantity.parse("100Mi"))).isEqualTo("256Mi");
        assertThat(OomKilled.suggest(Quantity.parse("256Mi"))).isEqualTo("512Mi");
        assertThat(OomKilled.suggest(Quantity.parse("512Mi"))).isEqualTo("1Gi");
        assertThat(OomKilled.suggest(Quantity.parse("1536Mi"))).isEqualTo("3Gi");
        assertThat(OomKilled.suggest(Quantity.parse("1.2Gi"))).isEqualTo("2560Mi");
        assertThat(OomKilled.suggest(Quantity.parse("200M"))).isEqualTo("384Mi");
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.NEW_POD_A;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.event;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.rollout;
import static org.assertj.core.api.Assertions.assertThat;

class InitContainerFailedTest {

    static final String OLD_SPEC = "containers:\n- name: app\n  image: shop/web:1.2\n";

    /** Revision 2 adds two init containers: a schema migration, then a wait for the cache. */
    static final String NEW_SPEC = """
            initContainers:
            - name: migrate
              image: shop/migrate:1.3
              command: [/bin/migrate, up]
            - name: wait-cache
              image: busybox:1.36
              command: [sh, -c, "until nc -z cache 6379; do sleep 2; done"]
            containers:
            - name: app
              image: shop/web:1.3
            """;

    static String initializing(String migrate, String waitCache) {
        return """
                phase: Pending
                conditions:
                - type: Initialized
                  status: "False"
                  reason: ContainersNotInitialized
                  message: "containers with incomplete status: [migrate wait-cache]"
                  lastTransitionTime: "2024-05-01T10:00:02Z"
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]"}
                initContainerStatuses:
                - name: migrate
                  image: shop/migrate:1.3
                  ready: false
                %s
                - name: wait-cache
                  image: busybox:1.36
                  ready: false
                %s
                containerStatuses:
                - {name: app, image: shop/web:1.3, ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
                """.formatted(migrate.stripTrailing().indent(2).stripTrailing(), waitCache.stripTrailing().indent(2).stripTrailing());
    }

    static final String NOT_STARTED = "restartCount: 0\nstate: {waiting: {reason: PodInitializing}}\n";

    static final String MIGRATE_CRASH = """
            restartCount: 12
            state:
              waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container=migrate pod=web}
            lastState:
              terminated:
                exitCode: 1
                reason: Error
                message: "could not connect to postgres: dial tcp 10.96.14.2:5432: connect: connection refused"
                startedAt: "2024-05-01T10:26:00Z"
                finishedAt: "2024-05-01T10:26:31Z"
            """;

    static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new InitContainerFailed()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void aCrashLoopingInitContainerIsNamedWithItsExitMessageAndLog() {
        String status = initializing(MIGRATE_CRASH, NOT_STARTED);
        String yaml = rollout(OLD_SPEC, NEW_SPEC, status, status)
                + event(NEW_POD_A, "Warning", "BackOff", "Back-off restarting failed container migrate in pod web", 40,
                "2024-05-01T10:02:00Z", "2024-05-01T10:27:00Z");

        List<Finding> findings = DetectorHarness.of(new InitContainerFailed()).yaml(yaml).capturedAt(CAPTURED_AT)
                .log("shop", NEW_POD_A, "migrate", true, """
                        migrate: applying 0042_add_orders_index.sql
                        migrate: error: could not connect to postgres: connection refused
                        """)
                .findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("init-container-failed");
            assertThat(f.title()).isEqualTo("2 of 2 new pods of Deployment shop/web cannot initialize: init container migrate "
                    + "exits with code 1 (application error), restarted 12 times");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.explanation())
                    .contains("migrate (init container 1 of 2) does not complete, so the app containers (app) wait in PodInitializing")
                    .contains("Termination message: \"could not connect to postgres")
                    .contains("The message points at a dependency it cannot reach.");
            assertThat(f.evidence()).extracting(Evidence::path).contains("status.conditions[Initialized]",
                    "status.initContainerStatuses[0].state.waiting", "status.initContainerStatuses[0].lastState.terminated",
                    "logs/migrate (previous)");
            assertThat(f.evidence()).extracting(Evidence::text)
                    .contains("False ContainersNotInitialized: containers with incomplete status: [migrate wait-cache]",
                            "migrate: error: could not connect to postgres: connection refused");
            assertThat(commands(f)).containsExactly(
                    "kubectl logs " + NEW_POD_A + " -n shop -c migrate --previous",
                    "kubectl get endpoints -n shop",
                    "kubectl rollout undo deployment/web -n shop");
        });
    }

    @Test
    void anInitContainerWhoseCommandIsNotInTheImageCannotStart() {
        // the runtime's wording from troubleshoot's message-pod-init-crashloop-backoff.json
        String cannotStart = """
                restartCount: 1
                state:
                  waiting:
                    reason: RunContainerError
                    message: 'failed to start container "b201927f": Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "wge": executable file not found in $PATH: unknown'
                lastState:
                  terminated: {exitCode: 127, reason: ContainerCannotRun, message: 'exec: "wge": executable file not found in $PATH: unknown'}
                """;
        String status = initializing(cannotStart, NOT_STARTED);

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot initialize: init container migrate cannot start (command not found)");
            assertThat(f.explanation()).contains("The runtime cannot start it:").doesNotContain("dependency");
            assertThat(commands(f)).contains("kubectl get deployment/web -n shop -o "
                    + "jsonpath='{.spec.template.spec.initContainers[?(@.name==\"migrate\")].command}'");
        });
    }

    @Test
    void anInitContainerThatRunsForeverIsReportedAsStuckWithLowerConfidence() {
        String done = "restartCount: 0\nstate: {terminated: {exitCode: 0, reason: Completed, finishedAt: \"2024-05-01T10:00:10Z\"}}\n";
        String waiting = "restartCount: 0\nstate: {running: {startedAt: \"2024-05-01T10:00:11Z\"}}\n";
        String status = initializing(done, waiting);

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot initialize: init container wait-cache has run for 29m without completing");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("wait-cache (init container 2 of 2) has been running for 29m");
            assertThat(commands(f)).first().isEqualTo("kubectl logs " + NEW_POD_A + " -n shop -c wait-cache");
        });
    }

    @Test
    void aFailedInitContainerThatIsNotRestartedIsReported() {
        String failed = "restartCount: 0\nstate: {terminated: {exitCode: 2, reason: Error, finishedAt: \"2024-05-01T10:00:40Z\"}}\n";
        String status = initializing(failed, NOT_STARTED);

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status))).singleElement().satisfies(f ->
                assertThat(f.title()).endsWith("init container migrate exits with code 2 (usage error)"));
    }

    @Test
    void completedShortRunningMemoryKilledAndSidecarContainersAreNotReported() {
        String done = "restartCount: 0\nstate: {terminated: {exitCode: 0, reason: Completed}}\n";
        String justStarted = "restartCount: 0\nstate: {running: {startedAt: \"2024-05-01T10:27:00Z\"}}\n";
        String oom = "restartCount: 2\nstate: {waiting: {reason: CrashLoopBackOff}}\nlastState: {terminated: {exitCode: 137, reason: OOMKilled}}\n";
        String sidecarSpec = NEW_SPEC.replace("  image: busybox:1.36\n", "  image: busybox:1.36\n  restartPolicy: Always\n");
        String sidecarCrash = "restartCount: 4\nstate: {waiting: {reason: CrashLoopBackOff}}\nlastState: {terminated: {exitCode: 1, reason: Error}}\n";

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, initializing(done, justStarted), initializing(done, justStarted)))).isEmpty();
        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, initializing(oom, NOT_STARTED), initializing(oom, NOT_STARTED)))).isEmpty();
        assertThat(findings(rollout(OLD_SPEC, sidecarSpec, initializing(done, sidecarCrash), initializing(done, sidecarCrash)))).isEmpty();
    }

    @Test
    void theEngineRanksTheInitContainerFailureFirst() {
        String status = initializing(MIGRATE_CRASH, NOT_STARTED);
        var snapshot = DetectorHarness.of(new InitContainerFailed()).yaml(rollout(OLD_SPEC, NEW_SPEC, status, status))
                .capturedAt(CAPTURED_AT).snapshot();

        var diagnosis = ContainerRollouts.diagnose(snapshot, new InitContainerFailed());

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web"))).hasValueSatisfying(r ->
                assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("init-container-failed")));
    }
}

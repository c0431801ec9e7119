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

class CrashLoopTest {

    static final String OLD_SPEC = "containers:\n- name: app\n  image: shop/web:1.2\n";
    static final String NEW_SPEC = """
            containers:
            - name: app
              image: shop/web:1.3
              args: [--config=/etc/web/config.yaml]
              resources:
                requests: {cpu: 100m, memory: 128Mi}
                limits: {memory: 256Mi}
            """;

    /** A container in CrashLoopBackOff whose last run ended as given. */
    static String crashLooping(int restarts, String lastTerminated) {
        return """
                phase: Running
                conditions:
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]"}
                containerStatuses:
                - name: app
                  image: shop/web:1.3
                  ready: false
                  started: false
                  restartCount: %d
                  state:
                    waiting:
                      reason: CrashLoopBackOff
                      message: back-off 2m40s restarting failed container=app pod=web-5d8f7c9b6-b7k2p_shop(uid-web-5d8f7c9b6-b7k2p)
                  lastState:
                    terminated: %s
                """.formatted(restarts, lastTerminated);
    }

    static final String EXIT_1 = "{exitCode: 1, reason: Error, startedAt: \"2024-05-01T10:27:58Z\", finishedAt: \"2024-05-01T10:28:01Z\"}";

    static final String CRASH_LOG = """
            2024-05-01T10:27:58Z INFO starting shop-web 1.3
            2024-05-01T10:27:58Z INFO reading /etc/web/config.yaml
            2024-05-01T10:27:59Z INFO connecting to postgres at db.shop.svc:5432
            2024-05-01T10:28:00Z ERROR cannot load config: key "payments.url" is required
            2024-05-01T10:28:00Z INFO flushing metrics
            2024-05-01T10:28:01Z FATAL exiting: invalid configuration
            2024-05-01T10:28:01Z INFO bye
            """;

    static DetectorHarness harness(String yaml) {
        return DetectorHarness.of(new CrashLoop()).yaml(yaml).capturedAt(CAPTURED_AT);
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void aCrashLoopIsReportedWithExitCodeMeaningAndTheCrashedInstancesTellingLogLines() {
        String yaml = rollout(OLD_SPEC, NEW_SPEC, crashLooping(5, EXIT_1), crashLooping(4, EXIT_1))
                + event(NEW_POD_A, "Warning", "BackOff", "Back-off restarting failed container app in pod "
                + "web-5d8f7c9b6-b7k2p_shop(uid-web-5d8f7c9b6-b7k2p)", 30, "2024-05-01T10:01:00Z", "2024-05-01T10:28:05Z");

        List<Finding> findings = harness(yaml).log("shop", NEW_POD_A, "app", true, CRASH_LOG).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("crash-loop");
            assertThat(f.title()).isEqualTo("2 of 2 new pods of Deployment shop/web crash-loop: container app exits with "
                    + "code 1 (application error), restarted 5 times");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.explanation())
                    .contains("CrashLoopBackOff: back-off 2m40s")
                    .contains("Its last run ended with exit code 1 (Error) at 2024-05-01T10:28:01Z, 119s before the capture, "
                            + "after running 3s")
                    .contains("Exit code 1 is the program's own general error")
                    .contains("crashed instance's log (--previous)");
            assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.LOG).extracting(Evidence::text).containsExactly(
                    "2024-05-01T10:28:00Z ERROR cannot load config: key \"payments.url\" is required",
                    "2024-05-01T10:28:01Z FATAL exiting: invalid configuration",
                    "2024-05-01T10:28:01Z INFO bye");
            assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.LOG).first().satisfies(e -> {
                assertThat(e.path()).isEqualTo("logs/app (previous)");
                assertThat(e.source()).isEqualTo("cluster-resources/pods/logs/shop/" + NEW_POD_A + "/app-previous.log:4");
            });
            assertThat(f.evidence()).extracting(Evidence::path).contains("status.containerStatuses[0].lastState.terminated",
                    "status.containerStatuses[0].restartCount");
            assertThat(f.evidence()).extracting(Evidence::text).anySatisfy(t ->
                    assertThat(t).startsWith("Warning BackOff: Back-off restarting failed container app in pod"));
            assertThat(commands(f)).containsExactly(
                    "kubectl logs " + NEW_POD_A + " -n shop -c app --previous",
                    "kubectl rollout history deployment/web -n shop --revision=2",
                    "kubectl rollout undo deployment/web -n shop");
        });
    }

    @Test
    void withoutAPreviousLogTheCurrentOneIsUsedAndWithoutAnyTheExplanationSaysSo() {
        String yaml = rollout(OLD_SPEC, NEW_SPEC, crashLooping(5, EXIT_1), crashLooping(4, EXIT_1));

        Finding withCurrent = harness(yaml).log("shop", NEW_POD_A, "app", false, "panic: runtime error: nil map\ngoroutine 1 [running]:")
                .findings().get(0);
        Finding without = harness(yaml).findings().get(0);

        assertThat(withCurrent.evidence()).filteredOn(e -> e.type() == Evidence.Type.LOG).extracting(Evidence::path)
                .containsOnly("logs/app");
        assertThat(withCurrent.explanation()).contains("the current log");
        assertThat(without.explanation()).contains("The snapshot holds no log of the container");
    }

    @Test
    void aCommandThatIsNotInTheImagePointsAtTheTemplatesCommand() {
        // the runtime's wording from troubleshoot's message-pod-crashloop-backoff.json
        String cannotRun = "{exitCode: 127, reason: ContainerCannotRun, message: 'failed to create shim task: OCI runtime create "
                + "failed: runc create failed: unable to start container process: exec: \"wge\": executable file not found in "
                + "$PATH: unknown', startedAt: \"2024-05-01T10:28:00Z\", finishedAt: \"2024-05-01T10:28:00Z\"}";

        assertThat(harness(rollout(OLD_SPEC, NEW_SPEC, crashLooping(4, cannotRun), crashLooping(4, cannotRun))).findings())
                .singleElement().satisfies(f -> {
                    assertThat(f.title()).endsWith("container app exits with code 127 (command not found), restarted 4 times");
                    assertThat(f.explanation()).contains("The command to run is not in the image")
                            .contains("Termination message: \"failed to create shim task");
                    assertThat(commands(f)).contains("kubectl get deployment/web -n shop -o "
                            + "jsonpath='{.spec.template.spec.containers[?(@.name==\"app\")].command}'");
                });
    }

    @Test
    void livenessProbeKillsAreNamedAndLowerConfidence() {
        String killed = "{exitCode: 137, reason: Error, startedAt: \"2024-05-01T10:27:00Z\", finishedAt: \"2024-05-01T10:28:00Z\"}";
        String yaml = rollout(OLD_SPEC, NEW_SPEC, crashLooping(6, killed), crashLooping(6, killed))
                + event(NEW_POD_A, "Warning", "Unhealthy", "Liveness probe failed: Get \"http://10.1.2.3:8080/healthz\": "
                + "dial tcp 10.1.2.3:8080: connect: connection refused", 18, "2024-05-01T10:01:00Z", "2024-05-01T10:27:55Z")
                + event(NEW_POD_A, "Normal", "Killing", "Container app failed liveness probe, will be restarted", 6,
                "2024-05-01T10:01:30Z", "2024-05-01T10:27:58Z");

        assertThat(harness(yaml).findings()).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.title()).endsWith("exits with code 137 (killed (SIGKILL)), restarted 6 times");
            assertThat(f.explanation()).contains("Kubelet killed it 6 times after failed liveness or startup probes")
                    .contains("SIGKILL from outside");
            assertThat(f.evidence()).extracting(Evidence::text)
                    .anySatisfy(t -> assertThat(t).startsWith("Normal Killing: Container app failed liveness probe"));
            assertThat(f.remediation()).extracting(RemediationStep::text).anySatisfy(t -> assertThat(t).startsWith("Check the liveness probe"));
        });
    }

    @Test
    void aContainerThatExitsNormallyIsToldToKeepRunning() {
        String completed = "{exitCode: 0, reason: Completed, startedAt: \"2024-05-01T10:27:58Z\", finishedAt: \"2024-05-01T10:27:59Z\"}";
        String status = crashLooping(7, completed);

        assertThat(harness(rollout(OLD_SPEC, NEW_SPEC, status, status)).findings()).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("exits with code 0 (exited normally), restarted 7 times");
            assertThat(f.remediation()).extracting(RemediationStep::text)
                    .anySatisfy(t -> assertThat(t).contains("run one-shot work as a Job"));
        });
    }

    @Test
    void memoryKillsAndInitContainersAreLeftToTheirOwnRules() {
        String oom = "{exitCode: 137, reason: OOMKilled, startedAt: \"2024-05-01T10:27:00Z\", finishedAt: \"2024-05-01T10:28:00Z\"}";
        String initSpec = """
                initContainers:
                - {name: migrate, image: shop/migrate:1.3}
                containers:
                - {name: app, image: shop/web:1.3}
                """;
        String initCrash = """
                phase: Pending
                initContainerStatuses:
                - name: migrate
                  image: shop/migrate:1.3
                  ready: false
                  restartCount: 3
                  state: {waiting: {reason: CrashLoopBackOff, message: back-off 40s restarting failed container}}
                  lastState: {terminated: {exitCode: 1, reason: Error}}
                containerStatuses:
                - {name: app, image: shop/web:1.3, ready: false, restartCount: 0, state: {waiting: {reason: PodInitializing}}}
                """;

        assertThat(harness(rollout(OLD_SPEC, NEW_SPEC, crashLooping(3, oom), crashLooping(3, oom))).findings()).isEmpty();
        assertThat(harness(rollout(OLD_SPEC, initSpec, initCrash, initCrash)).findings()).isEmpty();
    }

    @Test
    void aHealthyRolloutAndARunningContainerThatRestartedOnceAreNotReported() {
        String running = """
                phase: Running
                containerStatuses:
                - name: app
                  image: shop/web:1.3
                  ready: true
                  restartCount: 1
                  state: {running: {startedAt: "2024-05-01T10:05:00Z"}}
                  lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2024-05-01T10:04:59Z"}}
                """;

        assertThat(harness(rollout(OLD_SPEC, NEW_SPEC, running, running)).findings()).isEmpty();
    }

    @Test
    void onlyTheNewPodsCountNotTheOldOnes() {
        String running = """
                phase: Running
                containerStatuses:
                - {name: app, image: shop/web:1.3, ready: false, restartCount: 0, state: {running: {startedAt: "2024-05-01T10:05:00Z"}}}
                """;
        String yaml = rollout(OLD_SPEC, NEW_SPEC, running, running)
                + event("web-7b9d5c6f4-m2n8d", "Warning", "BackOff", "Back-off restarting failed container app in pod x", 3,
                "2024-05-01T10:00:00Z", "2024-05-01T10:01:00Z");

        assertThat(harness(yaml).findings()).isEmpty();
    }

    @Test
    void aStatefulSetsUpdatedPodIsReportedToo() {
        String yaml = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop, uid: sts-db, generation: 2}
                spec:
                  replicas: 2
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  updateStrategy: {type: RollingUpdate}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: postgres, image: "postgres:17.1"}]
                status:
                  observedGeneration: 2
                  replicas: 2
                  readyReplicas: 1
                  currentReplicas: 1
                  updatedReplicas: 1
                  currentRevision: db-5c7b8d9f4
                  updateRevision: db-6d8f9c7b5
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: db-1
                  namespace: shop
                  uid: uid-db-1
                  labels: {app: db, controller-revision-hash: db-6d8f9c7b5}
                  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: sts-db, controller: true}]
                spec:
                  containers: [{name: postgres, image: "postgres:17.1"}]
                status:
                  phase: Running
                  containerStatuses:
                  - name: postgres
                    image: postgres:17.1
                    ready: false
                    restartCount: 6
                    state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container=postgres pod=db-1_shop(uid-db-1)}}
                    lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2024-05-01T10:26:00Z"}}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: db-0
                  namespace: shop
                  uid: uid-db-0
                  labels: {app: db, controller-revision-hash: db-5c7b8d9f4}
                  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: sts-db, controller: true}]
                spec:
                  containers: [{name: postgres, image: "postgres:16.4"}]
                status:
                  phase: Running
                  conditions: [{type: Ready, status: "True"}]
                  containerStatuses:
                  - {name: postgres, image: "postgres:16.4", ready: true, restartCount: 0, state: {running: {startedAt: "2024-04-01T00:00:00Z"}}}
                """;

        List<Finding> findings = harness(yaml).log("shop", "db-1", "postgres", true, """
                2024-05-01 10:26:00.101 UTC [1] FATAL:  database files are incompatible with server
                2024-05-01 10:26:00.101 UTC [1] DETAIL:  The data directory was initialized by PostgreSQL version 16, which is not compatible with this version 17.1.
                """).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("The new pod of StatefulSet shop/db crash-loops: container postgres exits with "
                    + "code 1 (application error), restarted 6 times");
            assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.LOG).hasSize(2);
            assertThat(commands(f)).containsExactly("kubectl logs db-1 -n shop -c postgres --previous",
                    "kubectl rollout undo statefulset/db -n shop");
        });
    }

    @Test
    void theLogLinesChosenAreTheNewestTellingOnesAndTheLastLine() {
        List<String> lines = List.of("starting", "ERROR one", "ok", "Exception two", "ok", "panic: three", "ok",
                "fatal four", "ok", "caused by: five", "last words");

        assertThat(ContainerLogTail.choose(lines)).containsExactly(3, 5, 7, 9, 10);
        assertThat(ContainerLogTail.choose(List.of("a", "b", "c", "d", "e", "f", ""))).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void theEngineRanksTheCrashLoopFirst() {
        String yaml = rollout(OLD_SPEC, NEW_SPEC, crashLooping(5, EXIT_1), crashLooping(4, EXIT_1));
        var diagnosis = ContainerRollouts.diagnose(harness(yaml).snapshot(), new CrashLoop());

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web"))).hasValueSatisfying(r ->
                assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("crash-loop")));
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessProbeFailingTest {

    /** Deployment shop/web mid-rollout: two old pods Ready, one new pod Running but not Ready (maxUnavailable 0). */
    static final String ROLLOUT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              uid: d-web
              generation: 2
              annotations: {deployment.kubernetes.io/revision: "2"}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: app
                    image: shop/web:1.4
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
            status:
              observedGeneration: 2
              replicas: 3
              updatedReplicas: 1
              readyReplicas: 2
              availableReplicas: 2
              unavailableReplicas: 1
              conditions:
              - {type: Available, status: "True", reason: MinimumReplicasAvailable, message: Deployment has minimum availability.,
                 lastUpdateTime: "2024-05-01T09:00:00Z", lastTransitionTime: "2024-05-01T09:00:00Z"}
              - {type: Progressing, status: "True", reason: ReplicaSetUpdated, message: ReplicaSet "web-6c9f7d8b5d" is progressing.,
                 lastUpdateTime: "2024-05-01T10:00:00Z", lastTransitionTime: "2024-05-01T10:00:00Z"}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-6c9f7d8b5d
              namespace: shop
              uid: rs-new
              annotations: {deployment.kubernetes.io/revision: "2"}
              labels: {app: web, pod-template-hash: 6c9f7d8b5d}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 1
              selector: {matchLabels: {app: web, pod-template-hash: 6c9f7d8b5d}}
              template:
                metadata: {labels: {app: web, pod-template-hash: 6c9f7d8b5d}}
                spec:
                  containers:
                  - name: app
                    image: shop/web:1.4
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
            status: {replicas: 1, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-7d4b9c6f5
              namespace: shop
              uid: rs-old
              annotations: {deployment.kubernetes.io/revision: "1"}
              labels: {app: web, pod-template-hash: 7d4b9c6f5}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 2
              selector: {matchLabels: {app: web, pod-template-hash: 7d4b9c6f5}}
              template:
                metadata: {labels: {app: web, pod-template-hash: 7d4b9c6f5}}
                spec:
                  containers:
                  - name: app
                    image: shop/web:1.3
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
            status: {replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-7d4b9c6f5-aaaaa
              namespace: shop
              uid: p-old-1
              labels: {app: web, pod-template-hash: 7d4b9c6f5}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c6f5, uid: rs-old, controller: true}]
            spec:
              nodeName: node-1
              containers:
              - name: app
                image: shop/web:1.3
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
            status:
              phase: Running
              conditions:
              - {type: Ready, status: "True", lastTransitionTime: "2024-04-30T08:00:20Z"}
              containerStatuses:
              - {name: app, image: shop/web:1.3, imageID: "docker.io/shop/web@sha256:1111", ready: true, started: true,
                 restartCount: 0, state: {running: {startedAt: "2024-04-30T08:00:05Z"}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-7d4b9c6f5-bbbbb
              namespace: shop
              uid: p-old-2
              labels: {app: web, pod-template-hash: 7d4b9c6f5}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c6f5, uid: rs-old, controller: true}]
            spec:
              nodeName: node-2
              containers:
              - name: app
                image: shop/web:1.3
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
            status:
              phase: Running
              conditions:
              - {type: Ready, status: "True", lastTransitionTime: "2024-04-30T08:00:25Z"}
              containerStatuses:
              - {name: app, image: shop/web:1.3, imageID: "docker.io/shop/web@sha256:1111", ready: true, started: true,
                 restartCount: 0, state: {running: {startedAt: "2024-04-30T08:00:06Z"}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-6c9f7d8b5d-x7k2p
              namespace: shop
              uid: p-new-1
              labels: {app: web, pod-template-hash: 6c9f7d8b5d}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6c9f7d8b5d, uid: rs-new, controller: true}]
            spec:
              nodeName: node-1
              containers:
              - name: app
                image: shop/web:1.4
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}
            status:
              phase: Running
              podIP: 10.244.1.17
              startTime: "2024-05-01T10:00:01Z"
              conditions:
              - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]",
                 lastTransitionTime: "2024-05-01T10:00:01Z"}
              containerStatuses:
              - {name: app, image: shop/web:1.4, imageID: "docker.io/shop/web@sha256:2222", ready: false, started: true,
                 restartCount: 0, state: {running: {startedAt: "2024-05-01T10:00:04Z"}}}
            """;

    static final String UNHEALTHY_503 = """
            apiVersion: v1
            kind: Event
            metadata: {name: web-6c9f7d8b5d-x7k2p.17c9a1, namespace: shop}
            involvedObject: {kind: Pod, namespace: shop, name: web-6c9f7d8b5d-x7k2p, uid: p-new-1, fieldPath: "spec.containers{app}"}
            reason: Unhealthy
            type: Warning
            message: "Readiness probe failed: HTTP probe failed with statuscode: 503"
            count: 238
            firstTimestamp: "2024-05-01T10:00:09Z"
            lastTimestamp: "2024-05-01T10:19:59Z"
            source: {component: kubelet, host: node-1}
            """;

    static final String CAPTURED = "2024-05-01T10:20:00Z";

    @Test
    void aNewPodWhoseReadinessProbeGets503IsReportedWithTheProbeAndWhatItGets() {
        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(ROLLOUT).yaml(UNHEALTHY_503).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("readiness-probe-failing");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("The new pod of Deployment shop/web is Running but not Ready: the readiness "
                    + "probe of container app (GET /healthz on port http (8080)) gets HTTP 503 Service Unavailable");
            assertThat(f.explanation())
                    .contains("every 5s, timeout 1s, initial delay 0s, 3 failures in a row")
                    .contains("has not been Ready since 2024-05-01T10:00:01Z (19m before the snapshot)")
                    .contains("kubelet reported 238 failed readiness probes")
                    .contains("reports itself unhealthy");
            assertThat(f.evidence()).extracting(Evidence::path).contains("status.conditions[Ready]",
                    "status.containerStatuses[0]", "spec.template.spec.containers[0].readinessProbe");
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.text()).isEqualTo(
                    "Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503 (x238 over 19m)"));
            assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                    Optional.of("kubectl port-forward pod/web-6c9f7d8b5d-x7k2p -n shop 8080:8080"),
                    Optional.of("kubectl logs web-6c9f7d8b5d-x7k2p -n shop -c app"),
                    Optional.of("kubectl rollout undo deployment/web -n shop"));
            assertThat(f.remediation().get(0).text()).contains("curl -i http://localhost:8080/healthz");
        });
    }

    @Test
    void aRefusedConnectionIsReadAsNothingListeningOnThePort() {
        String refused = UNHEALTHY_503.replace("HTTP probe failed with statuscode: 503",
                "Get \\\"http://10.244.1.17:8080/healthz\\\": dial tcp 10.244.1.17:8080: connect: connection refused");

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(ROLLOUT).yaml(refused).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("gets connection refused at 10.244.1.17:8080");
            assertThat(f.explanation()).contains("Nothing listens on that port inside the pod");
        });
    }

    @Test
    void anExecProbeIsReportedWithItsOutputAndTheCommandToRunIt() {
        String exec = ROLLOUT.replace("readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}",
                "readinessProbe: {exec: {command: [sh, -c, 'test -f /tmp/ready']}, periodSeconds: 5}");
        String event = UNHEALTHY_503.replace("HTTP probe failed with statuscode: 503", "cache not warm yet");

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(exec).yaml(event).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).contains("(exec `sh -c test -f /tmp/ready`) gets command output \"cache not warm yet\"");
            assertThat(f.remediation().get(0).command())
                    .hasValue("kubectl exec web-6c9f7d8b5d-x7k2p -n shop -c app -- sh -c 'test -f /tmp/ready'");
        });
    }

    @Test
    void withoutEventsAPodUnreadyPastTheProbesWindowIsStillReportedWithMediumConfidence() {
        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(ROLLOUT).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.title()).endsWith("has not passed for 19m");
            assertThat(f.explanation()).contains("The snapshot holds no events (they were not collected)");
        });
    }

    @Test
    void aPodThatIsStillWithinItsProbesFailureWindowIsNotReported() {
        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(ROLLOUT).capturedAt("2024-05-01T10:00:20Z").findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void aFewFailuresOfAPodThatIsStillStartingAreNotReported() {
        String starting = UNHEALTHY_503.replace("count: 238", "count: 2")
                .replace("lastTimestamp: \"2024-05-01T10:19:59Z\"", "lastTimestamp: \"2024-05-01T10:00:14Z\"");

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(ROLLOUT).yaml(starting).capturedAt("2024-05-01T10:00:15Z").findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void aNewPodThatBecameReadyIsNotReported() {
        String ready = ROLLOUT
                .replace("""
                        - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]",
                             lastTransitionTime: "2024-05-01T10:00:01Z"}""", """
                        - {type: Ready, status: "True", lastTransitionTime: "2024-05-01T10:00:15Z"}""")
                .replace("imageID: \"docker.io/shop/web@sha256:2222\", ready: false", "imageID: \"docker.io/shop/web@sha256:2222\", ready: true");

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(ready).yaml(UNHEALTHY_503).capturedAt(CAPTURED).findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void aCrashLoopingContainerIsLeftToTheCrashLoopRule() {
        String waiting = ROLLOUT.replace("state: {running: {startedAt: \"2024-05-01T10:00:04Z\"}}",
                "state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container}}");

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(waiting).yaml(UNHEALTHY_503).capturedAt(CAPTURED).findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void aFailingStartupProbeIsNamedAsTheProbeHoldingReadinessBack() {
        String startup = ROLLOUT
                .replaceAll("(?m)^( *)(readinessProbe: .*)$",
                        "$1$2\n$1startupProbe: {tcpSocket: {port: 8080}, periodSeconds: 10, failureThreshold: 30}")
                .replace("ready: false, started: true", "ready: false, started: false");
        String event = UNHEALTHY_503.replace("Readiness probe failed: HTTP probe failed with statuscode: 503",
                "Startup probe failed: dial tcp 10.244.1.17:8080: i/o timeout");

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(startup).yaml(event).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).contains("the startup probe of container app (TCP connect to port 8080) gets no answer "
                    + "in time at 10.244.1.17:8080 (i/o timeout)");
            assertThat(f.explanation()).contains("runs no readiness or liveness probe").contains("300s after start");
            assertThat(f.evidence()).extracting(Evidence::path).contains("spec.template.spec.containers[0].startupProbe");
        });
    }

    @Test
    void aCompleteRolloutWithOldUnhealthyEventsIsNotReported() {
        String complete = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop, uid: d-web, generation: 1, annotations: {deployment.kubernetes.io/revision: "1"}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: app, image: "shop/web:1.3", readinessProbe: {httpGet: {path: /healthz, port: 8080}}}
                status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}
                """;

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(complete).yaml(UNHEALTHY_503).capturedAt(CAPTURED).findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void aStatefulSetsUpdatedPodIsReportedToo() {
        String sts = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop, uid: sts-1, generation: 3}
                spec:
                  replicas: 2
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  updateStrategy: {type: RollingUpdate}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers:
                      - name: postgres
                        image: postgres:16.3
                        readinessProbe: {exec: {command: [pg_isready, -U, app]}, periodSeconds: 10}
                status:
                  observedGeneration: 3
                  replicas: 2
                  readyReplicas: 1
                  currentReplicas: 1
                  updatedReplicas: 1
                  currentRevision: db-5f6b7c8d9
                  updateRevision: db-7c8d9e0f1
                ---
                apiVersion: v1
                kind: PodList
                items:
                - metadata:
                    name: db-0
                    namespace: shop
                    labels: {app: db, controller-revision-hash: db-5f6b7c8d9}
                    ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: sts-1, controller: true}]
                  spec: {containers: [{name: postgres, image: postgres:16.2}]}
                  status:
                    phase: Running
                    conditions: [{type: Ready, status: "True"}]
                    containerStatuses: [{name: postgres, ready: true, restartCount: 0, state: {running: {startedAt: "2024-04-01T00:00:00Z"}}}]
                - metadata:
                    name: db-1
                    namespace: shop
                    labels: {app: db, controller-revision-hash: db-7c8d9e0f1}
                    ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: sts-1, controller: true}]
                  spec: {containers: [{name: postgres, image: postgres:16.3}]}
                  status:
                    phase: Running
                    conditions: [{type: Ready, status: "False", reason: ContainersNotReady, lastTransitionTime: "2024-05-01T10:00:00Z"}]
                    containerStatuses: [{name: postgres, ready: false, restartCount: 0, state: {running: {startedAt: "2024-05-01T10:00:03Z"}}}]
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: db-1.17c, namespace: shop}
                involvedObject: {kind: Pod, namespace: shop, name: db-1, fieldPath: "spec.containers{postgres}"}
                reason: Unhealthy
                type: Warning
                message: "Readiness probe failed: /var/run/postgresql:5432 - no response"
                count: 119
                firstTimestamp: "2024-05-01T10:00:13Z"
                lastTimestamp: "2024-05-01T10:19:53Z"
                """;

        List<Finding> findings = DetectorHarness.of(new ReadinessProbeFailing()).yaml(sts).capturedAt(CAPTURED).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("The new pod of StatefulSet shop/db is Running but not Ready: the readiness "
                    + "probe of container postgres (exec `pg_isready -U app`) gets command output "
                    + "\"/var/run/postgresql:5432 - no response\"");
            assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                    Optional.of("kubectl exec db-1 -n shop -c postgres -- pg_isready -U app"),
                    Optional.of("kubectl rollout undo statefulset/db -n shop"));
        });
    }

    @Test
    void theEngineRanksTheFailingProbeFirst() {
        var diagnosis = DetectorHarness.of(new ReadinessProbeFailing())
                .yaml(ROLLOUT).yaml(UNHEALTHY_503).capturedAt(CAPTURED).diagnose();

        assertThat(diagnosis.rollouts()).singleElement()
                .satisfies(r -> assertThat(r.rootCause()).hasValueSatisfying(f ->
                        assertThat(f.finding().ruleId()).isEqualTo("readiness-probe-failing")));
    }
}

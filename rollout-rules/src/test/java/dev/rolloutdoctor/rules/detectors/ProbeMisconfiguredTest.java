package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.Detector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeMisconfiguredTest {

    /**
     * Deployment shop/web rolling from revision 1 (shop/web:1.3) to 2 (shop/web:1.4). OLD_PROBES and NEW_PROBES stand
     * for the probe lines of each revision's container, NEW_STATUS for the new pod's container status, OLD_READY for
     * when the old pods became Ready (their container started at 08:00:05).
     */
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
                    NEW_PROBES
            status:
              observedGeneration: 2
              replicas: 3
              updatedReplicas: 1
              readyReplicas: 2
              availableReplicas: 2
              unavailableReplicas: 1
              conditions:
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
                    NEW_PROBES
            status: {replicas: 1, observedGeneration: 1}
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
                    OLD_PROBES
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
                OLD_PROBES
            status:
              phase: Running
              conditions:
              - {type: Ready, status: "True", lastTransitionTime: "OLD_READY"}
              containerStatuses:
              - {name: app, image: shop/web:1.3, imageID: "docker.io/shop/web@sha256:1111", ready: true, started: true,
                 restartCount: 0, state: {running: {startedAt: "2024-04-30T08:00:05Z"}}}
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
                NEW_PROBES
            status:
              phase: Running
              podIP: 10.244.1.17
              conditions:
              - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]",
                 lastTransitionTime: "2024-05-01T10:00:01Z"}
              containerStatuses:
              - NEW_STATUS
            """;

    static final String RUNNING_NOT_READY = "{name: app, image: shop/web:1.4, ready: false, started: true, restartCount: 0, "
            + "state: {running: {startedAt: \"2024-05-01T10:00:04Z\"}}}";

    static final String KILLED_THREE_TIMES = "{name: app, image: shop/web:1.4, ready: false, started: true, restartCount: 3, "
            + "state: {running: {startedAt: \"2024-05-01T10:01:40Z\"}}, "
            + "lastState: {terminated: {exitCode: 137, reason: Error, startedAt: \"2024-05-01T10:01:05Z\", finishedAt: \"2024-05-01T10:01:39Z\"}}}";

    static final String CAPTURED = "2024-05-01T10:20:00Z";

    static String rollout(String oldProbes, String newProbes, String newStatus, String oldReady) {
        String yaml = fill(ROLLOUT, "OLD_PROBES", oldProbes);
        yaml = fill(yaml, "NEW_PROBES", newProbes);
        return yaml.replace("NEW_STATUS", newStatus).replace("OLD_READY", oldReady);
    }

    /** Replaces a marker line with probe lines at the marker's indentation. */
    private static String fill(String yaml, String marker, String lines) {
        Matcher m = Pattern.compile("(?m)^( *)" + marker + "$").matcher(yaml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String indent = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(indent + lines.strip().replace("\n", "\n" + indent)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String unhealthy(String message, int count) {
        return """
                apiVersion: v1
                kind: Event
                metadata: {name: web-6c9f7d8b5d-x7k2p.%d, namespace: shop}
                involvedObject: {kind: Pod, namespace: shop, name: web-6c9f7d8b5d-x7k2p, uid: p-new-1, fieldPath: "spec.containers{app}"}
                reason: Unhealthy
                type: Warning
                message: '%s'
                count: %d
                firstTimestamp: "2024-05-01T10:00:09Z"
                lastTimestamp: "2024-05-01T10:19:59Z"
                source: {component: kubelet, host: node-1}
                """.formatted(Math.abs(message.hashCode()), message.replace("'", "''"), count);
    }

    static final String KILLING = """
            apiVersion: v1
            kind: Event
            metadata: {name: web-6c9f7d8b5d-x7k2p.kill, namespace: shop}
            involvedObject: {kind: Pod, namespace: shop, name: web-6c9f7d8b5d-x7k2p, uid: p-new-1, fieldPath: "spec.containers{app}"}
            reason: Killing
            type: Normal
            message: Container app failed liveness probe, will be restarted
            count: 3
            firstTimestamp: "2024-05-01T10:00:35Z"
            lastTimestamp: "2024-05-01T10:01:39Z"
            source: {component: kubelet, host: node-1}
            """;

    static final String READY_HTTP = "readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5}";

    private static List<Finding> find(String... yaml) {
        DetectorHarness h = DetectorHarness.of(new ProbeMisconfigured()).capturedAt(CAPTURED);
        for (String y : yaml) {
            h.yaml(y);
        }
        return h.findings();
    }

    @Test
    void aNamedPortTheContainerDoesNotDeclareIsReportedWithThePatchBackToThePreviousPort() {
        List<Finding> findings = find(
                rollout(READY_HTTP, READY_HTTP.replace("port: http", "port: http-alt"), RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Readiness probe errored: strconv.Atoi: parsing \"http-alt\": invalid syntax", 240));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("probe-misconfigured");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("readinessProbe of container app in Deployment shop/web names port "
                    + "\"http-alt\", which container app does not declare (it declares http=8080)");
            assertThat(f.explanation()).contains("the probe never passes")
                    .contains("changed in this revision (port http -> http-alt)");
            assertThat(f.evidence()).extracting(Evidence::path)
                    .contains("spec.template.spec.containers[0].readinessProbe");
            assertThat(f.remediation().get(0).text()).startsWith("Aim the probe at port http, as the previous revision did in container app");
            assertThat(f.remediation().get(0).command()).hasValue("kubectl patch deployment/web -n shop --type json -p "
                    + "'[{\"op\":\"test\",\"path\":\"/spec/template/spec/containers/0/name\",\"value\":\"app\"},{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/readinessProbe/httpGet/port\",\"value\":\"http\"}]'");
            assertThat(f.remediation()).extracting(RemediationStep::command)
                    .contains(Optional.of("kubectl rollout undo deployment/web -n shop"));
        });
    }

    @Test
    void aNumericPortOutsideTheDeclaredPortsWithRefusedConnectionsIsCertain() {
        List<Finding> findings = find(
                rollout(READY_HTTP, READY_HTTP.replace("port: http", "port: 8081"), RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Readiness probe failed: Get \"http://10.244.1.17:8081/healthz\": dial tcp 10.244.1.17:8081: "
                        + "connect: connection refused", 240));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).endsWith("aims at port 8081, which container app does not declare (it declares http=8080)");
            assertThat(f.explanation()).contains("kubelet's attempts on 8081 are refused: nothing listens there.");
        });
    }

    @Test
    void aNumericPortWithNoDeclaredPortsAndNoEventsIsOnlyLowConfidence() {
        String noPorts = rollout(READY_HTTP.replace("port: http", "port: 9000"),
                READY_HTTP.replace("port: http", "port: 9000"), RUNNING_NOT_READY, "2024-04-30T08:00:20Z")
                .replaceAll("(?m)^ *ports: \\[\\{name: http, containerPort: 8080}]\n", "");

        List<Finding> findings = find(noPorts);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.LOW);
            assertThat(f.title()).endsWith("aims at port 9000; container app declares no ports");
            assertThat(f.explanation()).contains("declaring them is optional")
                    .contains("The snapshot holds no probe events for the new pods");
        });
    }

    @Test
    void aPathAnswering404IsReportedWithThePatchBackToThePreviousPath() {
        List<Finding> findings = find(
                rollout(READY_HTTP.replace("/healthz", "/health"), READY_HTTP, RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Readiness probe failed: HTTP probe failed with statuscode: 404", 240));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("gets HTTP 404 Not Found for GET /healthz on port http (8080): the application "
                    + "does not serve that path");
            assertThat(f.explanation()).contains("The previous revision probed /health.");
            assertThat(f.evidence()).extracting(Evidence::path)
                    .contains("spec.template.spec.containers[0].readinessProbe");
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.object().toString())
                    .isEqualTo("ReplicaSet shop/web-7d4b9c6f5"));
            assertThat(f.remediation().get(0).command()).hasValue("kubectl patch deployment/web -n shop --type json -p "
                    + "'[{\"op\":\"test\",\"path\":\"/spec/template/spec/containers/0/name\",\"value\":\"app\"},{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/readinessProbe/httpGet/path\",\"value\":\"/health\"}]'");
        });
    }

    @Test
    void aPathAskingForCredentialsIsReported() {
        List<Finding> findings = find(
                rollout(READY_HTTP, READY_HTTP.replace("/healthz", "/admin/health"), RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Readiness probe failed: HTTP probe failed with statuscode: 401", 240));

        assertThat(findings).singleElement().satisfies(f ->
                assertThat(f.title()).endsWith("gets HTTP 401 Unauthorized for GET /admin/health on port http (8080): the "
                        + "path requires credentials kubelet does not send"));
    }

    @Test
    void theWrongSchemeIsReadFromTheTransportError() {
        String https = "readinessProbe: {httpGet: {path: /healthz, port: http, scheme: HTTPS}, periodSeconds: 5}";
        List<Finding> findings = find(
                rollout(https, https, RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Readiness probe failed: Get \"https://10.244.1.17:8080/healthz\": http: server gave HTTP "
                        + "response to HTTPS client", 240));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("uses scheme HTTPS, but the server on port http (8080) speaks plain HTTP");
            assertThat(f.remediation().get(0).command()).hasValueSatisfying(c ->
                    assertThat(c).contains("\"path\":\"/spec/template/spec/containers/0/readinessProbe/httpGet/scheme\",\"value\":\"HTTP\""));
        });
    }

    @Test
    void aLivenessProbeThatKillsTheAppBeforeItCanStartIsComparedWithThePreviousRevisionsStart() {
        String oldLive = "livenessProbe: {httpGet: {path: /healthz, port: http}, initialDelaySeconds: 90}";
        String newLive = "livenessProbe: {httpGet: {path: /healthz, port: http}}";
        List<Finding> findings = find(
                rollout(oldLive, newLive, KILLED_THREE_TIMES, "2024-04-30T08:01:20Z"),
                unhealthy("Liveness probe failed: Get \"http://10.244.1.17:8080/healthz\": dial tcp 10.244.1.17:8080: "
                        + "connect: connection refused", 9),
                KILLING);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("livenessProbe of container app in Deployment shop/web restarts container app "
                    + "30s after it starts (0s delay + 3 x 10s), before it is ever Ready; the previous revision's pods needed 75s");
            assertThat(f.explanation())
                    .contains("pod web-7d4b9c6f5-aaaaa of the previous revision took 75s from start to Ready")
                    .contains("initialDelaySeconds is 0 and there is no startupProbe")
                    .contains("changed in this revision (initialDelaySeconds 90 -> 0)");
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.text())
                    .isEqualTo("Normal Killing: Container app failed liveness probe, will be restarted (x3 over 64s)"));
            assertThat(f.remediation().get(0).text()).startsWith("Add a startupProbe with the same check that allows "
                    + "twice the observed 75s to start");
            assertThat(f.remediation().get(0).command()).hasValue("kubectl patch deployment/web -n shop --type json -p "
                    + "'[{\"op\":\"test\",\"path\":\"/spec/template/spec/containers/0/name\",\"value\":\"app\"},{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/startupProbe\",\"value\":"
                    + "{\"httpGet\":{\"path\":\"/healthz\",\"port\":\"http\",\"scheme\":\"HTTP\"},\"initialDelaySeconds\":0,"
                    + "\"periodSeconds\":10,\"timeoutSeconds\":1,\"successThreshold\":1,\"failureThreshold\":15}}]'");
        });
    }

    @Test
    void aLivenessProbeCopiedFromReadinessIsCalledOut() {
        String probes = READY_HTTP.replace("periodSeconds: 5", "periodSeconds: 10")
                + "\nlivenessProbe: {httpGet: {path: /healthz, port: http}}";
        List<Finding> findings = find(
                rollout(probes, probes, KILLED_THREE_TIMES, "2024-04-30T08:01:20Z"),
                KILLING);

        assertThat(findings).singleElement().satisfies(f ->
                assertThat(f.explanation()).contains("Its readiness probe asks the same thing"));
    }

    @Test
    void aLivenessProbeOnAMissingNamedPortIsOnlyAWarningBecauseItNeverActs() {
        String live = "livenessProbe: {tcpSocket: {port: admin}}";
        List<Finding> findings = find(
                rollout(live, live, RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing \"admin\": invalid syntax", 120));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.explanation()).contains("does not hold the rollout back by itself");
        });
    }

    @Test
    void aTimeoutThatIsNotShorterThanThePeriodIsReportedWhenTheProbeTimesOut() {
        String slow = "readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 5, timeoutSeconds: 5}";
        List<Finding> findings = find(
                rollout(slow, slow, RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Readiness probe failed: Get \"http://10.244.1.17:8080/healthz\": context deadline exceeded "
                        + "(Client.Timeout exceeded while awaiting headers)", 200));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.title()).endsWith("waits up to timeoutSeconds=5 for an answer, no less than its periodSeconds=5");
            assertThat(f.remediation().get(0).command()).hasValueSatisfying(c -> assertThat(c)
                    .contains("\"path\":\"/spec/template/spec/containers/0/readinessProbe/periodSeconds\",\"value\":10"));
        });
    }

    @Test
    void anUnchangedWellAimedProbeThatGets503IsTheApplicationsProblemNotTheProbes() {
        List<Finding> findings = find(
                rollout(READY_HTTP, READY_HTTP, RUNNING_NOT_READY, "2024-04-30T08:00:20Z"),
                unhealthy("Readiness probe failed: HTTP probe failed with statuscode: 503", 240));

        assertThat(findings).isEmpty();
    }

    @Test
    void aChangedProbeThatFailsOnlyWhileTheAppStartsIsNotReported() {
        String starting = unhealthy("Readiness probe failed: Get \"http://10.244.1.17:8080/healthz\": dial tcp "
                + "10.244.1.17:8080: connect: connection refused", 2)
                .replace("lastTimestamp: \"2024-05-01T10:19:59Z\"", "lastTimestamp: \"2024-05-01T10:00:14Z\"");

        List<Finding> findings = DetectorHarness.of(new ProbeMisconfigured()).capturedAt("2024-05-01T10:00:15Z")
                .yaml(rollout(READY_HTTP, READY_HTTP.replace("periodSeconds: 5", "periodSeconds: 3"), RUNNING_NOT_READY,
                        "2024-04-30T08:00:20Z"))
                .yaml(starting).findings();

        assertThat(findings).isEmpty();
    }

    @Test
    void aMisaimedProbeThatIsNotFailingIsNotReported() {
        String ready = rollout(READY_HTTP, READY_HTTP.replace("port: http", "port: 8081"),
                RUNNING_NOT_READY.replace("ready: false", "ready: true"), "2024-04-30T08:00:20Z")
                .replace("{type: Ready, status: \"False\", reason: ContainersNotReady, message: \"containers with unready status: [app]\",",
                        "{type: Ready, status: \"True\",");

        assertThat(find(ready)).isEmpty();
    }

    @Test
    void theMisconfiguredProbeOutranksTheFailingReadinessItExplains() {
        DetectorHarness h = DetectorHarness.of(new ProbeMisconfigured()).capturedAt(CAPTURED)
                .yaml(rollout(READY_HTTP.replace("/healthz", "/health"), READY_HTTP, RUNNING_NOT_READY, "2024-04-30T08:00:20Z"))
                .yaml(unhealthy("Readiness probe failed: HTTP probe failed with statuscode: 404", 240));

        Diagnosis diagnosis = engineWith(new ProbeMisconfigured(), new ReadinessProbeFailing()).diagnose(h.snapshot());

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.findings()).extracting(rf -> rf.finding().ruleId())
                    .startsWith("probe-misconfigured").contains("readiness-probe-failing");
            RankedFinding root = r.rootCause().orElseThrow();
            assertThat(root.finding().ruleId()).isEqualTo("probe-misconfigured");
            assertThat(root.explains()).isNotEmpty();
        });
    }

    /** The built-in engine plus these detectors, whichever of them are not built in yet. */
    static RuleEngine engineWith(Detector... detectors) {
        DetectorRegistry registry = DetectorRegistry.builtIn();
        List<Detector> missing = new ArrayList<>();
        for (Detector d : detectors) {
            if (registry.rule(dev.rolloutdoctor.rules.RuleInfo.of(d.getClass()).id()).isEmpty()) {
                missing.add(d);
            }
        }
        return RuleEngine.of(registry.with(missing));
    }
}

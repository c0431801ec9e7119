package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MutableImageTagTest {

    /** A finished rollout of shop/web:latest whose three pods pulled at different times and run two builds. */
    static final String LATEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, uid: d-web, generation: 1, annotations: {deployment.kubernetes.io/revision: "1"}}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: app, image: "shop/web:latest"}
            status: {observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-5f7c9d8b4
              namespace: shop
              uid: rs-1
              annotations: {deployment.kubernetes.io/revision: "1"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 3
              selector: {matchLabels: {app: web, pod-template-hash: 5f7c9d8b4}}
              template:
                metadata: {labels: {app: web, pod-template-hash: 5f7c9d8b4}}
                spec:
                  containers:
                  - {name: app, image: "shop/web:latest"}
            status: {replicas: 3, readyReplicas: 3, availableReplicas: 3}
            ---
            apiVersion: v1
            kind: PodList
            items:
            - metadata:
                name: web-5f7c9d8b4-aaaaa
                namespace: shop
                labels: {app: web, pod-template-hash: 5f7c9d8b4}
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5f7c9d8b4, uid: rs-1, controller: true}]
              spec: {containers: [{name: app, image: "shop/web:latest", imagePullPolicy: Always}]}
              status:
                phase: Running
                conditions: [{type: Ready, status: "True"}]
                containerStatuses:
                - {name: app, image: "docker.io/shop/web:latest", imageID: "docker.io/shop/web@sha256:aaaa1111", ready: true,
                   restartCount: 0, state: {running: {startedAt: "2024-05-01T08:00:00Z"}}}
            - metadata:
                name: web-5f7c9d8b4-bbbbb
                namespace: shop
                labels: {app: web, pod-template-hash: 5f7c9d8b4}
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5f7c9d8b4, uid: rs-1, controller: true}]
              spec: {containers: [{name: app, image: "shop/web:latest", imagePullPolicy: Always}]}
              status:
                phase: Running
                conditions: [{type: Ready, status: "True"}]
                containerStatuses:
                - {name: app, image: "docker.io/shop/web:latest", imageID: "docker.io/shop/web@sha256:aaaa1111", ready: true,
                   restartCount: 0, state: {running: {startedAt: "2024-05-01T08:00:00Z"}}}
            - metadata:
                name: web-5f7c9d8b4-ccccc
                namespace: shop
                labels: {app: web, pod-template-hash: 5f7c9d8b4}
                ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5f7c9d8b4, uid: rs-1, controller: true}]
              spec: {containers: [{name: app, image: "shop/web:latest", imagePullPolicy: Always}]}
              status:
                phase: Running
                conditions: [{type: Ready, status: "True"}]
                containerStatuses:
                - {name: app, image: "docker.io/shop/web:latest", imageID: "docker.io/shop/web@sha256:bbbb2222", ready: true,
                   restartCount: 0, state: {running: {startedAt: "2024-05-02T09:00:00Z"}}}
            """;

    @Test
    void aLatestTagIsReportedWithTheBuildsThePodsRunAndTheDigestToPin() {
        List<Finding> findings = DetectorHarness.of(new MutableImageTag()).yaml(LATEST).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("mutable-image-tag");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.title()).isEqualTo("Deployment shop/web runs container app from the mutable image shop/web:latest");
            assertThat(f.explanation())
                    .contains("kubectl rollout undo brings back the template but not the old image")
                    .contains("imagePullPolicy Always (the default for :latest)")
                    .contains("The pods already run 2 different images for container app: sha256:aaaa1111 (2 pods), "
                            + "sha256:bbbb2222 (1 pod).");
            assertThat(f.evidence()).extracting(Evidence::path).containsExactly(
                    "spec.template.spec.containers[0].image",
                    "status.containerStatuses[0].imageID",
                    "status.containerStatuses[0].imageID");
            assertThat(f.remediation().get(0).command())
                    .hasValue("kubectl set image deployment/web app=shop/web@sha256:aaaa1111 -n shop");
        });
    }

    @Test
    void anImageWithoutTagIsReadAsLatestEvenBehindARegistryPort() {
        String untagged = LATEST.replace("image: \"shop/web:latest\"}", "image: \"registry.local:5000/shop/web\"}");

        List<Finding> findings = DetectorHarness.of(new MutableImageTag()).yaml(untagged).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Deployment shop/web runs container app from the mutable image "
                    + "registry.local:5000/shop/web, no tag: :latest");
            assertThat(f.remediation().get(0).command())
                    .hasValue("kubectl set image deployment/web app=registry.local:5000/shop/web@sha256:aaaa1111 -n shop");
        });
    }

    @Test
    void aVersionTagOrADigestIsNotReported() {
        assertThat(DetectorHarness.of(new MutableImageTag()).yaml(LATEST.replace("shop/web:latest\"}", "shop/web:1.4\"}")).findings())
                .isEmpty();
        assertThat(DetectorHarness.of(new MutableImageTag())
                .yaml(LATEST.replace("shop/web:latest\"}", "shop/web:latest@sha256:aaaa1111\"}")).findings())
                .isEmpty();
    }

    @Test
    void everyMutableContainerOfAWorkloadIsListedInOneFinding() {
        String daemonSet = """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: log-agent, namespace: ops, uid: ds-1, generation: 1}
                spec:
                  selector: {matchLabels: {app: log-agent}}
                  template:
                    metadata: {labels: {app: log-agent}}
                    spec:
                      initContainers:
                      - {name: setup, image: "busybox"}
                      containers:
                      - {name: agent, image: "fluent/fluent-bit:2.2"}
                      - {name: shipper, image: "ops/shipper:latest", imagePullPolicy: IfNotPresent}
                status: {desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, updatedNumberScheduled: 0, observedGeneration: 1}
                """;

        List<Finding> findings = DetectorHarness.of(new MutableImageTag()).yaml(daemonSet).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("DaemonSet ops/log-agent runs 2 containers from mutable image tags: "
                    + "setup (busybox, no tag: :latest), shipper (ops/shipper:latest)");
            assertThat(f.explanation()).contains("imagePullPolicy IfNotPresent, so each node keeps the build it pulled first");
            assertThat(f.evidence()).extracting(Evidence::path).containsExactly(
                    "spec.template.spec.initContainers[0].image", "spec.template.spec.containers[1].image");
            assertThat(f.remediation()).extracting(RemediationStep::command).doesNotContain(Optional.of(""));
            assertThat(f.remediation().get(0).text()).startsWith("Pin setup, shipper to a version tag or a digest in the manifest")
                    .contains("kubectl set image daemonset/log-agent setup=busybox:<version> -n ops");
        });
    }

    @Test
    void aLocalImageIdIsNoDigestToPinTo() {
        String local = LATEST.replace("imageID: \"docker.io/shop/web@sha256:aaaa1111\"", "imageID: \"sha256:9c1f00\"")
                .replace("imageID: \"docker.io/shop/web@sha256:bbbb2222\"", "imageID: \"sha256:9c1f00\"");

        List<Finding> findings = DetectorHarness.of(new MutableImageTag()).yaml(local).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.remediation().get(0).text()).startsWith("Pin app to a version tag or a digest (e.g. app=shop/web:<version>)");
            assertThat(f.remediation().get(0).command()).hasValue("kubectl get pod web-5f7c9d8b4-aaaaa -n shop -o jsonpath="
                    + "'{range .status.containerStatuses[*]}{.name}{\"\\t\"}{.imageID}{\"\\n\"}{end}'");
        });
    }

    @Test
    void onAStuckRolloutTheTagIsContextRankedAfterTheCause() {
        String latestRollout = ReadinessProbeFailingTest.ROLLOUT.replace("shop/web:1.4", "shop/web:latest");
        DetectorHarness h = DetectorHarness.of(new MutableImageTag()).capturedAt(ReadinessProbeFailingTest.CAPTURED)
                .yaml(latestRollout).yaml(ReadinessProbeFailingTest.UNHEALTHY_503);

        Diagnosis diagnosis = ProbeMisconfiguredTest.engineWith(new MutableImageTag(), new ReadinessProbeFailing())
                .diagnose(h.snapshot());

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("readiness-probe-failing"));
            // context comes after every cause and symptom; among context findings the warning before the info
            assertThat(r.findings()).extracting(f -> f.finding().ruleId()).endsWith("mutable-image-tag", "template-changed");
        });
    }
}

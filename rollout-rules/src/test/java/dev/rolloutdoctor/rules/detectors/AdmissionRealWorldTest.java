package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.rules.messages.AdmissionMessage;
import dev.rolloutdoctor.rules.messages.QuotaMessage;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The admission rules on real captures from the team's shared corpus (../shared, absent from a user's clone: the tests
 * then skip): Wikimedia Toolforge's quota refusals, and sonobuoy archives with a missing-ServiceAccount refusal (1.8
 * wording) and real ResourceQuota objects. Where a capture holds the events but its workloads had recovered by capture
 * time, the workloads are written inline as they were when the events happened.
 */
class AdmissionRealWorldTest {

    static final Path SHARED = Path.of("..", "..", "shared").toAbsolutePath().normalize();
    static final Path TOOLFORGE = SHARED.resolve("realworld/DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures");
    static final Path SONOBUOY = SHARED.resolve("realworld/vmware-tanzu__sonobuoy");
    static final Path RESULTS_010 = SONOBUOY.resolve("pkg/client/results/testdata/results-0.10.tar.gz");
    static final Path KUBE_SYSTEM_EVENTS = SONOBUOY.resolve("_extracted/results-0.10.tar.gz/resources/ns/kube-system/Events.json");
    static final Path QUOTAS = SONOBUOY.resolve(
            "_extracted/results-4-e2e-failures.tar.gz/resources/ns/resourcequota-9871/core_v1_resourcequotas.json");

    static final List<String> RULES = List.of("admission-rejected", "quota-exceeded", "rolling-update-deadlock");

    static final RuleEngine ENGINE = RuleEngine.of(DetectorRegistry.builtIn());

    /** calico-kube-controllers and calico-node as they were at 16:59:37, before their ServiceAccounts existed. */
    static final String CALICO_BEFORE_ITS_ACCOUNTS = """
            apiVersion: extensions/v1beta1
            kind: Deployment
            metadata: {name: calico-kube-controllers, namespace: kube-system, uid: 002ff5b9-e027-11e7-8132-0254a9767590,
                       generation: 1, annotations: {deployment.kubernetes.io/revision: "1"}}
            spec:
              replicas: 1
              strategy: {type: Recreate}
              selector: {matchLabels: {k8s-app: calico-kube-controllers}}
              template:
                metadata: {labels: {k8s-app: calico-kube-controllers}}
                spec:
                  serviceAccountName: calico-kube-controllers
                  hostNetwork: true
                  containers: [{name: calico-kube-controllers, image: "quay.io/calico/kube-controllers:v1.0.0"}]
            status: {observedGeneration: 1, unavailableReplicas: 1}
            ---
            apiVersion: extensions/v1beta1
            kind: ReplicaSet
            metadata:
              name: calico-kube-controllers-6ff88bf6d4
              namespace: kube-system
              uid: 0033099b-e027-11e7-8132-0254a9767590
              creationTimestamp: "2017-12-13T16:59:36Z"
              labels: {k8s-app: calico-kube-controllers, pod-template-hash: "2994469280"}
              annotations: {deployment.kubernetes.io/revision: "1"}
              ownerReferences:
              - {apiVersion: extensions/v1beta1, kind: Deployment, name: calico-kube-controllers,
                 uid: 002ff5b9-e027-11e7-8132-0254a9767590, controller: true}
            spec:
              replicas: 1
              selector: {matchLabels: {k8s-app: calico-kube-controllers, pod-template-hash: "2994469280"}}
              template:
                metadata: {labels: {k8s-app: calico-kube-controllers, pod-template-hash: "2994469280"}}
                spec:
                  serviceAccountName: calico-kube-controllers
                  hostNetwork: true
                  containers: [{name: calico-kube-controllers, image: "quay.io/calico/kube-controllers:v1.0.0"}]
            status: {replicas: 0, observedGeneration: 1}
            ---
            apiVersion: extensions/v1beta1
            kind: DaemonSet
            metadata: {name: calico-node, namespace: kube-system, generation: 1}
            spec:
              selector: {matchLabels: {k8s-app: calico-node}}
              template:
                metadata: {labels: {k8s-app: calico-node}}
                spec:
                  serviceAccountName: calico-cni-plugin
                  hostNetwork: true
                  containers: [{name: calico-node, image: "quay.io/calico/node:v2.6.2"}]
            status: {observedGeneration: 1, desiredNumberScheduled: 3, currentNumberScheduled: 0, numberUnavailable: 3}
            """;

    /** A Deployment of the sonobuoy e2e quota namespace whose pods the NotTerminating quota refuses. */
    static final String E2E_QUOTA_DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: busy, namespace: resourcequota-9871, uid: d-busy, generation: 1}
            spec:
              replicas: 1
              selector: {matchLabels: {app: busy}}
              template:
                metadata: {labels: {app: busy}}
                spec:
                  containers:
                  - name: busy
                    image: busybox
                    resources: {requests: {cpu: "2", memory: 100Mi}, limits: {cpu: "3", memory: 100Mi}}
            status: {observedGeneration: 1, unavailableReplicas: 1}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: busy-6c9f7d5b8
              namespace: resourcequota-9871
              uid: rs-busy
              labels: {app: busy, pod-template-hash: "6c9f7d5b8"}
              annotations: {deployment.kubernetes.io/revision: "1"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: busy, uid: d-busy, controller: true}]
            spec:
              replicas: 1
              selector: {matchLabels: {app: busy, pod-template-hash: "6c9f7d5b8"}}
              template:
                metadata: {labels: {app: busy, pod-template-hash: "6c9f7d5b8"}}
                spec:
                  containers:
                  - name: busy
                    image: busybox
                    resources: {requests: {cpu: "2", memory: 100Mi}, limits: {cpu: "3", memory: 100Mi}}
            status: {replicas: 0}
            ---
            apiVersion: v1
            kind: Event
            metadata: {name: busy-6c9f7d5b8.169c1, namespace: resourcequota-9871}
            involvedObject: {apiVersion: apps/v1, kind: ReplicaSet, name: busy-6c9f7d5b8, namespace: resourcequota-9871, uid: rs-busy}
            reason: FailedCreate
            type: Warning
            message: 'Error creating: pods "busy-6c9f7d5b8-" is forbidden: exceeded quota: quota-not-terminating, requested: limits.cpu=3,requests.cpu=2, used: limits.cpu=0,requests.cpu=0, limited: limits.cpu=2,requests.cpu=1'
            count: 4
            firstTimestamp: "2021-08-17T17:40:00Z"
            lastTimestamp: "2021-08-17T17:43:00Z"
            source: {component: replicaset-controller}
            """;

    static Snapshot load(List<Path> files, String inlineYaml, Optional<String> capturedAt) {
        List<SnapshotLoader.Input> inputs = new ArrayList<>();
        files.forEach(f -> inputs.add(SnapshotLoader.Input.of(f)));
        if (!inlineYaml.isEmpty()) {
            inputs.add(SnapshotLoader.Input.of("inline.yaml", new ByteArrayInputStream(inlineYaml.getBytes(StandardCharsets.UTF_8))));
        }
        SnapshotLoader loader = SnapshotLoader.create();
        return capturedAt.map(t -> loader.withCapturedAt(Instant.parse(t))).orElse(loader).loadInputs(inputs);
    }

    /** The findings of the admission rules, among everything the built-in engine finds. */
    static List<Finding> findings(Diagnosis d) {
        return d.rollouts().stream().map(RolloutDiagnosis::findings).flatMap(List::stream).map(RankedFinding::finding)
                .filter(f -> RULES.contains(f.ruleId())).toList();
    }

    @Test
    void toolforgesReplicaFailureConditionIsReadAsAnExceededQuota() {
        assumeTrue(Files.isDirectory(TOOLFORGE), "the shared real-world corpus is absent");
        Snapshot s = load(List.of(TOOLFORGE.resolve("deployments/deployment_pending_scheduling.json"),
                TOOLFORGE.resolve("events/failed_to_create_pod_exceeded_quota_event.json"),
                TOOLFORGE.resolve("quotas/resourcequota.json"), TOOLFORGE.resolve("errors/quota.json")), "", Optional.empty());

        assertThat(findings(ENGINE.diagnose(s))).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("quota-exceeded");
            assertThat(f.workload().toString()).isEqualTo("Deployment default/test-scheduling");
            assertThat(f.title()).isEqualTo("ResourceQuota cpu-quota-example refuses the new pods of Deployment "
                    + "default/test-scheduling: limits.cpu has 2 of 2 left, each pod needs 999; requests.cpu has 1 of 1 left, "
                    + "each pod needs 999");
            assertThat(f.explanation())
                    .contains("Deployment default/test-scheduling reports ReplicaFailure=True FailedCreate")
                    .contains("The snapshot holds no usage of ResourceQuota default/cpu-quota-example")
                    .contains("Each pod alone asks for more than the quota allows the whole namespace");
            assertThat(f.remediation().get(0).command()).hasValue("kubectl set resources deployment/test-scheduling "
                    + "-n default -c test-scheduling --limits=cpu=2 --requests=cpu=1");
        });
    }

    @Test
    void toolforgesJobEventAndApiStatusCarryTheSameQuotaWording() {
        assumeTrue(Files.isDirectory(TOOLFORGE), "the shared real-world corpus is absent");
        Snapshot s = load(List.of(TOOLFORGE.resolve("events/failed_to_create_pod_exceeded_quota_event.json")), "", Optional.empty());
        Event e = s.objects(Event.class).get(0);

        QuotaMessage m = QuotaMessage.parse(e.message()).orElseThrow();
        assertThat(m.object()).isEqualTo("test-scheduling-29342615-p2wqh");
        assertThat(m.exceeded()).extracting(QuotaMessage.Resource::toString).containsExactly("limits.cpu=999", "requests.cpu=999");
        assertThat(findings(ENGINE.diagnose(s))).isEmpty();
    }

    @Test
    void sonobuoysCalicoRecoveredBeforeCaptureSoNothingIsReported() {
        assumeTrue(Files.isRegularFile(RESULTS_010), "the shared real-world corpus is absent");

        assertThat(findings(ENGINE.diagnose(load(List.of(RESULTS_010), "", Optional.empty())))).isEmpty();
    }

    @Test
    void sonobuoysMissingServiceAccountsAreReportedForBothWorkloadsInTheOldWording() {
        assumeTrue(Files.isRegularFile(KUBE_SYSTEM_EVENTS), "the shared real-world corpus is absent");
        Snapshot s = load(List.of(KUBE_SYSTEM_EVENTS), CALICO_BEFORE_ITS_ACCOUNTS, Optional.of("2017-12-13T16:59:40Z"));

        List<Finding> found = findings(ENGINE.diagnose(s));
        assertThat(found).extracting(Finding::title).containsExactly(
                "ServiceAccount kube-system/calico-cni-plugin does not exist, so the pods of DaemonSet "
                        + "kube-system/calico-node are refused",
                "ServiceAccount kube-system/calico-kube-controllers does not exist, so the new pods of Deployment "
                        + "kube-system/calico-kube-controllers are refused");
        assertThat(found.get(1).explanation()).contains("ServiceAccounts were not collected");
        assertThat(found.get(1).evidence()).anySatisfy(ev -> assertThat(ev.text()).startsWith("Warning FailedCreate: Error "
                + "creating: pods \"calico-kube-controllers-6ff88bf6d4-\" is forbidden: service account "
                + "kube-system/calico-kube-controllers was not found").endsWith("(x6)"));
        assertThat(found.get(0).remediation().get(0).command()).hasValue("kubectl create serviceaccount calico-cni-plugin "
                + "-n kube-system");
        assertThat(s.objects(Event.class)).filteredOn(e -> e.reason().equals("FailedCreate"))
                .allSatisfy(e -> assertThat(AdmissionMessage.parse(e.message()).orElseThrow().denial())
                        .isInstanceOf(AdmissionMessage.ServiceAccountMissing.class));
    }

    @Test
    void sonobuoysRealResourceQuotaGivesTheHeadroomArithmetic() {
        assumeTrue(Files.isRegularFile(QUOTAS), "the shared real-world corpus is absent");
        Snapshot s = load(List.of(QUOTAS), E2E_QUOTA_DEPLOYMENT, Optional.of("2021-08-17T17:43:45Z"));

        assertThat(findings(ENGINE.diagnose(s))).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("ResourceQuota quota-not-terminating refuses the new pods of Deployment "
                    + "resourcequota-9871/busy: limits.cpu has 2 of 2 left, each pod needs 3; requests.cpu has 1 of 1 left, "
                    + "each pod needs 2");
            assertThat(f.explanation())
                    .contains("limits.cpu: hard 2, used 0, headroom 2; each new pod requests 3, so 0 more pods fit")
                    .contains("Hard and used are the ResourceQuota's status at capture time");
            assertThat(f.evidence()).anySatisfy(e -> {
                assertThat(e.object().toString()).isEqualTo("ResourceQuota resourcequota-9871/quota-not-terminating");
                assertThat(e.path()).isEqualTo("status.hard.limits.cpu");
                assertThat(e.source()).contains("core_v1_resourcequotas.json");
            });
        });
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.NEW_RS;
import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.failedCreate;
import static org.assertj.core.api.Assertions.assertThat;

class QuotaExceededTest {

    static final String EXCEEDED = "(combined from similar events): Error creating: pods \"web-5d8f7c9b6-\" is forbidden: "
            + "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=3800m, limited: requests.cpu=4";

    static final String QUOTA = """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: compute, namespace: shop, uid: rq-compute}
            spec:
              hard: {requests.cpu: "4", pods: "20"}
            status:
              hard: {requests.cpu: "4", pods: "20"}
              used: {requests.cpu: USED, pods: "9"}
            """;

    static AdmissionRollouts quotaExhausted() {
        return AdmissionRollouts.web()
                .with(failedCreate(NEW_RS, EXCEEDED, 12, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"))
                .with(QUOTA.replace("USED", "3800m"));
    }

    static List<Finding> findings(AdmissionRollouts rollout) {
        return DetectorHarness.of(new QuotaExceeded()).yaml(rollout.yaml()).capturedAt(CAPTURED_AT).findings();
    }

    @Test
    void anExhaustedQuotaIsReportedWithItsArithmeticAndTheLimitThatAdmitsThePods() {
        assertThat(findings(quotaExhausted())).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("quota-exceeded");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("ResourceQuota compute refuses the new pods of Deployment shop/web: "
                    + "requests.cpu has 200m of 4 left, each pod needs 500m");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("ResourceQuota", "shop", "compute"));
            assertThat(f.explanation())
                    .contains("ReplicaSet shop/web-5d8f7c9b6 failed to create pods 12 times (FailedCreate)")
                    .contains("requests.cpu: hard 4, used 3800m, headroom 200m; each new pod requests 500m, so 0 more pods fit")
                    .contains("Hard and used are the ResourceQuota's status at capture time")
                    .contains("still has to create 1 pod");
            assertThat(f.evidence()).extracting(Evidence::path, Evidence::text).contains(
                    org.assertj.core.groups.Tuple.tuple("status.hard.requests.cpu", "4"),
                    org.assertj.core.groups.Tuple.tuple("status.used.requests.cpu", "3800m"),
                    org.assertj.core.groups.Tuple.tuple("spec.template.spec.containers[0].resources.requests.cpu", "500m"));
            assertThat(f.evidence()).filteredOn(e -> e.type() == Evidence.Type.EVENT).singleElement()
                    .satisfies(e -> assertThat(e.text()).startsWith("Warning FailedCreate: (combined from similar events)")
                            .endsWith("(x12 over 28m)"));
            assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                    java.util.Optional.of("kubectl patch resourcequota/compute -n shop --type merge -p "
                            + "'{\"spec\":{\"hard\":{\"requests.cpu\":\"4300m\"}}}'"),
                    java.util.Optional.of("kubectl set resources deployment/web -n shop -c app --requests=cpu=200m"),
                    java.util.Optional.of("kubectl describe resourcequota/compute -n shop"));
            assertThat(f.remediation().get(0).text()).isEqualTo("Raise the quota so it admits the 1 pod still to be "
                    + "created (requests.cpu at least 4300m = used 3800m + 500m per pod)");
        });
    }

    @Test
    void theLimitAdmitsEveryPodTheReplicaSetStillHasToCreate() {
        var rollout = quotaExhausted().strategy("{type: Recreate}").oldPodsOn().newReplicaSet(3, 1);

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("still has to create 2 pods");
            assertThat(f.remediation().get(0).command()).hasValueSatisfying(c -> assertThat(c).contains("\"requests.cpu\":\"4800m\""));
        });
    }

    @Test
    void withoutTheQuotaObjectTheNumbersComeFromTheRefusal() {
        var rollout = AdmissionRollouts.web()
                .with(failedCreate(NEW_RS, EXCEEDED, 3, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"));

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("The snapshot holds no usage of ResourceQuota shop/compute, so the numbers "
                    + "are the refusal's");
            assertThat(f.evidence()).noneMatch(e -> e.object().kind().equals("ResourceQuota"));
            assertThat(f.remediation().get(0).command()).hasValueSatisfying(c -> assertThat(c).contains("4300m"));
        });
    }

    @Test
    void aQuotaThatHasRoomAgainAtCaptureTimeLowersTheConfidence() {
        var rollout = AdmissionRollouts.web()
                .with(failedCreate(NEW_RS, EXCEEDED, 3, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"))
                .with(QUOTA.replace("USED", "3000m"));

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("At capture time the quota has room for them again");
            assertThat(f.remediation()).noneMatch(s -> s.command().map(c -> c.startsWith("kubectl patch")).orElse(false));
        });
    }

    @Test
    void containersWithoutRequestsForAQuotaedResourceAreNamedWithTheCommandToSetThem() {
        var rollout = AdmissionRollouts.web()
                .newSpec("containers:\n- name: app\n  image: shop/web:1.3\n")
                .with(failedCreate(NEW_RS, "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: failed quota: compute: "
                        + "must specify limits.cpu for: app; requests.cpu for: app", 5, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"));

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("ResourceQuota compute refuses the new pods of Deployment shop/web: "
                    + "container app must specify limits.cpu, requests.cpu");
            assertThat(f.explanation()).contains("Namespace shop has no LimitRange with a default for limits.cpu, requests.cpu");
            assertThat(f.evidence()).extracting(Evidence::path).contains(
                    "spec.template.spec.containers[0].resources.limits.cpu",
                    "spec.template.spec.containers[0].resources.requests.cpu");
            assertThat(f.remediation().get(0).command()).hasValue(
                    "kubectl set resources deployment/web -n shop -c app --limits=cpu=<cpu limit> --requests=cpu=500m");
            assertThat(f.remediation().get(0).text()).isEqualTo("Set limits.cpu and requests.cpu on container app "
                    + "(requests.cpu 500m as in the previous template)");
        });
    }

    @Test
    void theOlderMustSpecifyWordingIsCheckedAgainstTheTemplateAndTheLimitRanges() {
        var rollout = AdmissionRollouts.web()
                .newSpec("containers:\n- name: app\n  image: shop/web:1.3\n  resources: {limits: {memory: 256Mi}}\n")
                .with(failedCreate(NEW_RS, "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: failed quota: compute: "
                        + "must specify limits.cpu,requests.cpu", 5, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"))
                .with("""
                        apiVersion: v1
                        kind: LimitRange
                        metadata: {name: defaults, namespace: shop}
                        spec:
                          limits:
                          - type: Container
                            defaultRequest: {cpu: 100m}
                        """);

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("container app must specify limits.cpu, requests.cpu");
            assertThat(f.explanation())
                    .contains("Namespace shop has no LimitRange with a default for limits.cpu")
                    .contains("A LimitRange now gives a default for requests.cpu (LimitRange defaults)");
        });
    }

    @Test
    void theDeploymentsCopiedConditionIsEnoughWhenTheReplicaSetsWereNotCaptured() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api, namespace: shop, uid: d-api, generation: 1}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: api}}
                  template:
                    metadata: {labels: {app: api}}
                    spec:
                      containers: [{name: api, image: "shop/api:2", resources: {requests: {cpu: "999"}, limits: {cpu: "999"}}}]
                status:
                  observedGeneration: 1
                  replicas: 0
                  unavailableReplicas: 2
                  conditions:
                  - {type: Progressing, status: "True", reason: ReplicaSetUpdated, message: ReplicaSet "api-576cf8485f" is progressing.,
                     lastUpdateTime: "2024-05-01T10:00:00Z", lastTransitionTime: "2024-05-01T10:00:00Z"}
                  - type: ReplicaFailure
                    status: "True"
                    reason: FailedCreate
                    lastTransitionTime: "2024-05-01T10:00:02Z"
                    lastUpdateTime: "2024-05-01T10:00:02Z"
                    message: 'pods "api-576cf8485f-5nm29" is forbidden: exceeded quota: cpu-quota, requested: limits.cpu=999,requests.cpu=999, used: limits.cpu=0,requests.cpu=0, limited: limits.cpu=2,requests.cpu=1'
                """;
        List<Finding> findings = DetectorHarness.of(new QuotaExceeded()).yaml(yaml).capturedAt(CAPTURED_AT).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("ResourceQuota cpu-quota refuses the new pods of Deployment shop/api: "
                    + "limits.cpu has 2 of 2 left, each pod needs 999; requests.cpu has 1 of 1 left, each pod needs 999");
            assertThat(f.explanation()).contains("Deployment shop/api reports ReplicaFailure=True FailedCreate");
            assertThat(f.evidence()).extracting(Evidence::path).containsExactly("status.conditions[ReplicaFailure]",
                    "spec.template.spec.containers[0].resources.limits.cpu", "spec.template.spec.containers[0].resources.requests.cpu");
            assertThat(f.explanation()).contains("Each pod alone asks for more than the quota allows the whole namespace: "
                    + "limits.cpu (999 against 2), requests.cpu (999 against 1); the request is more likely a mistake");
            assertThat(f.remediation().get(0).command()).hasValue(
                    "kubectl set resources deployment/api -n shop -c api --limits=cpu=1 --requests=cpu=500m");
            assertThat(f.remediation().get(1).command()).hasValue("kubectl patch resourcequota/cpu-quota -n shop --type merge -p "
                    + "'{\"spec\":{\"hard\":{\"limits.cpu\":\"1998\",\"requests.cpu\":\"1998\"}}}'");
            assertThat(f.explanation()).contains("Deployment api still has to create 2 pods");
        });
    }

    @Test
    void aStatefulSetRefusedByAPodCountQuotaIsReported() {
        String yaml = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop, uid: s-db, generation: 2}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: "postgres:16"}]
                status:
                  observedGeneration: 2
                  replicas: 2
                  readyReplicas: 2
                  currentReplicas: 2
                  updatedReplicas: 2
                  currentRevision: db-6b8f
                  updateRevision: db-6b8f
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: db.17c1, namespace: shop}
                involvedObject: {apiVersion: apps/v1, kind: StatefulSet, name: db, namespace: shop, uid: s-db}
                reason: FailedCreate
                type: Warning
                message: 'create Pod db-2 in StatefulSet db failed error: pods "db-2" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10'
                count: 7
                firstTimestamp: "2024-05-01T10:00:00Z"
                lastTimestamp: "2024-05-01T10:25:00Z"
                source: {component: statefulset-controller}
                """;
        List<Finding> findings = DetectorHarness.of(new QuotaExceeded()).yaml(yaml).capturedAt(CAPTURED_AT).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("ResourceQuota pods refuses the pods of StatefulSet shop/db: "
                    + "pods is used up (10 of 10), each pod needs 1");
            assertThat(f.explanation()).contains("pods: hard 10, used 10, headroom 0; each new pod counts 1, so 0 more pods fit");
            assertThat(f.remediation().get(0).command()).hasValue(
                    "kubectl patch resourcequota/pods -n shop --type merge -p '{\"spec\":{\"hard\":{\"pods\":\"11\"}}}'");
        });
    }

    @Test
    void aRolloutWithoutRefusalsIsNotReported() {
        assertThat(findings(AdmissionRollouts.web().with(QUOTA.replace("USED", "3800m")))).isEmpty();
    }

    @Test
    void anOldRefusalOfAReplicaSetThatHasAllItsPodsIsNotReported() {
        var rollout = AdmissionRollouts.web().newReplicaSet(1, 1)
                .with(failedCreate(NEW_RS, EXCEEDED, 2, "2024-05-01T09:00:01Z", "2024-05-01T09:05:00Z"));

        assertThat(findings(rollout)).isEmpty();
    }

    @Test
    void aQuotaRefusalFollowedByAnotherAdmissionRefusalIsNoLongerTheCause() {
        var rollout = AdmissionRollouts.web()
                .with(failedCreate(NEW_RS, EXCEEDED, 2, "2024-05-01T10:00:01Z", "2024-05-01T10:05:00Z"))
                .with(failedCreate(NEW_RS, "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: violates PodSecurity "
                        + "\"restricted:latest\": runAsNonRoot != true (pod or container \"app\" must set "
                        + "securityContext.runAsNonRoot=true)", 9, "2024-05-01T10:06:00Z", "2024-05-01T10:29:00Z"));

        assertThat(findings(rollout)).isEmpty();
    }

    @Test
    void theEngineRanksTheQuotaFirst() {
        var rollout = quotaExhausted().rollingUpdate("1", "1");
        var diagnosis = DetectorHarness.of(new QuotaExceeded()).yaml(rollout.yaml()).capturedAt(CAPTURED_AT).diagnose();

        assertThat(diagnosis.rollouts()).filteredOn(r -> r.status().workload().metadata().name().equals("web")).singleElement()
                .satisfies(r -> assertThat(r.rootCause()).hasValueSatisfying(f ->
                        assertThat(f.finding().ruleId()).isEqualTo("quota-exceeded")));
    }

    @Test
    void aQuotaWhoseUsageIsNotComputedYetPointsAtTheQuotaController() {
        var rollout = AdmissionRollouts.web().with(failedCreate(NEW_RS, "Error creating: pods \"web-5d8f7c9b6-\" is forbidden: "
                + "status unknown for quota: compute, resources: requests.cpu", 3, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"));

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("ResourceQuota compute refuses the new pods of Deployment shop/web: "
                    + "its usage of requests.cpu is not known yet");
            assertThat(f.remediation()).extracting(RemediationStep::command).contains(
                    java.util.Optional.of("kubectl describe resourcequota/compute -n shop"),
                    java.util.Optional.of("kubectl get pods -n kube-system -l component=kube-controller-manager"));
        });
    }
}

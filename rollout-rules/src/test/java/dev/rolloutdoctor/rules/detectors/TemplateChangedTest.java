package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.fakes.Engines;
import dev.rolloutdoctor.rules.fakes.FixedCause;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateChangedTest {

    private static String template(String hash, String image, String region, String level) {
        return """
                metadata:
                  labels: {component: velero, deploy: velero%s}
                spec:
                  serviceAccountName: velero
                  containers:
                  - name: velero
                    image: %s
                    command: [/velero]
                    args: [server]
                    env:
                    - {name: VELERO_SCRATCH_DIR, value: /scratch}
                    - {name: AWS_REGION, value: %s}
                    - {name: LOG_LEVEL, value: %s}
                    - {name: VELERO_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                """.formatted(hash.isEmpty() ? "" : ", pod-template-hash: \"" + hash + "\"", image, region, level);
    }

    private static String replicaSet(String name, String uid, String hash, String revision, String created, String template,
            int replicas) {
        return """
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %s
                  namespace: velero
                  uid: %s
                  creationTimestamp: "%s"
                  labels: {component: velero, deploy: velero, pod-template-hash: "%s"}
                  annotations: {deployment.kubernetes.io/revision: "%s"}
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: velero, uid: d-velero, controller: true}]
                spec:
                  replicas: %d
                  selector: {matchLabels: {deploy: velero, pod-template-hash: "%s"}}
                  template:
                %s
                status: {replicas: %d, readyReplicas: %d, availableReplicas: %d}
                """.formatted(name, uid, created, hash, revision, replicas, hash, template.indent(4).stripTrailing(),
                replicas, replicas, replicas);
    }

    private static String deployment(String template, String revision, int generation, int observed) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: velero
                  namespace: velero
                  uid: d-velero
                  generation: %d
                  annotations: {deployment.kubernetes.io/revision: "%s"}
                spec:
                  replicas: 1
                  selector: {matchLabels: {deploy: velero}}
                  template:
                %s
                status: {observedGeneration: %d, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}
                """.formatted(generation, revision, template.indent(4).stripTrailing(), observed);
    }

    static final String OLD_TEMPLATE = template("", "velero/velero:v1.8.0", "us-east-1", "info");
    static final String NEW_TEMPLATE = template("", "velero/velero:v1.8.1", "eu-west-1", "debug");

    static final String REVISION_8 = deployment(NEW_TEMPLATE, "8", 12, 12)
            + replicaSet("velero-6796549f", "rs-7", "6796549f", "7", "2024-04-10T08:00:00Z",
                    template("6796549f", "velero/velero:v1.8.0", "us-east-1", "info"), 0)
            + replicaSet("velero-6996dd565b", "rs-8", "6996dd565b", "8", "2024-05-01T09:00:00Z",
                    template("6996dd565b", "velero/velero:v1.8.1", "eu-west-1", "debug"), 1);

    private static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new TemplateChanged()).yaml(yaml).capturedAt("2024-05-01T10:00:00Z").findings();
    }

    @Test
    void theNewRevisionIsComparedWithThePreviousOneInATitleAndOneEvidenceLinePerChange() {
        assertThat(findings(REVISION_8)).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("template-changed");
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.title()).isEqualTo("Revision 8 of Deployment velero/velero changed the image of container velero "
                    + "(v1.8.0 -> v1.8.1) and 2 env variables");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("ReplicaSet", "velero", "velero-6996dd565b"));
            assertThat(f.evidence()).extracting(e -> e.path() + ": " + e.text()).containsExactly(
                    "spec.template.spec.containers[velero].image: velero/velero:v1.8.0 -> velero/velero:v1.8.1",
                    "spec.template.spec.containers[velero].env[AWS_REGION]: \"us-east-1\" -> \"eu-west-1\"",
                    "spec.template.spec.containers[velero].env[LOG_LEVEL]: \"info\" -> \"debug\"");
            assertThat(f.explanation()).startsWith("Compared with revision 7 (ReplicaSet velero-6796549f), the pod template "
                    + "of ReplicaSet velero-6996dd565b has 3 changes");
            assertThat(f.remediation()).extracting(s -> s.command().orElse("")).containsExactly(
                    "kubectl rollout history deployment/velero -n velero --revision=8",
                    "kubectl rollout undo deployment/velero -n velero --to-revision=7");
        });
    }

    @Test
    void redactedValuesAreNeitherComparedNorShown() {
        String redacted = REVISION_8.replace("{name: AWS_REGION, value: us-east-1}", "{name: AWS_REGION, value: \"***HIDDEN***\"}")
                .replace("{name: AWS_REGION, value: eu-west-1}", "{name: AWS_REGION, value: \"***HIDDEN***\"}");

        assertThat(findings(redacted)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("(v1.8.0 -> v1.8.1) and 1 env variable");
            assertThat(f.evidence()).extracting(e -> e.text()).noneMatch(t -> t.contains("HIDDEN") || t.contains("redacted"));
        });
    }

    @Test
    void aDeploymentWithASingleRevisionHasNothingToCompare() {
        String first = deployment(NEW_TEMPLATE, "1", 1, 1)
                + replicaSet("velero-6996dd565b", "rs-8", "6996dd565b", "1", "2024-05-01T09:00:00Z",
                template("6996dd565b", "velero/velero:v1.8.1", "eu-west-1", "debug"), 1);

        assertThat(findings(first)).isEmpty();
    }

    @Test
    void aChangeTheControllerHasNotRolledOutIsComparedWithTheLatestReplicaSet() {
        String pending = deployment(NEW_TEMPLATE, "7", 13, 12)
                + replicaSet("velero-6796549f", "rs-7", "6796549f", "7", "2024-04-10T08:00:00Z",
                template("6796549f", "velero/velero:v1.8.0", "us-east-1", "info"), 1);

        assertThat(findings(pending)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("The pod template of Deployment velero/velero (not rolled out yet) changed the image "
                    + "of container velero (v1.8.0 -> v1.8.1) and 2 env variables");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("Deployment", "velero", "velero"));
            assertThat(f.remediation()).extracting(s -> s.command().orElse(""))
                    .noneMatch(c -> c.startsWith("kubectl rollout undo"));
        });
    }

    @Test
    void statefulSetsAreLeftOutBecauseTheirRevisionsAreNotKept() {
        String statefulSet = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: shop, uid: s-db, generation: 4}
                spec:
                  replicas: 1
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: postgres, image: "postgres:16.3"}]
                status: {observedGeneration: 4, replicas: 1, readyReplicas: 1, updatedReplicas: 1,
                         currentRevision: db-5c8d7b9f6, updateRevision: db-7f9c6d8b5}
                """;

        assertThat(findings(statefulSet)).isEmpty();
    }

    @Test
    void asContextItNeverRanksAboveACause() {
        String unfinished = REVISION_8.replace("availableReplicas: 1}\n", "availableReplicas: 0}\n");
        Diagnosis diagnosis = Engines.diagnose(
                DetectorHarness.of(new TemplateChanged()).yaml(unfinished).capturedAt("2024-05-01T10:00:00Z").snapshot(),
                new TemplateChanged(), new FixedCause());

        List<RankedFinding> ranked = diagnosis.rollout(ObjectRef.of("Deployment", "velero", "velero")).orElseThrow().findings();
        assertThat(ranked.get(0).finding().ruleId()).isEqualTo("test-fixed-cause");
        assertThat(ranked).extracting(r -> r.finding().ruleId()).endsWith("template-changed");
    }
}

package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.diff.TemplateDiff.Change;
import dev.rolloutdoctor.rules.diff.TemplateDiff.Kind;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateDiffTest {

    /** Two ReplicaSets of Deployment shop/web whose pod templates differ as the test says. */
    private static TemplateDiff diff(String oldTemplate, String newTemplate) {
        Snapshot snapshot = DetectorHarness.of(context -> List.of())
                .yaml(replicaSet("web-6b7c8d9f5", "6b7c8d9f5", oldTemplate))
                .yaml(replicaSet("web-5d8f7c9b6", "5d8f7c9b6", newTemplate))
                .snapshot();
        return TemplateDiff.between(template(snapshot, "web-6b7c8d9f5"), template(snapshot, "web-5d8f7c9b6"));
    }

    private static PodTemplate template(Snapshot snapshot, String name) {
        return snapshot.get(ReplicaSet.class, "ReplicaSet", "shop", name).orElseThrow().spec().template();
    }

    private static String replicaSet(String name, String hash, String template) {
        return """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %s
                  namespace: shop
                  labels: {app: web, pod-template-hash: "%s"}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web, pod-template-hash: "%s"}}
                  template:
                %s
                """.formatted(name, hash, hash, template.indent(4).stripTrailing());
    }

    private static final String WEB_1_2 = """
            metadata:
              labels: {app: web, pod-template-hash: "6b7c8d9f5"}
            spec:
              serviceAccountName: web
              containers:
              - name: web
                image: shop/web:1.2
                args: ["--port=8080"]
                env:
                - {name: LOG_LEVEL, value: info}
                - {name: CACHE_SIZE, value: "128"}
                resources:
                  requests: {cpu: 250m, memory: 256Mi}
                  limits: {memory: 512Mi}
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080}
                ports:
                - {containerPort: 8080, name: http}
            """;

    @Test
    void aNewImageTagIsOneChangeShownByItsTags() {
        TemplateDiff diff = diff(WEB_1_2, WEB_1_2.replace("shop/web:1.2", "shop/web:1.3").replace("6b7c8d9f5", "5d8f7c9b6"));

        assertThat(diff.changes()).containsExactly(new Change("spec.template.spec.containers[web].image",
                Optional.of("shop/web:1.2"), Optional.of("shop/web:1.3"), Kind.IMAGE));
        assertThat(diff.summary()).isEqualTo("the image of container web (1.2 -> 1.3)");
        assertThat(diff.changes().get(0).container()).hasValue("web");
    }

    @Test
    void identicalTemplatesApartFromThePodTemplateHashHaveNoChange() {
        TemplateDiff diff = diff(WEB_1_2, WEB_1_2.replace("6b7c8d9f5", "5d8f7c9b6"));

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.summary()).isEmpty();
        assertThat(diff.newLabels()).isEmpty();
    }

    @Test
    void literalEnvValuesAreComparedAndShownAddedAndRemovedVariablesByName() {
        TemplateDiff diff = diff(WEB_1_2, WEB_1_2
                .replace("{name: LOG_LEVEL, value: info}", "{name: LOG_LEVEL, value: debug}")
                .replace("- {name: CACHE_SIZE, value: \"128\"}", "- {name: FEATURE_X, value: \"on\"}"));

        assertThat(diff.changes(Kind.ENV)).extracting(Change::path, Change::beforeAndAfter).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spec.template.spec.containers[web].env[LOG_LEVEL]", "\"info\" -> \"debug\""),
                org.assertj.core.groups.Tuple.tuple("spec.template.spec.containers[web].env[FEATURE_X]", "(none) -> \"on\""),
                org.assertj.core.groups.Tuple.tuple("spec.template.spec.containers[web].env[CACHE_SIZE]", "\"128\" -> (none)"));
        assertThat(diff.summary()).isEqualTo("3 env variables");
    }

    @Test
    void aRedactedOrWithheldValueIsNeverReportedAsChangedNorShown() {
        String redacted = WEB_1_2.replace("{name: LOG_LEVEL, value: info}", "{name: LOG_LEVEL, value: \"***HIDDEN***\"}")
                .replace("{name: CACHE_SIZE, value: \"128\"}", "{name: DB_PASSWORD, value: hunter2}");
        String other = WEB_1_2.replace("{name: CACHE_SIZE, value: \"128\"}", "{name: DB_PASSWORD, value: correct-horse}");

        TemplateDiff diff = diff(redacted, other);

        assertThat(diff.changes()).isEmpty();
        assertThat(diff.toString()).doesNotContain("hunter2", "correct-horse");
    }

    @Test
    void aLiteralThatNowComesFromASecretIsAChangeWithoutItsValue() {
        TemplateDiff diff = diff(WEB_1_2.replace("{name: CACHE_SIZE, value: \"128\"}", "{name: API_TOKEN, value: abc123secret}"),
                WEB_1_2.replace("{name: CACHE_SIZE, value: \"128\"}",
                        "{name: API_TOKEN, valueFrom: {secretKeyRef: {name: web-api, key: token}}}"));

        assertThat(diff.changes()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("spec.template.spec.containers[web].env[API_TOKEN]");
            assertThat(c.beforeAndAfter()).isEqualTo("(value withheld) -> from Secret web-api key token");
        });
        assertThat(diff.newReferences("shop")).contains(ObjectRef.of("Secret", "shop", "web-api"));
    }

    @Test
    void quantitiesAreComparedByValueNotByText() {
        TemplateDiff diff = diff(WEB_1_2, WEB_1_2.replace("cpu: 250m", "cpu: \"0.25\"").replace("memory: 512Mi", "memory: 1Gi"));

        assertThat(diff.changes()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo("spec.template.spec.containers[web].resources.limits.memory");
            assertThat(c.beforeAndAfter()).isEqualTo("512Mi -> 1Gi");
            assertThat(c.kind()).isEqualTo(Kind.RESOURCES);
        });
        assertThat(diff.summary()).isEqualTo("the resources of container web");
    }

    @Test
    void aProbeChangeIsShownAsKubectlDescribePrintsIt() {
        TemplateDiff diff = diff(WEB_1_2, WEB_1_2.replace("path: /healthz", "path: /ready"));

        assertThat(diff.changes()).singleElement().satisfies(c -> assertThat(c.beforeAndAfter()).isEqualTo(
                "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3 -> "
                        + "http-get http://:8080/ready delay=0s timeout=1s period=10s #success=1 #failure=3"));
        assertThat(diff.summary()).isEqualTo("the readiness probe of container web");
    }

    @Test
    void newLabelsAndNewReferencesAreWhatOtherDetectorsCite() {
        String changed = WEB_1_2.replace("labels: {app: web,", "labels: {app: web, tier: frontend,")
                .replace("serviceAccountName: web", "serviceAccountName: web-v2\n  volumes:\n  - name: config\n    configMap: {name: web-config}");

        TemplateDiff diff = diff(WEB_1_2, changed);

        assertThat(diff.newLabels()).containsExactly(java.util.Map.entry("tier", "frontend"));
        assertThat(diff.newReferences("shop")).containsExactly(ObjectRef.of("ConfigMap", "shop", "web-config"),
                ObjectRef.of("ServiceAccount", "shop", "web-v2"));
        assertThat(diff.changes()).extracting(Change::path).containsExactly(
                "spec.template.metadata.labels[tier]",
                "spec.template.spec.volumes[config]",
                "spec.template.spec.serviceAccountName");
    }

    @Test
    void secretsWrittenIntoArgsStayWithheld() {
        TemplateDiff diff = diff(WEB_1_2, WEB_1_2.replace("args: [\"--port=8080\"]",
                "args: [\"--port=8080\", \"--db-password=s3cr3t\", \"--token\", \"abcdef\"]"));

        assertThat(diff.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.ARGS);
            assertThat(c.after().orElseThrow()).startsWith("[\"--port=8080\", \"--db-password=").contains("\"--token\"")
                    .doesNotContain("s3cr3t", "abcdef");
        });
        assertThat(diff.summary()).isEqualTo("the args of container web");
    }

    @Test
    void addedAndRemovedContainersAreNamed() {
        String sidecar = WEB_1_2 + """
                  - name: proxy
                    image: envoyproxy/envoy:v1.30.1
                """;

        assertThat(diff(WEB_1_2, sidecar).summary()).isEqualTo("added container proxy");
        assertThat(diff(sidecar, WEB_1_2).summary()).isEqualTo("removed container proxy");
    }

    @Test
    void aRolloutRestartIsRecognisedByItsAnnotation() {
        String restarted = WEB_1_2.replace("metadata:\n", "metadata:\n  annotations: {kubectl.kubernetes.io/restartedAt: \"2024-05-01T10:00:00Z\"}\n");

        assertThat(diff(WEB_1_2, restarted).summary()).isEqualTo("the restartedAt annotation (kubectl rollout restart)");
    }

    @Test
    void manyKindsOfChangeAreSummedUpAfterTheFirstThree() {
        String changed = WEB_1_2.replace("shop/web:1.2", "shop/web:2.0")
                .replace("{name: LOG_LEVEL, value: info}", "{name: LOG_LEVEL, value: debug}")
                .replace("cpu: 250m", "cpu: 500m")
                .replace("serviceAccountName: web", "serviceAccountName: web\n  nodeSelector: {disktype: ssd}")
                .replace("containerPort: 8080", "containerPort: 9090");

        assertThat(diff(WEB_1_2, changed).summary())
                .isEqualTo("the image of container web (1.2 -> 2.0), 1 env variable, the resources of container web and other changes");
    }

    @Test
    void placementAndSecurityContextChangesAreFieldByField() {
        String before = WEB_1_2.replace("serviceAccountName: web", """
                serviceAccountName: web
                  securityContext: {runAsNonRoot: true, runAsUser: 1000}
                  tolerations:
                  - {key: dedicated, operator: Equal, value: web, effect: NoSchedule}""".indent(0).stripTrailing());
        String after = WEB_1_2.replace("serviceAccountName: web", """
                serviceAccountName: web
                  securityContext: {runAsNonRoot: true, runAsUser: 0}
                  tolerations:
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}""".indent(0).stripTrailing());

        assertThat(diff(before, after).changes()).extracting(Change::path, Change::beforeAndAfter).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spec.template.spec.securityContext.runAsUser", "1000 -> 0"),
                org.assertj.core.groups.Tuple.tuple("spec.template.spec.tolerations[node.kubernetes.io/not-ready:NoExecute op=Exists for 300s]",
                        "(none) -> node.kubernetes.io/not-ready:NoExecute op=Exists for 300s"),
                org.assertj.core.groups.Tuple.tuple("spec.template.spec.tolerations[dedicated=web:NoSchedule]",
                        "dedicated=web:NoSchedule -> (none)"));
    }
}

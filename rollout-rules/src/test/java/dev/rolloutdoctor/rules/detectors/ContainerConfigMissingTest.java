package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.NEW_POD_A;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.event;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.rollout;
import static org.assertj.core.api.Assertions.assertThat;

class ContainerConfigMissingTest {

    static final String OLD_SPEC = """
            containers:
            - name: app
              image: shop/web:1.2
              env:
              - {name: DB_HOST, value: db.shop.svc}
            """;

    /** Revision 2 reads the database password from a Secret and its settings from a ConfigMap. */
    static final String NEW_SPEC = """
            containers:
            - name: app
              image: shop/web:1.3
              env:
              - {name: DB_HOST, value: db.shop.svc}
              - name: DB_PASSWORD
                valueFrom: {secretKeyRef: {name: db-creds, key: password}}
              - name: LOG_LEVEL
                valueFrom: {configMapKeyRef: {name: web-settings, key: LOG_LEVEL}}
              envFrom:
              - configMapRef: {name: web-config}
            """;

    static String configError(String reason, String message) {
        return """
                phase: Pending
                conditions:
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]"}
                containerStatuses:
                - name: app
                  image: shop/web:1.3
                  ready: false
                  restartCount: 0
                  state:
                    waiting:
                      reason: %s
                      message: '%s'
                """.formatted(reason, message.replace("'", "''"));
    }

    static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new ContainerConfigMissing()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void aMissingSecretWhenSecretsWereNotCollectedIsReportedInKubeletsWordsAndSaysItCannotBeChecked() {
        String status = configError("CreateContainerConfigError", "secret \"db-creds\" not found");
        String yaml = rollout(OLD_SPEC, NEW_SPEC, status, status)
                + event(NEW_POD_A, "Warning", "Failed", "Error: secret \"db-creds\" not found", 12,
                "2024-05-01T10:00:04Z", "2024-05-01T10:28:00Z");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("container-config-missing");
            assertThat(f.title()).isEqualTo("2 of 2 new pods of Deployment shop/web cannot start container app: "
                    + "secret \"db-creds\" not found");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.culprits()).containsExactly(ObjectRef.of("Deployment", "shop", "web"), ObjectRef.of("Secret", "shop", "db-creds"));
            assertThat(f.explanation())
                    .contains("Secrets were not collected, so whether secret db-creds exists cannot be checked.")
                    .contains("It is referenced by env DB_PASSWORD <- Secret db-creds, key password "
                            + "(spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef).");
            assertThat(f.evidence()).extracting(Evidence::path).contains("status.containerStatuses[0].state.waiting",
                    "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef");
            assertThat(f.evidence()).extracting(Evidence::text)
                    .contains("Warning Failed: Error: secret \"db-creds\" not found (x12 over 27m)");
            assertThat(commands(f)).containsExactly(
                    "kubectl create secret generic db-creds --from-literal=password=<value> -n shop",
                    "kubectl edit deployment/web -n shop",
                    "kubectl rollout undo deployment/web -n shop");
        });
    }

    @Test
    void aMissingConfigMapConfirmedByTheSnapshotSaysItDoesNotExist() {
        String status = configError("CreateContainerConfigError", "configmap \"web-config\" not found");
        String configMaps = """
                apiVersion: v1
                kind: ConfigMapList
                items:
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: web-settings, namespace: shop}
                  data: {LOG_LEVEL: info}
                ---
                """;

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status) + configMaps)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot start container app: ConfigMap web-config does not exist");
            assertThat(f.explanation()).contains("The snapshot confirms it: it holds no ConfigMap web-config in namespace shop.")
                    .contains("all keys of ConfigMap web-config (spec.template.spec.containers[0].envFrom[0].configMapRef)");
            assertThat(commands(f)).first().isEqualTo("kubectl create configmap web-config --from-env-file=<file> -n shop");
        });
    }

    @Test
    void aMissingKeyNamesTheKeysThereAreAndALookalike() {
        String status = configError("CreateContainerConfigError", "couldn't find key LOG_LEVEL in ConfigMap shop/web-settings");
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-settings, namespace: shop}
                data: {log_level: info, timeout: 30s}
                ---
                """;

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status) + configMap)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot start container app: ConfigMap web-settings has no key LOG_LEVEL");
            assertThat(f.explanation()).contains("ConfigMap web-settings exists but has no key LOG_LEVEL (its keys: log_level, "
                    + "timeout); did you mean log_level?");
            assertThat(f.evidence()).anySatisfy(e -> {
                assertThat(e.object()).isEqualTo(ObjectRef.of("ConfigMap", "shop", "web-settings"));
                assertThat(e.text()).isEqualTo("keys: log_level, timeout");
            });
            assertThat(commands(f)).first().isEqualTo(
                    "kubectl patch configmap web-settings -n shop --type merge -p '{\"data\":{\"LOG_LEVEL\":\"<value>\"}}'");
        });
    }

    @Test
    void aKeyThatExistsInTheSnapshotLowersConfidenceAndSuggestsCheckingAgain() {
        String status = configError("CreateContainerConfigError", "couldn't find key password in Secret shop/db-creds");
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: db-creds, namespace: shop}
                type: Opaque
                data: {password: "***HIDDEN***"}
                ---
                """;

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status) + secret)).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("Secret db-creds has key password in the snapshot");
            assertThat(commands(f)).first().isEqualTo("kubectl describe pod/" + NEW_POD_A + " -n shop");
        });
    }

    @Test
    void theSupportBundlesSecretCollectorSettlesWhetherTheSecretExists() {
        String status = configError("CreateContainerConfigError", "secret \"db-creds\" not found");
        String collector = """
                {"namespace": "shop", "name": "db-creds", "key": "password", "secretExists": false, "keyExists": false}
                ---
                """;
        var snapshot = SnapshotLoader.create().withCapturedAt(Instant.parse(CAPTURED_AT)).load("bundle.yaml",
                new ByteArrayInputStream((rollout(OLD_SPEC, NEW_SPEC, status, status) + collector).getBytes(StandardCharsets.UTF_8)));

        var diagnosis = ContainerRollouts.diagnose(snapshot, new ContainerConfigMissing());

        Finding f = diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web")).orElseThrow().rootCause().map(RankedFinding::finding).orElseThrow();
        assertThat(f.ruleId()).isEqualTo("container-config-missing");
        assertThat(f.title()).endsWith("cannot start container app: Secret db-creds does not exist");
        assertThat(f.explanation()).contains("The support bundle's collector confirms it");
        assertThat(f.evidence()).anySatisfy(e -> assertThat(e.text()).isEqualTo("exists: false, keyExists: false"));
    }

    @Test
    void runAsNonRootWithARootImageIsExplained() {
        String status = configError("CreateContainerConfigError", "container has runAsNonRoot and image will run as root "
                + "(pod: \"web-5d8f7c9b6-b7k2p_shop(uid-web-5d8f7c9b6-b7k2p)\", container: app)");

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).contains("cannot start container app: container has runAsNonRoot and image will run as root");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("Deployment", "shop", "web"));
            assertThat(f.explanation()).contains("The securityContext sets runAsNonRoot: true");
            assertThat(commands(f)).first().asString().contains("\"runAsUser\":<uid>");
        });
    }

    @Test
    void aCreateContainerErrorForAMissingExecutableIsReported() {
        String status = configError("CreateContainerError", "container create failed: time=\"2024-05-01T10:00:04Z\" "
                + "level=error msg=\"runc create failed: unable to start container process: exec: \\\"/app/server\\\": stat "
                + "/app/server: no such file or directory\"");

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, status, status))).singleElement().satisfies(f -> {
            assertThat(f.explanation()).startsWith("The container runtime cannot create container app")
                    .contains("The command the container is to run does not exist in the image");
            assertThat(commands(f)).first().isEqualTo("kubectl get deployment/web -n shop -o "
                    + "jsonpath='{.spec.template.spec.containers[?(@.name==\"app\")].command}'");
        });
    }

    @Test
    void redactedValuesAndHealthyPodsAreNotReported() {
        String spec = """
                containers:
                - name: app
                  image: shop/web:1.3
                  env:
                  - {name: API_TOKEN, value: "***HIDDEN***"}
                """;
        String running = """
                phase: Running
                containerStatuses:
                - {name: app, image: shop/web:1.3, ready: true, restartCount: 0, state: {running: {startedAt: "2024-05-01T10:00:30Z"}}}
                """;

        assertThat(findings(rollout(OLD_SPEC, spec, running, running))).isEmpty();
    }

    @Test
    void theEngineRanksTheMissingSecretFirst() {
        String status = configError("CreateContainerConfigError", "secret \"db-creds\" not found");
        var snapshot = DetectorHarness.of(new ContainerConfigMissing()).yaml(rollout(OLD_SPEC, NEW_SPEC, status, status))
                .capturedAt(CAPTURED_AT).snapshot();

        var diagnosis = ContainerRollouts.diagnose(snapshot, new ContainerConfigMissing());

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web"))).hasValueSatisfying(r ->
                assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("container-config-missing")));
    }
}

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
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.NEW_POD_B;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.event;
import static dev.rolloutdoctor.rules.detectors.ContainerRollouts.rollout;
import static org.assertj.core.api.Assertions.assertThat;

class ImagePullFailedTest {

    static final String OLD_SPEC = """
            containers:
            - name: app
              image: shop/web:1.2
            """;

    static final String NEW_SPEC = """
            containers:
            - name: app
              image: shop/web:1.3
            """;

    static final String NOT_FOUND = "rpc error: code = NotFound desc = failed to pull and unpack image "
            + "\"docker.io/shop/web:1.3\": failed to resolve reference \"docker.io/shop/web:1.3\": docker.io/shop/web:1.3: not found";

    static String waiting(String image, String reason, String message) {
        return """
                phase: Pending
                conditions:
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]"}
                containerStatuses:
                - name: app
                  image: %s
                  imageID: ""
                  ready: false
                  restartCount: 0
                  started: false
                  state:
                    waiting:
                      reason: %s
                      message: '%s'
                """.formatted(image, reason, message.replace("'", "''"));
    }

    static List<Finding> findings(String yaml) {
        return DetectorHarness.of(new ImagePullFailed()).yaml(yaml).capturedAt(CAPTURED_AT).findings();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void aTagThatDoesNotExistIsReportedOnceForAllNewPodsWithThePreviousImage() {
        String yaml = rollout(OLD_SPEC, NEW_SPEC,
                waiting("shop/web:1.3", "ErrImagePull", NOT_FOUND),
                waiting("shop/web:1.3", "ImagePullBackOff", "Back-off pulling image \"shop/web:1.3\""))
                + event(NEW_POD_A, "Warning", "Failed", "Failed to pull image \"shop/web:1.3\": " + NOT_FOUND, 4,
                "2024-05-01T10:00:05Z", "2024-05-01T10:01:40Z")
                + event(NEW_POD_B, "Normal", "BackOff", "Back-off pulling image \"shop/web:1.3\"", 40,
                "2024-05-01T10:00:20Z", "2024-05-01T10:29:00Z");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("image-pull-failed");
            assertThat(f.title()).isEqualTo("2 of 2 new pods of Deployment shop/web cannot pull image shop/web:1.3 "
                    + "(was shop/web:1.2): not found in the registry");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.explanation())
                    .contains("wait in ErrImagePull/ImagePullBackOff")
                    .contains("The registry docker.io has no such image")
                    .contains("Only the tag changed from the previous revision (shop/web:1.2)");
            assertThat(f.evidence()).extracting(Evidence::path).contains(
                    "status.containerStatuses[0].state.waiting", "spec.template.spec.containers[0].image");
            assertThat(f.evidence()).extracting(Evidence::text)
                    .contains("shop/web:1.3", "shop/web:1.2")
                    .anySatisfy(t -> assertThat(t).startsWith("Warning Failed: Failed to pull image \"shop/web:1.3\"").contains("(x4 over"))
                    .anySatisfy(t -> assertThat(t).startsWith("Normal BackOff: Back-off pulling image"));
            assertThat(commands(f)).containsExactly(
                    "kubectl set image deployment/web app=shop/web:<tag> -n shop",
                    "kubectl rollout undo deployment/web -n shop");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("Deployment", "shop", "web"));
        });
    }

    @Test
    void aBareBackOffWithoutEventsSaysTheSnapshotLacksThePullError() {
        String backOff = waiting("shop/web:1.3", "ImagePullBackOff", "Back-off pulling image \"shop/web:1.3\"");

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, backOff, backOff))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot pull image shop/web:1.3 (was shop/web:1.2): the pull error is not in the snapshot");
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("holds only the back-off", "one hour");
            assertThat(commands(f)).first().isEqualTo("kubectl describe pod/" + NEW_POD_A + " -n shop");
        });
    }

    @Test
    void aPullSecretKubeletCouldNotRetrieveIsToldEvenWhenThePullErrorIsMissing() {
        String spec = "imagePullSecrets: [{name: regcred}]\ncontainers:\n- name: app\n  image: registry.example.com/shop/web:1.3\n";
        String backOff = waiting("registry.example.com/shop/web:1.3", "ImagePullBackOff",
                "Back-off pulling image \"registry.example.com/shop/web:1.3\"");
        String yaml = rollout(OLD_SPEC, spec, backOff, backOff)
                + event(NEW_POD_A, "Warning", "FailedToRetrieveImagePullSecret", "Unable to retrieve some image pull secrets "
                + "(regcred); attempting to pull the image may not succeed.", 6, "2024-05-01T10:00:03Z", "2024-05-01T10:20:00Z");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": the pull error is not in the snapshot");
            assertThat(f.explanation()).contains("The pods reference pull secret regcred, which does not exist in namespace shop.");
            assertThat(f.culprits()).contains(ObjectRef.of("Secret", "shop", "regcred"));
        });
    }

    @Test
    void anUnauthorizedPullFromAPrivateRegistryWithoutPullSecretsTellsHowToAddOne() {
        String spec = "containers:\n- name: app\n  image: registry.example.com/shop/web:1.3\n";
        String denied = "rpc error: code = Unknown desc = failed to pull and unpack image \"registry.example.com/shop/web:1.3\": "
                + "failed to resolve reference \"registry.example.com/shop/web:1.3\": unexpected status from HEAD request to "
                + "https://registry.example.com/v2/shop/web/manifests/1.3: 401 Unauthorized";
        String status = waiting("registry.example.com/shop/web:1.3", "ErrImagePull", denied);

        assertThat(findings(rollout(OLD_SPEC, spec, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("(was shop/web:1.2): access denied by the registry");
            assertThat(f.explanation())
                    .contains("The registry registry.example.com refused the pull")
                    .contains("The pods reference no imagePullSecrets (none in the pod template, none added by service account default)")
                    .contains("the new image comes from registry.example.com, which needs credentials of its own");
            assertThat(f.evidence()).anySatisfy(e -> {
                assertThat(e.path()).isEqualTo("spec.imagePullSecrets");
                assertThat(e.text()).isEqualTo("(none)");
            });
            assertThat(commands(f)).containsExactly(
                    "kubectl create secret docker-registry regcred --docker-server=registry.example.com "
                            + "--docker-username=<user> --docker-password=<password> -n shop",
                    "kubectl patch deployment/web -n shop -p '{\"spec\":{\"template\":{\"spec\":{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}}}}'",
                    "kubectl patch serviceaccount default -n shop -p '{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}'",
                    "kubectl rollout undo deployment/web -n shop");
        });
    }

    @Test
    void aPullSecretThatDoesNotExistIsNamedAsTheCulprit() {
        String spec = "imagePullSecrets: [{name: regcred}]\ncontainers:\n- name: app\n  image: registry.example.com/shop/web:1.3\n";
        String status = waiting("registry.example.com/shop/web:1.3", "ErrImagePull",
                "rpc error: code = Unknown desc = failed to pull and unpack image \"registry.example.com/shop/web:1.3\": "
                        + "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized");
        String secrets = """
                apiVersion: v1
                kind: SecretList
                items:
                - apiVersion: v1
                  kind: Secret
                  metadata: {name: other, namespace: shop}
                  type: Opaque
                  data: {token: "***HIDDEN***"}
                ---
                """;
        String yaml = rollout(OLD_SPEC, spec, status, status) + secrets
                + event(NEW_POD_A, "Warning", "FailedToRetrieveImagePullSecret", "Unable to retrieve some image pull secrets "
                + "(regcred); attempting to pull the image may not succeed.", 6, "2024-05-01T10:00:03Z", "2024-05-01T10:20:00Z");

        assertThat(findings(yaml)).singleElement().satisfies(f -> {
            assertThat(f.culprits()).contains(ObjectRef.of("Secret", "shop", "regcred"));
            assertThat(f.explanation()).contains("The pods reference pull secret regcred, which does not exist in namespace shop.");
            assertThat(f.evidence()).extracting(Evidence::text).contains("regcred")
                    .anySatisfy(t -> assertThat(t).startsWith("Warning FailedToRetrieveImagePullSecret: Unable to retrieve"));
            assertThat(commands(f)).first().isEqualTo("kubectl create secret docker-registry regcred "
                    + "--docker-server=registry.example.com --docker-username=<user> --docker-password=<password> -n shop");
        });
    }

    @Test
    void whenSecretsWereNotCollectedThePullSecretIsNotGuessedAbout() {
        String spec = "imagePullSecrets: [{name: regcred}]\ncontainers:\n- name: app\n  image: registry.example.com/shop/web:1.3\n";
        String status = waiting("registry.example.com/shop/web:1.3", "ErrImagePull",
                "rpc error: code = Unknown desc = failed to pull and unpack image: 403 Forbidden");

        assertThat(findings(rollout(OLD_SPEC, spec, status, status))).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("The pods reference pull secret regcred; Secrets were not collected, so "
                    + "whether it exists cannot be checked.");
            assertThat(f.culprits()).doesNotContain(ObjectRef.of("Secret", "shop", "regcred"));
            assertThat(commands(f)).contains("kubectl get secret regcred -n shop");
        });
    }

    @Test
    void aPullSecretOfTheWrongTypeIsNotReadByKubelet() {
        String spec = "imagePullSecrets: [{name: regcred}]\ncontainers:\n- name: app\n  image: registry.example.com/shop/web:1.3\n";
        String status = waiting("registry.example.com/shop/web:1.3", "ErrImagePull",
                "rpc error: code = Unknown desc = failed to pull and unpack image: 401 Unauthorized");
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: regcred, namespace: shop}
                type: Opaque
                data: {password: "***HIDDEN***", username: "***HIDDEN***"}
                ---
                """;

        assertThat(findings(rollout(OLD_SPEC, spec, status, status) + secret)).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("Pull secret regcred is not of type kubernetes.io/dockerconfigjson");
            assertThat(f.culprits()).contains(ObjectRef.of("Secret", "shop", "regcred"));
            assertThat(f.evidence()).extracting(Evidence::text).contains("Opaque (keys: password, username)");
        });
    }

    @Test
    void aValidLookingPullSecretIsNotBlamedButItsCredentialsCannotBeChecked() {
        String spec = "imagePullSecrets: [{name: regcred}]\ncontainers:\n- name: app\n  image: registry.example.com/shop/web:1.3\n";
        String status = waiting("registry.example.com/shop/web:1.3", "ErrImagePull",
                "rpc error: code = Unknown desc = failed to pull and unpack image: 401 Unauthorized");
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata: {name: regcred, namespace: shop}
                type: kubernetes.io/dockerconfigjson
                data: {.dockerconfigjson: "***HIDDEN***"}
                ---
                """;

        assertThat(findings(rollout(OLD_SPEC, spec, status, status) + secret)).singleElement().satisfies(f -> {
            assertThat(f.explanation()).contains("Pull secret regcred exists; its credentials are not in the snapshot");
            assertThat(f.culprits()).containsExactly(ObjectRef.of("Deployment", "shop", "web"));
            assertThat(commands(f)).first().asString().startsWith("kubectl create secret docker-registry regcred")
                    .endsWith("--dry-run=client -o yaml | kubectl apply -f -");
        });
    }

    @Test
    void dockerHubsRateLimitSuggestsAuthenticatingAndMirroring() {
        String spec = "containers:\n- name: app\n  image: nginx:1.25\n";
        String status = waiting("nginx:1.25", "ErrImagePull", "rpc error: code = Unknown desc = failed to pull and unpack "
                + "image \"docker.io/library/nginx:1.25\": 429 Too Many Requests - Server message: toomanyrequests: You have "
                + "reached your pull rate limit.");

        assertThat(findings(rollout(OLD_SPEC, spec, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": pull rate limit reached");
            assertThat(commands(f)).contains(
                    "kubectl create secret docker-registry regcred --docker-username=<user> --docker-password=<password> -n shop",
                    "kubectl set image deployment/web app=<your-registry>/library/nginx:1.25 -n shop");
        });
    }

    @Test
    void aRegistryTheNodeCannotReachPointsAtTheNodesNetwork() {
        String spec = "containers:\n- name: app\n  image: registry.example.com/shop/web:1.3\n";
        String status = waiting("registry.example.com/shop/web:1.3", "ErrImagePull", "rpc error: code = Unknown desc = "
                + "failed to pull and unpack image \"registry.example.com/shop/web:1.3\": failed to do request: Head "
                + "\"https://registry.example.com/v2/shop/web/manifests/1.3\": dial tcp 10.0.0.5:443: i/o timeout");

        assertThat(findings(rollout(OLD_SPEC, spec, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": registry unreachable from the node");
            assertThat(f.explanation()).contains("The node node-1 cannot reach registry.example.com");
            assertThat(commands(f)).first()
                    .isEqualTo("kubectl debug node/node-1 -it --image=busybox:1.36 -- nslookup registry.example.com");
        });
    }

    @Test
    void anInvalidReferenceIsNamedAsSuch() {
        String spec = "containers:\n- name: app\n  image: shop/Web:1.3\n";
        String status = waiting("shop/Web:1.3", "InvalidImageName", "Failed to apply default image tag \"shop/Web:1.3\": "
                + "couldn't parse image reference \"shop/Web:1.3\": invalid reference format: repository name must be lowercase");

        assertThat(findings(rollout(OLD_SPEC, spec, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": invalid image reference");
            assertThat(commands(f)).first().isEqualTo("kubectl set image deployment/web app=<valid-image-reference> -n shop");
        });
    }

    @Test
    void pullPolicyNeverWithoutTheImageOnTheNodeSuggestsLettingKubeletPull() {
        String spec = "containers:\n- name: app\n  image: shop/web:1.3\n  imagePullPolicy: Never\n";
        String status = waiting("shop/web:1.3", "ErrImageNeverPull",
                "Container image \"shop/web:1.3\" is not present with pull policy of Never");

        assertThat(findings(rollout(OLD_SPEC, spec, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith(": not on the node and imagePullPolicy is Never");
            assertThat(f.evidence()).anySatisfy(e -> {
                assertThat(e.path()).isEqualTo("spec.template.spec.containers[0].imagePullPolicy");
                assertThat(e.text()).isEqualTo("Never");
            });
            assertThat(commands(f)).first().isEqualTo("kubectl patch deployment/web -n shop -p "
                    + "'{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"imagePullPolicy\":\"IfNotPresent\"}]}}}}'");
        });
    }

    @Test
    void anInitContainersImageIsNamedWithItsContainer() {
        String spec = """
                initContainers:
                - name: migrate
                  image: shop/migrate:1.3
                containers:
                - name: app
                  image: shop/web:1.3
                """;
        String status = """
                phase: Pending
                initContainerStatuses:
                - name: migrate
                  image: shop/migrate:1.3
                  ready: false
                  restartCount: 0
                  state: {waiting: {reason: ImagePullBackOff, message: 'Back-off pulling image "shop/migrate:1.3"'}}
                containerStatuses:
                - name: app
                  image: shop/web:1.3
                  ready: false
                  restartCount: 0
                  state: {waiting: {reason: PodInitializing}}
                """;

        assertThat(findings(rollout(OLD_SPEC, spec, status, status))).singleElement().satisfies(f -> {
            assertThat(f.title()).startsWith("2 of 2 new pods of Deployment shop/web cannot pull image shop/migrate:1.3 "
                    + "for init container migrate:");
            assertThat(f.evidence()).extracting(Evidence::path).contains("status.initContainerStatuses[0].state.waiting",
                    "spec.template.spec.initContainers[0].image");
        });
    }

    @Test
    void podsThatAreStillCreatingOrRunningAreNotReported() {
        String creating = """
                phase: Pending
                containerStatuses:
                - {name: app, image: shop/web:1.3, ready: false, restartCount: 0, state: {waiting: {reason: ContainerCreating}}}
                """;
        String running = """
                phase: Running
                containerStatuses:
                - {name: app, image: shop/web:1.3, ready: false, restartCount: 0, state: {running: {startedAt: "2024-05-01T10:00:30Z"}}}
                """;

        assertThat(findings(rollout(OLD_SPEC, NEW_SPEC, creating, running))).isEmpty();
    }

    @Test
    void theOldPodsPullProblemsDoNotCountOnlyTheNewOnes() {
        String ok = """
                phase: Running
                containerStatuses:
                - {name: app, image: shop/web:1.3, ready: true, restartCount: 0, state: {running: {startedAt: "2024-05-01T10:00:30Z"}}}
                """;
        String yaml = rollout(OLD_SPEC, NEW_SPEC, ok, ok)
                + event("web-7b9d5c6f4-m2n8d", "Warning", "Failed", "Failed to pull image \"shop/web:1.2\": " + NOT_FOUND, 1,
                "2024-05-01T10:00:05Z", "2024-05-01T10:00:05Z");

        assertThat(findings(yaml)).isEmpty();
    }

    @Test
    void theEngineRanksThePullFailureFirst() {
        String status = waiting("shop/web:1.3", "ErrImagePull", NOT_FOUND);
        var snapshot = DetectorHarness.of(new ImagePullFailed()).yaml(rollout(OLD_SPEC, NEW_SPEC, status, status))
                .capturedAt(CAPTURED_AT).snapshot();

        var diagnosis = ContainerRollouts.diagnose(snapshot, new ImagePullFailed());

        assertThat(diagnosis.rollout(ObjectRef.of("Deployment", "shop", "web"))).hasValueSatisfying(r ->
                assertThat(r.rootCause()).hasValueSatisfying(f -> assertThat(f.finding().ruleId()).isEqualTo("image-pull-failed")));
    }
}

package dev.rolloutdoctor.rules.detectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The container rules on the real captures of the shared corpus (see its PROVENANCE.md). Most of them are pods without
 * their workload; for those the test adds a Deployment and ReplicaSet that own the pod (and, for pods that had no
 * owner, links the pod to them), and leaves everything the rules read — container statuses, messages, events — as
 * captured. Skipped where the corpus is absent (it is not part of the project).
 */
class ContainerRulesRealWorldTest {

    static final Path REALWORLD = Path.of("..", "..", "shared", "realworld").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TROUBLESHOOT = "replicatedhq__troubleshoot/pkg/analyze/files/";

    @TempDir
    Path temp;

    @BeforeAll
    static void corpusPresent() {
        assumeTrue(Files.isDirectory(REALWORLD), "the shared real-world corpus is absent: " + REALWORLD);
    }

    static RuleEngine engine() {
        return RuleEngine.of(DetectorRegistry.of(List.of(new ContainerConfigMissing(), new CrashLoop(), new ImagePullFailed(),
                new InitContainerFailed(), new OomKilled())));
    }

    static List<Finding> findings(Snapshot snapshot, String namespace, String deployment) {
        RolloutDiagnosis r = engine().diagnose(snapshot).rollout(ObjectRef.of("Deployment", namespace, deployment)).orElseThrow();
        return r.findings().stream().map(RankedFinding::finding).filter(f -> !f.ruleId().equals("rollout-stalled-unexplained")).toList();
    }

    static List<String> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).flatMap(Optional::stream).toList();
    }

    @Test
    void sbctlsVeleroBundleShowsTheNewPodCrashLoopingWithItsBackOffEvents() {
        Snapshot snapshot = SnapshotLoader.create().load(REALWORLD.resolve("replicatedhq__sbctl/tests/support-bundle"));

        assertThat(findings(snapshot, "velero", "velero")).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("crash-loop");
            assertThat(f.title()).isEqualTo("The new pod of Deployment velero/velero crash-loops: container velero exits with "
                    + "code 1 (application error), restarted 3 times");
            assertThat(f.explanation()).contains("Its last run ended with exit code 1 (Error) at 2022-04-12T00:59:01Z")
                    .contains("The snapshot holds no log of the container");
            assertThat(f.evidence()).extracting(Evidence::text)
                    .contains("exitCode 1, reason Error, startedAt 2022-04-12T00:59:01Z, finishedAt 2022-04-12T00:59:01Z")
                    .anySatisfy(t -> assertThat(t).startsWith("Warning BackOff: Back-off restarting failed container"));
            assertThat(commands(f)).contains("kubectl logs velero-6996dd565b-xl44t -n velero -c velero --previous",
                    "kubectl rollout history deployment/velero -n velero --revision=8",
                    "kubectl rollout undo deployment/velero -n velero");
        });
    }

    @Test
    void troubleshootsImagePullPodIsATlsFailureOfItsRegistry() throws IOException {
        Path pods = REALWORLD.resolve(TROUBLESHOOT + "pods/message-image-pull-fail.json");
        Snapshot snapshot = load(owned(pods), pods, REALWORLD.resolve(TROUBLESHOOT + "events/message-image-pull-fail.json"));

        assertThat(findings(snapshot, "message-image-pull-fail", "no-image-deployment")).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("image-pull-failed");
            assertThat(f.title()).isEqualTo("The new pod of Deployment message-image-pull-fail/no-image-deployment cannot pull "
                    + "image noimage.com/no-such-image: registry TLS certificate rejected");
            assertThat(f.explanation()).contains("x509: certificate is not valid for any names, but wanted to match noimage.com");
            assertThat(f.remediation()).isNotEmpty();
        });
    }

    @Test
    void gitopsEnginesImagePullBackOffWithoutEventsIsAnUnexplainedBackOff() throws IOException {
        Path pod = REALWORLD.resolve("argoproj__gitops-engine/pkg/health/testdata/pod-imagepullbackoff.yaml");
        Snapshot snapshot = load(owned(pod), pod);

        assertThat(findings(snapshot, "default", "guestbook-ui-errimagepullbackoff")).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("The new pod of Deployment default/guestbook-ui-errimagepullbackoff cannot pull "
                    + "image gcr.io/heptio-images/ks-guestbook-demo:0.3: the pull error is not in the snapshot");
            assertThat(f.confidence().label()).isEqualTo("medium");
        });
    }

    @Test
    void sonobuoysImagePullBackOffPodReadsTheSame() throws IOException {
        Path pods = REALWORLD.resolve("vmware-tanzu__sonobuoy/pkg/client/testdata/PrintPodStatus.json");
        Snapshot snapshot = load(adopted(pods, p -> p.toString().contains("ImagePullBackOff")));

        assertThat(findings(snapshot, "sonobuoy", "sonobuoy")).singleElement().satisfies(f ->
                assertThat(f.title()).contains("cannot pull image schnake/sonobuoy:987: the pull error is not in the snapshot"));
    }

    @Test
    void insightsVsystemPodIsAnInitContainerThatCannotReachItsDatabase() throws IOException {
        Path pod = REALWORLD.resolve("openshift__insights-operator/docs/insights-archive-sample/config/pod/di-288312/vsystem-867f4b77cc-pqcns.json");
        Snapshot snapshot = load(owned(pod), pod);

        assertThat(findings(snapshot, "di-288312", "vsystem")).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("init-container-failed");
            assertThat(f.title()).isEqualTo("The new pod of Deployment di-288312/vsystem cannot initialize: init container "
                    + "vsystem-hana-init exits with code 1 (application error), restarted 7527 times");
            assertThat(f.explanation()).contains("so the app containers (vsystem, auth) wait in PodInitializing")
                    .contains("could not connect to hana").contains("a dependency it cannot reach");
        });
    }

    @Test
    void troubleshootsInitCrashLoopIsACommandNotFoundInTheInitContainer() throws IOException {
        // upstream moved the pod to its own namespace but left its events in "default", so they do not link
        Path pods = REALWORLD.resolve(TROUBLESHOOT + "pods/message-pod-init-crashloop-backoff.json");
        Snapshot snapshot = load(adopted(pods, p -> true), REALWORLD.resolve(TROUBLESHOOT + "events/message-pod-init-crashloop-backoff.json"));

        assertThat(findings(snapshot, "message-pod-init-crashloop-backoff", "init-demo2")).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("cannot initialize: init container install cannot start (command not found)");
            assertThat(f.evidence()).extracting(Evidence::text).anySatisfy(t ->
                    assertThat(t).startsWith("RunContainerError: failed to start container"));
        });
    }

    @Test
    void troubleshootsCrashLoopIsACommandNotFound() throws IOException {
        Path pods = REALWORLD.resolve(TROUBLESHOOT + "pods/message-pod-crashloop-backoff.json");

        assertThat(findings(load(adopted(pods, p -> true)), "message-pod-crashloop-backoff", "init-demo")).singleElement().satisfies(f ->
                assertThat(f.title()).endsWith("crash-loops: container nginx exits with code 127 (command not found), restarted 4 times"));
    }

    @Test
    void troubleshootsOomKilledJobPodReadsAsAMemoryKillAtItsLimit() throws IOException {
        Path pods = REALWORLD.resolve(TROUBLESHOOT + "pods/message-oomkill-pod.json");

        assertThat(findings(load(adopted(pods, p -> true)), "message-oomkill-pod", "oom-kill-job3-gbb89")).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("oom-killed");
            assertThat(f.title()).endsWith("is OOMKilled: container memory-eater exceeds its 100Mi memory limit");
            assertThat(commands(f)).first().isEqualTo("kubectl set resources deployment/oom-kill-job3-gbb89 -c memory-eater "
                    + "--limits=memory=256Mi -n message-oomkill-pod");
        });
    }

    @Test
    void toolforgesRestartingPodExitsWithAnApplicationError() throws IOException {
        Path pod = REALWORLD.resolve("DamianZaremba__toolforge-jobs-api/tests/helpers/fixtures/pods/pod_pending_restarting_waiting.json");

        assertThat(findings(load(adopted(pod, p -> true)), "default", "test-restarting-29341698-x8n58")).singleElement().satisfies(f ->
                assertThat(f.title()).endsWith("crash-loops: container test-restarting exits with code 1 (application error), restarted 3 times"));
    }

    @Test
    void holmesgptsStressPodExitsWith255() throws IOException {
        Path pod = REALWORLD.resolve("robusta-dev__holmesgpt/tests/llm/fixtures/test_ask_holmes/158_slack_chat_correct_date/"
                + "kubectl_get_yamlpod_frontend-service_default.txt");

        assertThat(findings(load(adopted(pod, p -> true)), "default", "frontend-service")).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("crash-loops: container stress exits with code 255 (fatal error (exit status -1)), restarted 7 times");
            assertThat(f.explanation()).contains("back-off 5m0s");
        });
    }

    // ------------------------------------------------------------------ owners for pods captured without them

    private Snapshot load(Path... paths) {
        return SnapshotLoader.create().load(paths);
    }

    /** The Deployment and ReplicaSet that own the (ReplicaSet-owned) pods of a file, written to a file of their own. */
    private Path owned(Path pods) throws IOException {
        ArrayNode items = JSON.createArrayNode();
        for (JsonNode pod : pods(pods)) {
            JsonNode owner = pod.path("metadata").path("ownerReferences").path(0);
            String rs = owner.path("name").asText();
            String deployment = rs.substring(0, rs.lastIndexOf('-'));
            addWorkload(items, pod, deployment, rs, owner.path("uid").asText());
        }
        return write("workloads.json", list(items));
    }

    /** The pods of a file that match, linked to a new Deployment named after each pod, in a copy of their own. */
    private Path adopted(Path file, Predicate<JsonNode> which) throws IOException {
        ArrayNode items = JSON.createArrayNode();
        ArrayNode pods = JSON.createArrayNode();
        for (JsonNode node : pods(file)) {
            if (!which.test(node)) {
                continue;
            }
            ObjectNode pod = node.deepCopy();
            String name = pod.path("metadata").path("name").asText();
            pod.put("apiVersion", "v1").put("kind", "Pod");
            ArrayNode owners = ((ObjectNode) pod.get("metadata")).putArray("ownerReferences");
            owners.addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", name + "-rs")
                    .put("uid", "rs-" + name).put("controller", true);
            pods.add(pod);
            addWorkload(items, pod, name, name + "-rs", "rs-" + name);
            break; // one pod per file: duplicate names (sonobuoy) would otherwise collide
        }
        items.addAll(pods);
        return write("adopted.json", list(items));
    }

    private static void addWorkload(ArrayNode items, JsonNode pod, String deployment, String rs, String rsUid) {
        String ns = pod.path("metadata").path("namespace").asText();
        JsonNode spec = pod.path("spec");
        ObjectNode d = items.addObject().put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode dm = d.putObject("metadata").put("name", deployment).put("namespace", ns).put("uid", "d-" + deployment)
                .put("generation", 1);
        dm.putObject("annotations").put("deployment.kubernetes.io/revision", "1");
        ObjectNode ds = d.putObject("spec").put("replicas", 1);
        ds.putObject("template").set("spec", spec);
        d.putObject("status").put("observedGeneration", 1).put("replicas", 1).put("updatedReplicas", 1)
                .put("unavailableReplicas", 1);
        ObjectNode r = items.addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        ObjectNode rm = r.putObject("metadata").put("name", rs).put("namespace", ns).put("uid", rsUid);
        rm.putObject("annotations").put("deployment.kubernetes.io/revision", "1");
        rm.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "Deployment")
                .put("name", deployment).put("uid", "d-" + deployment).put("controller", true);
        ObjectNode rspec = r.putObject("spec").put("replicas", 1);
        rspec.putObject("template").set("spec", spec);
        r.putObject("status").put("replicas", 1);
    }

    /** The pods of a JSON or YAML file: a list's items or the single object; kubectl tool preambles are skipped. */
    private static List<JsonNode> pods(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        // HolmesGPT fixtures start with two JSON lines describing the tool call, then kubectl's output
        int start = file.toString().endsWith(".txt") ? 2 : 0;
        String text = String.join("\n", lines.subList(start, lines.size()));
        JsonNode root = text.stripLeading().startsWith("{") ? JSON.readTree(text) : new YAMLMapper().readTree(text);
        List<JsonNode> out = new ArrayList<>();
        if (root.has("items")) {
            root.get("items").forEach(out::add);
        } else {
            out.add(root);
        }
        return out;
    }

    private static ObjectNode list(ArrayNode items) {
        ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "List");
        list.set("items", items);
        return list;
    }

    private Path write(String name, JsonNode node) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        return file;
    }
}

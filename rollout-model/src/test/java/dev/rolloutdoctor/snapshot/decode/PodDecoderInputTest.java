package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.EnvVar.ValueState;
import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodStatus;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.model.Toleration;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.snapshot.LoadProblem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** How the Pod decoder treats imperfect input: wrong types, YAML 1.1 words, redactions, missing fields. */
class PodDecoderInputTest {

    @Test
    void aWrongTypeIsAProblemWithLineAndFieldPathAndTheRestStillDecodes() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-1
                  namespace: shop
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    ports:
                    - containerPort: http
                      name: http
                    - containerPort: 8443
                      name: https
                status:
                  phase: Running
                  containerStatuses:
                  - name: web
                    ready: maybe
                    restartCount: 2
                """;
        PodDecoding d = PodDecoding.yaml(yaml);

        assertThat(d.problems).hasSize(2);
        LoadProblem port = d.problems.get(0);
        assertThat(port.toString()).endsWith(
                "spec.containers[0].ports[0].containerPort: expected an integer, found the string \"http\"");
        assertThat(port.line()).isEqualTo(PodDecoding.lineOf(yaml, "containerPort: http"));
        assertThat(port.column()).isPositive();
        assertThat(port.source()).isEqualTo("pods.yaml");
        assertThat(d.problems.get(1).fieldPath()).isEqualTo("status.containerStatuses[0].ready");
        assertThat(d.problems.get(1).message()).isEqualTo("expected true or false, found the string \"maybe\"");

        assertThat(d.pod.spec().containers().get(0).ports()).containsExactly(new ContainerPort("https", 8443, 0, "TCP", ""));
        assertThat(d.pod.status().containerStatuses().get(0).restartCount()).isEqualTo(2);
        assertThat(d.pod.status().containerStatuses().get(0).ready()).isFalse();
        assertThat(d.pod.metadata().name()).isEqualTo("web-1");
    }

    @Test
    void aTolerationWithAnUnknownOperatorIsAProblemAndLeftOut() {
        PodDecoding d = PodDecoding.yaml("""
                metadata: {name: gpu-job, namespace: ml}
                spec:
                  tolerations:
                  - key: dedicated
                    operator: Matches
                    value: gpu
                  - key: nvidia.com/gpu
                    operator: Exists
                """);
        assertThat(d.problems).singleElement().satisfies(p -> {
            assertThat(p.fieldPath()).isEqualTo("spec.tolerations[0].operator");
            assertThat(p.message()).isEqualTo("expected one of Equal, Exists, Lt, Gt, found the string \"Matches\"");
            assertThat(p.line()).isEqualTo(5);
        });
        assertThat(d.pod.spec().tolerations()).containsExactly(
                new Toleration("nvidia.com/gpu", Toleration.Operator.EXISTS, "", "", OptionalLong.empty()));
    }

    @Test
    void aMistypedProbeTimingIsAProblemAndTheDefaultApplies() {
        PodDecoding d = PodDecoding.yaml("""
                metadata: {name: web-1, namespace: shop}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    readinessProbe:
                      periodSeconds: ten
                      httpGet:
                        port: 8080
                """);
        assertThat(d.problems).singleElement().satisfies(p ->
                assertThat(p.fieldPath()).isEqualTo("spec.containers[0].readinessProbe.periodSeconds"));
        assertThat(d.pod.spec().containers().get(0).readinessProbe()).hasValueSatisfying(p ->
                assertThat(p.periodSeconds()).isEqualTo(10));
    }

    @Test
    void aProbeWithoutAHandlerIsAProblemAndLeftOut() {
        PodDecoding d = PodDecoding.yaml("""
                metadata: {name: web-1, namespace: shop}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    livenessProbe:
                      periodSeconds: 5
                    readinessProbe:
                      tcpSocket:
                        port: 80
                """);
        assertThat(d.problems).singleElement().satisfies(p -> {
            assertThat(p.fieldPath()).isEqualTo("spec.containers[0].livenessProbe");
            assertThat(p.message()).contains("exec, httpGet, tcpSocket or grpc");
        });
        Container web = d.pod.spec().containers().get(0);
        assertThat(web.livenessProbe()).isEmpty();
        assertThat(web.readinessProbe()).isPresent();
    }

    @Test
    void probeTimingsLeftOutOrZeroGetKubernetesDefaults() {
        Pod pod = PodDecoding.clean("""
                metadata: {name: web-1, namespace: shop}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    readinessProbe:
                      httpGet:
                        port: 8080
                    livenessProbe:
                      exec:
                        command: [cat, /tmp/healthy]
                      timeoutSeconds: 0
                      periodSeconds: 0
                      successThreshold: 0
                      failureThreshold: 0
                """);
        Container web = pod.spec().containers().get(0);
        assertThat(web.readinessProbe()).contains(new Probe(
                new ProbeHandler.HttpGet("/", IntOrString.of(8080), "", "HTTP", List.of()), 0, 1, 10, 1, 3,
                OptionalLong.empty()));
        assertThat(web.livenessProbe()).contains(Probe.of(new ProbeHandler.Exec(List.of("cat", "/tmp/healthy"))));
    }

    @Test
    void yaml11WordsAndNumbersKeepTheirSourceText() {
        Pod pod = PodDecoding.clean("""
                metadata:
                  name: web-1
                  namespace: shop
                  labels:
                    version: 1.10
                    enabled: yes
                    mode: 0644
                spec:
                  nodeSelector:
                    gpu: on
                  containers:
                  - name: web
                    image: nginx:1.25
                    env:
                    - name: FEATURE_X
                      value: yes
                    - name: RATIO
                      value: 1.50
                    ports:
                    - containerPort: 8080
                      name: 8080
                """);
        assertThat(pod.metadata().labels()).containsEntry("version", "1.10").containsEntry("enabled", "yes")
                .containsEntry("mode", "0644");
        assertThat(pod.spec().nodeSelector()).containsEntry("gpu", "on");
        Container web = pod.spec().containers().get(0);
        assertThat(web.env()).containsExactly(EnvVar.literal("FEATURE_X", "yes"), EnvVar.literal("RATIO", "1.50"));
        assertThat(web.ports().get(0).name()).isEqualTo("8080");
    }

    @Test
    void redactedValuesAreMarkedAndTheirPathsRecorded() {
        PodDecoding d = PodDecoding.yaml("""
                metadata: {name: web-1, namespace: shop}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    env:
                    - name: UPSTREAM
                      value: '***HIDDEN***'
                status:
                  phase: Running
                  hostIP: '***HIDDEN***'
                  podIP: '***HIDDEN***'
                """);
        assertThat(d.problems).isEmpty();
        EnvVar upstream = d.pod.spec().containers().get(0).env().get(0);
        assertThat(upstream.valueState()).isEqualTo(ValueState.REDACTED);
        assertThat(upstream.value()).isEmpty();
        assertThat(d.pod.status().podIP()).isEmpty();
        assertThat(d.pod.status().hostIP()).isEmpty();
        assertThat(d.redactedPaths).containsExactlyInAnyOrder(
                "spec.containers[0].env[0].value", "status.hostIP", "status.podIP");
    }

    @Test
    void credentialsAreWithheldAndAppearNowhereInTheModel() {
        String yaml = """
                metadata: {name: api-1, namespace: shop}
                spec:
                  containers:
                  - name: api
                    image: shop/api:3.1
                    env:
                    - name: REDIS_URL
                      value: redis://:Zt8pQ2vN7w@redis.shop.svc:6379/0
                    - name: ADMIN_PASSWORD
                      value: correct-horse-battery-staple
                    - name: UPLOAD_TOKEN
                      value: 0f3c9e8a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e
                    - name: JAVA_OPTS
                      value: -Xmx512m -Dspring.datasource.password=Hunter2hunter2
                    - name: JAVA_TOOL_OPTIONS
                      value: -Xmx512m
                """;
        Pod pod = PodDecoding.clean(yaml);
        List<EnvVar> env = pod.spec().containers().get(0).env();
        assertThat(env).extracting(EnvVar::valueState).containsExactly(ValueState.WITHHELD, ValueState.WITHHELD,
                ValueState.WITHHELD, ValueState.WITHHELD, ValueState.LITERAL);
        assertThat(pod.toString()).doesNotContain("Zt8pQ2vN7w", "correct-horse", "0f3c9e8a7b6d", "Hunter2hunter2")
                .contains("-Xmx512m");
    }

    @Test
    void aPodWithoutSpecOrStatusDecodesToEmptyParts() {
        Pod pod = PodDecoding.clean("""
                apiVersion: v1
                kind: Pod
                metadata: {name: bare, namespace: default}
                """);
        assertThat(pod.spec().containers()).isEmpty();
        assertThat(pod.status()).isEqualTo(PodStatus.EMPTY);
        assertThat(pod.isScheduled()).isFalse();
        assertThat(pod.isTerminating()).isFalse();
        assertThat(pod.deletionDeadline()).isEmpty();
    }

    @Test
    void aHandEditedPhaseIsKeptAsWritten() {
        Pod pod = PodDecoding.clean("""
                metadata: {name: web-1, namespace: shop}
                status:
                  phase: CrashLoopBackOff
                """);
        assertThat(pod.status().phase()).isEqualTo("CrashLoopBackOff");
    }

    @Test
    void theDeprecatedServiceAccountFieldIsTheFallback() {
        Pod pod = PodDecoding.clean("""
                metadata: {name: old-1, namespace: legacy}
                spec:
                  serviceAccount: legacy-sa
                """);
        assertThat(pod.spec().serviceAccountName()).isEqualTo("legacy-sa");
        assertThat(PodDecoding.clean("metadata: {name: x}\nspec: {}\n").spec().effectiveServiceAccountName())
                .isEqualTo("default");
    }

    @Test
    void fieldsKubernetesDefaultsAreKeptAsWrittenWithTheirEffectiveValues() {
        Pod pod = PodDecoding.clean("""
                metadata: {name: web-1, namespace: shop}
                spec:
                  containers:
                  - name: web
                    image: nginx
                """);
        assertThat(pod.spec().restartPolicy()).isEmpty();
        assertThat(pod.spec().effectiveRestartPolicy()).isEqualTo("Always");
        assertThat(pod.spec().effectiveTerminationGracePeriodSeconds()).isEqualTo(30);
        assertThat(pod.spec().effectiveSchedulerName()).isEqualTo("default-scheduler");
        assertThat(pod.spec().containers().get(0).imagePullPolicy()).isEmpty();
        assertThat(pod.spec().containers().get(0).effectiveImagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void aVolumeWithoutASourceIsAnEmptyDirAsKubernetesDefaultsIt() {
        Pod pod = PodDecoding.clean("""
                metadata: {name: web-1, namespace: shop}
                spec:
                  volumes:
                  - name: tmp
                """);
        assertThat(pod.spec().volume("tmp").orElseThrow().source())
                .isEqualTo(new VolumeSource.EmptyDirSource("", Optional.empty()));
    }

    @Test
    void envFromWithoutASourceIsAProblem() {
        PodDecoding d = PodDecoding.yaml("""
                metadata: {name: web-1, namespace: shop}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    envFrom:
                    - prefix: APP_
                """);
        assertThat(d.problems).singleElement().satisfies(p -> assertThat(p.fieldPath()).isEqualTo("spec.containers[0].envFrom[0]"));
        assertThat(d.pod.spec().containers().get(0).envFrom()).isEmpty();
    }

    @Test
    void decodesAWorkloadTemplate() {
        MapNode node = PodDecoding.json("""
                {"metadata": {"labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/restartedAt": "2024-05-01T11:58:00Z"}},
                 "spec": {"containers": [{"name": "web", "image": "nginx:1.25",
                          "resources": {"limits": {"cpu": "500m"}}}]}}
                """);
        List<LoadProblem> problems = new ArrayList<>();
        DecodeContext ctx = new DecodeContext(PodDecoding.SOURCE, "", problems::add);
        PodTemplate template = PodDecoder.template(new Obj(node, FieldPath.ROOT.field("spec").field("template"), ctx));
        assertThat(problems).isEmpty();
        assertThat(template.labels()).containsEntry("app", "web");
        assertThat(template.annotations()).containsKey("kubectl.kubernetes.io/restartedAt");
        Container web = template.spec().containers().get(0);
        assertThat(web.resources().requests()).as("as written").isEmpty();
        assertThat(web.resources().effectiveRequests()).containsKey("cpu");
    }
}

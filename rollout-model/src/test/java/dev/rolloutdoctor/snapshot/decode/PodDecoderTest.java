package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Affinity;
import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.ContainerState;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.EnvFromSource;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.EnvVar.ValueState;
import dev.rolloutdoctor.model.EnvVarSource;
import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.KeyReference;
import dev.rolloutdoctor.model.LifecycleHandler;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.Probe;
import dev.rolloutdoctor.model.ProbeHandler;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.SecurityContext;
import dev.rolloutdoctor.model.Toleration;
import dev.rolloutdoctor.model.TopologySpreadConstraint;
import dev.rolloutdoctor.model.VolumeMount;
import dev.rolloutdoctor.model.VolumeSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A full {@code kubectl get pod -o yaml} decodes into the model, every part of it. */
class PodDecoderTest {

    /** A Deployment's pod, being deleted, crash-looping after an OOM kill; shaped as kubectl prints it. */
    static final String CHECKOUT = """
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                kubectl.kubernetes.io/restartedAt: "2024-05-01T11:58:00Z"
              creationTimestamp: "2024-05-01T12:00:00Z"
              deletionGracePeriodSeconds: 45
              deletionTimestamp: "2024-05-01T12:30:45Z"
              finalizers:
              - example.com/drain
              generateName: checkout-7d9c8b6f5-
              labels:
                app.kubernetes.io/name: checkout
                pod-template-hash: 7d9c8b6f5
              managedFields:
              - apiVersion: v1
                fieldsType: FieldsV1
                fieldsV1:
                  f:metadata:
                    f:generateName: {}
                manager: kube-controller-manager
                operation: Update
                time: "2024-05-01T12:00:00Z"
              name: checkout-7d9c8b6f5-x2x7q
              namespace: shop
              ownerReferences:
              - apiVersion: apps/v1
                blockOwnerDeletion: true
                controller: true
                kind: ReplicaSet
                name: checkout-7d9c8b6f5
                uid: 3c1c2f0e-8a0b-4a0e-9d8f-2b1a7c6d5e4f
              resourceVersion: "918273"
              uid: 0b7e6d5c-4b3a-4f1e-8d2c-1a0b9c8d7e6f
            spec:
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchExpressions:
                      - key: kubernetes.io/arch
                        operator: In
                        values:
                        - amd64
                        - arm64
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 20
                    preference:
                      matchExpressions:
                      - key: node.kubernetes.io/instance-type
                        operator: In
                        values:
                        - m5.large
                podAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 50
                    podAffinityTerm:
                      labelSelector:
                        matchLabels:
                          app.kubernetes.io/name: redis
                      namespaces:
                      - cache
                      topologyKey: topology.kubernetes.io/zone
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                  - labelSelector:
                      matchLabels:
                        app.kubernetes.io/name: checkout
                    matchLabelKeys:
                    - pod-template-hash
                    topologyKey: kubernetes.io/hostname
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 100
                    podAffinityTerm:
                      labelSelector:
                        matchExpressions:
                        - key: app.kubernetes.io/name
                          operator: In
                          values:
                          - checkout
                      namespaceSelector: {}
                      topologyKey: topology.kubernetes.io/zone
              containers:
              - name: app
                image: registry.example.com:5000/shop/checkout:2.4.1
                imagePullPolicy: IfNotPresent
                command:
                - /app/checkout
                args:
                - --listen=:8080
                - --log-format=json
                env:
                - name: LOG_LEVEL
                  value: debug
                - name: DATABASE_URL
                  value: postgres://checkout:s3cr3t-Pa55@db.shop.svc:5432/checkout
                - name: STRIPE_API_KEY
                  value: sk_live_51HxYzAbCdEfGhIjKlMnOpQr
                - name: GIT_CLONE
                  value: ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef:
                      name: checkout-db
                      key: password
                - name: FEATURE_FLAGS
                  valueFrom:
                    configMapKeyRef:
                      name: checkout-flags
                      key: flags.json
                      optional: true
                - name: POD_IP
                  valueFrom:
                    fieldRef:
                      apiVersion: v1
                      fieldPath: status.podIP
                - name: MEMORY_LIMIT
                  valueFrom:
                    resourceFieldRef:
                      containerName: app
                      divisor: 1Mi
                      resource: limits.memory
                - name: EMPTY_ON_PURPOSE
                envFrom:
                - configMapRef:
                    name: checkout-config
                - prefix: SMTP_
                  secretRef:
                    name: smtp
                    optional: true
                lifecycle:
                  postStart:
                    exec:
                      command:
                      - /bin/sh
                      - -c
                      - echo started > /tmp/started
                  preStop:
                    sleep:
                      seconds: 15
                livenessProbe:
                  tcpSocket:
                    port: 8080
                  periodSeconds: 20
                ports:
                - containerPort: 8080
                  name: http
                  protocol: TCP
                - containerPort: 9090
                  name: metrics
                - containerPort: 5353
                  hostPort: 5353
                  protocol: UDP
                readinessProbe:
                  httpGet:
                    path: /healthz/ready
                    port: http
                    scheme: HTTP
                    httpHeaders:
                    - name: Authorization
                      value: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9iZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ
                  initialDelaySeconds: 5
                  periodSeconds: 5
                  timeoutSeconds: 2
                  successThreshold: 1
                  failureThreshold: 6
                resources:
                  limits:
                    cpu: "1"
                    memory: 512Mi
                  requests:
                    cpu: 250m
                    memory: 256Mi
                securityContext:
                  allowPrivilegeEscalation: false
                  capabilities:
                    add:
                    - NET_BIND_SERVICE
                    drop:
                    - ALL
                  readOnlyRootFilesystem: true
                  runAsNonRoot: true
                  runAsUser: 10001
                  seccompProfile:
                    type: RuntimeDefault
                startupProbe:
                  grpc:
                    port: 9090
                    service: checkout.v1.Health
                  failureThreshold: 30
                  periodSeconds: 2
                  terminationGracePeriodSeconds: 10
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /data
                  name: data
                - mountPath: /etc/checkout/config.yaml
                  name: config
                  readOnly: true
                  subPath: config.yaml
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-7xk2p
                  readOnly: true
              dnsPolicy: ClusterFirst
              enableServiceLinks: true
              imagePullSecrets:
              - name: registry-credentials
              initContainers:
              - name: migrate
                image: registry.example.com:5000/shop/checkout-migrate:2.4.1
                imagePullPolicy: IfNotPresent
                command:
                - /app/migrate
                - up
                resources: {}
              - name: istio-proxy
                image: docker.io/istio/proxyv2:1.22.0
                restartPolicy: Always
                readinessProbe:
                  exec:
                    command:
                    - pilot-agent
                    - request
                    - GET
                    - healthz/ready
              nodeName: ip-10-0-12-34.eu-west-1.compute.internal
              nodeSelector:
                kubernetes.io/os: linux
              preemptionPolicy: PreemptLowerPriority
              priority: 1000
              priorityClassName: shop-critical
              readinessGates:
              - conditionType: target-health.elbv2.k8s.aws/checkout-tg
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext:
                fsGroup: 10001
                runAsNonRoot: true
                seccompProfile:
                  type: RuntimeDefault
                sysctls:
                - name: net.ipv4.ip_unprivileged_port_start
                  value: "0"
              serviceAccount: checkout
              serviceAccountName: checkout
              terminationGracePeriodSeconds: 45
              tolerations:
              - effect: NoExecute
                key: node.kubernetes.io/not-ready
                operator: Exists
                tolerationSeconds: 300
              - effect: NoExecute
                key: node.kubernetes.io/unreachable
                operator: Exists
                tolerationSeconds: 300
              - effect: NoSchedule
                key: dedicated
                operator: Equal
                value: shop
              topologySpreadConstraints:
              - labelSelector:
                  matchLabels:
                    app.kubernetes.io/name: checkout
                matchLabelKeys:
                - pod-template-hash
                maxSkew: 1
                minDomains: 3
                topologyKey: topology.kubernetes.io/zone
                whenUnsatisfiable: DoNotSchedule
              volumes:
              - name: data
                persistentVolumeClaim:
                  claimName: checkout-data
              - configMap:
                  defaultMode: 420
                  items:
                  - key: config.yaml
                    path: config.yaml
                  name: checkout-config
                name: config
              - name: tls
                secret:
                  defaultMode: 420
                  optional: false
                  secretName: checkout-tls
              - emptyDir:
                  medium: Memory
                  sizeLimit: 64Mi
                name: scratch
              - hostPath:
                  path: /var/log
                  type: Directory
                name: host-logs
              - ephemeral:
                  volumeClaimTemplate:
                    spec:
                      accessModes:
                      - ReadWriteOnce
                      resources:
                        requests:
                          storage: 1Gi
                      storageClassName: gp3
                name: cache
              - name: shared
                nfs:
                  path: /exports/shop
                  server: nfs.example.com
              - name: kube-api-access-7xk2p
                projected:
                  defaultMode: 420
                  sources:
                  - serviceAccountToken:
                      expirationSeconds: 3607
                      path: token
                  - configMap:
                      items:
                      - key: ca.crt
                        path: ca.crt
                      name: kube-root-ca.crt
                  - downwardAPI:
                      items:
                      - fieldRef:
                          apiVersion: v1
                          fieldPath: metadata.namespace
                        path: namespace
                  - secret:
                      name: checkout-extra
                      optional: true
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2024-05-01T12:00:09Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2024-05-01T12:02:10Z"
                message: 'containers with unready status: [app]'
                reason: ContainersNotReady
                status: "False"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2024-05-01T12:00:01Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - containerID: containerd://4f1e0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f
                image: registry.example.com:5000/shop/checkout:2.4.1
                imageID: registry.example.com:5000/shop/checkout@sha256:9b2d3c4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff001
                lastState:
                  terminated:
                    containerID: containerd://aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33bb44cc55dd66
                    exitCode: 137
                    finishedAt: "2024-05-01T12:02:09Z"
                    reason: OOMKilled
                    startedAt: "2024-05-01T12:01:30Z"
                name: app
                ready: false
                restartCount: 3
                started: false
                state:
                  waiting:
                    message: back-off 40s restarting failed container=app pod=checkout-7d9c8b6f5-x2x7q_shop(0b7e6d5c-4b3a-4f1e-8d2c-1a0b9c8d7e6f)
                    reason: CrashLoopBackOff
              hostIP: 10.0.12.34
              hostIPs:
              - ip: 10.0.12.34
              initContainerStatuses:
              - containerID: containerd://1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b
                image: registry.example.com:5000/shop/checkout-migrate:2.4.1
                imageID: registry.example.com:5000/shop/checkout-migrate@sha256:0011223344556677889900aabbccddeeff00112233445566778899aabbccddee
                lastState: {}
                name: migrate
                ready: true
                restartCount: 0
                started: false
                state:
                  terminated:
                    containerID: containerd://1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b
                    exitCode: 0
                    finishedAt: "2024-05-01T12:00:08Z"
                    reason: Completed
                    startedAt: "2024-05-01T12:00:03Z"
              - image: docker.io/istio/proxyv2:1.22.0
                imageID: docker.io/istio/proxyv2@sha256:aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899
                lastState: {}
                name: istio-proxy
                ready: true
                restartCount: 0
                started: true
                state:
                  running:
                    startedAt: "2024-05-01T12:00:09Z"
              phase: Running
              podIP: 10.0.12.77
              podIPs:
              - ip: 10.0.12.77
              qosClass: Burstable
              startTime: "2024-05-01T12:00:01Z"
            """;

    private static final Pod POD = PodDecoding.clean(CHECKOUT);

    private static Container app() {
        return POD.spec().containers().get(0);
    }

    @Test
    void decodesIdentityAndMetadataAndDropsManagedFields() {
        assertThat(POD.apiVersion()).isEqualTo("v1");
        assertThat(POD.kind()).isEqualTo("Pod");
        assertThat(POD.ref().toString()).isEqualTo("Pod shop/checkout-7d9c8b6f5-x2x7q");
        assertThat(POD.metadata().labels()).containsEntry("pod-template-hash", "7d9c8b6f5");
        assertThat(POD.metadata().controllerRef()).hasValueSatisfying(o -> assertThat(o.name()).isEqualTo("checkout-7d9c8b6f5"));
        assertThat(POD.toString()).doesNotContain("managedFields", "kube-controller-manager");
        assertThat(POD.source()).isEqualTo(PodDecoding.SOURCE);
    }

    @Test
    void aPodBeingDeletedHasItsDeletionTimestampAsDeadline() {
        assertThat(POD.isTerminating()).isTrue();
        assertThat(POD.deletionDeadline()).contains(Instant.parse("2024-05-01T12:30:45Z"));
        assertThat(POD.metadata().deletionGracePeriodSeconds()).isEqualTo(OptionalLong.of(45));
    }

    @Test
    void readinessAndSchedulingComeFromConditionsAndNodeName() {
        assertThat(POD.isReady()).isFalse();
        assertThat(POD.isScheduled()).isTrue();
        assertThat(POD.isTerminal()).isFalse();
        assertThat(POD.status().condition("Ready")).hasValueSatisfying(c ->
                assertThat(c.message()).isEqualTo("containers with unready status: [app]"));
    }

    @Test
    void decodesPodLevelSchedulingFields() {
        PodSpec spec = POD.spec();
        assertThat(spec.nodeName()).isEqualTo("ip-10-0-12-34.eu-west-1.compute.internal");
        assertThat(spec.nodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
        assertThat(spec.priority()).isEqualTo(OptionalInt.of(1000));
        assertThat(spec.priorityClassName()).isEqualTo("shop-critical");
        assertThat(spec.schedulerName()).isEqualTo("default-scheduler");
        assertThat(spec.serviceAccountName()).isEqualTo("checkout");
        assertThat(spec.terminationGracePeriodSeconds()).isEqualTo(OptionalLong.of(45));
        assertThat(spec.restartPolicy()).isEqualTo("Always");
        assertThat(spec.imagePullSecrets()).containsExactly("registry-credentials");
        assertThat(spec.readinessGates()).containsExactly("target-health.elbv2.k8s.aws/checkout-tg");
        assertThat(spec.hostNetwork()).isFalse();
    }

    @Test
    void decodesNodeAndPodAffinity() {
        Affinity affinity = POD.spec().affinity().orElseThrow();
        assertThat(affinity.requiredNodeTerms()).hasSize(1);
        assertThat(affinity.requiredNodeTerms().get(0).matches(Map.of("kubernetes.io/arch", "arm64"), "n1")).isTrue();
        assertThat(affinity.requiredNodeTerms().get(0).matches(Map.of("kubernetes.io/arch", "s390x"), "n1")).isFalse();
        assertThat(affinity.preferredNodeTerms()).singleElement().satisfies(w -> assertThat(w.weight()).isEqualTo(20));
        assertThat(affinity.preferredPodAffinity()).singleElement().satisfies(w -> {
            assertThat(w.weight()).isEqualTo(50);
            assertThat(w.term().namespaces()).containsExactly("cache");
            assertThat(w.term().labelSelector().orElseThrow().matches(Map.of("app.kubernetes.io/name", "redis"))).isTrue();
        });
        Affinity.PodAffinityTerm anti = affinity.requiredPodAntiAffinity().get(0);
        assertThat(anti.topologyKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(anti.matchLabelKeys()).containsExactly("pod-template-hash");
        assertThat(anti.namespaceSelector()).isEmpty();
        Affinity.PodAffinityTerm preferredAnti = affinity.preferredPodAntiAffinity().get(0).term();
        assertThat(preferredAnti.namespaceSelector()).as("present and empty: all namespaces").isPresent();
        assertThat(affinity.hasRequirements()).isTrue();
    }

    @Test
    void decodesTolerationsAndSpreadConstraints() {
        assertThat(POD.spec().tolerations()).containsExactly(
                new Toleration("node.kubernetes.io/not-ready", Toleration.Operator.EXISTS, "", "NoExecute", OptionalLong.of(300)),
                new Toleration("node.kubernetes.io/unreachable", Toleration.Operator.EXISTS, "", "NoExecute", OptionalLong.of(300)),
                new Toleration("dedicated", Toleration.Operator.EQUAL, "shop", "NoSchedule", OptionalLong.empty()));
        TopologySpreadConstraint spread = POD.spec().topologySpreadConstraints().get(0);
        assertThat(spread.maxSkew()).isEqualTo(1);
        assertThat(spread.isHard()).isTrue();
        assertThat(spread.minDomains()).isEqualTo(OptionalInt.of(3));
        assertThat(spread.matchLabelKeys()).containsExactly("pod-template-hash");
        assertThat(spread.labelSelector()).isPresent();
        assertThat(spread.nodeAffinityPolicy()).isEmpty();
    }

    @Test
    void decodesPodAndContainerSecurityContexts() {
        SecurityContext pod = POD.spec().securityContext().orElseThrow();
        assertThat(pod.runAsNonRoot()).contains(true);
        assertThat(pod.seccompProfileType()).isEqualTo("RuntimeDefault");
        assertThat(pod.sysctls()).containsExactly("net.ipv4.ip_unprivileged_port_start");
        SecurityContext container = app().securityContext().orElseThrow();
        assertThat(container.allowPrivilegeEscalation()).contains(false);
        assertThat(container.capabilitiesDrop()).containsExactly("ALL");
        assertThat(container.capabilitiesAdd()).containsExactly("NET_BIND_SERVICE");
        assertThat(container.runAsUser()).isEqualTo(OptionalLong.of(10001));
        assertThat(container.readOnlyRootFilesystem()).contains(true);
        assertThat(container.privileged()).isEmpty();
    }

    @Test
    void decodesInitContainersAndNativeSidecars() {
        assertThat(POD.spec().initContainers()).extracting(Container::name).containsExactly("migrate", "istio-proxy");
        assertThat(POD.spec().initContainers().get(0).isSidecar()).isFalse();
        assertThat(POD.spec().initContainers().get(1).isSidecar()).isTrue();
        assertThat(POD.spec().allContainers()).extracting(Container::name).containsExactly("migrate", "istio-proxy", "app");
        assertThat(POD.spec().initContainers().get(0).resources().isEmpty()).isTrue();
    }

    @Test
    void decodesContainerBasics() {
        Container app = app();
        assertThat(app.image()).isEqualTo("registry.example.com:5000/shop/checkout:2.4.1");
        assertThat(app.imageTag()).contains("2.4.1");
        assertThat(app.command()).containsExactly("/app/checkout");
        assertThat(app.args()).containsExactly("--listen=:8080", "--log-format=json");
        assertThat(app.resources().requests()).containsEntry("cpu", Quantity.parse("250m"));
        assertThat(app.resources().limits()).containsEntry("memory", Quantity.parse("512Mi"));
    }

    @Test
    void portsDefaultTheirProtocolToTcp() {
        assertThat(app().ports()).containsExactly(
                new ContainerPort("http", 8080, 0, "TCP", ""),
                new ContainerPort("metrics", 9090, 0, "TCP", ""),
                new ContainerPort("", 5353, 5353, "UDP", ""));
        assertThat(app().port("metrics")).hasValueSatisfying(p -> assertThat(p.containerPort()).isEqualTo(9090));
    }

    @Test
    void decodesProbesOfEveryKind() {
        Container app = app();
        assertThat(app.readinessProbe()).contains(new Probe(
                new ProbeHandler.HttpGet("/healthz/ready", IntOrString.of("http"), "", "HTTP", List.of("Authorization")),
                5, 2, 5, 1, 6, OptionalLong.empty()));
        assertThat(app.livenessProbe()).contains(new Probe(
                new ProbeHandler.TcpSocket(IntOrString.of(8080), ""), 0, 1, 20, 1, 3, OptionalLong.empty()));
        assertThat(app.startupProbe()).contains(new Probe(
                new ProbeHandler.Grpc(9090, "checkout.v1.Health"), 0, 1, 2, 1, 30, OptionalLong.of(10)));
        assertThat(POD.spec().initContainers().get(1).readinessProbe()).hasValueSatisfying(p ->
                assertThat(p.handler()).isEqualTo(new ProbeHandler.Exec(List.of("pilot-agent", "request", "GET", "healthz/ready"))));
        assertThat(app.probes()).hasSize(3);
    }

    @Test
    void probeHeaderValuesAreNotKept() {
        assertThat(POD.toString()).doesNotContain("eyJhbGciOiJIUzI1NiJ9");
    }

    @Test
    void decodesLifecycleHooks() {
        assertThat(app().preStop()).contains(new LifecycleHandler.Sleep(15));
        assertThat(app().postStart()).contains(
                new ProbeHandler.Exec(List.of("/bin/sh", "-c", "echo started > /tmp/started")));
    }

    @Test
    void decodesEnvironmentOfEveryKind() {
        List<EnvVar> env = app().env();
        assertThat(env).extracting(EnvVar::name).containsExactly("LOG_LEVEL", "DATABASE_URL", "STRIPE_API_KEY",
                "GIT_CLONE", "DB_PASSWORD", "FEATURE_FLAGS", "POD_IP", "MEMORY_LIMIT", "EMPTY_ON_PURPOSE");
        assertThat(env.get(0)).isEqualTo(EnvVar.literal("LOG_LEVEL", "debug"));
        assertThat(env.get(4)).isEqualTo(EnvVar.from("DB_PASSWORD", new KeyReference("Secret", "checkout-db", "password", false)));
        assertThat(env.get(5).keyReference()).contains(new KeyReference("ConfigMap", "checkout-flags", "flags.json", true));
        assertThat(env.get(6).valueFrom()).contains(new EnvVarSource.FieldRef("status.podIP"));
        assertThat(env.get(7).valueFrom()).contains(new EnvVarSource.ResourceFieldRef("app", "limits.memory"));
        assertThat(env.get(8)).isEqualTo(new EnvVar("EMPTY_ON_PURPOSE", Optional.empty(), ValueState.NONE, Optional.empty()));
    }

    @Test
    void credentialLookingValuesAreWithheldByNameOrByShape() {
        List<EnvVar> env = app().env();
        assertThat(env.subList(1, 4)).allSatisfy(e -> {
            assertThat(e.valueState()).isEqualTo(ValueState.WITHHELD);
            assertThat(e.value()).isEmpty();
        });
        assertThat(POD.toString()).doesNotContain("s3cr3t-Pa55", "sk_live_51HxYz", "ghp_1A2b3C4d");
    }

    @Test
    void decodesEnvFrom() {
        assertThat(app().envFrom()).containsExactly(
                new EnvFromSource("ConfigMap", "checkout-config", "", false),
                new EnvFromSource("Secret", "smtp", "SMTP_", true));
    }

    @Test
    void decodesVolumeMounts() {
        assertThat(app().volumeMounts()).containsExactly(
                new VolumeMount("data", "/data", false, ""),
                new VolumeMount("config", "/etc/checkout/config.yaml", true, "config.yaml"),
                new VolumeMount("kube-api-access-7xk2p", "/var/run/secrets/kubernetes.io/serviceaccount", true, ""));
    }

    @Test
    void decodesVolumesOfEveryKind() {
        PodSpec spec = POD.spec();
        assertThat(spec.volume("data").orElseThrow().source())
                .isEqualTo(new VolumeSource.PersistentVolumeClaimSource("checkout-data", false));
        assertThat(spec.volume("config").orElseThrow().source())
                .isEqualTo(new VolumeSource.ConfigMapSource("checkout-config", false, List.of("config.yaml")));
        assertThat(spec.volume("tls").orElseThrow().source())
                .isEqualTo(new VolumeSource.SecretSource("checkout-tls", false, List.of()));
        assertThat(spec.volume("scratch").orElseThrow().source())
                .isEqualTo(new VolumeSource.EmptyDirSource("Memory", Optional.of(Quantity.parse("64Mi"))));
        assertThat(spec.volume("host-logs").orElseThrow().source())
                .isEqualTo(new VolumeSource.HostPathSource("/var/log", "Directory"));
        assertThat(spec.volume("cache").orElseThrow().source()).isEqualTo(new VolumeSource.EphemeralSource(
                Optional.of("gp3"), List.of("ReadWriteOnce"), Optional.of(Quantity.parse("1Gi"))));
        assertThat(spec.volume("shared").orElseThrow().source()).isEqualTo(new VolumeSource.OtherSource("nfs"));
    }

    @Test
    void decodesProjectedVolumeSources() {
        VolumeSource projected = POD.spec().volume("kube-api-access-7xk2p").orElseThrow().source();
        assertThat(projected).isEqualTo(new VolumeSource.ProjectedSource(List.of(
                new VolumeSource.ServiceAccountTokenSource("", OptionalLong.of(3607), "token"),
                new VolumeSource.ConfigMapSource("kube-root-ca.crt", false, List.of("ca.crt")),
                new VolumeSource.DownwardAPISource(),
                new VolumeSource.SecretSource("checkout-extra", true, List.of()))));
    }

    @Test
    void decodesPodStatus() {
        assertThat(POD.status().phase()).isEqualTo("Running");
        assertThat(POD.status().qosClass()).isEqualTo("Burstable");
        assertThat(POD.status().podIP()).isEqualTo("10.0.12.77");
        assertThat(POD.status().hostIP()).isEqualTo("10.0.12.34");
        assertThat(POD.status().startTime()).contains(Instant.parse("2024-05-01T12:00:01Z"));
        assertThat(POD.status().conditions()).extracting(c -> c.type()).containsExactly("Initialized", "Ready", "PodScheduled");
    }

    @Test
    void decodesWaitingStateAndTheTerminationBeforeIt() {
        ContainerStatus app = POD.containerStatus("app").orElseThrow();
        assertThat(app.ready()).isFalse();
        assertThat(app.started()).contains(false);
        assertThat(app.restartCount()).isEqualTo(3);
        assertThat(app.state().waiting()).contains(new ContainerState.Waiting("CrashLoopBackOff",
                "back-off 40s restarting failed container=app pod=checkout-7d9c8b6f5-x2x7q_shop(0b7e6d5c-4b3a-4f1e-8d2c-1a0b9c8d7e6f)"));
        assertThat(app.state().reason()).isEqualTo("CrashLoopBackOff");
        assertThat(app.lastState().terminated()).contains(new ContainerState.Terminated(137, OptionalInt.empty(),
                "OOMKilled", "", Optional.of(Instant.parse("2024-05-01T12:01:30Z")),
                Optional.of(Instant.parse("2024-05-01T12:02:09Z"))));
        assertThat(app.imageID()).startsWith("registry.example.com:5000/shop/checkout@sha256:");
    }

    @Test
    void decodesTerminatedAndRunningInitContainers() {
        ContainerStatus migrate = POD.containerStatus("migrate").orElseThrow();
        assertThat(migrate.state().terminated()).hasValueSatisfying(t -> {
            assertThat(t.exitCode()).isZero();
            assertThat(t.reason()).isEqualTo("Completed");
        });
        assertThat(migrate.lastState()).isEqualTo(ContainerState.EMPTY);
        ContainerStatus proxy = POD.containerStatus("istio-proxy").orElseThrow();
        assertThat(proxy.state().running()).contains(new ContainerState.Running(Optional.of(Instant.parse("2024-05-01T12:00:09Z"))));
    }

    @Test
    void allContainerStatusesListsInitContainersFirst() {
        assertThat(POD.allContainerStatuses()).extracting(ContainerStatus::name)
                .containsExactly("migrate", "istio-proxy", "app");
        assertThat(POD.containerStatus("debugger")).isEmpty();
    }

    @Test
    void decodingIsDeterministic() {
        assertThat(PodDecoding.clean(CHECKOUT)).isEqualTo(POD);
        assertThat(PodDecoding.clean(CHECKOUT).toString()).isEqualTo(POD.toString());
    }
}

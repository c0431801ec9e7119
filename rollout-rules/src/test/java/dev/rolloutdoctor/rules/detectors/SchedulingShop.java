package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.rules.RuleInfo;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A rollout stuck on scheduling, in the shape of {@code kubectl get -o yaml}: Deployment {@code shop/web} (3 replicas,
 * maxSurge/maxUnavailable 25%) moving from image 2.0.0 (ReplicaSet {@code web-5f6d8b9c7}, revision 1) to 2.0.1
 * (ReplicaSet {@code web-7d9c6b5f4}, revision 2), whose new pods wait for the scheduler. Tests choose the pod spec,
 * the nodes and the scheduler's words; the documents come from here so that uids, owner references and
 * pod-template-hash labels agree.
 */
final class SchedulingShop {

    static final String CAPTURED_AT = "2024-05-01T10:20:00Z";
    static final String DEPLOYMENT_UID = "7c1b9c44-5f0e-4a53-9a0e-3c2d7f1b8e01";
    static final String OLD_RS_UID = "0f3e8d1c-2b4a-4c5d-8e9f-a1b2c3d4e5f6";
    static final String NEW_RS_UID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    static final String NEW_IMAGE = "registry.example.com/shop/web:2.0.1";

    /** The app container asking for {@code cpu} and 1Gi of memory. */
    static String requesting(String cpu) {
        return """
                containers:
                - name: app
                  image: registry.example.com/shop/web:2.0.1
                  ports:
                  - {containerPort: 8080, protocol: TCP}
                  resources:
                    requests: {cpu: "%s", memory: 1Gi}
                """.formatted(cpu);
    }

    private SchedulingShop() {
    }

    static String oldSpec(String spec) {
        return spec.replace("shop/web:2.0.1", "shop/web:2.0.0");
    }

    /** The Deployment, mid-rollout: 1 new pod created, none available, the progress deadline passed. */
    static String deployment(String spec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                  uid: %s
                  generation: 2
                  creationTimestamp: "2024-05-01T08:00:00Z"
                  annotations: {deployment.kubernetes.io/revision: "2"}
                  labels: {app: web}
                spec:
                  replicas: 3
                  progressDeadlineSeconds: 600
                  selector:
                    matchLabels: {app: web}
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxSurge: 25%%, maxUnavailable: 25%%}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                %s
                status:
                  observedGeneration: 2
                  replicas: 4
                  updatedReplicas: 1
                  readyReplicas: 3
                  availableReplicas: 3
                  unavailableReplicas: 1
                  conditions:
                  - type: Available
                    status: "True"
                    reason: MinimumReplicasAvailable
                    message: Deployment has minimum availability.
                    lastUpdateTime: "2024-05-01T08:01:00Z"
                    lastTransitionTime: "2024-05-01T08:01:00Z"
                  - type: Progressing
                    status: "False"
                    reason: ProgressDeadlineExceeded
                    message: ReplicaSet "web-7d9c6b5f4" has timed out progressing.
                    lastUpdateTime: "2024-05-01T10:10:01Z"
                    lastTransitionTime: "2024-05-01T10:10:01Z"
                """.formatted(DEPLOYMENT_UID, spec.indent(6).stripTrailing());
    }

    static String replicaSets(String spec, int newReplicas) {
        return replicaSet("web-5f6d8b9c7", OLD_RS_UID, "5f6d8b9c7", 1, oldSpec(spec), 3, 3)
                + "---\n" + replicaSet("web-7d9c6b5f4", NEW_RS_UID, "7d9c6b5f4", 2, spec, newReplicas, 0);
    }

    private static String replicaSet(String name, String uid, String hash, int revision, String spec, int replicas, int ready) {
        return """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %s
                  namespace: shop
                  uid: %s
                  generation: 1
                  annotations: {deployment.kubernetes.io/revision: "%d", deployment.kubernetes.io/desired-replicas: "3", deployment.kubernetes.io/max-replicas: "4"}
                  labels: {app: web, pod-template-hash: "%s"}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: Deployment, name: web, uid: %s, controller: true, blockOwnerDeletion: true}
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web, pod-template-hash: "%s"}
                  template:
                    metadata:
                      labels: {app: web, pod-template-hash: "%s"}
                    spec:
                %s
                status:
                  observedGeneration: 1
                  replicas: %d
                  readyReplicas: %d
                  availableReplicas: %d
                """.formatted(name, uid, revision, hash, DEPLOYMENT_UID, replicas, hash, hash,
                spec.indent(6).stripTrailing(), replicas, ready, ready);
    }

    /** An old pod, Running and Ready on {@code node}. */
    static String oldPod(String name, String node, String spec) {
        return pod(name, "web-5f6d8b9c7", OLD_RS_UID, "5f6d8b9c7", oldSpec(spec), node, """
                phase: Running
                startTime: "2024-05-01T08:00:10Z"
                conditions:
                - {type: PodScheduled, status: "True", lastTransitionTime: "2024-05-01T08:00:05Z"}
                - {type: Ready, status: "True", lastTransitionTime: "2024-05-01T08:00:40Z"}
                containerStatuses:
                - name: app
                  image: registry.example.com/shop/web:2.0.0
                  ready: true
                  started: true
                  restartCount: 0
                  state: {running: {startedAt: "2024-05-01T08:00:20Z"}}
                """);
    }

    /** A new pod the scheduler could not place; without a message, no PodScheduled condition at all. */
    static String pendingPod(String name, String spec, String message) {
        String condition = message == null ? "" : """
                conditions:
                - type: PodScheduled
                  status: "False"
                  reason: Unschedulable
                  message: '%s'
                  lastTransitionTime: "2024-05-01T10:00:02Z"
                """.formatted(message.replace("'", "''"));
        return pod(name, "web-7d9c6b5f4", NEW_RS_UID, "7d9c6b5f4", spec, "", "phase: Pending\nqosClass: Burstable\n" + condition);
    }

    /** A new pod bound to {@code node} that never became Ready. */
    static String boundNewPod(String name, String node, String spec) {
        return pod(name, "web-7d9c6b5f4", NEW_RS_UID, "7d9c6b5f4", spec, node, """
                phase: Pending
                conditions:
                - {type: PodScheduled, status: "True", lastTransitionTime: "2024-05-01T10:00:02Z"}
                - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]", lastTransitionTime: "2024-05-01T10:00:02Z"}
                containerStatuses:
                - name: app
                  image: registry.example.com/shop/web:2.0.1
                  ready: false
                  restartCount: 0
                  state: {waiting: {reason: ContainerCreating}}
                """);
    }

    private static String pod(String name, String rs, String rsUid, String hash, String spec, String node, String status) {
        String nodeName = node.isEmpty() ? "" : "nodeName: " + node + "\n";
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: shop
                  uid: uid-%s
                  creationTimestamp: "2024-05-01T10:00:01Z"
                  labels: {app: web, pod-template-hash: "%s"}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true, blockOwnerDeletion: true}
                spec:
                %s
                status:
                %s
                """.formatted(name, name, hash, rs, rsUid, (nodeName + spec).indent(2).stripTrailing(),
                status.indent(2).stripTrailing());
    }

    /** A worker node, Ready, with the given allocatable cpu and memory; {@code extra} goes under {@code spec}. */
    static String node(String name, String cpu, String memory, String extraSpec) {
        return node(name, cpu, memory, extraSpec, "", readyCondition());
    }

    static String node(String name, String cpu, String memory, String extraSpec, String extraLabels, String conditions) {
        return """
                apiVersion: v1
                kind: Node
                metadata:
                  name: %s
                  labels: {kubernetes.io/hostname: %s, kubernetes.io/os: linux%s}
                spec:
                  podCIDR: 10.244.0.0/24
                %s
                status:
                  capacity: {cpu: "%s", memory: %s, pods: "110"}
                  allocatable: {cpu: "%s", memory: %s, pods: "110"}
                  conditions:
                %s
                """.formatted(name, name, extraLabels.isEmpty() ? "" : ", " + extraLabels, extraSpec.indent(2).stripTrailing(),
                cpu, memory, cpu, memory, conditions.indent(2).stripTrailing());
    }

    static String readyCondition() {
        return """
                - {type: MemoryPressure, status: "False", reason: KubeletHasSufficientMemory, lastHeartbeatTime: "2024-05-01T10:19:30Z"}
                - {type: DiskPressure, status: "False", reason: KubeletHasNoDiskPressure, lastHeartbeatTime: "2024-05-01T10:19:30Z"}
                - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status, lastHeartbeatTime: "2024-05-01T10:19:30Z", lastTransitionTime: "2024-05-01T07:00:00Z"}
                """;
    }

    /** A FailedScheduling event as the scheduler writes it (events.k8s.io, read through core/v1). */
    static String schedulerEvent(String pod, String message, int count) {
        return """
                apiVersion: v1
                kind: Event
                metadata:
                  name: %s.17cb2a1f00000000
                  namespace: shop
                involvedObject: {apiVersion: v1, kind: Pod, name: %s, namespace: shop, uid: uid-%s}
                reason: FailedScheduling
                message: '%s'
                type: Warning
                source: {}
                reportingComponent: default-scheduler
                reportingInstance: default-scheduler-control-plane
                action: Scheduling
                eventTime: "2024-05-01T10:00:02.104311Z"
                firstTimestamp: null
                lastTimestamp: null
                series: {count: %d, lastObservedTime: "2024-05-01T10:18:44.215612Z"}
                """.formatted(pod, pod, pod, message.replace("'", "''"), count);
    }

    /** Documents joined as one multi-document YAML stream. */
    static String docs(String... documents) {
        return String.join("---\n", documents);
    }

    // ------------------------------------------------------------------ real-world inputs

    /** The shared corpus of real dumps; absent in a user's clone, so tests that read it assume it is there. */
    static final Path REALWORLD = Path.of("..", "..", "shared", "realworld").toAbsolutePath().normalize();

    /**
     * Real files from the corpus, plus inline documents (the Deployment and ReplicaSet that own a real pod, which the
     * corpus does not hold), as one snapshot.
     */
    static Snapshot realWorld(String inline, String capturedAt, String... files) {
        List<Path> paths = new ArrayList<>();
        for (String f : files) {
            paths.add(REALWORLD.resolve(f));
        }
        Snapshot real = SnapshotLoader.create().withParallelism(1).load(paths);
        Snapshot added = SnapshotLoader.create().withParallelism(1)
                .load("inline.yaml", new ByteArrayInputStream(inline.getBytes(StandardCharsets.UTF_8)));
        Snapshot.Builder b = Snapshot.builder();
        for (Snapshot s : List.of(real, added)) {
            for (KubeObject o : s.objects()) {
                b.add(o);
            }
            s.collectedKinds().forEach(b::collectedKind);
        }
        b.source("realworld");
        b.capturedAt(Instant.parse(capturedAt));
        return b.build();
    }

    /** What one detector finds in a snapshot. */
    static List<Finding> findings(Detector detector, Snapshot snapshot) {
        Diagnosis d = RuleEngine.create().diagnose(snapshot);
        return detector.detect(new DetectionContext(snapshot, d.rollouts().stream().map(RolloutDiagnosis::status).toList()));
    }

    /** The engine's diagnosis with the built-in detectors and these (those not yet built in). */
    static Diagnosis diagnose(Snapshot snapshot, Detector... detectors) {
        DetectorRegistry registry = DetectorRegistry.builtIn();
        List<Detector> extra = new ArrayList<>();
        for (Detector d : detectors) {
            if (registry.rule(RuleInfo.of(d.getClass()).id()).isEmpty()) {
                extra.add(d);
            }
        }
        return RuleEngine.of(registry.with(extra)).diagnose(snapshot);
    }

    /** A snapshot of inline YAML, captured at {@link #CAPTURED_AT}. */
    static Snapshot load(String yaml) {
        return SnapshotLoader.create().withParallelism(1).withCapturedAt(Instant.parse(CAPTURED_AT))
                .load("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** A Deployment and its ReplicaSet owning a real pod: the corpus holds the pod only. */
    static String owners(String namespace, String deployment, String replicaSet, String rsUid, String labels, String template) {
        String hash = replicaSet.substring(replicaSet.lastIndexOf('-') + 1);
        String rsTemplate = template.replace("labels: {" + labels + "}", "labels: {" + labels + ", pod-template-hash: " + hash + "}");
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s, uid: d-real-1, generation: 3, annotations: {deployment.kubernetes.io/revision: "3"}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {%s}}
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%%, maxUnavailable: 50%%}}
                  template:
                %s
                status: {observedGeneration: 3, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %s
                  namespace: %s
                  uid: %s
                  annotations: {deployment.kubernetes.io/revision: "3"}
                  labels: {%s, pod-template-hash: %s}
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: %s, uid: d-real-1, controller: true}]
                spec:
                  replicas: 1
                  selector: {matchLabels: {%s, pod-template-hash: %s}}
                  template:
                %s
                status: {replicas: 1}
                """.formatted(deployment, namespace, labels, template.indent(4), replicaSet, namespace, rsUid, labels, hash,
                deployment, labels, hash, rsTemplate.indent(4));
    }

    /** A pending pod of the ReplicaSet {@link #owners} writes, with no PodScheduled condition: the scheduler's word is in the events. */
    static String ownedPendingPod(String namespace, String name, String uid, String replicaSet, String rsUid, String labels, String spec) {
        String hash = replicaSet.substring(replicaSet.lastIndexOf('-') + 1);
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  uid: %s
                  labels: {%s, pod-template-hash: %s}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true}]
                spec:
                %s
                status: {phase: Pending}
                """.formatted(name, namespace, uid, labels, hash, replicaSet, rsUid, spec.indent(2).stripTrailing());
    }
}

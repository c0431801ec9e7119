package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.rules.RuleInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The rollouts the storage rules' tests start from, in {@code kubectl get -o yaml} shape. Deployment {@code shop/web}
 * moves from revision 1 (ReplicaSet {@code web-7b9d5c6f4}, one old pod {@code web-7b9d5c6f4-m2n8d} running on
 * {@code node-a}) to revision 2 (ReplicaSet {@code web-5d8f7c9b6}), past its progress deadline; each test writes the
 * new pod template's volumes, the new pods' placement and status, and the storage objects and events inline.
 */
final class StorageRollouts {

    static final String CAPTURED_AT = "2025-06-02T10:30:00Z";
    static final String OLD_RS = "web-7b9d5c6f4";
    static final String NEW_RS = "web-5d8f7c9b6";
    static final String OLD_POD = "web-7b9d5c6f4-m2n8d";
    static final String NEW_POD = "web-5d8f7c9b6-x7k2p";
    static final String NEW_POD_B = "web-5d8f7c9b6-q9w4z";

    /** A new pod the scheduler could not place. */
    static final String UNSCHEDULED = """
            phase: Pending
            conditions:
            - {type: PodScheduled, status: "False", reason: Unschedulable, lastTransitionTime: "2025-06-02T10:00:02Z",
               message: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."}
            """;

    /** A new pod on a node whose containers wait for their volumes. */
    static final String CONTAINER_CREATING = """
            phase: Pending
            conditions:
            - {type: Initialized, status: "True", lastTransitionTime: "2025-06-02T10:00:03Z"}
            - {type: Ready, status: "False", reason: ContainersNotReady, message: "containers with unready status: [app]", lastTransitionTime: "2025-06-02T10:00:03Z"}
            - {type: PodScheduled, status: "True", lastTransitionTime: "2025-06-02T10:00:03Z"}
            containerStatuses:
            - name: app
              image: shop/web:1.3
              imageID: ""
              ready: false
              restartCount: 0
              started: false
              state: {waiting: {reason: ContainerCreating}}
            """;

    private StorageRollouts() {
    }

    /**
     * The whole engine's diagnosis with the three storage rules added (those not built in yet): they name each other
     * in {@code explains}, so they must be registered together.
     */
    static Diagnosis diagnose(DetectorHarness harness) {
        DetectorRegistry registry = DetectorRegistry.builtIn();
        List<Detector> missing = new ArrayList<>();
        for (Detector d : List.of(new PvcUnbound(), new VolumeAttachConflict(), new VolumeMountFailed())) {
            if (registry.rule(RuleInfo.of(d.getClass()).id()).isEmpty()) {
                missing.add(d);
            }
        }
        return RuleEngine.of(missing.isEmpty() ? registry : registry.with(missing)).diagnose(harness.snapshot());
    }

    /** The pod spec of a revision: one container mounting {@code volumes} (a YAML list of pod volumes). */
    static String spec(String image, String volumes) {
        return """
                containers:
                - name: app
                  image: %s
                  volumeMounts: [{name: data, mountPath: /var/lib/web}]
                volumes:
                %s
                """.formatted(image, volumes.stripTrailing().indent(2).stripTrailing());
    }

    static String claimVolume(String claim) {
        return "- name: data\n  persistentVolumeClaim: {claimName: " + claim + "}\n";
    }

    /**
     * The Deployment with {@code replicas}, both ReplicaSets and the old pod; revision 1 had the same volumes (the
     * rollout changes the image only), unless {@code oldVolumes} says otherwise.
     */
    static String deployment(String strategy, int replicas, String oldVolumes, String newVolumes) {
        String oldSpec = spec("shop/web:1.2", oldVolumes);
        String newSpec = spec("shop/web:1.3", newVolumes);
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                  uid: d-web
                  generation: 2
                  annotations: {deployment.kubernetes.io/revision: "2"}
                spec:
                  replicas: %d
                  progressDeadlineSeconds: 600
                  selector: {matchLabels: {app: web}}
                  strategy: %s
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                %s
                status:
                  observedGeneration: 2
                  replicas: %d
                  updatedReplicas: %d
                  readyReplicas: 1
                  availableReplicas: 1
                  unavailableReplicas: %d
                  conditions:
                  - {type: Available, status: "True", reason: MinimumReplicasAvailable, message: Deployment has minimum availability.,
                     lastUpdateTime: "2025-06-02T09:00:00Z", lastTransitionTime: "2025-06-02T09:00:00Z"}
                  - {type: Progressing, status: "False", reason: ProgressDeadlineExceeded,
                     message: ReplicaSet "web-5d8f7c9b6" has timed out progressing.,
                     lastUpdateTime: "2025-06-02T10:10:01Z", lastTransitionTime: "2025-06-02T10:10:01Z"}
                ---
                """.formatted(replicas, strategy, newSpec.stripTrailing().indent(6).stripTrailing(), replicas + 1, replicas,
                replicas)
                + replicaSet(OLD_RS, "rs-old", "7b9d5c6f4", 1, 1, oldSpec, "2025-05-20T08:00:00Z",
                "replicas: 1\nreadyReplicas: 1\navailableReplicas: 1\n")
                + replicaSet(NEW_RS, "rs-new", "5d8f7c9b6", 2, replicas, newSpec, "2025-06-02T10:00:00Z",
                "replicas: " + replicas + "\n")
                + pod(OLD_POD, OLD_RS, "rs-old", "7b9d5c6f4", oldSpec, "node-a", """
                        phase: Running
                        conditions:
                        - {type: Ready, status: "True", lastTransitionTime: "2025-05-20T08:00:20Z"}
                        - {type: PodScheduled, status: "True", lastTransitionTime: "2025-05-20T08:00:01Z"}
                        containerStatuses:
                        - name: app
                          image: shop/web:1.2
                          ready: true
                          restartCount: 0
                          state: {running: {startedAt: "2025-05-20T08:00:10Z"}}
                        """);
    }

    static String rollingUpdate(String maxSurge, String maxUnavailable) {
        return "{type: RollingUpdate, rollingUpdate: {maxSurge: " + maxSurge + ", maxUnavailable: " + maxUnavailable + "}}";
    }

    /** A pod of the new ReplicaSet; {@code node} "" leaves it unscheduled. */
    static String newPod(String name, String volumes, String node, String status) {
        return pod(name, NEW_RS, "rs-new", "5d8f7c9b6", spec("shop/web:1.3", volumes), node, status);
    }

    static String replicaSet(String name, String uid, String hash, int revision, int replicas, String spec, String created,
            String status) {
        return """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %s
                  namespace: shop
                  uid: %s
                  creationTimestamp: "%s"
                  annotations: {deployment.kubernetes.io/revision: "%d"}
                  labels: {app: web, pod-template-hash: "%s"}
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web, pod-template-hash: "%s"}}
                  template:
                    metadata: {labels: {app: web, pod-template-hash: "%s"}}
                    spec:
                %s
                status:
                  observedGeneration: 1
                %s
                ---
                """.formatted(name, uid, created, revision, hash, replicas, hash, hash,
                spec.stripTrailing().indent(6).stripTrailing(), status.stripTrailing().indent(2).stripTrailing());
    }

    static String pod(String name, String rs, String rsUid, String hash, String spec, String node, String status) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: shop
                  uid: uid-%s
                  creationTimestamp: "2025-06-02T10:00:02Z"
                  labels: {app: web, pod-template-hash: "%s"}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true}]
                spec:
                %s%s
                status:
                %s
                ---
                """.formatted(name, name, hash, rs, rsUid, node.isEmpty() ? "" : "  nodeName: " + node + "\n",
                spec.stripTrailing().indent(2).stripTrailing(), status.stripTrailing().indent(2).stripTrailing());
    }

    /** A PersistentVolumeClaim of namespace shop; {@code classLine} is the whole storageClassName line, or "". */
    static String claim(String name, String classLine, String accessMode, String phase, String extraMetadata) {
        return """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: %s
                  namespace: shop
                  uid: uid-%s
                  creationTimestamp: "2025-06-02T09:58:00Z"
                  finalizers: [kubernetes.io/pvc-protection]
                %s
                spec:
                  accessModes: [%s]
                  resources: {requests: {storage: 5Gi}}
                %s
                  volumeMode: Filesystem
                status:
                  phase: %s
                ---
                """.formatted(name, name, extraMetadata.stripTrailing().indent(2).stripTrailing(), accessMode,
                classLine.isEmpty() ? "" : "  " + classLine, phase);
    }

    static String storageClass(String name, String provisioner, String bindingMode, boolean isDefault) {
        return """
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: %s
                  uid: sc-%s
                  annotations: {storageclass.kubernetes.io/is-default-class: "%s"}
                provisioner: %s
                reclaimPolicy: Delete
                volumeBindingMode: %s
                ---
                """.formatted(name, name, isDefault, provisioner, bindingMode);
    }

    /** A core/v1 event about an object of namespace shop (or a cluster-scoped one when {@code kind} is). */
    static String event(String kind, String name, String type, String reason, String message, int count, String first,
            String last, String component) {
        return """
                apiVersion: v1
                kind: Event
                metadata: {name: %s.%s, namespace: shop}
                involvedObject: {apiVersion: v1, kind: %s, name: %s, namespace: shop, uid: uid-%s}
                type: %s
                reason: %s
                message: '%s'
                count: %d
                firstTimestamp: "%s"
                lastTimestamp: "%s"
                source: {component: %s}
                ---
                """.formatted(name, Integer.toHexString((reason + message + first).hashCode()), kind, name, name, type,
                reason, message.replace("'", "''"), count, first, last, component);
    }
}

package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A realistic rollout to build tests from: Deployment {@code shop/web} moving from image 2.0.0 (ReplicaSet
 * {@code web-5f6d8b9c7}, revision 1) to 2.0.1 (ReplicaSet {@code web-7d9c6b5f4}, revision 2), in the shape of
 * {@code kubectl get -o yaml}. Tests write the Deployment inline and add ReplicaSets and pods from here.
 */
final class WebShop {

    static final String DEPLOYMENT_UID = "7c1b9c44-5f0e-4a53-9a0e-3c2d7f1b8e01";
    static final String OLD_RS = "web-5f6d8b9c7";
    static final String OLD_HASH = "5f6d8b9c7";
    static final String OLD_RS_UID = "0f3e8d1c-2b4a-4c5d-8e9f-a1b2c3d4e5f6";
    static final String NEW_RS = "web-7d9c6b5f4";
    static final String NEW_HASH = "7d9c6b5f4";
    static final String NEW_RS_UID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    static final String OLD_IMAGE = "registry.example.com/shop/web:2.0.0";
    static final String NEW_IMAGE = "registry.example.com/shop/web:2.0.1";

    private WebShop() {
    }

    static Snapshot load(String yaml, String capturedAt) {
        return SnapshotLoader.create().withCapturedAt(Instant.parse(capturedAt)).load("shop.yaml", stream(yaml));
    }

    /** Loads without a capture time: nothing in the input may carry a timestamp for it to stay unknown. */
    static Snapshot loadWithoutCaptureTime(String yaml) {
        return SnapshotLoader.create().load("shop.yaml", stream(yaml));
    }

    private static ByteArrayInputStream stream(String yaml) {
        return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    }

    static Deployment web(Snapshot snapshot) {
        return snapshot.get(Deployment.class, "Deployment", "shop", "web").orElseThrow();
    }

    /** The pod template (from {@code metadata:}), with the pod-template-hash label when {@code hash} is not empty. */
    static String template(String image, String hash) {
        String hashLabel = hash.isEmpty() ? "" : "\n    pod-template-hash: \"" + hash + "\"";
        return """
                metadata:
                  creationTimestamp: null
                  labels:
                    app: web%s
                spec:
                  containers:
                  - name: app
                    image: %s
                    imagePullPolicy: IfNotPresent
                    ports:
                    - containerPort: 8080
                      protocol: TCP
                    readinessProbe:
                      httpGet: {path: /healthz, port: 8080, scheme: HTTP}
                      periodSeconds: 10
                    resources:
                      requests: {cpu: 100m, memory: 128Mi}
                  dnsPolicy: ClusterFirst
                  restartPolicy: Always
                  schedulerName: default-scheduler
                  terminationGracePeriodSeconds: 30
                """.formatted(hashLabel, image);
    }

    /** A Deployment document with the given metadata extras, spec extras and status; the template is 2.0.1's. */
    static String deployment(long generation, String specExtra, String status) {
        return deployment(generation, specExtra, status, NEW_IMAGE);
    }

    static String deployment(long generation, String specExtra, String status, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                  uid: %s
                  generation: %d
                  resourceVersion: "48211"
                  creationTimestamp: "2024-05-01T08:00:00Z"
                  annotations:
                    deployment.kubernetes.io/revision: "2"
                  labels:
                    app: web
                spec:
                  replicas: 3
                  revisionHistoryLimit: 10
                  progressDeadlineSeconds: 600
                  selector:
                    matchLabels:
                      app: web
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 25%%
                      maxUnavailable: 25%%
                %s  template:
                %sstatus:
                %s---
                """.formatted(DEPLOYMENT_UID, generation, specExtra.indent(2), template(image, "").indent(4),
                status.indent(2));
    }

    static String oldReplicaSet(int replicas, String status) {
        return replicaSet(OLD_RS, OLD_RS_UID, OLD_HASH, 1, OLD_IMAGE, "2024-05-01T08:00:00Z", replicas, status);
    }

    static String newReplicaSet(int replicas, String status) {
        return replicaSet(NEW_RS, NEW_RS_UID, NEW_HASH, 2, NEW_IMAGE, "2024-05-01T10:00:00Z", replicas, status);
    }

    static String replicaSet(String name, String uid, String hash, int revision, String image, String created,
            int replicas, String status) {
        return """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %s
                  namespace: shop
                  uid: %s
                  generation: 1
                  creationTimestamp: "%s"
                  annotations:
                    deployment.kubernetes.io/desired-replicas: "3"
                    deployment.kubernetes.io/max-replicas: "4"
                    deployment.kubernetes.io/revision: "%d"
                  labels:
                    app: web
                    pod-template-hash: "%s"
                  ownerReferences:
                  - apiVersion: apps/v1
                    kind: Deployment
                    name: web
                    uid: %s
                    controller: true
                    blockOwnerDeletion: true
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: web
                      pod-template-hash: "%s"
                  template:
                %sstatus:
                  observedGeneration: 1
                %s---
                """.formatted(name, uid, created, revision, hash, DEPLOYMENT_UID, replicas, hash,
                template(image, hash).indent(4), status.indent(2));
    }

    /** A running pod of the old ReplicaSet, Ready since {@code readySince}. */
    static String oldPod(String suffix, String readySince) {
        return pod(OLD_RS + "-" + suffix, OLD_RS, OLD_RS_UID, OLD_HASH, OLD_IMAGE, "2024-05-01T08:00:05Z", "", readySince);
    }

    /** A running pod of the new ReplicaSet, Ready since {@code readySince}. */
    static String newPod(String suffix, String created, String readySince) {
        return pod(NEW_RS + "-" + suffix, NEW_RS, NEW_RS_UID, NEW_HASH, NEW_IMAGE, created, "", readySince);
    }

    /** An old pod being deleted: its grace period ends at {@code deletionTimestamp}. */
    static String terminatingOldPod(String suffix, String deletionTimestamp) {
        String deletion = "  deletionTimestamp: \"" + deletionTimestamp + "\"\n  deletionGracePeriodSeconds: 30\n";
        return pod(OLD_RS + "-" + suffix, OLD_RS, OLD_RS_UID, OLD_HASH, OLD_IMAGE, "2024-05-01T08:00:05Z", deletion,
                "2024-05-01T08:00:20Z");
    }

    static String pod(String name, String rs, String rsUid, String hash, String image, String created, String deletion,
            String readySince) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  generateName: %s-
                  namespace: shop
                  uid: uid-%s
                  creationTimestamp: "%s"
                %s  labels:
                    app: web
                    pod-template-hash: "%s"
                  ownerReferences:
                  - apiVersion: apps/v1
                    kind: ReplicaSet
                    name: %s
                    uid: %s
                    controller: true
                    blockOwnerDeletion: true
                spec:
                  nodeName: node-2
                  containers:
                  - name: app
                    image: %s
                  restartPolicy: Always
                  terminationGracePeriodSeconds: 30
                status:
                  phase: Running
                  conditions:
                  - {type: PodScheduled, status: "True", lastTransitionTime: "%s"}
                  - {type: Ready, status: "True", lastTransitionTime: "%s"}
                  containerStatuses:
                  - name: app
                    image: %s
                    ready: true
                    restartCount: 0
                    state:
                      running: {startedAt: "%s"}
                ---
                """.formatted(name, rs, name, created, deletion, hash, rs, rsUid, image, created, readySince, image,
                created);
    }

    /** A new pod whose container keeps crashing: Running, not Ready, restarted {@code restarts} times. */
    static String crashLoopingNewPod(String suffix, String created, int restarts, String lastExit) {
        String name = NEW_RS + "-" + suffix;
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  generateName: %s-
                  namespace: shop
                  uid: uid-%s
                  creationTimestamp: "%s"
                  labels:
                    app: web
                    pod-template-hash: "%s"
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true, blockOwnerDeletion: true}
                spec:
                  nodeName: node-1
                  containers:
                  - name: app
                    image: %s
                status:
                  phase: Running
                  conditions:
                  - {type: PodScheduled, status: "True", lastTransitionTime: "%s"}
                  - type: Ready
                    status: "False"
                    reason: ContainersNotReady
                    message: "containers with unready status: [app]"
                    lastTransitionTime: "%s"
                  containerStatuses:
                  - name: app
                    image: %s
                    ready: false
                    restartCount: %d
                    state:
                      waiting:
                        reason: CrashLoopBackOff
                        message: back-off 5m0s restarting failed container=app pod=%s_shop(uid-%s)
                    lastState:
                      terminated:
                        exitCode: 137
                        reason: OOMKilled
                        startedAt: "%s"
                        finishedAt: "%s"
                ---
                """.formatted(name, NEW_RS, name, created, NEW_HASH, NEW_RS, NEW_RS_UID, NEW_IMAGE, created, created,
                NEW_IMAGE, restarts, name, name, created, lastExit);
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.rules.RuleInfo;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The rollout the container rules' tests start from, in {@code kubectl get -o yaml} shape: Deployment {@code shop/web}
 * (2 replicas, maxSurge 1, maxUnavailable 1) moving from revision 1 (ReplicaSet {@code web-7b9d5c6f4}, one pod still
 * serving) to revision 2 (ReplicaSet {@code web-5d8f7c9b6}, two new pods), past its progress deadline. Each test
 * writes the pod spec of both revisions and the new pods' status inline.
 */
final class ContainerRollouts {

    static final String CAPTURED_AT = "2024-05-01T10:30:00Z";
    static final String NEW_POD_A = "web-5d8f7c9b6-b7k2p";
    static final String NEW_POD_B = "web-5d8f7c9b6-q9w4z";

    private ContainerRollouts() {
    }

    /** The Deployment, both ReplicaSets, the old pod and two new pods with the given statuses. */
    static String rollout(String oldSpec, String newSpec, String newStatusA, String newStatusB) {
        return deployment(newSpec)
                + replicaSet("web-7b9d5c6f4", "rs-old", "7b9d5c6f4", 1, 1, oldSpec, "2024-04-20T08:00:00Z",
                "replicas: 1\nfullyLabeledReplicas: 1\nreadyReplicas: 1\navailableReplicas: 1\n")
                + replicaSet("web-5d8f7c9b6", "rs-new", "5d8f7c9b6", 2, 2, newSpec, "2024-05-01T10:00:00Z",
                "replicas: 2\nfullyLabeledReplicas: 2\n")
                + pod("web-7b9d5c6f4-m2n8d", "web-7b9d5c6f4", "rs-old", "7b9d5c6f4", oldSpec, "node-2", """
                        phase: Running
                        conditions:
                        - {type: Ready, status: "True", lastTransitionTime: "2024-04-20T08:00:20Z"}
                        containerStatuses:
                        - name: app
                          image: shop/web:1.2
                          ready: true
                          restartCount: 0
                          state: {running: {startedAt: "2024-04-20T08:00:10Z"}}
                        """)
                + pod(NEW_POD_A, "web-5d8f7c9b6", "rs-new", "5d8f7c9b6", newSpec, "node-1", newStatusA)
                + pod(NEW_POD_B, "web-5d8f7c9b6", "rs-new", "5d8f7c9b6", newSpec, "node-3", newStatusB);
    }

    static String deployment(String newSpec) {
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
                  replicas: 2
                  progressDeadlineSeconds: 600
                  selector: {matchLabels: {app: web}}
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                %s
                status:
                  observedGeneration: 2
                  replicas: 3
                  updatedReplicas: 2
                  readyReplicas: 1
                  availableReplicas: 1
                  unavailableReplicas: 2
                  conditions:
                  - {type: Available, status: "True", reason: MinimumReplicasAvailable, message: Deployment has minimum availability.,
                     lastUpdateTime: "2024-05-01T10:00:00Z", lastTransitionTime: "2024-05-01T10:00:00Z"}
                  - {type: Progressing, status: "False", reason: ProgressDeadlineExceeded,
                     message: ReplicaSet "web-5d8f7c9b6" has timed out progressing.,
                     lastUpdateTime: "2024-05-01T10:10:01Z", lastTransitionTime: "2024-05-01T10:10:01Z"}
                ---
                """.formatted(newSpec.stripTrailing().indent(6).stripTrailing());
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
                  creationTimestamp: "2024-05-01T10:00:02Z"
                  labels: {app: web, pod-template-hash: "%s"}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true}]
                spec:
                  nodeName: %s
                %s
                status:
                %s
                ---
                """.formatted(name, name, hash, rs, rsUid, node, spec.stripTrailing().indent(2).stripTrailing(),
                status.stripTrailing().indent(2).stripTrailing());
    }

    /** A kubelet event about one of the new pods. */
    static String event(String pod, String type, String reason, String message, int count, String first, String last) {
        return """
                apiVersion: v1
                kind: Event
                metadata: {name: %s.%s, namespace: shop}
                involvedObject: {apiVersion: v1, kind: Pod, name: %s, namespace: shop, uid: uid-%s}
                type: %s
                reason: %s
                message: '%s'
                count: %d
                firstTimestamp: "%s"
                lastTimestamp: "%s"
                source: {component: kubelet, host: node-1}
                ---
                """.formatted(pod, Integer.toHexString((reason + message + first).hashCode()), pod, pod, type, reason,
                message.replace("'", "''"), count, first, last);
    }

    /**
     * An engine with the built-in detectors plus the given ones not yet built in, so that a test of one rule can rank
     * it among the rules it explains.
     */
    static Diagnosis diagnose(Snapshot snapshot, Detector... detectors) {
        DetectorRegistry registry = DetectorRegistry.builtIn();
        List<Detector> missing = new ArrayList<>();
        for (Detector d : detectors) {
            if (registry.rule(RuleInfo.of(d.getClass()).id()).isEmpty()) {
                missing.add(d);
            }
        }
        return RuleEngine.of(registry.with(missing)).diagnose(snapshot);
    }
}

package dev.rolloutdoctor.rules.detectors;

/**
 * A Deployment whose rollout kubectl reports finished while two pods of the old ReplicaSet are still terminating:
 * deleted at 10:00:00 with a 60 s grace period (so {@code deletionTimestamp} is 10:01:00), each with a 20 s preStop
 * sleep. Shared by the tests of old-pods-terminating and pods-stuck-terminating.
 */
final class TerminatingFixtures {

    private TerminatingFixtures() {
    }

    static final String ROLLED_OUT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              uid: d-web
              generation: 9
              annotations: {deployment.kubernetes.io/revision: "3"}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  terminationGracePeriodSeconds: 60
                  containers:
                  - name: web
                    image: shop/web:1.3
                    lifecycle: {preStop: {sleep: {seconds: 20}}}
            status:
              observedGeneration: 9
              replicas: 2
              updatedReplicas: 2
              readyReplicas: 2
              availableReplicas: 2
              terminatingReplicas: 2
              conditions:
              - {type: Progressing, status: "True", reason: NewReplicaSetAvailable, message: ReplicaSet "web-5d8f7c9b6" has successfully progressed., lastUpdateTime: "2024-05-01T10:00:00Z", lastTransitionTime: "2024-04-20T08:00:00Z"}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-6b7c8d9f5
              namespace: shop
              uid: rs-old
              creationTimestamp: "2024-04-20T08:00:00Z"
              labels: {app: web, pod-template-hash: 6b7c8d9f5}
              annotations: {deployment.kubernetes.io/revision: "2"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 0
              selector: {matchLabels: {app: web, pod-template-hash: 6b7c8d9f5}}
              template:
                metadata: {labels: {app: web, pod-template-hash: 6b7c8d9f5}}
                spec:
                  terminationGracePeriodSeconds: 60
                  containers:
                  - name: web
                    image: shop/web:1.2
                    lifecycle: {preStop: {sleep: {seconds: 20}}}
            status: {replicas: 0, terminatingReplicas: 2, observedGeneration: 4}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-5d8f7c9b6
              namespace: shop
              uid: rs-new
              creationTimestamp: "2024-05-01T09:58:00Z"
              labels: {app: web, pod-template-hash: 5d8f7c9b6}
              annotations: {deployment.kubernetes.io/revision: "3"}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}]
            spec:
              replicas: 2
              selector: {matchLabels: {app: web, pod-template-hash: 5d8f7c9b6}}
              template:
                metadata: {labels: {app: web, pod-template-hash: 5d8f7c9b6}}
                spec:
                  terminationGracePeriodSeconds: 60
                  containers:
                  - name: web
                    image: shop/web:1.3
                    lifecycle: {preStop: {sleep: {seconds: 20}}}
            status: {replicas: 2, readyReplicas: 2, availableReplicas: 2, terminatingReplicas: 0, observedGeneration: 2}
            """ + oldPod("web-6b7c8d9f5-4kq7z", "p-old-1", "worker-1") + oldPod("web-6b7c8d9f5-9mfrt", "p-old-2", "worker-2");

    static String oldPod(String name, String uid, String node) {
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: shop
                  uid: %s
                  creationTimestamp: "2024-04-20T08:00:05Z"
                  deletionTimestamp: "2024-05-01T10:01:00Z"
                  deletionGracePeriodSeconds: 60
                  labels: {app: web, pod-template-hash: 6b7c8d9f5}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6b7c8d9f5, uid: rs-old, controller: true}]
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 60
                  containers:
                  - name: web
                    image: shop/web:1.2
                    lifecycle: {preStop: {sleep: {seconds: 20}}}
                status:
                  phase: Running
                  conditions: [{type: Ready, status: "False", reason: ContainersNotReady, lastTransitionTime: "2024-05-01T10:00:01Z"}]
                """.formatted(name, uid, node);
    }

    static String node(String name, String readyStatus, String reason, String since) {
        return """
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: %s, uid: n-%s}
                status:
                  conditions:
                  - {type: Ready, status: "%s", reason: %s, message: "%s", lastHeartbeatTime: "%s", lastTransitionTime: "%s"}
                """.formatted(name, name, readyStatus, reason,
                "Unknown".equals(readyStatus) ? "Kubelet stopped posting node status." : "kubelet is posting ready status",
                since, since);
    }
}

package dev.rolloutdoctor.rules.detectors;

import java.util.ArrayList;
import java.util.List;

/**
 * The rollouts the admission and capacity rules' tests start from, in {@code kubectl get -o yaml} shape: Deployment
 * {@code shop/web} moving from revision 1 (ReplicaSet {@code web-7c6d5b4f8}, its pods running on the nodes given) to
 * revision 2 (ReplicaSet {@code web-5d8f7c9b6}, with as many pods as given, Pending and unscheduled), captured at
 * {@link #CAPTURED_AT}. Events, quotas, nodes and namespaces are added beside it by each test.
 */
final class AdmissionRollouts {

    static final String CAPTURED_AT = "2024-05-01T10:30:00Z";
    static final String NEW_RS = "web-5d8f7c9b6";
    static final String OLD_RS = "web-7c6d5b4f8";

    /** The app container of revision 2: shop/web:1.3 asking 500m CPU. */
    static final String NEW_SPEC = """
            containers:
            - name: app
              image: shop/web:1.3
              resources:
                requests: {cpu: 500m, memory: 256Mi}
                limits: {memory: 256Mi}
            """;

    /** The app container of revision 1. */
    static final String OLD_SPEC = NEW_SPEC.replace("shop/web:1.3", "shop/web:1.2");

    private int replicas = 3;
    private String strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}";
    private String newSpec = NEW_SPEC;
    private String oldSpec = OLD_SPEC;
    private final List<String> oldPodNodes = new ArrayList<>(List.of("node-1", "node-2", "node-3"));
    private int newReplicas = 1;
    private int newPods = 0;
    private String schedulerMessage = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
            + "3 No preemption victims found for incoming pod.";
    private final StringBuilder extra = new StringBuilder();

    private AdmissionRollouts() {
    }

    static AdmissionRollouts web() {
        return new AdmissionRollouts();
    }

    AdmissionRollouts replicas(int value) {
        this.replicas = value;
        return this;
    }

    /** {@code spec.strategy} in YAML flow style. */
    AdmissionRollouts strategy(String value) {
        this.strategy = value;
        return this;
    }

    AdmissionRollouts rollingUpdate(String maxSurge, String maxUnavailable) {
        return strategy("{type: RollingUpdate, rollingUpdate: {maxSurge: " + maxSurge + ", maxUnavailable: " + maxUnavailable + "}}");
    }

    /** The pod spec of revision 2 (unindented YAML). */
    AdmissionRollouts newSpec(String value) {
        this.newSpec = value;
        return this;
    }

    /** The pod spec of revision 1 (unindented YAML). */
    AdmissionRollouts oldSpec(String value) {
        this.oldSpec = value;
        return this;
    }

    /** One running old pod per node named, in order. */
    AdmissionRollouts oldPodsOn(String... nodes) {
        oldPodNodes.clear();
        oldPodNodes.addAll(List.of(nodes));
        return this;
    }

    /** The new ReplicaSet's {@code spec.replicas}, and how many of its pods exist (Pending, unscheduled). */
    AdmissionRollouts newReplicaSet(int desired, int pendingPods) {
        this.newReplicas = desired;
        this.newPods = pendingPods;
        return this;
    }

    /** The message of the new pods' {@code PodScheduled=False} condition. */
    AdmissionRollouts schedulerMessage(String value) {
        this.schedulerMessage = value;
        return this;
    }

    /** More documents beside the rollout. */
    AdmissionRollouts with(String yaml) {
        extra.append("---\n").append(yaml.strip()).append('\n');
        return this;
    }

    String yaml() {
        StringBuilder out = new StringBuilder(deployment());
        out.append("---\n").append(replicaSet(OLD_RS, "rs-old", "7c6d5b4f8", "1", oldPodNodes.size(), oldPodNodes.size(), oldSpec,
                "2024-04-20T08:00:00Z"));
        out.append("---\n").append(replicaSet(NEW_RS, "rs-new", "5d8f7c9b6", "2", newReplicas, newPods, newSpec,
                "2024-05-01T10:00:00Z"));
        char suffix = 'a';
        for (String node : oldPodNodes) {
            out.append("---\n").append(runningPod(OLD_RS + "-old0" + suffix++, node));
        }
        for (int i = 0; i < newPods; i++) {
            out.append("---\n").append(pendingPod(NEW_RS + "-new0" + (char) ('a' + i)));
        }
        return out.append(extra).toString();
    }

    private String deployment() {
        int old = oldPodNodes.size();
        int unavailable = newReplicas;
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
                  readyReplicas: %d
                  availableReplicas: %d
                  unavailableReplicas: %d
                  conditions:
                  - {type: Available, status: "True", reason: MinimumReplicasAvailable, message: Deployment has minimum availability.,
                     lastUpdateTime: "2024-05-01T10:00:00Z", lastTransitionTime: "2024-05-01T10:00:00Z"}
                  - {type: Progressing, status: "True", reason: ReplicaSetUpdated, message: ReplicaSet "web-5d8f7c9b6" is progressing.,
                     lastUpdateTime: "2024-05-01T10:00:00Z", lastTransitionTime: "2024-05-01T10:00:00Z"}
                """.formatted(replicas, strategy, indent(newSpec, 6), old + newPods, newPods, old, old, unavailable);
    }

    private static String replicaSet(String name, String uid, String hash, String revision, int desired, int pods,
            String spec, String created) {
        return """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %s
                  namespace: shop
                  uid: %s
                  creationTimestamp: "%s"
                  labels: {app: web, pod-template-hash: "%s"}
                  annotations: {deployment.kubernetes.io/revision: "%s"}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: Deployment, name: web, uid: d-web, controller: true}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: web, pod-template-hash: "%s"}}
                  template:
                    metadata: {labels: {app: web, pod-template-hash: "%s"}}
                    spec:
                %s
                status:
                  observedGeneration: 1
                  replicas: %d
                  fullyLabeledReplicas: %d
                """.formatted(name, uid, created, hash, revision, desired, hash, hash, indent(spec, 6), pods, pods);
    }

    private String runningPod(String name, String node) {
        return pod(name, OLD_RS, "rs-old", "7c6d5b4f8", oldSpec, node, """
                phase: Running
                conditions:
                - {type: Ready, status: "True", lastTransitionTime: "2024-04-20T08:00:20Z"}
                containerStatuses:
                - name: app
                  image: shop/web:1.2
                  ready: true
                  restartCount: 0
                  state: {running: {startedAt: "2024-04-20T08:00:10Z"}}
                """);
    }

    private String pendingPod(String name) {
        return pod(name, NEW_RS, "rs-new", "5d8f7c9b6", newSpec, "", """
                phase: Pending
                conditions:
                - {type: PodScheduled, status: "False", reason: Unschedulable, lastTransitionTime: "2024-05-01T10:00:01Z",
                   message: "%s"}
                """.formatted(schedulerMessage));
    }

    private static String pod(String name, String rs, String rsUid, String hash, String spec, String node, String status) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: shop
                  uid: pod-%s
                  creationTimestamp: "2024-05-01T10:00:00Z"
                  labels: {app: web, pod-template-hash: "%s"}
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: %s, controller: true}
                spec:
                %s
                %sstatus:
                %s
                """.formatted(name, name, hash, rs, rsUid, indent(spec, 2),
                node.isEmpty() ? "" : "  nodeName: " + node + "\n", indent(status, 2));
    }

    /** A FailedCreate event of the replicaset-controller about a ReplicaSet. */
    static String failedCreate(String replicaSet, String message, int count, String first, String last) {
        return """
                apiVersion: v1
                kind: Event
                metadata: {name: %s.17c1a2b3c4d5e6f7, namespace: shop}
                involvedObject: {apiVersion: apps/v1, kind: ReplicaSet, name: %s, namespace: shop}
                reason: FailedCreate
                type: Warning
                message: '%s'
                count: %d
                firstTimestamp: "%s"
                lastTimestamp: "%s"
                source: {component: replicaset-controller}
                """.formatted(replicaSet + "." + last.replace(":", "").toLowerCase(), replicaSet, message.replace("'", "''"),
                count, first, last);
    }

    /** A node with the given allocatable CPU and memory. */
    static String node(String name, String cpu, String memory) {
        return """
                apiVersion: v1
                kind: Node
                metadata:
                  name: %s
                  labels: {kubernetes.io/hostname: %s, kubernetes.io/os: linux}
                spec: {}
                status:
                  allocatable: {cpu: "%s", memory: %s, pods: "110"}
                  capacity: {cpu: "%s", memory: %s, pods: "110"}
                  conditions:
                  - {type: Ready, status: "True", reason: KubeletReady, lastHeartbeatTime: "2024-05-01T10:29:00Z"}
                """.formatted(name, name, cpu, memory, cpu, memory);
    }

    static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        StringBuilder out = new StringBuilder();
        for (String line : text.strip().split("\n")) {
            out.append(pad).append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }
}

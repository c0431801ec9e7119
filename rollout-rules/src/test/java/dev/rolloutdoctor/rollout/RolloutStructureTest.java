package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.RollingUpdateFenceposts;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static dev.rolloutdoctor.rollout.WebShop.NEW_IMAGE;
import static dev.rolloutdoctor.rollout.WebShop.OLD_IMAGE;
import static dev.rolloutdoctor.rollout.WebShop.deployment;
import static dev.rolloutdoctor.rollout.WebShop.load;
import static dev.rolloutdoctor.rollout.WebShop.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

/** How a rollout's parts are found: the new ReplicaSet, old ones, pods per revision, fenceposts. */
class RolloutStructureTest {

    private static final String IN_PROGRESS = """
            observedGeneration: 2
            replicas: 4
            updatedReplicas: 1
            readyReplicas: 3
            availableReplicas: 3
            """;

    private static RolloutStructure structureOf(Snapshot snapshot) {
        return RolloutStatuses.of(snapshot, WebShop.web(snapshot)).structure();
    }

    @Nested
    class NewReplicaSet {

        @Test
        void isTheReplicaSetWhoseTemplateEqualsTheDeploymentsEvenWhenNamesAndRevisionsMislead() {
            // "web-2" carries the Deployment's revision annotation but the old image; "web-1" has the current template.
            Snapshot snapshot = load(deployment(2, "", IN_PROGRESS)
                    + replicaSet("web-2", "uid-rs-2", "2222", 2, OLD_IMAGE, "2024-05-01T10:00:00Z", 3, "replicas: 3\n")
                    + replicaSet("web-1", "uid-rs-1", "1111", 1, NEW_IMAGE, "2024-05-01T08:00:00Z", 1, "replicas: 1\n"),
                    "2024-05-01T10:20:00Z");

            RolloutStructure structure = structureOf(snapshot);

            assertThat(structure.newReplicaSet()).map(rs -> rs.metadata().name()).contains("web-1");
            assertThat(structure.newReplicaSetMatch()).isEqualTo(RolloutStructure.NewReplicaSetMatch.TEMPLATE);
            assertThat(structure.oldReplicaSets()).extracting(rs -> rs.metadata().name()).containsExactly("web-2");
            assertThat(structure.updateRevision()).isEqualTo("1111");
            assertThat(structure.newRevision()).isEqualTo(OptionalInt.of(1));
            assertThat(structure.previousRevision()).isEqualTo(OptionalInt.of(2));
        }

        @Test
        void isTheOldestWhenSeveralTemplatesMatch() {
            Snapshot snapshot = load(deployment(2, "", IN_PROGRESS)
                    + replicaSet("web-b", "uid-b", "bbbb", 3, NEW_IMAGE, "2024-05-01T10:00:00Z", 0, "replicas: 0\n")
                    + replicaSet("web-a", "uid-a", "aaaa", 2, NEW_IMAGE, "2024-05-01T09:00:00Z", 1, "replicas: 1\n"),
                    "2024-05-01T10:20:00Z");

            assertThat(structureOf(snapshot).newReplicaSet()).map(rs -> rs.metadata().name()).contains("web-a");
        }

        @Test
        void fallsBackToTheRevisionAnnotationWhenNoTemplateMatches() {
            Snapshot snapshot = load(deployment(2, "", IN_PROGRESS, "registry.example.com/shop/web:2.0.2")
                    + replicaSet("web-2", "uid-rs-2", "2222", 2, NEW_IMAGE, "2024-05-01T10:00:00Z", 1, "replicas: 1\n")
                    + replicaSet("web-1", "uid-rs-1", "1111", 1, OLD_IMAGE, "2024-05-01T08:00:00Z", 3, "replicas: 3\n"),
                    "2024-05-01T10:20:00Z");

            RolloutStructure structure = structureOf(snapshot);

            assertThat(structure.newReplicaSet()).map(rs -> rs.metadata().name()).contains("web-2");
            assertThat(structure.newReplicaSetMatch()).isEqualTo(RolloutStructure.NewReplicaSetMatch.REVISION);
        }

        @Test
        void isNoneWhenTheControllerHasNotCreatedItYet() {
            Snapshot snapshot = load(deployment(2, "", IN_PROGRESS, "registry.example.com/shop/web:2.0.2")
                    + replicaSet("web-1", "uid-rs-1", "1111", 1, OLD_IMAGE, "2024-05-01T08:00:00Z", 3, "replicas: 3\n"),
                    "2024-05-01T10:20:00Z");

            RolloutStructure structure = structureOf(snapshot);

            assertThat(structure.newReplicaSet()).isEmpty();
            assertThat(structure.newReplicaSetMatch()).isEqualTo(RolloutStructure.NewReplicaSetMatch.NONE);
            assertThat(structure.oldReplicaSets()).hasSize(1);
        }

        @Test
        void ignoresReplicaSetsThatAnotherOwnerControls() {
            String foreign = replicaSet("web-x", "uid-x", "xxxx", 9, NEW_IMAGE, "2024-05-01T07:00:00Z", 1, "replicas: 1\n")
                    .replace("uid: " + WebShop.DEPLOYMENT_UID, "uid: 00000000-0000-0000-0000-000000000000");
            Snapshot snapshot = load(deployment(2, "", IN_PROGRESS) + foreign, "2024-05-01T10:20:00Z");

            assertThat(structureOf(snapshot).podsByReplicaSet()).isEmpty();
            assertThat(structureOf(snapshot).newReplicaSet()).isEmpty();
        }
    }

    @Test
    void groupsPodsByReplicaSet() {
        Snapshot snapshot = load(deployment(2, "", IN_PROGRESS) + WebShop.oldReplicaSet(3, "replicas: 3\n")
                + WebShop.newReplicaSet(1, "replicas: 1\n") + WebShop.oldPod("aaaaa", "2024-05-01T08:00:20Z")
                + WebShop.newPod("x2x4q", "2024-05-01T10:00:01Z", "2024-05-01T10:00:20Z"), "2024-05-01T10:20:00Z");

        RolloutStructure structure = structureOf(snapshot);
        ReplicaSet newRs = structure.newReplicaSet().orElseThrow();

        assertThat(structure.podsOf(newRs)).extracting(p -> p.metadata().name()).containsExactly("web-7d9c6b5f4-x2x4q");
        assertThat(structure.oldPods()).extracting(p -> p.metadata().name()).containsExactly("web-5f6d8b9c7-aaaaa");
        assertThat(structure.pods()).hasSize(2);
    }

    @Test
    void resolvesTheFencepostsOfTheRollingUpdate() {
        Snapshot snapshot = load(deployment(2, "", IN_PROGRESS), "2024-05-01T10:20:00Z");

        assertThat(structureOf(snapshot).fenceposts()).contains(new RollingUpdateFenceposts(1, 0, false));
        assertThat(structureOf(snapshot).strategy()).isEqualTo("RollingUpdate");
    }

    @Test
    void forcesMaxUnavailableToOneWhenBothRoundToZero() {
        Snapshot snapshot = load(deployment(2, "", IN_PROGRESS).replace("replicas: 3", "replicas: 10")
                .replace("maxSurge: 25%", "maxSurge: 0%").replace("maxUnavailable: 25%", "maxUnavailable: 9%"),
                "2024-05-01T10:20:00Z");

        assertThat(structureOf(snapshot).fenceposts()).contains(new RollingUpdateFenceposts(0, 1, true));
    }

    @Test
    void aRecreateDeploymentHasNoFenceposts() {
        Snapshot snapshot = load(deployment(2, "", IN_PROGRESS).replace("""
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 25%
                      maxUnavailable: 25%
                """, """
                  strategy:
                    type: Recreate
                """), "2024-05-01T10:20:00Z");

        assertThat(structureOf(snapshot).fenceposts()).isEmpty();
        assertThat(structureOf(snapshot).strategy()).isEqualTo("Recreate");
    }

    @Nested
    class StatefulSets {

        private static String statefulSet(String updateStrategy, String status) {
            return """
                    apiVersion: apps/v1
                    kind: StatefulSet
                    metadata:
                      name: db
                      namespace: shop
                      uid: 5d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6
                      generation: 4
                      creationTimestamp: "2024-05-01T07:00:00Z"
                    spec:
                      replicas: 3
                      serviceName: db
                      podManagementPolicy: OrderedReady
                      selector:
                        matchLabels: {app: db}
                    %s  template:
                        metadata:
                          labels: {app: db}
                        spec:
                          containers:
                          - name: postgres
                            image: postgres:16.3
                    status:
                    %s---
                    """.formatted(updateStrategy.indent(2), status.indent(2));
        }

        private static String pod(int ordinal, String revision, String readySince) {
            return """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: db-%d
                      namespace: shop
                      uid: uid-db-%d
                      creationTimestamp: "2024-05-01T10:0%d:00Z"
                      labels:
                        app: db
                        controller-revision-hash: %s
                        statefulset.kubernetes.io/pod-name: db-%d
                      ownerReferences:
                      - {apiVersion: apps/v1, kind: StatefulSet, name: db, uid: 5d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6, controller: true}
                    spec:
                      nodeName: node-%d
                      containers:
                      - {name: postgres, image: postgres:16.3}
                    status:
                      phase: Running
                      conditions:
                      - {type: Ready, status: "True", lastTransitionTime: "%s"}
                    ---
                    """.formatted(ordinal, ordinal, ordinal, revision, ordinal, ordinal, readySince);
        }

        private static final String PARTITION_2 = """
                updateStrategy:
                  type: RollingUpdate
                  rollingUpdate:
                    partition: 2
                """;

        @Test
        void aPartitionedRolloutIsCompleteOnceThePodsAboveThePartitionAreUpdated() {
            Snapshot snapshot = load(statefulSet(PARTITION_2, """
                    observedGeneration: 4
                    replicas: 3
                    readyReplicas: 3
                    currentReplicas: 2
                    updatedReplicas: 1
                    currentRevision: db-6c9f7d8b5
                    updateRevision: db-7f4b9c6d2
                    """) + pod(0, "db-6c9f7d8b5", "2024-05-01T07:01:00Z") + pod(1, "db-6c9f7d8b5", "2024-05-01T07:02:00Z")
                    + pod(2, "db-7f4b9c6d2", "2024-05-01T10:02:30Z"), "2024-05-01T10:20:00Z");
            StatefulSet db = snapshot.objects(StatefulSet.class).get(0);

            RolloutStatus status = RolloutStatuses.of(snapshot, db);

            assertThat(status.kubectl().message()).isEqualTo("partitioned roll out complete: 1 new pods have been updated...\n");
            assertThat(status.state()).isEqualTo(RolloutState.COMPLETE);
            assertThat(status.reason()).isEqualTo("All 3 pods are ready and 1 updated at revision db-7f4b9c6d2;"
                    + " partition 2 keeps the pods below ordinal 2 on the current revision.");
            assertThat(status.structure().newPods()).extracting(Pod::ref).extracting(r -> r.name()).containsExactly("db-2");
            assertThat(status.structure().counted().updated()).isEqualTo(1);
            assertThat(status.structure().counted().ready()).isEqualTo(3);
        }

        @Test
        void aPartitionedRolloutWaitsForThePodsAboveThePartition() {
            Snapshot snapshot = load(statefulSet(PARTITION_2, """
                    observedGeneration: 4
                    replicas: 3
                    readyReplicas: 3
                    currentReplicas: 3
                    updatedReplicas: 0
                    currentRevision: db-6c9f7d8b5
                    updateRevision: db-7f4b9c6d2
                    """) + pod(0, "db-6c9f7d8b5", "2024-05-01T07:01:00Z"), "2024-05-01T10:20:00Z");
            StatefulSet db = snapshot.objects(StatefulSet.class).get(0);

            RolloutStatus status = RolloutStatuses.of(snapshot, db);

            assertThat(status.kubectl().message())
                    .isEqualTo("Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...\n");
            assertThat(status.state()).isEqualTo(RolloutState.STALLED);
            assertThat(status.reason()).startsWith("0 of 1 pods from ordinal 2 up are updated; no progress for ");
        }

        @Test
        void withoutARollingUpdateBlockKubectlComparesRevisions() {
            Snapshot snapshot = load(statefulSet("updateStrategy: {type: RollingUpdate}", """
                    observedGeneration: 4
                    replicas: 3
                    readyReplicas: 3
                    currentReplicas: 2
                    updatedReplicas: 1
                    currentRevision: db-6c9f7d8b5
                    updateRevision: db-7f4b9c6d2
                    """), "2024-05-01T07:03:00Z");

            RolloutStatus status = RolloutStatuses.of(snapshot, snapshot.objects(StatefulSet.class).get(0));

            assertThat(status.kubectl().message())
                    .isEqualTo("waiting for statefulset rolling update to complete 1 pods at revision db-7f4b9c6d2...\n");
            assertThat(status.reason()).startsWith("1 of 3 pods are at revision db-7f4b9c6d2; last progress");
        }

        @Test
        void anUnobservedStatefulSetSaysSo() {
            Snapshot snapshot = load(statefulSet(PARTITION_2, "replicas: 0\n"), "2024-05-01T07:03:00Z");

            RolloutStatus status = RolloutStatuses.of(snapshot, snapshot.objects(StatefulSet.class).get(0));

            assertThat(status.state()).isEqualTo(RolloutState.NOT_OBSERVED);
            assertThat(status.reason()).isEqualTo(
                    "The statefulset controller has not observed this StatefulSet yet (status.observedGeneration is 0).");
        }
    }

    @Nested
    class DaemonSets {

        private static String daemonSet(String strategy, String status) {
            return """
                    apiVersion: apps/v1
                    kind: DaemonSet
                    metadata:
                      name: node-agent
                      namespace: kube-system
                      uid: 11111111-2222-4333-8444-555555555555
                      generation: 3
                      creationTimestamp: "2024-04-01T00:00:00Z"
                      annotations:
                        deprecated.daemonset.template.generation: "3"
                    spec:
                      selector:
                        matchLabels: {app: node-agent}
                      updateStrategy:
                        type: %s
                      template:
                        metadata:
                          labels: {app: node-agent}
                        spec:
                          containers:
                          - {name: agent, image: "registry.example.com/agent:1.9.0"}
                    status:
                    %s---
                    """.formatted(strategy, status.indent(2));
        }

        private static String pod(String name, int generation, String hash) {
            return """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: %s
                      namespace: kube-system
                      creationTimestamp: "2024-05-01T09:00:00Z"
                      labels:
                        app: node-agent
                        controller-revision-hash: %s
                        pod-template-generation: "%d"
                      ownerReferences:
                      - {apiVersion: apps/v1, kind: DaemonSet, name: node-agent, uid: 11111111-2222-4333-8444-555555555555, controller: true}
                    spec:
                      nodeName: node-1
                      containers:
                      - {name: agent, image: "registry.example.com/agent:1.9.0"}
                    status:
                      phase: Running
                      conditions:
                      - {type: Ready, status: "True", lastTransitionTime: "2024-05-01T09:00:10Z"}
                    ---
                    """.formatted(name, hash, generation);
        }

        private static final String TWO_NODES_ONE_UPDATED = """
                observedGeneration: 3
                desiredNumberScheduled: 2
                currentNumberScheduled: 2
                numberReady: 2
                updatedNumberScheduled: 1
                numberAvailable: 2
                """;

        @Test
        void anOnDeleteDaemonSetIsAnErrorForKubectlButCompleteForUs() {
            Snapshot snapshot = load(daemonSet("OnDelete", TWO_NODES_ONE_UPDATED)
                    + pod("node-agent-4xk2p", 3, "6f8d9c7b5") + pod("node-agent-9qw7d", 2, "58c7b6d9f"),
                    "2024-05-01T10:00:00Z");
            DaemonSet agent = snapshot.objects(DaemonSet.class).get(0);

            RolloutStatus status = RolloutStatuses.of(snapshot, agent);

            assertThat(status.kubectl().error()).contains("rollout status is only available for RollingUpdate strategy type");
            assertThat(status.kubectl().done()).isTrue();
            assertThat(status.state()).isEqualTo(RolloutState.COMPLETE);
            assertThat(status.reason()).isEqualTo("All 2 pods are available; 1 still runs an older template and will"
                    + " change only when deleted (OnDelete).");
            assertThat(status.structure().strategy()).isEqualTo("OnDelete");
            assertThat(status.structure().updateRevision()).isEqualTo("6f8d9c7b5");
            assertThat(status.structure().newPods()).extracting(p -> p.metadata().name()).containsExactly("node-agent-4xk2p");
            assertThat(status.structure().oldPods()).extracting(p -> p.metadata().name()).containsExactly("node-agent-9qw7d");
        }

        @Test
        void aRollingDaemonSetWaitsForItsUpdatedPods() {
            Snapshot snapshot = load(daemonSet("RollingUpdate", TWO_NODES_ONE_UPDATED)
                    + pod("node-agent-4xk2p", 3, "6f8d9c7b5") + pod("node-agent-9qw7d", 2, "58c7b6d9f"),
                    "2024-05-01T09:02:00Z");

            RolloutStatus status = RolloutStatuses.of(snapshot, snapshot.objects(DaemonSet.class).get(0));

            assertThat(status.kubectl().message()).isEqualTo(
                    "Waiting for daemon set \"node-agent\" rollout to finish: 1 out of 2 new pods have been updated...\n");
            assertThat(status.state()).isEqualTo(RolloutState.PROGRESSING);
            assertThat(status.reason()).isEqualTo("1 of 2 pods are updated; last progress 110s before capture, at 09:00:10Z.");
            assertThat(status.structure().counted().updated()).isEqualTo(1);
        }
    }
}

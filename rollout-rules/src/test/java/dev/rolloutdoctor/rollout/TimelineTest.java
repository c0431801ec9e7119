package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.rolloutdoctor.rollout.WebShop.deployment;
import static dev.rolloutdoctor.rollout.WebShop.load;
import static dev.rolloutdoctor.rollout.WebShop.newReplicaSet;
import static dev.rolloutdoctor.rollout.WebShop.oldReplicaSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The timeline of a rollout: one ordered account from objects and both event APIs. */
class TimelineTest {

    private static final String DEPLOYMENT = deployment(2, "", """
            observedGeneration: 2
            replicas: 4
            updatedReplicas: 1
            readyReplicas: 3
            availableReplicas: 3
            conditions:
            - type: Progressing
              status: "True"
              reason: ReplicaSetUpdated
              message: ReplicaSet "web-7d9c6b5f4" is progressing.
              lastTransitionTime: "2024-05-01T10:00:00Z"
              lastUpdateTime: "2024-05-01T10:00:00Z"
            """);

    private static final String REPLICA_SETS = oldReplicaSet(3, "replicas: 3\nreadyReplicas: 3\navailableReplicas: 3\n")
            + newReplicaSet(1, "replicas: 1\n");

    private static String coreEvent(String name, String kind, String object, String reason, String message,
            String type, int count, String first, String last) {
        return """
                apiVersion: v1
                kind: Event
                metadata: {name: %s, namespace: shop}
                involvedObject: {kind: %s, namespace: shop, name: %s}
                reason: %s
                message: '%s'
                type: %s
                count: %d
                firstTimestamp: %s
                lastTimestamp: %s
                source: {component: controller}
                ---
                """.formatted(name, kind, object, reason, message, type, count, first, last);
    }

    private static String seriesEvent(String name, String pod, String eventTime, int count, String lastObserved) {
        return """
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: %s, namespace: shop}
                regarding: {kind: Pod, namespace: shop, name: %s}
                reason: FailedScheduling
                note: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'
                type: Warning
                eventTime: "%s"
                series: {count: %d, lastObservedTime: "%s"}
                reportingController: default-scheduler
                reportingInstance: default-scheduler-control-plane
                action: Scheduling
                ---
                """.formatted(name, pod, eventTime, count, lastObserved);
    }

    private static List<String> whats(List<TimelineEntry> timeline) {
        return timeline.stream().map(e -> e.at() + " " + e.category() + " " + e.what()).toList();
    }

    private static List<TimelineEntry> timelineOf(Snapshot snapshot) {
        return Timeline.of(snapshot, WebShop.web(snapshot));
    }

    @Test
    void tellsTheRolloutInOrder() {
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS
                + WebShop.crashLoopingNewPod("zz9zz", "2024-05-01T10:00:01Z", 2, "2024-05-01T10:03:00Z")
                + coreEvent("web.1", "Deployment", "web", "ScalingReplicaSet",
                        "Scaled up replica set web-7d9c6b5f4 from 0 to 1", "Normal", 1,
                        "\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00Z\"")
                + coreEvent("web-7d9c6b5f4.1", "ReplicaSet", "web-7d9c6b5f4", "SuccessfulCreate",
                        "Created pod: web-7d9c6b5f4-zz9zz", "Normal", 1,
                        "\"2024-05-01T10:00:01Z\"", "\"2024-05-01T10:00:01Z\""),
                "2024-05-01T10:05:00Z");

        assertThat(whats(timelineOf(snapshot))).containsExactly(
                "2024-05-01T08:00:00Z ROLLOUT Deployment web created",
                "2024-05-01T08:00:00Z ROLLOUT ReplicaSet web-5f6d8b9c7 created (revision 1, old)",
                "2024-05-01T10:00:00Z ROLLOUT ReplicaSet web-7d9c6b5f4 created (revision 2, new)",
                "2024-05-01T10:00:00Z ROLLOUT ReplicaSet web-7d9c6b5f4 scaled up from 0 to 1",
                "2024-05-01T10:00:00Z CONDITION Deployment web: Progressing became True (ReplicaSetUpdated):"
                        + " ReplicaSet \"web-7d9c6b5f4\" is progressing.",
                "2024-05-01T10:00:01Z POD Pod web-7d9c6b5f4-zz9zz became not ready: containers with unready status: [app]",
                "2024-05-01T10:00:01Z POD Pod web-7d9c6b5f4-zz9zz created by ReplicaSet web-7d9c6b5f4",
                "2024-05-01T10:00:01Z POD Pod web-7d9c6b5f4-zz9zz scheduled to node-1",
                "2024-05-01T10:00:01Z EVENT ReplicaSet web-7d9c6b5f4: SuccessfulCreate: Created pod: web-7d9c6b5f4-zz9zz",
                "2024-05-01T10:03:00Z CONTAINER Container app of pod web-7d9c6b5f4-zz9zz restarted"
                        + " (exit 137, OOMKilled; 2 restarts so far)");
    }

    @Test
    void measuresEachMomentAgainstTheCaptureTime() {
        Snapshot snapshot = load(DEPLOYMENT, "2024-05-01T10:05:00Z");

        TimelineEntry progressing = timelineOf(snapshot).stream()
                .filter(e -> e.category() == TimelineEntry.Category.CONDITION).findFirst().orElseThrow();

        assertThat(progressing.beforeCapture()).contains(Duration.ofMinutes(5));
        assertThat(progressing.object()).isEqualTo(ObjectRef.of("Deployment", "shop", "web"));
        assertThat(progressing.source()).isEqualTo("shop.yaml:1");
    }

    @Test
    void hasNoDistanceWhenTheCaptureTimeIsUnknown() {
        // a deletionTimestamp lies in the future, so it does not date the capture
        Snapshot snapshot = WebShop.loadWithoutCaptureTime("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop, uid: %s, generation: 1}
                status: {observedGeneration: 1}
                ---
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: web-5f6d8b9c7
                  namespace: shop
                  uid: rs-1
                  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: %s, controller: true}]
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-5f6d8b9c7-ab12c
                  namespace: shop
                  deletionTimestamp: "2024-05-01T10:05:30Z"
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5f6d8b9c7, uid: rs-1, controller: true}]
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: web.1, namespace: shop}
                involvedObject: {kind: Deployment, namespace: shop, name: web}
                reason: ScalingReplicaSet
                message: Scaled down replica set web-5f6d8b9c7 to 0 from 1
                firstTimestamp: null
                lastTimestamp: null
                """.formatted(WebShop.DEPLOYMENT_UID, WebShop.DEPLOYMENT_UID));

        List<TimelineEntry> timeline = timelineOf(snapshot);

        assertThat(snapshot.capturedAt()).isEmpty();
        assertThat(whats(timeline)).containsExactly(
                "2024-05-01T10:05:30Z POD Pod web-5f6d8b9c7-ab12c grace period ends (deletionTimestamp)");
        assertThat(timeline.get(0).beforeCapture()).isEmpty();
    }

    @Test
    void mergesTheCopiesAnEventLeavesInBothEventApis() {
        String core = coreEvent("web-7d9c6b5f4-zz9zz.17c8a1", "Pod", "web-7d9c6b5f4-zz9zz", "FailedScheduling",
                "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption"
                        + " victims found for incoming pod.", "Warning", 0, "null", "null")
                .replace("count: 0", "count: 0\neventTime: \"2024-05-01T10:04:40Z\"");
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS + core
                + seriesEvent("web-7d9c6b5f4-zz9zz.17c8a2", "web-7d9c6b5f4-zz9zz", "2024-05-01T10:04:40Z", 12,
                        "2024-05-01T10:09:40Z"), "2024-05-01T10:10:00Z");

        List<TimelineEntry> warnings = timelineOf(snapshot).stream()
                .filter(e -> e.category() == TimelineEntry.Category.WARNING).toList();

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).at()).isEqualTo(Instant.parse("2024-05-01T10:04:40Z"));
        assertThat(warnings.get(0).what()).isEqualTo("Pod web-7d9c6b5f4-zz9zz: FailedScheduling: 0/3 nodes are"
                + " available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found"
                + " for incoming pod. (x12 over 5m)");
    }

    @Test
    void keepsEventsOfTheSameKindThatHappenedSeparately() {
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS
                + coreEvent("web.a", "Deployment", "web", "ScalingReplicaSet", "Scaled up replica set web-7d9c6b5f4 to 1",
                        "Normal", 1, "\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00Z\"")
                + coreEvent("web.b", "Deployment", "web", "ScalingReplicaSet", "Scaled up replica set web-7d9c6b5f4 to 1",
                        "Normal", 1, "\"2024-05-01T10:02:00Z\"", "\"2024-05-01T10:02:00Z\""), "2024-05-01T10:05:00Z");

        assertThat(timelineOf(snapshot)).filteredOn(e -> e.what().contains("scaled up")).hasSize(2);
    }

    @Test
    void countsRepeatsOfCoreEvents() {
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS + coreEvent("zz9zz.backoff", "Pod", "web-7d9c6b5f4-zz9zz",
                "BackOff", "Back-off restarting failed container app in pod web-7d9c6b5f4-zz9zz_shop(uid-1)", "Warning",
                40, "\"2024-05-01T10:01:00Z\"", "\"2024-05-01T11:31:00Z\""), "2024-05-01T11:35:00Z");

        assertThat(timelineOf(snapshot)).filteredOn(e -> e.category() == TimelineEntry.Category.WARNING)
                .extracting(TimelineEntry::what)
                .containsExactly("Pod web-7d9c6b5f4-zz9zz: BackOff: Back-off restarting failed container app in pod"
                        + " web-7d9c6b5f4-zz9zz_shop(uid-1) (x40 over 90m)");
    }

    @Test
    void readsEveryWordingOfScalingEvents() {
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS
                + coreEvent("web.1", "Deployment", "web", "ScalingReplicaSet", "Scaled up replica set web-7d9c6b5f4 to 1",
                        "Normal", 1, "\"2024-05-01T10:00:00Z\"", "\"2024-05-01T10:00:00Z\"")
                + coreEvent("web.2", "Deployment", "web", "ScalingReplicaSet",
                        "Scaled down replica set web-5f6d8b9c7 to 2 from 3", "Normal", 1,
                        "\"2024-05-01T10:00:30Z\"", "\"2024-05-01T10:00:30Z\"")
                + coreEvent("web.3", "Deployment", "web", "ScalingReplicaSet",
                        "Scaled up replica set web-7d9c6b5f4 from 1 to 2", "Normal", 1,
                        "\"2024-05-01T10:00:31Z\"", "\"2024-05-01T10:00:31Z\""), "2024-05-01T10:05:00Z");

        List<TimelineEntry> scalings = timelineOf(snapshot).stream().filter(e -> e.what().contains(" scaled ")).toList();

        assertThat(scalings).extracting(TimelineEntry::what).containsExactly(
                "ReplicaSet web-7d9c6b5f4 scaled up to 1",
                "ReplicaSet web-5f6d8b9c7 scaled down from 3 to 2",
                "ReplicaSet web-7d9c6b5f4 scaled up from 1 to 2");
        assertThat(scalings).extracting(TimelineEntry::object).containsExactly(
                ObjectRef.of("ReplicaSet", "shop", "web-7d9c6b5f4"),
                ObjectRef.of("ReplicaSet", "shop", "web-5f6d8b9c7"),
                ObjectRef.of("ReplicaSet", "shop", "web-7d9c6b5f4"));
    }

    @Test
    void keepsEventsOfOldPodsThatAreGoneButNotOfOtherWorkloads() {
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS
                + coreEvent("gone.1", "Pod", "web-5f6d8b9c7-q8wpz", "Killing", "Stopping container app", "Normal", 1,
                        "\"2024-05-01T10:00:30Z\"", "\"2024-05-01T10:00:30Z\"")
                + coreEvent("other.1", "Pod", "webhook-5f6d8b9c7-q8wpz", "Killing", "Stopping container app", "Normal", 1,
                        "\"2024-05-01T10:00:30Z\"", "\"2024-05-01T10:00:30Z\"")
                + coreEvent("other.2", "Pod", "web-5f6d8b9c7-q8wpz-debug", "Killing", "Stopping container app", "Normal",
                        1, "\"2024-05-01T10:00:30Z\"", "\"2024-05-01T10:00:30Z\""), "2024-05-01T10:05:00Z");

        assertThat(timelineOf(snapshot)).filteredOn(e -> e.category() == TimelineEntry.Category.EVENT)
                .extracting(TimelineEntry::what)
                .containsExactly("Pod web-5f6d8b9c7-q8wpz: Killing: Stopping container app");
    }

    @Test
    void leavesOutEventsWithoutAnyTimestamp() {
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS + coreEvent("web.x", "Deployment", "web", "ScalingReplicaSet",
                "Scaled up replica set web-7d9c6b5f4 to 1", "Normal", 1, "null", "null"), "2024-05-01T10:05:00Z");

        assertThat(timelineOf(snapshot)).noneMatch(e -> e.what().contains("scaled up"));
    }

    @Test
    void placesPodDeletionAtTheRequestAndTheEndOfTheGracePeriod() {
        Snapshot snapshot = load(DEPLOYMENT + REPLICA_SETS + WebShop.terminatingOldPod("ab12c", "2024-05-01T10:05:30Z"),
                "2024-05-01T10:05:10Z");

        List<TimelineEntry> deletion = timelineOf(snapshot).stream().filter(e -> e.what().contains("web-5f6d8b9c7-ab12c")
                && (e.what().contains("deletion") || e.what().contains("grace"))).toList();

        assertThat(whats(deletion)).containsExactly(
                "2024-05-01T10:05:00Z POD Pod web-5f6d8b9c7-ab12c deletion requested (grace period 30s)",
                "2024-05-01T10:05:30Z POD Pod web-5f6d8b9c7-ab12c grace period ends (deletionTimestamp)");
        assertThat(deletion.get(1).beforeCapture()).contains(Duration.ofSeconds(-20));
    }

    @Test
    void refusesObjectsThatAreNoRollout() {
        Snapshot snapshot = load(REPLICA_SETS, "2024-05-01T10:05:00Z");

        assertThatThrownBy(() -> Timeline.of(snapshot, snapshot.objects().get(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

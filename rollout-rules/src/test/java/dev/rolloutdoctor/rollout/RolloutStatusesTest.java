package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.rolloutdoctor.rollout.WebShop.deployment;
import static dev.rolloutdoctor.rollout.WebShop.load;
import static dev.rolloutdoctor.rollout.WebShop.newPod;
import static dev.rolloutdoctor.rollout.WebShop.newReplicaSet;
import static dev.rolloutdoctor.rollout.WebShop.oldPod;
import static dev.rolloutdoctor.rollout.WebShop.oldReplicaSet;
import static dev.rolloutdoctor.rollout.WebShop.terminatingOldPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state of a Deployment rollout, one test per state and per way of reaching it. */
class RolloutStatusesTest {

    private static final String COMPLETE_STATUS = """
            observedGeneration: 2
            replicas: 3
            updatedReplicas: 3
            readyReplicas: 3
            availableReplicas: 3
            conditions:
            - type: Available
              status: "True"
              reason: MinimumReplicasAvailable
              message: Deployment has minimum availability.
              lastTransitionTime: "2024-05-01T08:01:00Z"
              lastUpdateTime: "2024-05-01T08:01:00Z"
            - type: Progressing
              status: "True"
              reason: NewReplicaSetAvailable
              message: ReplicaSet "web-7d9c6b5f4" has successfully progressed.
              lastTransitionTime: "2024-05-01T08:00:00Z"
              lastUpdateTime: "2024-05-01T10:01:10Z"
            """;

    private static final String NEW_PODS = newPod("x2x4q", "2024-05-01T10:00:01Z", "2024-05-01T10:00:20Z")
            + newPod("k8mfp", "2024-05-01T10:00:21Z", "2024-05-01T10:00:40Z")
            + newPod("7tqzr", "2024-05-01T10:00:41Z", "2024-05-01T10:01:00Z");

    private static final String NEW_RS_DONE = newReplicaSet(3, """
            replicas: 3
            fullyLabeledReplicas: 3
            readyReplicas: 3
            availableReplicas: 3
            """);

    private static RolloutStatus web(Snapshot snapshot) {
        return RolloutStatuses.of(snapshot, WebShop.web(snapshot));
    }

    @Nested
    class Complete {

        @Test
        void isCompleteWhenKubectlSaysDoneAndNothingOldRemains() {
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                    + NEW_RS_DONE + NEW_PODS, "2024-05-01T10:20:00Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.kubectl().message()).isEqualTo("deployment \"web\" successfully rolled out\n");
            assertThat(status.state()).isEqualTo(RolloutState.COMPLETE);
            assertThat(status.reason()).isEqualTo(
                    "All 3 pods are updated and available on ReplicaSet web-7d9c6b5f4 (revision 2).");
            assertThat(status.terminating()).isEmpty();
        }

        @Test
        void oldReplicaSetReportingZeroTerminatingPodsIsComplete() {
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS)
                    + oldReplicaSet(0, "replicas: 0\nterminatingReplicas: 0\n") + NEW_RS_DONE + NEW_PODS,
                    "2024-05-01T10:20:00Z");

            assertThat(web(snapshot).state()).isEqualTo(RolloutState.COMPLETE);
        }
    }

    @Nested
    class OldPodsTerminating {

        @Test
        void countsTerminatingOldPodsInTheSnapshotWhenTheClusterDoesNotReportThem() {
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                    + NEW_RS_DONE + NEW_PODS
                    + terminatingOldPod("ab12c", "2024-05-01T10:20:25Z")
                    + terminatingOldPod("cd34e", "2024-05-01T10:20:30Z"), "2024-05-01T10:20:10Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.kubectl().succeeded()).isTrue();
            assertThat(status.state()).isEqualTo(RolloutState.COMPLETE_OLD_PODS_TERMINATING);
            Terminating terminating = status.terminating().orElseThrow();
            assertThat(terminating.count()).isEqualTo(2);
            assertThat(terminating.countSource()).isEqualTo(Terminating.CountSource.PODS);
            assertThat(terminating.reported()).isEmpty();
            assertThat(terminating.owners()).containsExactly("web-5f6d8b9c7");
            assertThat(terminating.pods()).containsExactly(ObjectRef.of("Pod", "shop", "web-5f6d8b9c7-ab12c"),
                    ObjectRef.of("Pod", "shop", "web-5f6d8b9c7-cd34e"));
            assertThat(terminating.lastGracePeriodEnds()).contains(Instant.parse("2024-05-01T10:20:30Z"));
            assertThat(status.reason()).isEqualTo("kubectl reports success, but 2 pods of old ReplicaSet web-5f6d8b9c7"
                    + " are still terminating (counted from pods in the snapshot); the last grace period ends at"
                    + " 10:20:30Z.");
        }

        @Test
        void takesTheCountFromStatusTerminatingReplicasWhereTheClusterReportsIt() {
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS + "terminatingReplicas: 2\n")
                    + oldReplicaSet(0, "replicas: 0\nterminatingReplicas: 2\n") + NEW_RS_DONE + NEW_PODS,
                    "2024-05-01T10:20:10Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.state()).isEqualTo(RolloutState.COMPLETE_OLD_PODS_TERMINATING);
            Terminating terminating = status.terminating().orElseThrow();
            assertThat(terminating.count()).isEqualTo(2);
            assertThat(terminating.countSource()).isEqualTo(Terminating.CountSource.STATUS);
            assertThat(terminating.podsInSnapshot()).isZero();
            assertThat(terminating.lastGracePeriodEnds()).isEmpty();
            assertThat(status.reason()).isEqualTo("kubectl reports success, but 2 pods of old ReplicaSet web-5f6d8b9c7"
                    + " are still terminating (reported by status.terminatingReplicas).");
        }

        @Test
        void saysSomethingHoldsPodsWhoseGracePeriodEndedBeforeCapture() {
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                    + NEW_RS_DONE + NEW_PODS + terminatingOldPod("ab12c", "2024-05-01T10:02:00Z"),
                    "2024-05-01T10:20:00Z");

            assertThat(web(snapshot).reason()).endsWith("; the last grace period ended at 10:02:00Z, 18m before"
                    + " capture, so something holds them (finalizers or an unreachable node).");
        }

        @Test
        void aTerminatingPodOfTheNewReplicaSetIsNoOldPod() {
            String terminatingNew = WebShop.pod(WebShop.NEW_RS + "-zzzzz", WebShop.NEW_RS, WebShop.NEW_RS_UID,
                    WebShop.NEW_HASH, WebShop.NEW_IMAGE, "2024-05-01T10:00:01Z",
                    "  deletionTimestamp: \"2024-05-01T10:20:30Z\"\n", "2024-05-01T10:00:10Z");
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                    + NEW_RS_DONE + NEW_PODS + terminatingNew, "2024-05-01T10:20:10Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.state()).isEqualTo(RolloutState.COMPLETE);
            assertThat(status.structure().counted().terminating()).hasValue(1);
        }
    }

    @Nested
    class Paused {

        @Test
        void isPausedMidRollout() {
            Snapshot snapshot = load(deployment(7, "paused: true", """
                    observedGeneration: 7
                    replicas: 4
                    updatedReplicas: 1
                    readyReplicas: 4
                    availableReplicas: 3
                    unavailableReplicas: 1
                    conditions:
                    - type: Progressing
                      status: Unknown
                      reason: DeploymentPaused
                      message: Deployment is paused
                      lastTransitionTime: "2024-05-01T10:00:30Z"
                      lastUpdateTime: "2024-05-01T10:00:30Z"
                    """) + oldReplicaSet(3, "replicas: 3\nreadyReplicas: 3\navailableReplicas: 3\n")
                    + newReplicaSet(1, "replicas: 1\nreadyReplicas: 1\navailableReplicas: 0\n")
                    + oldPod("aaaaa", "2024-05-01T08:00:20Z") + oldPod("bbbbb", "2024-05-01T08:00:20Z")
                    + oldPod("ccccc", "2024-05-01T08:00:20Z")
                    + newPod("x2x4q", "2024-05-01T10:00:01Z", "2024-05-01T10:00:20Z"), "2024-05-01T12:00:00Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.kubectl().message()).isEqualTo(
                    "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...\n");
            assertThat(status.state()).isEqualTo(RolloutState.PAUSED);
            assertThat(status.reason()).isEqualTo("Paused (spec.paused) before the rollout finished: 1 of 3 pods are updated.");
        }

        @Test
        void aPausedDeploymentThatIsDoneIsComplete() {
            Snapshot snapshot = load(deployment(2, "paused: true", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                    + NEW_RS_DONE + NEW_PODS, "2024-05-01T10:20:00Z");

            assertThat(web(snapshot).state()).isEqualTo(RolloutState.COMPLETE);
        }
    }

    @Nested
    class Failed {

        private static final String TIMED_OUT = """
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
                  lastTransitionTime: "2024-05-01T08:01:00Z"
                  lastUpdateTime: "2024-05-01T08:01:00Z"
                - type: Progressing
                  status: "False"
                  reason: ProgressDeadlineExceeded
                  message: ReplicaSet "web-7d9c6b5f4" has timed out progressing.
                  lastTransitionTime: "2024-05-01T10:10:01Z"
                  lastUpdateTime: "2024-05-01T10:10:01Z"
                """;

        @Test
        void isFailedWhenTheProgressDeadlineWasExceeded() {
            Snapshot snapshot = load(deployment(2, "", TIMED_OUT)
                    + oldReplicaSet(3, "replicas: 3\nreadyReplicas: 3\navailableReplicas: 3\n")
                    + newReplicaSet(1, "replicas: 1\n")
                    + WebShop.crashLoopingNewPod("zz9zz", "2024-05-01T10:00:01Z", 6, "2024-05-01T10:14:00Z"),
                    "2024-05-01T10:20:00Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.kubectl().error()).contains("deployment \"web\" exceeded its progress deadline");
            assertThat(status.state()).isEqualTo(RolloutState.FAILED);
            assertThat(status.reason()).isEqualTo("Progress deadline of 10m exceeded at 10:10:01Z (ReplicaSet"
                    + " \"web-7d9c6b5f4\" has timed out progressing); 1 of 3 pods are updated.");
        }

        @Test
        void aPausedDeploymentPastItsDeadlineIsFailed() {
            Snapshot snapshot = load(deployment(2, "paused: true", TIMED_OUT), "2024-05-01T10:20:00Z");

            assertThat(web(snapshot).state()).isEqualTo(RolloutState.FAILED);
        }
    }

    @Nested
    class NotObserved {

        @Test
        void isNotObservedWhileTheControllerLagsBehindTheSpec() {
            Snapshot snapshot = load(deployment(3, "", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                    + NEW_RS_DONE + NEW_PODS, "2024-05-01T10:20:00Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.kubectl().message()).isEqualTo("Waiting for deployment spec update to be observed...\n");
            assertThat(status.state()).isEqualTo(RolloutState.NOT_OBSERVED);
            assertThat(status.reason()).isEqualTo(
                    "The deployment controller has not observed generation 3 yet (status.observedGeneration is 2).");
        }

        @Test
        void aStaleDeadlineDoesNotCountBeforeTheNewGenerationIsObserved() {
            Snapshot snapshot = load(deployment(3, "", Failed.TIMED_OUT), "2024-05-01T10:20:00Z");

            assertThat(web(snapshot).state()).isEqualTo(RolloutState.NOT_OBSERVED);
        }
    }

    @Nested
    class StalledOrProgressing {

        /** Progress last recorded at 10:04:31Z; kubectl waits for "2 of 3 updated replicas are available". */
        private static String waitingForAvailability() {
            return deployment(2, "", """
                    observedGeneration: 2
                    replicas: 3
                    updatedReplicas: 3
                    readyReplicas: 2
                    availableReplicas: 2
                    unavailableReplicas: 1
                    conditions:
                    - type: Progressing
                      status: "True"
                      reason: ReplicaSetUpdated
                      message: ReplicaSet "web-7d9c6b5f4" is progressing.
                      lastTransitionTime: "2024-05-01T10:00:00Z"
                      lastUpdateTime: "2024-05-01T10:04:31Z"
                    """) + oldReplicaSet(0, "replicas: 0\n")
                    + newReplicaSet(3, "replicas: 3\nreadyReplicas: 2\navailableReplicas: 2\n")
                    + newPod("x2x4q", "2024-05-01T10:00:01Z", "2024-05-01T10:00:20Z")
                    + newPod("k8mfp", "2024-05-01T10:00:21Z", "2024-05-01T10:04:31Z")
                    + WebShop.crashLoopingNewPod("zz9zz", "2024-05-01T10:04:32Z", 3, "2024-05-01T10:07:00Z");
        }

        @Test
        void isStalledWhenNothingProgressedForLongerThanTheThreshold() {
            RolloutStatus status = web(load(waitingForAvailability(), "2024-05-01T10:16:31Z"));

            assertThat(status.state()).isEqualTo(RolloutState.STALLED);
            assertThat(status.reason()).isEqualTo("2 of 3 updated pods are available; no progress for 12m since 10:04:31Z.");
            assertThat(status.lastProgress()).contains(Instant.parse("2024-05-01T10:04:31Z"));
            assertThat(status.sinceProgress()).contains(Duration.ofMinutes(12));
        }

        @Test
        void isStillProgressingAtExactlyTheThreshold() {
            RolloutStatus status = web(load(waitingForAvailability(), "2024-05-01T10:09:31Z"));

            assertThat(status.stallThreshold()).isEqualTo(Duration.ofMinutes(5));
            assertThat(status.state()).isEqualTo(RolloutState.PROGRESSING);
            assertThat(status.reason()).isEqualTo(
                    "2 of 3 updated pods are available; last progress 5m before capture, at 10:04:31Z.");
        }

        @Test
        void isStalledOneSecondPastTheThreshold() {
            assertThat(web(load(waitingForAvailability(), "2024-05-01T10:09:32Z")).state()).isEqualTo(RolloutState.STALLED);
        }

        @Test
        void aFixedThresholdReplacesTheDefault() {
            Snapshot snapshot = load(waitingForAvailability(), "2024-05-01T10:16:31Z");

            RolloutStatus status = RolloutStatuses.of(snapshot, WebShop.web(snapshot),
                    RolloutOptions.DEFAULTS.withStallThreshold(Duration.ofMinutes(15)));

            assertThat(status.state()).isEqualTo(RolloutState.PROGRESSING);
        }

        @Test
        void theDefaultThresholdIsHalfTheProgressDeadline() {
            Snapshot snapshot = load(waitingForAvailability().replace("progressDeadlineSeconds: 600",
                    "progressDeadlineSeconds: 3600"), "2024-05-01T10:16:31Z");

            RolloutStatus status = web(snapshot);

            assertThat(status.stallThreshold()).isEqualTo(Duration.ofMinutes(30));
            assertThat(status.state()).isEqualTo(RolloutState.PROGRESSING);
        }

        @Test
        void withoutADeadlineTheNewestPodChangeIsTheLastProgress() {
            String noDeadline = waitingForAvailability()
                    .replace("progressDeadlineSeconds: 600", "progressDeadlineSeconds: 2147483647")
                    .replace("reason: ReplicaSetUpdated", "reason: NewReplicaSetAvailable");
            RolloutStatus status = web(load(noDeadline, "2024-05-01T10:16:31Z"));

            assertThat(status.stallThreshold()).isEqualTo(RolloutOptions.DEFAULT_STALL_THRESHOLD);
            assertThat(status.lastProgress()).contains(Instant.parse("2024-05-01T10:04:32Z"));
            assertThat(status.state()).isEqualTo(RolloutState.STALLED);
        }

        @Test
        void saysAtLeastWhenTheCaptureTimeIsOnlyTheNewestTimestamp() {
            String withLaterEvent = waitingForAvailability() + """
                    apiVersion: v1
                    kind: Event
                    metadata: {name: web-7d9c6b5f4-zz9zz.17c8a, namespace: shop}
                    involvedObject: {kind: Pod, namespace: shop, name: web-7d9c6b5f4-zz9zz, fieldPath: "spec.containers{app}"}
                    reason: BackOff
                    message: Back-off restarting failed container app in pod web-7d9c6b5f4-zz9zz_shop(uid-web-7d9c6b5f4-zz9zz)
                    type: Warning
                    count: 40
                    firstTimestamp: "2024-05-01T10:05:00Z"
                    lastTimestamp: "2024-05-01T10:16:31Z"
                    source: {component: kubelet, host: node-1}
                    """;
            RolloutStatus status = web(WebShop.loadWithoutCaptureTime(withLaterEvent));

            assertThat(status.state()).isEqualTo(RolloutState.STALLED);
            assertThat(status.reason()).isEqualTo(
                    "2 of 3 updated pods are available; no progress for at least 12m since 10:04:31Z.");
        }
    }

    @Nested
    class UnknownCaptureTime {

        @Test
        void cannotJudgeAStallWithoutACaptureTime() {
            Snapshot snapshot = WebShop.loadWithoutCaptureTime("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web
                      namespace: shop
                      generation: 2
                    spec:
                      replicas: 3
                      selector:
                        matchLabels: {app: web}
                      template:
                        metadata:
                          labels: {app: web}
                        spec:
                          containers:
                          - name: app
                            image: registry.example.com/shop/web:2.0.1
                    status:
                      observedGeneration: 2
                      replicas: 3
                      updatedReplicas: 3
                      readyReplicas: 2
                      availableReplicas: 2
                      unavailableReplicas: 1
                    """);

            RolloutStatus status = web(snapshot);

            assertThat(snapshot.capturedAt()).isEmpty();
            assertThat(status.state()).isEqualTo(RolloutState.PROGRESSING);
            assertThat(status.sinceProgress()).isEmpty();
            assertThat(status.reason()).isEqualTo(
                    "2 of 3 updated pods are available; the capture time is unknown, so whether it stalled cannot be judged.");
        }
    }

    @Nested
    class Options {

        @Test
        void aPinnedRevisionChangesKubectlsLineButNotTheState() {
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                    + NEW_RS_DONE + NEW_PODS, "2024-05-01T10:20:00Z");

            RolloutStatus status = RolloutStatuses.of(snapshot, WebShop.web(snapshot), RolloutOptions.DEFAULTS.withRevision(3));

            assertThat(status.kubectl().error()).contains("desired revision (3) is different from the running revision (2)");
            assertThat(status.state()).isEqualTo(RolloutState.COMPLETE);
        }

        @Test
        void rejectsANegativeRevisionAsKubectlDoes() {
            assertThatThrownBy(() -> RolloutOptions.DEFAULTS.withRevision(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("revision must be a positive integer: -1");
        }
    }

    @Nested
    class EveryWorkload {

        @Test
        void listsEveryDeploymentStatefulSetAndDaemonSetSortedByNamespaceKindName() {
            Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS) + """
                    apiVersion: apps/v1
                    kind: StatefulSet
                    metadata: {name: db, namespace: shop, generation: 1}
                    spec: {replicas: 1, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}}
                    status: {observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1}
                    ---
                    apiVersion: apps/v1
                    kind: DaemonSet
                    metadata: {name: agent, namespace: kube-system, generation: 1}
                    spec: {updateStrategy: {type: RollingUpdate}}
                    status: {observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2}
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web, namespace: shop}
                    """, "2024-05-01T10:20:00Z");

            List<RolloutStatus> statuses = RolloutStatuses.of(snapshot);

            assertThat(statuses).extracting(RolloutStatus::ref).containsExactly(
                    ObjectRef.of("DaemonSet", "kube-system", "agent"),
                    ObjectRef.of("Deployment", "shop", "web"),
                    ObjectRef.of("StatefulSet", "shop", "db"));
            assertThat(statuses).extracting(RolloutStatus::state).containsOnly(RolloutState.COMPLETE);
        }

        @Test
        void refusesObjectsThatAreNoRollout() {
            Snapshot snapshot = load(oldReplicaSet(0, "replicas: 0\n"), "2024-05-01T10:20:00Z");

            assertThatThrownBy(() -> RolloutStatuses.of(snapshot, snapshot.objects().get(0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ReplicaSet shop/web-5f6d8b9c7");
        }
    }

    @Test
    void countsFromPodsShowWhenTheStatusLooksBetterThanThePods() {
        Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS) + oldReplicaSet(0, "replicas: 0\n")
                + NEW_RS_DONE
                + WebShop.crashLoopingNewPod("aaaaa", "2024-05-01T10:00:01Z", 4, "2024-05-01T10:18:00Z")
                + WebShop.crashLoopingNewPod("bbbbb", "2024-05-01T10:00:01Z", 4, "2024-05-01T10:18:00Z")
                + WebShop.crashLoopingNewPod("ccccc", "2024-05-01T10:00:01Z", 4, "2024-05-01T10:18:00Z"),
                "2024-05-01T10:20:00Z");

        RolloutStructure structure = web(snapshot).structure();

        assertThat(structure.reported().available()).isEqualTo(3);
        assertThat(structure.counted().available()).isZero();
        assertThat(structure.counted().updatedAvailable()).isEqualTo(OptionalInt.of(0));
        assertThat(structure.counted().unavailable()).isEqualTo(3);
        assertThat(structure.counted().replicas()).isEqualTo(3);
    }

    @Test
    void theStatusKeepsTheOptionalFieldsItCouldNotFill() {
        Snapshot snapshot = load(deployment(2, "", COMPLETE_STATUS), "2024-05-01T10:20:00Z");

        RolloutStatus status = web(snapshot);

        assertThat(status.structure().newReplicaSet()).isEmpty();
        assertThat(status.structure().reported().updatedAvailable()).isEmpty();
        assertThat(status.structure().reported().terminating()).isEmpty();
        assertThat(status.reason()).isEqualTo("All 3 pods are updated and available.");
        assertThat(status.terminating()).isEqualTo(Optional.empty());
    }
}

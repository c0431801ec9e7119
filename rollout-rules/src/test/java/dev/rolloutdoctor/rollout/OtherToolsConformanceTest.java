package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our states against the health verdicts of gitops-engine (Argo CD) and kstatus (cli-utils; Flux, Helm 4) on their
 * own test cases: either we agree, or the case is in {@link #DIFFERENCES} with the reason we differ on purpose.
 * Only Deployment, StatefulSet and DaemonSet cases are compared; the Pod, ReplicaSet and PVC cases are out of scope
 * (we give no state to those kinds).
 */
class OtherToolsConformanceTest {

    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    /** Every case where our verdict differs from the other tool's, and why. Keep in step with the README. */
    static final Map<String, String> DIFFERENCES = Map.of(
            "kstatus:depNotProgressing", "we follow kubectl: only Progressing reason ProgressDeadlineExceeded fails a"
                    + " rollout; kstatus also waits for Progressing=True/NewReplicaSetAvailable when a deadline is set",
            "kstatus:depNotAvailable", "we follow kubectl, which ignores the Available condition once every updated"
                    + " replica is available by the counters",
            "kstatus:stsBadStatus", "without spec.replicas kubectl skips its readiness check (the API server always"
                    + " defaults it to 1, so only hand-made objects get here); kstatus assumes 1",
            "kstatus:stsLessCurrent", "without a rollingUpdate block kubectl compares currentRevision with"
                    + " updateRevision, not currentReplicas; equal revisions mean done",
            "kstatus:stsExtraPods", "kubectl does not count surplus pods above spec.replicas for StatefulSets",
            "kstatus:dsBadStatus", "an absent desiredNumberScheduled reads as 0, as Kubernetes reads it, so there is"
                    + " nothing to wait for; kstatus treats the missing field as not yet reconciled",
            "kstatus:dsLessReady", "kubectl checks numberAvailable, not numberReady (available pods are ready pods,"
                    + " so only inconsistent data gets here)");

    @BeforeAll
    static void sharedFilesArePresent() {
        SharedConformance.assumePresent();
    }

    /** Our states as gitops-engine's health codes. */
    static String asGitopsEngine(RolloutState state) {
        switch (state) {
            case COMPLETE, COMPLETE_OLD_PODS_TERMINATING: return "Healthy";
            case FAILED: return "Degraded";
            case PAUSED: return "Suspended";
            default: return "Progressing";
        }
    }

    /** Our states as kstatus statuses. */
    static String asKstatus(RolloutState state) {
        switch (state) {
            case COMPLETE, COMPLETE_OLD_PODS_TERMINATING: return "Current";
            case FAILED: return "Failed";
            default: return "InProgress";
        }
    }

    static Stream<Arguments> gitopsEngineCases() {
        return SharedConformance.cases("gitops-engine/cases.yaml").stream()
                .filter(c -> WORKLOAD_KINDS.contains((String) c.get("kind")))
                .map(c -> Arguments.of(c.get("file"), c));
    }

    static Stream<Arguments> kstatusCases() {
        return SharedConformance.cases("kstatus/cases.yaml").stream()
                .filter(c -> WORKLOAD_KINDS.contains((String) c.get("kind")))
                .map(c -> Arguments.of(c.get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gitopsEngineCases")
    @SuppressWarnings("unchecked")
    void agreesWithGitopsEngineOrDiffersOnPurpose(String file, Map<String, Object> testCase) {
        Snapshot snapshot = SharedConformance.loadFile("gitops-engine/" + file);
        KubeObject workload = SharedConformance.onlyWorkload(snapshot, (String) testCase.get("kind"));
        RolloutStatus status = RolloutStatuses.of(snapshot, workload);

        assertAgreement("gitops-engine:" + file, asGitopsEngine(status.state()), (String) testCase.get("expected_status"));
        Map<String, Object> kubectl = (Map<String, Object>) testCase.get("derived_kubectl");
        assertThat(status.kubectl().message()).isEqualTo(kubectl.get("message"));
        assertThat(status.kubectl().done()).isEqualTo(kubectl.get("done"));
        assertThat(status.kubectl().error()).isEqualTo(Optional.ofNullable((String) kubectl.get("error")));
        Map<String, Object> kstatus = (Map<String, Object>) testCase.get("derived_kstatus");
        if (kstatus != null) {
            assertAgreement("kstatus:" + file, asKstatus(status.state()), (String) kstatus.get("status"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kstatusCases")
    @SuppressWarnings("unchecked")
    void agreesWithKstatusOrDiffersOnPurpose(String name, Map<String, Object> testCase) {
        KubeObject workload = SharedConformance.object((String) testCase.get("kind"), testCase.get("object"));
        Snapshot snapshot = Snapshot.builder().add(workload).build();
        RolloutStatus status = RolloutStatuses.of(snapshot, workload);

        assertAgreement("kstatus:" + name, asKstatus(status.state()),
                (String) ((Map<String, Object>) testCase.get("expected")).get("status"));
    }

    @Test
    void everyListedDifferenceIsACaseOfTheirs() {
        Stream<String> known = Stream.concat(
                SharedConformance.cases("kstatus/cases.yaml").stream().map(c -> "kstatus:" + c.get("name")),
                SharedConformance.cases("gitops-engine/cases.yaml").stream().flatMap(c -> Stream.of(
                        "gitops-engine:" + c.get("file"), "kstatus:" + c.get("file"))));

        assertThat(known.toList()).containsAll(DIFFERENCES.keySet());
    }

    private static void assertAgreement(String key, String ours, String theirs) {
        if (DIFFERENCES.containsKey(key)) {
            assertThat(ours).as("%s is listed as a difference (%s) but we agree", key, DIFFERENCES.get(key))
                    .isNotEqualTo(theirs);
        } else {
            assertThat(ours).as("%s: ours vs theirs", key).isEqualTo(theirs);
        }
    }
}

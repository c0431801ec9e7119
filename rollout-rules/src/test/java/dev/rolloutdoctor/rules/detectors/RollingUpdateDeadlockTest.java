package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectorHarness;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.CAPTURED_AT;
import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.NEW_RS;
import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.failedCreate;
import static dev.rolloutdoctor.rules.detectors.AdmissionRollouts.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class RollingUpdateDeadlockTest {

    static final String SURGE_NEEDS_2_CPU = """
            containers:
            - name: app
              image: shop/web:1.3
              resources:
                requests: {cpu: "2", memory: 256Mi}
            """;

    static final String ONE_PER_NODE = """
            affinity:
              podAntiAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                - labelSelector: {matchLabels: {app: web}}
                  topologyKey: kubernetes.io/hostname
            containers:
            - name: app
              image: shop/web:1.3
              resources:
                requests: {cpu: 500m, memory: 256Mi}
            """;

    static final String HOST_PORT = """
            containers:
            - name: app
              image: shop/web:1.3
              ports: [{containerPort: 8080, hostPort: 8080}]
              resources:
                requests: {cpu: 500m, memory: 256Mi}
            """;

    /** Three 2-CPU nodes, each running one old pod (500m), and a surge pod that needs 2 CPU. */
    static AdmissionRollouts capacityDeadlock() {
        return AdmissionRollouts.web().newSpec(SURGE_NEEDS_2_CPU).newReplicaSet(1, 1)
                .with(node("node-1", "2", "8Gi")).with(node("node-2", "2", "8Gi")).with(node("node-3", "2", "8Gi"));
    }

    static List<Finding> findings(AdmissionRollouts rollout) {
        return DetectorHarness.of(new RollingUpdateDeadlock()).yaml(rollout.yaml()).capturedAt(CAPTURED_AT).findings();
    }

    static List<Optional<String>> commands(Finding f) {
        return f.remediation().stream().map(RemediationStep::command).toList();
    }

    @Test
    void aSurgePodThatFitsNoNodeWhileMaxUnavailableIsZeroIsADeadlockWithTheArithmetic() {
        assertThat(findings(capacityDeadlock())).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("rolling-update-deadlock");
            assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(f.title()).isEqualTo("Rolling update of Deployment shop/web is deadlocked: maxUnavailable 25% of 3 "
                    + "rounds down to 0 and the surge pod fits no node (Insufficient cpu)");
            assertThat(f.explanation())
                    .contains("replicas 3, maxSurge 25% -> 1 (rounded up), maxUnavailable 25% -> 0 (rounded down)")
                    .contains("it requests 2 CPU and the most free on any node it may run on is 1.5 CPU (node-1: ")
                    .contains("Removing 1 old pod from node node-1 (web-7c6d5b4f8-old0a) makes room: it then has 2 CPU free "
                            + "for the 2 CPU it needs")
                    .contains("With maxSurge 0 and maxUnavailable 1 the controller must keep 2 of 3 pods available, so it may "
                            + "scale the old ReplicaSet down by 1 first (3 -> 2 old pods)");
            assertThat(f.evidence()).extracting(Evidence::path, Evidence::text).contains(
                    tuple("spec.strategy.rollingUpdate.maxSurge", "25%"),
                    tuple("spec.strategy.rollingUpdate.maxUnavailable", "25%"),
                    tuple("status.allocatable.cpu", "2"));
            assertThat(f.evidence()).anySatisfy(e -> assertThat(e.path()).isEqualTo("status.conditions[PodScheduled]"));
            assertThat(commands(f)).containsSubsequence(
                    Optional.of("kubectl patch deployment/web -n shop --type merge -p "
                            + "'{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1}}}}'"),
                    Optional.of("kubectl patch deployment/web -n shop --type merge -p "
                            + "'{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}'"),
                    Optional.of("kubectl rollout status deployment/web -n shop"));
            assertThat(f.remediation()).anySatisfy(s -> assertThat(s.text())
                    .isEqualTo("Or add capacity: a node with at least 2 CPU free for the surge pod"));
        });
    }

    @Test
    void maxUnavailableOfOneIsNoDeadlockEvenWhenTheSurgePodCannotStart() {
        assertThat(findings(capacityDeadlock().rollingUpdate("1", "1"))).isEmpty();
    }

    @Test
    void aSurgePodTooBigForAnyNodeEvenWithoutOldPodsIsNotAStrategyDeadlock() {
        var rollout = capacityDeadlock().newSpec(SURGE_NEEDS_2_CPU.replace("cpu: \"2\"", "cpu: \"3\""));

        assertThat(findings(rollout)).isEmpty();
    }

    @Test
    void aSurgePodPendingForAnotherReasonIsNotADeadlock() {
        var rollout = capacityDeadlock().newSpec("nodeSelector: {disktype: ssd}\n" + SURGE_NEEDS_2_CPU)
                .schedulerMessage("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");

        assertThat(findings(rollout)).isEmpty();
    }

    @Test
    void aRolloutWhoseNewPodsStartedIsNotADeadlock() {
        assertThat(findings(capacityDeadlock().newReplicaSet(1, 0))).isEmpty();
    }

    @Test
    void oneOldPodPerNodeWithRequiredAntiAffinityLeavesTheSurgePodNowhereToGo() {
        var rollout = AdmissionRollouts.web().oldSpec(ONE_PER_NODE.replace("shop/web:1.3", "shop/web:1.2"))
                .newSpec(ONE_PER_NODE).newReplicaSet(1, 1)
                .schedulerMessage("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: "
                        + "0/3 nodes are available: 3 No preemption victims found for incoming pod.")
                .with(node("node-1", "8", "32Gi")).with(node("node-2", "8", "32Gi")).with(node("node-3", "8", "32Gi"));

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("rounds down to 0 and its anti-affinity rules out every node running an old pod");
            assertThat(f.explanation()).contains("its required pod anti-affinity (topologyKey kubernetes.io/hostname, "
                    + "selector app=web) allows one such pod per node, and each of the 3 nodes already runs one");
            assertThat(f.remediation()).anySatisfy(s -> assertThat(s.text())
                    .isEqualTo("Or add a node the pods may run on that runs no pod of the old revision"));
        });
    }

    @Test
    void aHostPortHeldByAnOldPodOnEveryNodeLeavesTheSurgePodNowhereToGo() {
        var rollout = AdmissionRollouts.web().oldSpec(HOST_PORT.replace("shop/web:1.3", "shop/web:1.2"))
                .newSpec(HOST_PORT).newReplicaSet(1, 1)
                .schedulerMessage("0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.")
                .with(node("node-1", "8", "32Gi")).with(node("node-2", "8", "32Gi")).with(node("node-3", "8", "32Gi"));

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).endsWith("and host port 8080/TCP is held on every node");
            assertThat(f.explanation()).contains("it needs host port 8080/TCP, which a pod holds on each of the 3 nodes");
        });
    }

    @Test
    void aQuotaWithLessThanOnePodOfHeadroomDeadlocksTheSurge() {
        var rollout = AdmissionRollouts.web()
                .with(failedCreate(NEW_RS, QuotaExceededTest.EXCEEDED, 12, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"))
                .with(QuotaExceededTest.QUOTA.replace("USED", "3800m"));

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.title()).isEqualTo("Rolling update of Deployment shop/web is deadlocked: maxUnavailable 25% of 3 "
                    + "rounds down to 0 and quota compute has no room for the surge pod");
            assertThat(f.explanation())
                    .contains("requests.cpu: hard 4, used 3800m, headroom 200m; each new pod requests 500m, so 0 more pods fit")
                    .contains("Removing 1 old pod frees requests.cpu 500m per old pod, against a shortfall of 300m");
            assertThat(commands(f)).contains(Optional.of("kubectl patch resourcequota/compute -n shop --type merge -p "
                    + "'{\"spec\":{\"hard\":{\"requests.cpu\":\"4300m\"}}}'"));
        });
    }

    @Test
    void withoutNodesTheSchedulersAntiAffinityReasonIsReportedWithMediumConfidence() {
        var rollout = AdmissionRollouts.web().oldSpec(ONE_PER_NODE.replace("shop/web:1.3", "shop/web:1.2"))
                .newSpec(ONE_PER_NODE).newReplicaSet(1, 1)
                .schedulerMessage("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");

        assertThat(findings(rollout)).singleElement().satisfies(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(f.explanation()).contains("The snapshot holds no Nodes, so whether removing one old pod makes room "
                    + "cannot be computed");
        });
    }

    @Test
    void aLiteralZeroMaxUnavailableIsNamedAsWritten() {
        assertThat(findings(capacityDeadlock().rollingUpdate("1", "0"))).singleElement().satisfies(f ->
                assertThat(f.title()).contains("deadlocked: maxUnavailable is 0 and"));
    }

    @Test
    void theDeadlockRanksFirstAndExplainsTheQuotaRefusal() {
        var rollout = AdmissionRollouts.web()
                .with(failedCreate(NEW_RS, QuotaExceededTest.EXCEEDED, 12, "2024-05-01T10:00:01Z", "2024-05-01T10:29:00Z"))
                .with(QuotaExceededTest.QUOTA.replace("USED", "3800m"));
        Diagnosis diagnosis = DetectorHarness.of(new RollingUpdateDeadlock()).yaml(rollout.yaml()).capturedAt(CAPTURED_AT)
                .diagnose();

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> {
            RankedFinding root = r.rootCause().orElseThrow();
            assertThat(root.finding().ruleId()).isEqualTo("rolling-update-deadlock");
            RankedFinding quota = r.findings().stream().filter(x -> x.finding().ruleId().equals("quota-exceeded"))
                    .findFirst().orElseThrow();
            assertThat(root.explains()).contains(quota.id());
        });
    }

    @Test
    void theDeadlockRanksAboveTheSchedulersInsufficientResources() {
        Diagnosis diagnosis = DetectorHarness.of(new RollingUpdateDeadlock()).yaml(capacityDeadlock().yaml())
                .capturedAt(CAPTURED_AT).diagnose();

        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> {
            RankedFinding root = r.rootCause().orElseThrow();
            assertThat(root.finding().ruleId()).isEqualTo("rolling-update-deadlock");
            r.findings().stream().filter(x -> x.finding().ruleId().equals("insufficient-resources"))
                    .forEach(x -> assertThat(root.explains()).contains(x.id()));
        });
    }
}

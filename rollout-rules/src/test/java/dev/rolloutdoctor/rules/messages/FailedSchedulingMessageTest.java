package dev.rolloutdoctor.rules.messages;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.Category;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.Form;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.NodeReason;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.UntoleratedTaint;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FailedSchedulingMessageTest {

    private static FailedSchedulingMessage parse(String text) {
        return FailedSchedulingMessage.parse(text).orElseThrow(() -> new AssertionError("not read: " + text));
    }

    @Test
    void theCurrentFormGivesTheNodeTotalEachReasonWithItsCountAndThePreemptionPart() {
        var m = parse("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                + "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                + "2 No preemption victims found for incoming pod.");

        assertThat(m.form()).isEqualTo(Form.NODES_AVAILABLE);
        assertThat(m.totalNodes()).hasValue(3);
        assertThat(m.reasons()).extracting(NodeReason::toString).containsExactly(
                "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }", "2 Insufficient cpu");
        assertThat(m.reasons()).extracting(NodeReason::category)
                .containsExactly(Category.UNTOLERATED_TAINT, Category.INSUFFICIENT_RESOURCE);
        assertThat(m.insufficientResources()).containsExactly("cpu");
        assertThat(m.untoleratedTaints()).containsExactly(new UntoleratedTaint("node-role.kubernetes.io/control-plane", ""));
        assertThat(m.preemption()).hasValueSatisfying(p -> {
            assertThat(p.totalNodes()).hasValue(3);
            assertThat(p.reasons()).extracting(NodeReason::nodes).containsExactly(1, 2);
            assertThat(p.foundNoVictims()).isTrue();
        });
    }

    @Test
    void aReasonThatContainsACommaInsideTheTaintBracesIsOneReason() {
        var m = parse("0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) "
                + "had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate.");

        assertThat(m.reasons()).extracting(NodeReason::category).containsExactly(Category.HOST_PORTS, Category.UNTOLERATED_TAINT);
        assertThat(m.reasons().get(1).reason()).isEqualTo("node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate");
        assertThat(m.untoleratedTaints()).containsExactly(new UntoleratedTaint("node-role.kubernetes.io/master", ""));
    }

    @Test
    void theOldPredicatesFormHasCountsInParenthesesAndNoTotal() {
        var m = parse("No nodes are available that match all of the predicates: Insufficient cpu (1), PodToleratesNodeTaints (2).");

        assertThat(m.form()).isEqualTo(Form.PREDICATES);
        assertThat(m.totalNodes()).isEmpty();
        assertThat(m.reasons()).extracting(NodeReason::nodes).containsExactly(1, 2);
        assertThat(m.reasons()).extracting(NodeReason::category)
                .containsExactly(Category.INSUFFICIENT_RESOURCE, Category.UNTOLERATED_TAINT);
    }

    @Test
    void theOldNodeNotReadyPredicateIsANodeHealthReason() {
        var m = parse("No nodes are available that match all of the predicates: NodeNotReady (1).");

        assertThat(m.reasons()).singleElement().satisfies(r -> {
            assertThat(r.category()).isEqualTo(Category.NODE_NOT_READY);
            assertThat(r.isNodeHealth()).isTrue();
        });
    }

    @Test
    void theFollowingPredicatesWordingWithADoubleColonIsRead() {
        var m = parse("No nodes are available that match all of the following predicates:: Insufficient memory (3).");

        assertThat(m.insufficientResources()).containsExactly("memory");
        assertThat(m.nodes(Category.INSUFFICIENT_RESOURCE)).isEqualTo(3);
    }

    @Test
    void theDoublePeriodAfterThePreemptionPartIsTolerated() {
        var m = parse("0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No "
                + "preemption victims found for incoming pod..");

        assertThat(m.reasons()).extracting(NodeReason::toString).containsExactly("3 Insufficient memory");
        assertThat(m.preemption()).hasValueSatisfying(p ->
                assertThat(p.text()).isEqualTo("0/3 nodes are available: 3 No preemption victims found for incoming pod"));
    }

    @Test
    void theDynamicResourceAllocationNoteBeforePreemptionBelongsToThePostFilterPart() {
        var m = parse("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. no new claims to "
                + "deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");

        assertThat(m.reasons()).extracting(NodeReason::category).containsExactly(Category.NODE_AFFINITY);
        assertThat(m.postFilter()).startsWith("no new claims to deallocate, preemption:");
        assertThat(m.preemption()).hasValueSatisfying(p -> assertThat(p.reasons()).hasSize(1));
    }

    @Test
    void theAggregationPrefixIsDropped() {
        var m = parse("(combined from similar events): 0/5 nodes are available: 5 Too many pods.");

        assertThat(m.message()).startsWith("0/5 nodes");
        assertThat(m.reasons()).singleElement().satisfies(r -> {
            assertThat(r.category()).isEqualTo(Category.TOO_MANY_PODS);
            assertThat(r.resource()).hasValue("pods");
        });
    }

    @Test
    void aPreFilterRejectionIsOneReasonForEveryNode() {
        var m = parse("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes "
                + "are available: 2 Preemption is not helpful for scheduling.");

        assertThat(m.preFilter()).hasValue("pod has unbound immediate PersistentVolumeClaims");
        assertThat(m.reasons()).singleElement().satisfies(r -> {
            assertThat(r.nodes()).isEqualTo(2);
            assertThat(r.category()).isEqualTo(Category.VOLUME);
            assertThat(r.preFilter()).isTrue();
        });
    }

    @Test
    void extendedResourcesKeepTheirDottedNames() {
        var m = parse("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: "
                + "1 No preemption victims found for incoming pod.");

        assertThat(m.insufficientResources()).containsExactly("nvidia.com/gpu");
        assertThat(m.hasResourceReasons()).isTrue();
        assertThat(m.hasPlacementReasons()).isFalse();
    }

    @Test
    void theNewestTaintWordingNamesNoTaint() {
        var m = parse("0/3 nodes are available: 3 node(s) had untolerated taint(s). preemption: not eligible due to preemptionPolicy=Never.");

        assertThat(m.reasons()).singleElement().satisfies(r -> {
            assertThat(r.category()).isEqualTo(Category.UNTOLERATED_TAINT);
            assertThat(r.taint()).isEmpty();
        });
        assertThat(m.preemption()).hasValueSatisfying(p -> {
            assertThat(p.totalNodes()).isEmpty();
            assertThat(p.foundNoVictims()).isTrue();
        });
    }

    @Test
    void aTaintWithAValueIsReadAsKeyAndValue() {
        var m = parse("0/4 nodes are available: 4 node(s) had untolerated taint {dedicated: gpu}.");

        assertThat(m.untoleratedTaints()).containsExactly(new UntoleratedTaint("dedicated", "gpu"));
        assertThat(m.untoleratedTaints().get(0)).hasToString("dedicated=gpu");
        assertThat(m.reasons().get(0).isNodeHealth()).isFalse();
    }

    @Test
    void notReadyAndUnschedulableTaintsAreNodeHealthReasons() {
        var m = parse("0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, "
                + "1 node(s) were unschedulable, 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }.");

        assertThat(m.reasons()).allMatch(NodeReason::isNodeHealth);
    }

    @Test
    void everyPlacementReasonOfTheSchedulerPluginsIsClassified() {
        assertThat(Category.of("node(s) didn't match Pod's node affinity/selector")).isEqualTo(Category.NODE_AFFINITY);
        assertThat(Category.of("node(s) didn't match node selector")).isEqualTo(Category.NODE_AFFINITY);
        assertThat(Category.of("MatchNodeSelector")).isEqualTo(Category.NODE_AFFINITY);
        assertThat(Category.of("node(s) didn't have free ports for the requested pod ports")).isEqualTo(Category.HOST_PORTS);
        assertThat(Category.of("node(s) were unschedulable")).isEqualTo(Category.NODE_UNSCHEDULABLE);
        assertThat(Category.of("node(s) didn't match the requested node name")).isEqualTo(Category.NODE_NAME);
        assertThat(Category.of("node(s) didn't match pod affinity rules")).isEqualTo(Category.POD_AFFINITY);
        assertThat(Category.of("node(s) didn't match pod anti-affinity rules")).isEqualTo(Category.POD_ANTI_AFFINITY);
        assertThat(Category.of("node(s) didn't satisfy existing pods anti-affinity rules")).isEqualTo(Category.POD_ANTI_AFFINITY);
        assertThat(Category.of("node(s) didn't match pod topology spread constraints (missing required label)"))
                .isEqualTo(Category.TOPOLOGY_SPREAD);
        assertThat(Category.of("node(s) had volume node affinity conflict")).isEqualTo(Category.VOLUME_NODE_AFFINITY);
        assertThat(Category.of("node(s) didn't match PersistentVolume's node affinity")).isEqualTo(Category.VOLUME_NODE_AFFINITY);
        assertThat(Category.of("node(s) didn't find available persistent volumes to bind")).isEqualTo(Category.VOLUME);
        assertThat(Category.of("node(s) had memory pressure")).isEqualTo(Category.NODE_PRESSURE);
        assertThat(Category.of("NodeUnderDiskPressure")).isEqualTo(Category.NODE_PRESSURE);
        assertThat(Category.of("node(s) had unknown conditions")).isEqualTo(Category.NODE_NOT_READY);
        assertThat(Category.of("node(s) didn't satisfy plugin(s) [NodeAffinity]")).isEqualTo(Category.OTHER);
        assertThat(Category.of("some extender said no")).isEqualTo(Category.OTHER);
    }

    @Test
    void aMessageInNoKnownFormIsNotRead() {
        assertThat(FailedSchedulingMessage.parse("skip schedule deleting pod: default/web-1")).isEmpty();
        assertThat(FailedSchedulingMessage.parse("")).isEmpty();
    }

    @Test
    void theFourteenYearOldFitFailureSummaryIsRead() {
        var m = parse("pod (web-1) failed to fit in any node\nfit failure summary on nodes : Insufficient cpu (2), PodFitsHostPorts (1)");

        assertThat(m.form()).isEqualTo(Form.FIT_FAILURE_SUMMARY);
        assertThat(m.reasons()).extracting(NodeReason::category).containsExactly(Category.INSUFFICIENT_RESOURCE, Category.HOST_PORTS);
    }

    // ------------------------------------------------------------------ the real-world corpus

    static final Path REALWORLD = Path.of("..", "..", "shared", "realworld").toAbsolutePath().normalize();

    @Test
    void everySchedulerMessageInTheRealWorldCorpusIsRead() throws IOException {
        assumeTrue(Files.isDirectory(REALWORLD), "../shared/realworld is absent (it is not part of the project)");
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(REALWORLD)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".json")
                    || f.toString().endsWith(".yaml") || f.getFileName().toString().equals("pods")).sorted().toList()) {
                Snapshot s = SnapshotLoader.create().withParallelism(1).load(file);
                s.objects(Event.class).stream().filter(e -> FailedSchedulingMessage.REASON.equals(e.reason()))
                        .forEach(e -> messages.add(e.message()));
                for (Pod p : s.objects(Pod.class)) {
                    p.status().condition("PodScheduled").filter(c -> "Unschedulable".equals(c.reason()))
                            .ifPresent(c -> messages.add(c.message()));
                }
            }
        }

        assertThat(messages).hasSizeGreaterThanOrEqualTo(8);
        assertThat(messages).filteredOn(t -> t.contains("nodes are available"))
                .allSatisfy(t -> assertThat(FailedSchedulingMessage.parse(t)).hasValueSatisfying(m ->
                        assertThat(m.reasons()).isNotEmpty().noneMatch(r -> r.category() == Category.OTHER)));
        assertThat(messages).anySatisfy(t -> assertThat(FailedSchedulingMessage.parse(t)).hasValueSatisfying(m ->
                assertThat(m.insufficientResources()).containsExactly("nvidia.com/gpu")));
        assertThat(messages).anySatisfy(t -> assertThat(FailedSchedulingMessage.parse(t)).hasValueSatisfying(m ->
                assertThat(m.form()).isEqualTo(Form.PREDICATES)));
    }
}

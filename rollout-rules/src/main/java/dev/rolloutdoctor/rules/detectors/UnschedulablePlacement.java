package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Affinity;
import dev.rolloutdoctor.model.ContainerPort;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.NodeSelectorRequirement;
import dev.rolloutdoctor.model.NodeSelectorTerm;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PersistentVolume;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.Taint;
import dev.rolloutdoctor.model.Toleration;
import dev.rolloutdoctor.model.TopologySpreadConstraint;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.capacity.Misfit;
import dev.rolloutdoctor.rules.capacity.NodeCapacity;
import dev.rolloutdoctor.rules.capacity.NodeFit;
import dev.rolloutdoctor.rules.capacity.Placement;
import dev.rolloutdoctor.rules.capacity.UnscheduledPod;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.Category;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.NodeReason;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * New pods stay Pending because no node is one they may run on: node selector or required node affinity that no
 * node matches, taints they do not tolerate, host ports already taken, cordoned nodes, pod (anti-)affinity, topology
 * spread constraints, or volumes pinned to other nodes. Read from the FailedScheduling events and {@code PodScheduled}
 * conditions, cross-checked against the snapshot's Nodes (which labels and taints they really have); when neither is
 * present, inferred from the Nodes alone ({@link NodeFit}).
 */
@Rule(id = "unschedulable-placement", title = "No node the new pods may run on", severity = Severity.ERROR,
        layer = Layer.CLUSTER,
        description = "The scheduler finds no node the rollout's new pods may run on: node selector or affinity that no "
                + "node matches, untolerated taints, host ports in use, cordoned nodes, pod (anti-)affinity, topology "
                + "spread constraints, or volumes bound to other nodes.")
public final class UnschedulablePlacement implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        Snapshot snapshot = context.snapshot();
        NodeFit fit = context.nodeFit();
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<UnscheduledPod> pending = UnscheduledPod.of(snapshot, status.structure().newPods()).stream()
                    .filter(p -> !p.gated()).toList();
            if (!pending.isEmpty()) {
                blocked(status, pending, fit).map(b -> new Story(b, snapshot).finding()).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private static Optional<Blocked> blocked(RolloutStatus status, List<UnscheduledPod> pending, NodeFit fit) {
        boolean daemonSet = status.workload() instanceof DaemonSet;
        List<UnscheduledPod> reported = pending.stream()
                .filter(p -> p.message().map(m -> !relevant(m, daemonSet).isEmpty() && !m.hasResourceReasons()).orElse(false))
                .toList();
        if (!reported.isEmpty()) {
            UnscheduledPod sample = reported.stream().max(Comparator.comparing((UnscheduledPod p) -> p.lastAttempt().orElse(Instant.MIN))
                    .thenComparing(p -> p.pod().ref(), Comparator.reverseOrder())).orElseThrow();
            FailedSchedulingMessage m = sample.message().orElseThrow();
            return Optional.of(new Blocked(status, reported, sample, Optional.of(m), groups(relevant(m, daemonSet)), fit,
                    Confidence.HIGH));
        }
        if (fit.isEmpty() || pending.stream().anyMatch(p -> p.message().isPresent())) {
            return Optional.empty();
        }
        List<Placement> placements = fit.place(pending.get(0).pod().spec());
        if (!placements.stream().allMatch(Placement::excluded)) {
            return Optional.empty();
        }
        return Optional.of(new Blocked(status, pending, pending.get(0), Optional.empty(), inferredGroups(placements), fit,
                Confidence.MEDIUM));
    }

    /** The placement reasons that matter: a DaemonSet pod's own node pin rules out every other node by design. */
    private static List<NodeReason> relevant(FailedSchedulingMessage m, boolean daemonSet) {
        List<NodeReason> placement = m.reasons().stream().filter(r -> r.category().isPlacement()).toList();
        if (daemonSet && m.reasons().stream().anyMatch(r -> r.category() != Category.NODE_AFFINITY)) {
            return placement.stream().filter(r -> r.category() != Category.NODE_AFFINITY).toList();
        }
        return placement;
    }

    /** Reasons grouped by category, in the order written. */
    private static List<Group> groups(List<NodeReason> reasons) {
        Map<Category, Group> out = new LinkedHashMap<>();
        for (NodeReason r : reasons) {
            out.merge(r.category(), new Group(r.category(), r.nodes(), List.of(r)), Group::plus);
        }
        return List.copyOf(out.values());
    }

    /** Without the scheduler's word: each node's first misfit, as the scheduler would have reported it. */
    private static List<Group> inferredGroups(List<Placement> placements) {
        Map<Category, Group> out = new TreeMap<>();
        for (Placement p : placements) {
            Misfit first = p.misfits().stream().filter(m -> !(m instanceof Misfit.Shortfall)).findFirst().orElseThrow();
            NodeReason r = new NodeReason(1, first.reason(), first.category(), false);
            out.merge(first.category(), new Group(first.category(), 1, List.of(r)), Group::plus);
        }
        return List.copyOf(out.values());
    }

    /** One kind of reason and how many nodes gave it. */
    private record Group(Category category, int nodes, List<NodeReason> reasons) {
        Group plus(Group other) {
            List<NodeReason> all = new ArrayList<>(reasons);
            all.addAll(other.reasons);
            return new Group(category, nodes + other.nodes, all);
        }
    }

    /** A workload whose new pods have nowhere to go. */
    private record Blocked(RolloutStatus status, List<UnscheduledPod> pods, UnscheduledPod sample,
                           Optional<FailedSchedulingMessage> message, List<Group> groups, NodeFit fit,
                           Confidence confidence) {
    }

    /** Writes the finding: what rules the nodes out, checked against the Nodes, and what to change. */
    private static final class Story {
        private final Blocked b;
        private final Snapshot snapshot;
        private final PodSpec spec;
        private final List<Placement> placements;

        Story(Blocked b, Snapshot snapshot) {
            this.b = b;
            this.snapshot = snapshot;
            this.spec = b.sample().pod().spec();
            this.placements = b.fit().place(spec);
        }

        Finding finding() {
            ObjectRef workload = b.status().ref();
            Finding.Builder f = Finding.of(UnschedulablePlacement.class)
                    .workload(workload)
                    .confidence(b.confidence())
                    .title(InsufficientResources.Texts.newPods(b.pods().size(), workload) + " cannot be scheduled: " + summary())
                    .explanation(explanation());
            b.pods().forEach(p -> f.culprit(p.pod()));
            f.evidence(evidence());
            f.step("See the scheduler's reasons for one of the pending pods", Kubectl.describe(b.sample().pod()));
            for (Group g : b.groups()) {
                steps(f, g);
            }
            return f.build();
        }

        private String summary() {
            List<String> parts = b.groups().stream().map(this::phrase).toList();
            String prefix = b.message().flatMap(m -> m.totalNodes().isPresent()
                    ? Optional.of("0/" + m.totalNodes().getAsInt() + " nodes are available: ") : Optional.empty())
                    .orElse(b.message().isEmpty() && !placements.isEmpty() ? "0/" + placements.size() + " nodes are available: " : "");
            return prefix + String.join(", ", parts);
        }

        private String phrase(Group g) {
            int n = g.nodes();
            String nodes = n + (n == 1 ? " node " : " nodes ");
            switch (g.category()) {
                case UNTOLERATED_TAINT:
                    List<String> taints = taintTexts(g);
                    return nodes + (n == 1 ? "has" : "have") + " untolerated taint"
                            + (taints.isEmpty() ? "s" : (taints.size() > 1 ? "s " : " ") + String.join(", ", taints));
                case NODE_AFFINITY:
                    String selector = selectorText();
                    return nodes + (n == 1 ? "doesn't" : "don't") + " match its node selector/affinity"
                            + (selector.isEmpty() ? "" : " (" + selector + ")");
                case HOST_PORTS:
                    List<String> ports = portTexts();
                    return nodes + (n == 1 ? "has" : "have") + " host port" + (ports.size() > 1 ? "s " : " ")
                            + String.join(", ", ports) + " in use";
                case NODE_UNSCHEDULABLE:
                    return nodes + (n == 1 ? "is" : "are") + " cordoned";
                case NODE_NAME:
                    return nodes + (n == 1 ? "is not" : "are not") + " the node it asks for (" + spec.nodeName() + ")";
                case POD_AFFINITY:
                    return nodes + (n == 1 ? "fails" : "fail") + " its required pod affinity";
                case POD_ANTI_AFFINITY:
                    boolean existing = g.reasons().stream().anyMatch(r -> r.reason().contains("existing pods"));
                    return existing ? nodes + "run pods whose anti-affinity excludes it"
                            : nodes + (n == 1 ? "fails" : "fail") + " its pod anti-affinity";
                case TOPOLOGY_SPREAD:
                    return nodes + (n == 1 ? "fails" : "fail") + " its topology spread constraints";
                case VOLUME_NODE_AFFINITY:
                    return nodes + (n == 1 ? "conflicts" : "conflict") + " with its volumes' node affinity";
                default:
                    return nodes + g.reasons().get(0).reason();
            }
        }

        /** {@code node-role.kubernetes.io/control-plane:NoSchedule}: with the effect when the Nodes tell it. */
        private List<String> taintTexts(Group g) {
            Set<String> out = new LinkedHashSet<>();
            for (NodeReason r : g.reasons()) {
                r.taint().ifPresent(t -> out.add(untolerated().stream()
                        .filter(x -> x.key().equals(t.key()) && x.value().equals(t.value()))
                        .map(Taint::toString).findFirst().orElse(t.toString())));
            }
            if (out.isEmpty()) {
                untolerated().forEach(t -> out.add(t.toString()));
            }
            return List.copyOf(out);
        }

        /** The distinct taints the Nodes carry that the pod does not tolerate, sorted. */
        private List<Taint> untolerated() {
            Map<String, Taint> out = new TreeMap<>();
            for (Placement p : placements) {
                for (Misfit m : p.misfits()) {
                    if (m instanceof Misfit.UntoleratedTaint t) {
                        out.putIfAbsent(t.taint().toString(), t.taint());
                    }
                }
            }
            return List.copyOf(out.values());
        }

        /** {@code disktype=ssd, kubernetes.io/arch notin (arm64)}. */
        private String selectorText() {
            List<String> parts = new ArrayList<>();
            spec.nodeSelector().forEach((k, v) -> parts.add(k + "=" + v));
            List<NodeSelectorTerm> terms = spec.affinity().map(Affinity::requiredNodeTerms).orElse(List.of());
            if (!terms.isEmpty()) {
                parts.add(NodeFit.describeTerms(terms));
            }
            return String.join(", ", parts);
        }

        private List<String> portTexts() {
            Set<String> out = new LinkedHashSet<>();
            for (ContainerPort p : NodeFit.hostPorts(spec)) {
                out.add(p.effectiveHostPort(spec.hostNetwork()) + "/" + (p.protocol().isEmpty() ? "TCP" : p.protocol()));
            }
            return List.copyOf(out);
        }

        // -------------------------------------------------------------- explanation

        private String explanation() {
            List<String> s = new ArrayList<>();
            s.add(b.message().map(m -> "The scheduler reports for pod " + b.sample().pod().metadata().name() + ": "
                    + InsufficientResources.Texts.quoted(m.message())).orElse("The snapshot holds no FailedScheduling event and no PodScheduled "
                    + "condition for the pending pods; checked against the snapshot's Nodes, none is one they may run on."));
            if (placements.isEmpty()) {
                s.add(snapshot.collectedKinds().contains("Node") ? "The snapshot holds no Nodes to check this against."
                        : "Nodes were not collected, so which labels and taints they have cannot be checked.");
            }
            for (Group g : b.groups()) {
                facts(g).ifPresent(s::add);
            }
            s.add("Until a node can take them the new pods stay Pending, so the rollout cannot finish.");
            return String.join(" ", s);
        }

        private Optional<String> facts(Group g) {
            switch (g.category()) {
                case NODE_AFFINITY:
                    return placements.isEmpty() ? Optional.empty() : Optional.of(selectorFacts());
                case UNTOLERATED_TAINT:
                    return placements.isEmpty() ? Optional.empty() : Optional.of(taintFacts());
                case HOST_PORTS:
                    return Optional.of(portFacts());
                case NODE_UNSCHEDULABLE:
                    List<String> cordoned = placements.stream().map(Placement::node).filter(n -> n.node().isCordoned())
                            .map(NodeCapacity::name).toList();
                    return Optional.of(cordoned.isEmpty() ? "Cordoned nodes (spec.unschedulable) take no new pods."
                            : "Cordoned (spec.unschedulable): " + String.join(", ", cordoned) + "; they take no new pods "
                            + "until uncordoned.");
                case POD_ANTI_AFFINITY:
                    return Optional.of(antiAffinityFacts());
                case TOPOLOGY_SPREAD:
                    return Optional.of(spreadFacts());
                case VOLUME_NODE_AFFINITY:
                    return Optional.of(volumeFacts());
                default:
                    return Optional.empty();
            }
        }

        /** {@code No node has label disktype=ssd; nodes have disktype=hdd (2), no disktype label (1).} */
        private String selectorFacts() {
            List<String> out = new ArrayList<>();
            spec.nodeSelector().forEach((key, value) -> out.add(labelFacts(key, value)));
            List<NodeSelectorTerm> terms = spec.affinity().map(Affinity::requiredNodeTerms).orElse(List.of());
            for (NodeSelectorTerm t : terms) {
                for (NodeSelectorRequirement r : t.matchExpressions()) {
                    long matching = placements.stream().filter(p -> r.matches(p.node().node().metadata().labels())).count();
                    out.add("required node affinity " + r + ": " + matching + " of " + placements.size() + " nodes match"
                            + (matching == 0 ? " (" + valuesOf(r.key()) + ")" : ""));
                }
            }
            String text = String.join("; ", out) + ".";
            return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
        }

        private String labelFacts(String key, String value) {
            List<String> with = placements.stream().filter(p -> value.equals(p.node().node().metadata().labels().get(key)))
                    .map(p -> p.node().name()).toList();
            if (!with.isEmpty()) {
                return "nodes with " + key + "=" + value + ": " + String.join(", ", with)
                        + " (ruled out for other reasons, or not the ones the scheduler tried)";
            }
            return "no node has label " + key + "=" + value + "; " + valuesOf(key);
        }

        /** {@code nodes have disktype=hdd (2), no disktype label (1)}. */
        private String valuesOf(String key) {
            Map<String, Integer> counts = new TreeMap<>();
            int without = 0;
            for (Placement p : placements) {
                String v = p.node().node().metadata().labels().get(key);
                if (v == null) {
                    without++;
                } else {
                    counts.merge(key + "=" + v, 1, Integer::sum);
                }
            }
            List<String> parts = new ArrayList<>();
            counts.forEach((label, n) -> parts.add(label + " (" + n + ")"));
            if (without > 0) {
                parts.add("no " + key + " label (" + without + ")");
            }
            return "nodes have " + String.join(", ", parts);
        }

        private String taintFacts() {
            List<String> out = new ArrayList<>();
            for (Taint t : untolerated()) {
                List<String> on = placements.stream().filter(p -> p.node().node().spec().taints().contains(t))
                        .map(p -> p.node().name()).toList();
                out.add("taint " + t + " on " + String.join(", ", on));
            }
            String tolerations = spec.tolerations().isEmpty() ? "none"
                    : String.join(", ", spec.tolerations().stream().map(Story::toleration).toList());
            return "Untolerated: " + (out.isEmpty() ? "none in the snapshot's Nodes" : String.join("; ", out))
                    + ". The pod tolerates: " + tolerations + ".";
        }

        static String toleration(Toleration t) {
            String key = t.key().isEmpty() ? "*" : t.key();
            String match = t.operator() == Toleration.Operator.EXISTS ? key : key + "=" + t.value();
            return match + (t.effect().isEmpty() ? "" : ":" + t.effect())
                    + (t.tolerationSeconds().isPresent() ? " for " + t.tolerationSeconds().getAsLong() + "s" : "");
        }

        private String portFacts() {
            List<String> held = new ArrayList<>();
            boolean byOldPods = false;
            for (Placement p : placements) {
                for (Misfit m : p.misfits()) {
                    if (m instanceof Misfit.HostPortConflict c) {
                        boolean old = b.status().structure().oldPods().contains(c.holder());
                        byOldPods |= old;
                        held.add(c.port() + "/" + c.protocol() + " on " + p.node().name() + " by "
                                + (old ? "old pod " : "pod ") + c.holder().metadata().name());
                    }
                }
            }
            String text = "A host port can be bound by one pod per node" + (held.isEmpty() ? "." : "; held: "
                    + String.join(", ", held) + ".");
            if (byOldPods || b.status().workload() instanceof DaemonSet) {
                text += " The old pods of this rollout hold the ports, so a rolling update that adds a new pod before "
                        + "removing an old one (maxSurge > 0) needs a node without one.";
            }
            return text;
        }

        private String antiAffinityFacts() {
            List<Affinity.PodAffinityTerm> terms = spec.affinity().map(Affinity::requiredPodAntiAffinity).orElse(List.of());
            List<String> parts = terms.stream().map(t -> "no two pods matching " + t.labelSelector().map(Object::toString)
                    .orElse("(none)") + " on the same " + t.topologyKey()).toList();
            String text = parts.isEmpty() ? "Pods already running have anti-affinity rules that keep this pod off their nodes."
                    : "Required pod anti-affinity: " + String.join("; ", parts) + ".";
            if (!placements.isEmpty()) {
                text += " The snapshot has " + placements.size() + " node" + (placements.size() == 1 ? "" : "s") + " for "
                        + b.status().structure().counted().desired() + " desired replicas; a rolling update that surges "
                        + "needs one more place than there are replicas.";
            }
            return text;
        }

        private String spreadFacts() {
            List<String> parts = new ArrayList<>();
            for (TopologySpreadConstraint c : spec.topologySpreadConstraints()) {
                if (c.isHard()) {
                    long without = placements.stream().filter(p -> !p.node().node().metadata().labels().containsKey(c.topologyKey())).count();
                    parts.add("maxSkew " + c.maxSkew() + " over " + c.topologyKey() + " (DoNotSchedule)"
                            + (without > 0 ? ", " + without + " node" + (without == 1 ? " lacks" : "s lack") + " the label" : ""));
                }
            }
            return parts.isEmpty() ? "Topology spread constraints rule the nodes out."
                    : "Topology spread constraints: " + String.join("; ", parts) + ".";
        }

        private String volumeFacts() {
            List<String> parts = new ArrayList<>();
            for (PersistentVolume pv : volumes()) {
                long reachable = placements.stream().filter(p -> pv.isReachableFrom(p.node().node().metadata().labels(), p.node().name())).count();
                parts.add("PersistentVolume " + pv.metadata().name() + " can only be used on nodes matching "
                        + NodeFit.describeTerms(pv.spec().nodeAffinity()) + " (" + reachable + " of " + placements.size() + " nodes do)");
            }
            return (parts.isEmpty() ? "A volume of the pod is bound to nodes the pod may not use."
                    : String.join("; ", parts) + ".") + " The storage rules may say why the volume lives there.";
        }

        private List<PersistentVolume> volumes() {
            List<PersistentVolume> out = new ArrayList<>();
            String ns = b.sample().pod().metadata().namespace();
            for (Volume v : spec.volumes()) {
                if (v.source() instanceof VolumeSource.PersistentVolumeClaimSource s) {
                    snapshot.get(PersistentVolumeClaim.class, "PersistentVolumeClaim", ns, s.claimName())
                            .flatMap(c -> snapshot.get(PersistentVolume.class, "PersistentVolume", "", c.spec().volumeName()))
                            .filter(pv -> !pv.spec().nodeAffinity().isEmpty())
                            .ifPresent(out::add);
                }
            }
            return out;
        }

        // -------------------------------------------------------------- evidence and steps

        private List<Evidence> evidence() {
            List<Evidence> out = new ArrayList<>(b.sample().evidence());
            var pod = b.sample().pod();
            spec.nodeSelector().forEach((k, v) -> out.add(Evidence.field(pod, "spec.nodeSelector." + k, v)));
            spec.affinity().map(Affinity::requiredNodeTerms).filter(t -> !t.isEmpty()).ifPresent(t -> out.add(Evidence.field(pod,
                    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution", NodeFit.describeTerms(t))));
            if (has(Category.NODE_AFFINITY) && !spec.nodeSelector().isEmpty()) {
                String key = spec.nodeSelector().firstKey();
                placements.stream().limit(3).forEach(p -> out.add(Evidence.field(p.node().node(), "metadata.labels." + key,
                        p.node().node().metadata().labels().getOrDefault(key, "(absent)"))));
            }
            if (has(Category.UNTOLERATED_TAINT)) {
                for (Placement p : placements.stream().limit(3).toList()) {
                    List<Taint> taints = p.node().node().spec().taints();
                    if (!taints.isEmpty()) {
                        out.add(Evidence.field(p.node().node(), "spec.taints",
                                String.join(", ", taints.stream().map(Taint::toString).toList())));
                    }
                }
            }
            if (has(Category.NODE_UNSCHEDULABLE)) {
                placements.stream().filter(p -> p.node().node().isCordoned()).limit(3)
                        .forEach(p -> out.add(Evidence.field(p.node().node(), "spec.unschedulable", "true")));
            }
            if (has(Category.HOST_PORTS)) {
                for (int i = 0; i < spec.containers().size(); i++) {
                    List<ContainerPort> ports = spec.containers().get(i).ports();
                    for (int j = 0; j < ports.size(); j++) {
                        int port = ports.get(j).effectiveHostPort(spec.hostNetwork());
                        if (port > 0) {
                            out.add(Evidence.field(pod, "spec.containers[" + i + "].ports[" + j + "].hostPort", Integer.toString(port)));
                        }
                    }
                }
            }
            return new LinkedHashSet<>(out).stream().limit(10).toList();
        }

        private boolean has(Category c) {
            return b.groups().stream().anyMatch(g -> g.category() == c);
        }

        private void steps(Finding.Builder f, Group g) {
            ObjectRef w = b.status().ref();
            switch (g.category()) {
                case UNTOLERATED_TAINT:
                    taintSteps(f, w);
                    break;
                case NODE_AFFINITY:
                    selectorSteps(f, w);
                    break;
                case HOST_PORTS:
                case POD_ANTI_AFFINITY:
                    surgeStep(f, w, g.category() == Category.HOST_PORTS ? "host ports" : "required pod anti-affinity");
                    break;
                case NODE_UNSCHEDULABLE:
                    List<String> cordoned = placements.stream().filter(p -> p.node().node().isCordoned())
                            .map(p -> p.node().name()).toList();
                    f.step("If the maintenance that cordoned the nodes is over, uncordon them",
                            cordoned.isEmpty() ? "kubectl get nodes" : "kubectl uncordon " + String.join(" ", cordoned));
                    break;
                case TOPOLOGY_SPREAD:
                    spec.topologySpreadConstraints().stream().filter(TopologySpreadConstraint::isHard).findFirst()
                            .ifPresent(c -> f.step("Check that the nodes carry the topology label and that the domains "
                                    + "have room; or relax the constraint (larger maxSkew, whenUnsatisfiable: ScheduleAnyway)",
                                    "kubectl get nodes -L " + c.topologyKey()));
                    break;
                case VOLUME_NODE_AFFINITY:
                    f.step("Find where the pod's volumes live (PersistentVolume nodeAffinity) and make sure nodes there can "
                            + "take the pod", "kubectl get pv -o custom-columns=NAME:.metadata.name,CLAIM:.spec.claimRef.name,"
                            + "AFFINITY:.spec.nodeAffinity.required.nodeSelectorTerms");
                    break;
                default:
                    break;
            }
        }

        private void taintSteps(Finding.Builder f, ObjectRef w) {
            List<Taint> taints = untolerated();
            boolean controlPlane = !taints.isEmpty() && taints.stream().allMatch(t -> t.key().startsWith("node-role.kubernetes.io/"));
            if (controlPlane) {
                f.step("The only nodes left are control-plane nodes: add worker nodes for the workload; on a single-node "
                        + "or lab cluster, remove the taint instead", "kubectl taint nodes " + nodesWith(taints.get(0))
                        + " " + taints.get(0).key() + ":" + taints.get(0).effect() + "-");
                return;
            }
            Optional<Taint> first = taints.stream().filter(t -> !FailedSchedulingMessage.NODE_HEALTH_TAINTS.contains(t.key())).findFirst();
            if (first.isPresent()) {
                template(b.status().workload()).ifPresent(t -> f.step("If the pods are meant to run on the tainted nodes, add a "
                        + "toleration for " + first.get() + " to the pod template", tolerationPatch(w, t, first.get())));
                f.step("Or, if the taint is left over, remove it from the nodes", "kubectl taint nodes " + nodesWith(first.get())
                        + " " + first.get().key() + ":" + first.get().effect() + "-");
            } else if (taints.isEmpty()) {
                f.step("List the nodes' taints and compare them with the pod's tolerations",
                        "kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints");
            }
        }

        private String nodesWith(Taint t) {
            List<String> names = placements.stream().filter(p -> p.node().node().spec().taints().contains(t))
                    .map(p -> p.node().name()).toList();
            return names.isEmpty() ? "--all" : String.join(" ", names);
        }

        private void selectorSteps(Finding.Builder f, ObjectRef w) {
            List<String> keys = new ArrayList<>(spec.nodeSelector().keySet());
            spec.affinity().map(Affinity::requiredNodeTerms).orElse(List.of()).forEach(t -> t.matchExpressions()
                    .forEach(r -> { if (!keys.contains(r.key())) keys.add(r.key()); }));
            if (!keys.isEmpty()) {
                f.step("Compare the nodes' labels with what the pods ask for; label the nodes meant to run them "
                        + "(kubectl label nodes <node> " + (spec.nodeSelector().isEmpty() ? keys.get(0) + "=<value>"
                        : spec.nodeSelector().firstKey() + "=" + spec.nodeSelector().get(spec.nodeSelector().firstKey())) + ")",
                        "kubectl get nodes -L " + String.join(",", keys));
            }
            template(b.status().workload()).filter(t -> !t.nodeSelector().isEmpty()).ifPresent(t -> {
                String key = t.nodeSelector().firstKey();
                f.step("Or, if the selector is wrong, remove (or fix) it in the pod template", "kubectl patch "
                        + Kubectl.target(w) + Kubectl.ns(w) + " --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/template/spec/nodeSelector/"
                        + pointer(key) + "\"}]'");
            });
        }

        private void surgeStep(Finding.Builder f, ObjectRef w, String what) {
            KubeObject workload = b.status().workload();
            int surge = b.status().structure().fenceposts().map(x -> x.maxSurge()).orElse(0);
            if (workload instanceof Deployment && surge > 0) {
                f.step("With " + what + " every node can hold one pod, so let the rollout remove an old pod before it adds a "
                        + "new one (maxSurge 0, maxUnavailable 1), or add a node",
                        Kubectl.patch(w, "{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1}}}}"));
            } else if (workload instanceof DaemonSet) {
                f.step("With " + what + " a DaemonSet cannot surge: set maxSurge 0 so each old pod goes before its replacement",
                        Kubectl.patch(w, "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":1}}}}"));
            } else {
                f.step("Free a node for the pod (add a node, or move the pods that hold it) or relax the " + what, "kubectl get pods"
                        + Kubectl.ns(w) + " -o wide");
            }
        }

        private static Optional<PodSpec> template(KubeObject workload) {
            return PodTemplate.of(workload).map(PodTemplate::spec);
        }

        /** A JSON patch adding a toleration, appending when the template already has some. */
        private static String tolerationPatch(ObjectRef w, PodSpec template, Taint t) {
            String value = "{\"key\":\"" + t.key() + "\",\"operator\":\"" + (t.value().isEmpty() ? "Exists" : "Equal") + "\""
                    + (t.value().isEmpty() ? "" : ",\"value\":\"" + t.value() + "\"") + ",\"effect\":\"" + t.effect() + "\"}";
            String op = template.tolerations().isEmpty()
                    ? "{\"op\":\"add\",\"path\":\"/spec/template/spec/tolerations\",\"value\":[" + value + "]}"
                    : "{\"op\":\"add\",\"path\":\"/spec/template/spec/tolerations/-\",\"value\":" + value + "}";
            return "kubectl patch " + Kubectl.target(w) + Kubectl.ns(w) + " --type json -p '[" + op + "]'";
        }

        /** A JSON pointer token (RFC 6901): {@code ~} and {@code /} escaped. */
        private static String pointer(String key) {
            return key.replace("~", "~0").replace("/", "~1");
        }
    }
}

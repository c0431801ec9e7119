package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodSpec;
import dev.rolloutdoctor.model.Quantity;
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
import dev.rolloutdoctor.rules.capacity.PodRequests;
import dev.rolloutdoctor.rules.capacity.ResourceAmounts;
import dev.rolloutdoctor.rules.capacity.UnscheduledPod;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage.NodeReason;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * New pods stay Pending because no node has room for what they request: the scheduler says {@code Insufficient
 * cpu} (memory, ephemeral-storage, an extended resource such as {@code nvidia.com/gpu}) or {@code Too many pods}, or
 * a pod requests more than any node allocates. Read from the FailedScheduling events and {@code PodScheduled}
 * conditions; when the snapshot holds neither, inferred from the pods' requests and the Nodes' allocatable minus what
 * the pods bound to them request ({@link NodeFit}).
 */
@Rule(id = "insufficient-resources", title = "Not enough free resources for the new pods", severity = Severity.ERROR,
        layer = Layer.CLUSTER,
        description = "The scheduler cannot place the rollout's new pods: no node has the CPU, memory, ephemeral storage, "
                + "extended resource (GPU) or pod slot they request free, or they request more than any node allocates.")
public final class InsufficientResources implements Detector {

    private static final int MAX_NODES_SHOWN = 8;

    @Override
    public List<Finding> detect(DetectionContext context) {
        Snapshot snapshot = context.snapshot();
        NodeFit fit = context.nodeFit();
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<UnscheduledPod> pending = UnscheduledPod.of(snapshot, status.structure().newPods()).stream()
                    .filter(p -> !p.gated()).toList();
            if (!pending.isEmpty()) {
                shortage(status, pending, fit).map(s -> s.finding(snapshot)).ifPresent(findings::add);
            }
        }
        return findings;
    }

    /** What the pods lack, from the scheduler's word when there is one, else from the nodes. */
    private static Optional<Shortage> shortage(RolloutStatus status, List<UnscheduledPod> pending, NodeFit fit) {
        PodSpec spec = pending.get(0).pod().spec();
        SortedMap<String, Quantity> neverFits = neverFits(spec, fit);
        List<UnscheduledPod> reported = pending.stream()
                .filter(p -> p.message().map(FailedSchedulingMessage::hasResourceReasons).orElse(false)).toList();
        if (!reported.isEmpty()) {
            UnscheduledPod latest = newest(reported);
            return Optional.of(new Shortage(status, reported, latest, latest.message(),
                    latest.message().get().insufficientResources(), neverFits, fit, Confidence.HIGH));
        }
        if (pending.stream().anyMatch(p -> p.message().isPresent())) {
            return Optional.empty();
        }
        if (!neverFits.isEmpty()) {
            return Optional.of(new Shortage(status, pending, pending.get(0), Optional.empty(),
                    new TreeSet<>(neverFits.keySet()), neverFits, fit, Confidence.HIGH));
        }
        SortedSet<String> inferred = inferredShortfalls(spec, fit);
        if (inferred.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Shortage(status, pending, pending.get(0), Optional.empty(), inferred, neverFits, fit,
                Confidence.MEDIUM));
    }

    /** Resources of which the pod requests more than the largest node allocates, with that largest amount. */
    static SortedMap<String, Quantity> neverFits(PodSpec spec, NodeFit fit) {
        SortedMap<String, Quantity> out = new TreeMap<>();
        List<NodeCapacity> reporting = fit.nodes().stream().filter(NodeCapacity::reportsAllocatable).toList();
        if (reporting.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Quantity> e : PodRequests.of(spec).entrySet()) {
            String r = e.getKey();
            long requested = ResourceAmounts.units(r, e.getValue());
            if (!ResourceAmounts.isChecked(r) || requested <= 0) {
                continue;
            }
            Quantity largest = reporting.stream().map(n -> n.allocatable(r)).max(Comparator.naturalOrder()).orElse(Quantity.ZERO);
            if (requested > ResourceAmounts.units(r, largest)) {
                out.put(r, largest);
            }
        }
        return out;
    }

    /** Without the scheduler's word: the resources short on every node the pod may otherwise use. */
    private static SortedSet<String> inferredShortfalls(PodSpec spec, NodeFit fit) {
        List<Placement> eligible = fit.place(spec).stream().filter(p -> !p.excluded()).toList();
        SortedSet<String> out = new TreeSet<>();
        if (eligible.isEmpty() || eligible.stream().anyMatch(Placement::fits)) {
            return out;
        }
        eligible.forEach(p -> p.shortfalls().forEach(s -> out.add(s.resource())));
        return out;
    }

    private static UnscheduledPod newest(List<UnscheduledPod> pods) {
        return pods.stream().max(Comparator.comparing((UnscheduledPod p) -> p.lastAttempt().orElse(Instant.MIN))
                .thenComparing(p -> p.pod().ref(), Comparator.reverseOrder())).orElseThrow();
    }

    /** One workload's shortage, and how to say it. */
    private record Shortage(RolloutStatus status, List<UnscheduledPod> pods, UnscheduledPod sample,
                            Optional<FailedSchedulingMessage> message, SortedSet<String> resources,
                            SortedMap<String, Quantity> neverFits, NodeFit fit, Confidence confidence) {

        Finding finding(Snapshot snapshot) {
            ObjectRef workload = status.ref();
            Finding.Builder f = Finding.of(InsufficientResources.class)
                    .workload(workload)
                    .confidence(confidence)
                    .title(Texts.newPods(pods.size(), workload) + " cannot be scheduled: " + what())
                    .explanation(explanation(snapshot));
            pods.forEach(p -> f.culprit(p.pod()));
            f.evidence(evidence());
            steps(f);
            return f.build();
        }

        private PodSpec spec() {
            return sample.pod().spec();
        }

        private Quantity request(String resource) {
            return PodRequests.of(spec(), resource);
        }

        private List<String> sized() {
            return resources.stream().filter(r -> !r.equals("pods") && request(r).signum() > 0).toList();
        }

        private String requests() {
            return String.join(" and ", sized().stream().map(r -> ResourceAmounts.describe(r, request(r))).toList());
        }

        private List<Placement> eligible() {
            return fit.place(spec()).stream().filter(p -> !p.excluded()).toList();
        }

        /** The title's second half. */
        private String what() {
            List<String> never = new ArrayList<>();
            for (Map.Entry<String, Quantity> e : neverFits.entrySet()) {
                if (resources.contains(e.getKey())) {
                    never.add(neverFitText(e.getKey(), e.getValue()));
                }
            }
            if (!never.isEmpty()) {
                return String.join("; ", never);
            }
            List<Placement> eligible = eligible();
            if (!sized().isEmpty() && !eligible.isEmpty() && eligible.stream().allMatch(this::shortHere)) {
                return "0/" + eligible.size() + " nodes have " + requests() + " free (each pod requests " + requests() + ")";
            }
            return message.map(this::reportedText).orElse("no node has " + requests() + " free");
        }

        private String neverFitText(String resource, Quantity largest) {
            Quantity requested = request(resource);
            if (largest.isZero()) {
                return "each pod requests " + ResourceAmounts.describe(resource, requested) + " and no node offers " + resource;
            }
            return "each pod requests " + ResourceAmounts.describe(resource, requested)
                    + ", more than any node allocates (largest: " + ResourceAmounts.describe(resource, largest) + ")";
        }

        private boolean shortHere(Placement p) {
            return p.shortfalls().stream().anyMatch(s -> resources.contains(s.resource()));
        }

        /** {@code Insufficient cpu on 2/3 nodes (each pod requests 2 CPU)}, from the scheduler's histogram. */
        private String reportedText(FailedSchedulingMessage m) {
            List<String> parts = new ArrayList<>();
            for (NodeReason r : m.reasons()) {
                if (r.category().isResource()) {
                    String of = m.totalNodes().isPresent() ? r.nodes() + "/" + m.totalNodes().getAsInt() + " nodes"
                            : r.nodes() + (r.nodes() == 1 ? " node" : " nodes");
                    parts.add(r.reason().equals("Too many pods") ? of + " are at their pod limit (Too many pods)"
                            : r.reason() + " on " + of);
                }
            }
            String text = String.join(", ", parts);
            return sized().isEmpty() ? text : text + " (each pod requests " + requests() + ")";
        }

        private String explanation(Snapshot snapshot) {
            List<String> s = new ArrayList<>();
            s.add(message.map(this::reportedExplanation).orElseGet(this::inferredExplanation));
            message.flatMap(FailedSchedulingMessage::preemption).filter(FailedSchedulingMessage.Preemption::foundNoVictims)
                    .ifPresent(p -> s.add("Preemption cannot make room either (" + p.text() + ")."));
            if (!sized().isEmpty()) {
                s.add("Each new pod requests " + String.join(" and ", sized().stream().map(this::requestText).toList()) + "."
                        + (sized().stream().anyMatch(r -> contributors(r).size() > 1) ? " Kubernetes counts the larger of the "
                        + "app containers' sum (native sidecars included) and the largest init container, plus the RuntimeClass "
                        + "overhead." : ""));
            }
            s.add(perNode(snapshot));
            s.add("Until a node has room the new pods stay Pending, so the rollout cannot finish"
                    + (status.ref().kind().equals("Deployment") ? "; the old ReplicaSet's pods keep serving." : "."));
            return String.join(" ", s.stream().filter(t -> !t.isEmpty()).toList());
        }

        private String reportedExplanation(FailedSchedulingMessage m) {
            boolean daemonSet = status.workload() instanceof DaemonSet;
            List<String> others = m.reasons().stream().filter(r -> !r.category().isResource())
                    .map(r -> r + (daemonSet && r.category() == FailedSchedulingMessage.Category.NODE_AFFINITY
                            ? " (each DaemonSet pod is pinned to its own node)" : "")).toList();
            String text = "The scheduler reports for pod " + sample.pod().metadata().name() + ": " + Texts.quoted(m.message());
            return others.isEmpty() ? text : text + " Nodes ruled out for other reasons: " + String.join(", ", others) + ".";
        }

        private String inferredExplanation() {
            return "The snapshot holds no FailedScheduling event and no PodScheduled condition for the pending pods, so "
                    + "this is inferred from the Nodes' allocatable resources and the requests of the pods bound to them"
                    + (confidence == Confidence.MEDIUM ? " (pods the snapshot does not hold, such as those of other "
                    + "namespaces, would leave even less free)." : ".");
        }

        private String requestText(String resource) {
            List<String> parts = contributors(resource);
            String total = ResourceAmounts.describe(resource, request(resource));
            return parts.size() > 1 ? total + " (" + String.join(", ", parts) + ")" : total;
        }

        /** {@code app 1.5}, {@code istio-proxy 500m}, {@code overhead 250m}: what adds up to the pod's request. */
        private List<String> contributors(String resource) {
            List<String> parts = new ArrayList<>();
            for (Container c : spec().allContainers()) {
                Quantity q = c.resources().effectiveRequests().get(resource);
                if (q != null && q.signum() > 0) {
                    parts.add(c.name() + " " + ResourceAmounts.amount(resource, q));
                }
            }
            Quantity overhead = spec().overhead().get(resource);
            if (overhead != null) {
                parts.add("overhead " + ResourceAmounts.amount(resource, overhead));
            }
            return parts;
        }

        /** Free per node, with the arithmetic, for the resources that are short. */
        private String perNode(Snapshot snapshot) {
            if (fit.isEmpty()) {
                return snapshot.collectedKinds().contains("Node")
                        ? "The snapshot holds no Nodes, so free capacity per node cannot be shown."
                        : "Nodes were not collected, so free capacity per node cannot be shown.";
            }
            List<String> resourceNames = sized().isEmpty() ? List.copyOf(resources) : sized();
            List<String> lines = new ArrayList<>();
            List<String> roomy = new ArrayList<>();
            for (Placement p : fit.place(spec())) {
                Optional<Misfit> rule = p.misfits().stream().filter(m -> !(m instanceof Misfit.Shortfall)).findFirst();
                if (rule.isPresent()) {
                    lines.add(p.node().name() + ": ruled out (" + rule.get().detail() + ")");
                } else {
                    resourceNames.stream().filter(r -> !r.equals("pods")).forEach(r -> lines.add(p.node().freeText(r)));
                    if (resourceNames.contains("pods")) {
                        lines.add(p.node().name() + ": " + p.node().pods().size() + " pods of "
                                + p.node().allowedPods().stream().mapToObj(Long::toString).findFirst().orElse("?") + " allowed");
                    }
                    if (!shortHere(p)) {
                        roomy.add(p.node().name());
                    }
                }
            }
            String shown = String.join("; ", lines.subList(0, Math.min(lines.size(), MAX_NODES_SHOWN)))
                    + (lines.size() > MAX_NODES_SHOWN ? "; and " + (lines.size() - MAX_NODES_SHOWN) + " more" : "");
            String text = "Free per node (status.allocatable minus the requests of the pods bound to it in this snapshot): "
                    + shown + ".";
            if (message.isPresent() && !roomy.isEmpty()) {
                text += " The pods in this snapshot leave enough free on " + String.join(", ", roomy) + ", so those nodes "
                        + "also run pods the snapshot does not hold (other namespaces, static pods), or the pods there "
                        + "changed since the scheduler's last attempt.";
            }
            return text;
        }

        private List<Evidence> evidence() {
            List<Evidence> out = new ArrayList<>(sample.evidence());
            Pod pod = sample.pod();
            List<Container> containers = pod.spec().containers();
            for (String r : sized()) {
                for (int i = 0; i < containers.size(); i++) {
                    Quantity q = containers.get(i).resources().effectiveRequests().get(r);
                    if (q != null && q.signum() > 0) {
                        out.add(Evidence.field(pod, "spec.containers[" + i + "].resources.requests." + r, q.text()));
                    }
                }
            }
            eligible().stream().limit(3).forEach(p -> sized().forEach(r ->
                    out.add(Evidence.field(p.node().node(), "status.allocatable." + r, p.node().allocatable(r).text()))));
            return List.copyOf(new LinkedHashSet<>(out));
        }

        private void steps(Finding.Builder f) {
            ObjectRef workload = status.ref();
            f.step("See the scheduler's reasons for one of the pending pods", Kubectl.describe(sample.pod()));
            lowerRequests(f, workload);
            if (resources.contains("pods")) {
                f.step("Nodes are at their pod limit (status.allocatable.pods, the kubelet's maxPods): add nodes, or raise "
                        + "maxPods where the pod network has addresses for more", "kubectl describe nodes");
            }
            resources.stream().filter(r -> r.contains("/")).findFirst().ifPresent(r -> f.step("Pods asking for " + r
                    + " only fit nodes that advertise it: check that the device plugin runs on the nodes meant to offer it",
                    "kubectl describe nodes | grep -i " + r));
            f.step("Or add capacity: scale the node group or add nodes with room for " + (sized().isEmpty() ? "one more pod"
                    : requests() + " per pending pod"), "kubectl describe nodes");
            f.step("If the cluster autoscaler runs, see why it did not add a node (node group at its maximum size, cloud "
                    + "quota, no node group whose machines are large enough)",
                    "kubectl get events" + Kubectl.ns(workload) + " --field-selector reason=NotTriggerScaleUp");
        }

        /** {@code kubectl set resources} with values that would fit the node with the most room. */
        private void lowerRequests(Finding.Builder f, ObjectRef workload) {
            List<Placement> eligible = eligible();
            Map<String, List<String>> byContainer = new TreeMap<>();
            List<String> why = new ArrayList<>();
            for (String r : sized()) {
                Optional<NodeCapacity> roomiest = eligible.stream().map(Placement::node)
                        .max(Comparator.comparing((NodeCapacity n) -> n.free(r)).thenComparing(NodeCapacity::name, Comparator.reverseOrder()));
                Optional<Container> largest = spec().containers().stream()
                        .max(Comparator.comparing((Container c) -> c.resources().effectiveRequests().getOrDefault(r, Quantity.ZERO)));
                if (roomiest.isEmpty() || largest.isEmpty()) {
                    continue;
                }
                Quantity own = largest.get().resources().effectiveRequests().getOrDefault(r, Quantity.ZERO);
                Quantity target = own.subtract(request(r).subtract(roomiest.get().free(r)));
                if (target.signum() <= 0 || !drivenByContainers(r)) {
                    continue;
                }
                byContainer.computeIfAbsent(largest.get().name(), k -> new ArrayList<>())
                        .add(r + "=" + ResourceAmounts.argument(r, target));
                why.add(ResourceAmounts.describe(r, roomiest.get().free(r)) + " free on " + roomiest.get().name());
            }
            for (Map.Entry<String, List<String>> e : byContainer.entrySet()) {
                f.step("If the pods can do with less, lower the request so a pod fits the node with the most room ("
                        + String.join(", ", why) + ")", "kubectl set resources " + Kubectl.target(workload) + Kubectl.ns(workload)
                        + " -c " + e.getKey() + " --requests=" + String.join(",", e.getValue()));
            }
        }

        /** False when an init container's request, not the containers' sum, sets the pod's request. */
        private boolean drivenByContainers(String resource) {
            Quantity sum = Quantity.ZERO;
            for (Container c : spec().containers()) {
                sum = sum.add(c.resources().effectiveRequests().getOrDefault(resource, Quantity.ZERO));
            }
            Quantity overhead = spec().overhead().getOrDefault(resource, Quantity.ZERO);
            return sum.add(overhead).compareTo(request(resource)) >= 0;
        }
    }

    /** Small phrases shared by this rule's texts. */
    static final class Texts {
        private Texts() {
        }

        /** A scheduler message in quotes, ending the sentence: {@code "0/3 nodes are available: 3 Insufficient cpu."} */
        static String quoted(String message) {
            return "\"" + message + "\"" + (message.endsWith(".") ? "" : ".");
        }

        /** {@code 1 new pod of Deployment shop/web}, {@code 3 new pods of ...}. */
        static String newPods(int n, ObjectRef workload) {
            return n + (n == 1 ? " new pod of " : " new pods of ") + workload;
        }
    }
}

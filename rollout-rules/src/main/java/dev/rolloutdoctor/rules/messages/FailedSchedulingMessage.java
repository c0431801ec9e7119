package dev.rolloutdoctor.rules.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scheduler's {@code FailedScheduling} message (an event's message, or the {@code PodScheduled=False} condition's
 * message) read into its parts: how many nodes there were, why each group of nodes was rejected, and what preemption
 * said.
 *
 * <p>Every wording seen across releases is read ({@code pkg/scheduler/framework/types.go} {@code FitError.Error} and
 * its predecessors in {@code pkg/scheduler/core/generic_scheduler.go}):
 * <ul>
 *   <li>{@link Form#NODES_AVAILABLE} (1.11 on): {@code 0/3 nodes are available: 1 node(s) had untolerated taint
 *       {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1
 *       Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.} The histogram
 *       entries are {@code "<count> <reason>"}, sorted as strings; a PreFilter rejection replaces the histogram by one
 *       sentence ({@code pod has unbound immediate PersistentVolumeClaims}); post-filter text follows, in some
 *       releases with an extra period ({@code ...incoming pod..}) and with DRA active preceded by
 *       {@code no new claims to deallocate, }.</li>
 *   <li>{@link Form#PREDICATES} (1.5 to 1.10): {@code No nodes are available that match all of the predicates:
 *       Insufficient cpu (1), PodToleratesNodeTaints (2).} (also written {@code ...of the following predicates::}),
 *       entries {@code "<reason> (<count>)"} and no node total.</li>
 *   <li>{@link Form#FIT_FAILURE_SUMMARY} (1.4): {@code pod (x) failed to fit in any node\nfit failure summary on
 *       nodes : Insufficient cpu (2)}.</li>
 * </ul>
 * client-go's aggregation prefix {@code (combined from similar events): } is dropped first.
 *
 * @param form        which wording was read
 * @param totalNodes  the nodes the scheduler considered ({@code 0/3}); empty for the older forms, which do not say
 * @param reasons     why nodes were rejected, in the order written; a PreFilter rejection comes first, with
 *                    {@link NodeReason#preFilter()} true and the node total as its count
 * @param preemption  what the preemption (PostFilter) step said, if anything
 * @param postFilter  everything written after the reasons, as written ({@code no new claims to deallocate,
 *                    preemption: ...}); "" when nothing was
 * @param message     the message read, without the aggregation prefix
 */
public record FailedSchedulingMessage(
        Form form,
        OptionalInt totalNodes,
        List<NodeReason> reasons,
        Optional<Preemption> preemption,
        String postFilter,
        String message) {

    /** The event reason the scheduler records. */
    public static final String REASON = "FailedScheduling";

    /** The taint keys Kubernetes itself puts on unhealthy or cordoned nodes ({@code k8s.io/api/core/v1} well_known_taints.go). */
    public static final List<String> NODE_HEALTH_TAINTS = List.of(
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
            "node.kubernetes.io/unschedulable",
            "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/network-unavailable",
            "node.kubernetes.io/out-of-disk");

    private static final String COMBINED = "(combined from similar events): ";
    private static final Pattern NODES_AVAILABLE = Pattern.compile("(?s)(\\d+)/(\\d+) nodes are available:\\s*(.*)");
    private static final Pattern PREDICATES = Pattern.compile(
            "(?s)No nodes are available that match all of the (?:following )?predicates:+\\s*(.*)");
    private static final Pattern FIT_SUMMARY = Pattern.compile("(?s).*fit failure summary on nodes ?: ?(.*)");
    private static final Pattern HISTOGRAM_ENTRY = Pattern.compile("(?s)(\\d+) (.+)");
    private static final Pattern COUNTED_ENTRY = Pattern.compile("(?s)(.+) \\((\\d+)\\)");
    private static final Pattern COUNTED_SEPARATOR = Pattern.compile("(?<=\\(\\d{1,9}\\)), ");
    private static final Pattern TAINT = Pattern.compile("\\{([^{}:]*):\\s?([^{}]*)}");

    /** The wording of a message; see the class documentation. */
    public enum Form {
        /** {@code 0/N nodes are available: ...} (Kubernetes 1.11 on). */
        NODES_AVAILABLE,
        /** {@code No nodes are available that match all of the predicates: ...} (1.5 to 1.10). */
        PREDICATES,
        /** {@code fit failure summary on nodes : ...} (1.4). */
        FIT_FAILURE_SUMMARY
    }

    public FailedSchedulingMessage {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(totalNodes, "totalNodes");
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(preemption, "preemption");
        Objects.requireNonNull(postFilter, "postFilter");
        Objects.requireNonNull(message, "message");
    }

    /** Reads a scheduler message; empty when it is none of the known forms (an extender's or plugin's own text). */
    public static Optional<FailedSchedulingMessage> parse(String text) {
        String message = Objects.requireNonNull(text, "text").strip();
        while (message.startsWith(COMBINED)) {
            message = message.substring(COMBINED.length()).strip();
        }
        Matcher m = NODES_AVAILABLE.matcher(message);
        if (m.matches()) {
            return Optional.of(nodesAvailable(message, Integer.parseInt(m.group(2)), m.group(3)));
        }
        m = PREDICATES.matcher(message);
        if (m.matches()) {
            return Optional.of(new FailedSchedulingMessage(Form.PREDICATES, OptionalInt.empty(), counted(m.group(1)),
                    Optional.empty(), "", message));
        }
        m = FIT_SUMMARY.matcher(message);
        if (m.matches()) {
            return Optional.of(new FailedSchedulingMessage(Form.FIT_FAILURE_SUMMARY, OptionalInt.empty(),
                    counted(m.group(1)), Optional.empty(), "", message));
        }
        return Optional.empty();
    }

    /** The reasons of one category, in the order written. */
    public List<NodeReason> reasons(Category category) {
        return reasons.stream().filter(r -> r.category() == category).toList();
    }

    /** True when some nodes were rejected for a reason of this category. */
    public boolean has(Category category) {
        return reasons.stream().anyMatch(r -> r.category() == category);
    }

    /** How many nodes were rejected for reasons of this category (a node rejected for two counts twice). */
    public int nodes(Category category) {
        return reasons.stream().filter(r -> r.category() == category).mapToInt(NodeReason::nodes).sum();
    }

    /** True when some nodes lacked a resource the pod requests ({@code Insufficient ...}, {@code Too many pods}). */
    public boolean hasResourceReasons() {
        return reasons.stream().anyMatch(r -> r.category().isResource());
    }

    /** True when some nodes were rejected for where the pod may run (taints, affinity, ports, ...). */
    public boolean hasPlacementReasons() {
        return reasons.stream().anyMatch(r -> r.category().isPlacement());
    }

    /** The resources named by {@code Insufficient <resource>} reasons, plus {@code pods} for {@code Too many pods}. */
    public SortedSet<String> insufficientResources() {
        SortedSet<String> out = new TreeSet<>();
        for (NodeReason r : reasons) {
            r.resource().ifPresent(out::add);
        }
        return out;
    }

    /** The taints the message names as not tolerated, in the order written. */
    public List<UntoleratedTaint> untoleratedTaints() {
        List<UntoleratedTaint> out = new ArrayList<>();
        for (NodeReason r : reasons) {
            r.taint().ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** The PreFilter sentence, when PreFilter rejected the pod for every node at once. */
    public Optional<String> preFilter() {
        return reasons.stream().filter(NodeReason::preFilter).map(NodeReason::reason).findFirst();
    }

    @Override
    public String toString() {
        return message;
    }

    // ------------------------------------------------------------------ parsing

    private static FailedSchedulingMessage nodesAvailable(String message, int total, String body) {
        List<NodeReason> reasons = new ArrayList<>();
        String postFilter = "";
        for (Sentence s : sentences(body)) {
            String lower = s.text().toLowerCase(Locale.ROOT);
            boolean postFilterStarts = lower.startsWith("preemption:") || lower.startsWith("no new claims to deallocate");
            if (!postFilterStarts) {
                Optional<List<NodeReason>> histogram = histogram(s.text());
                if (histogram.isPresent() && reasons.stream().noneMatch(r -> !r.preFilter())) {
                    reasons.addAll(histogram.get());
                    continue;
                }
                if (reasons.isEmpty()) {
                    reasons.add(new NodeReason(total, s.text(), Category.of(s.text()), true));
                    continue;
                }
            }
            postFilter = body.substring(s.start()).strip();
            break;
        }
        return new FailedSchedulingMessage(Form.NODES_AVAILABLE, OptionalInt.of(total), reasons,
                Preemption.parse(postFilter), postFilter, message);
    }

    /** A sentence of the message body and where it starts in the body. */
    private record Sentence(String text, int start) {
    }

    /** Splits at {@code ". "} outside braces and brackets; trailing periods are dropped. */
    private static List<Sentence> sentences(String body) {
        List<Sentence> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && depth > 0) {
                depth--;
            } else if (c == '.' && depth == 0 && i + 1 < body.length() && body.charAt(i + 1) == ' ') {
                add(out, body, start, i);
                start = i + 2;
                i++;
            }
        }
        add(out, body, start, body.length());
        return out;
    }

    private static void add(List<Sentence> out, String body, int start, int end) {
        String text = withoutFinalPeriods(body.substring(start, end));
        if (!text.isBlank()) {
            out.add(new Sentence(text.strip(), start));
        }
    }

    static String withoutFinalPeriods(String text) {
        String s = text.strip();
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    /** {@code 1 Insufficient cpu, 2 node(s) had untolerated taint {a: b}}: entries split at ", " before a count. */
    private static Optional<List<NodeReason>> histogram(String sentence) {
        List<NodeReason> out = new ArrayList<>();
        for (String entry : splitBeforeCounts(sentence)) {
            Matcher m = HISTOGRAM_ENTRY.matcher(entry);
            if (!m.matches()) {
                return Optional.empty();
            }
            out.add(new NodeReason(Integer.parseInt(m.group(1)), m.group(2).strip(), Category.of(m.group(2)), false));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static List<String> splitBeforeCounts(String sentence) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < sentence.length(); i++) {
            char c = sentence.charAt(i);
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0 && i + 2 < sentence.length() && sentence.charAt(i + 1) == ' '
                    && Character.isDigit(sentence.charAt(i + 2))) {
                out.add(sentence.substring(start, i));
                start = i + 2;
            }
        }
        out.add(sentence.substring(start));
        return out;
    }

    /** {@code Insufficient cpu (1), NodeNotReady (2).}: the older {@code "<reason> (<count>)"} entries. */
    private static List<NodeReason> counted(String body) {
        List<NodeReason> out = new ArrayList<>();
        for (String entry : COUNTED_SEPARATOR.split(withoutFinalPeriods(body))) {
            Matcher m = COUNTED_ENTRY.matcher(entry.strip());
            if (m.matches()) {
                out.add(new NodeReason(Integer.parseInt(m.group(2)), m.group(1).strip(), Category.of(m.group(1)), false));
            } else if (!entry.isBlank()) {
                out.add(new NodeReason(1, entry.strip(), Category.of(entry), false));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ parts

    /**
     * Why a number of nodes rejected the pod, as the scheduler wrote it.
     *
     * @param nodes     how many nodes gave this reason
     * @param reason    the reason as written ({@code Insufficient cpu}, {@code node(s) didn't match Pod's node affinity/selector})
     * @param category  what kind of reason it is
     * @param preFilter true for a PreFilter rejection, which applies to every node at once
     */
    public record NodeReason(int nodes, String reason, Category category, boolean preFilter) {

        public NodeReason {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(category, "category");
        }

        /** The resource that was short: {@code cpu} for {@code Insufficient cpu}, {@code pods} for {@code Too many pods}. */
        public Optional<String> resource() {
            if (category == Category.TOO_MANY_PODS) {
                return Optional.of("pods");
            }
            if (category == Category.INSUFFICIENT_RESOURCE && reason.startsWith("Insufficient ")) {
                return Optional.of(reason.substring("Insufficient ".length()).strip());
            }
            return Optional.empty();
        }

        /** The taint named by an untolerated-taint reason ({@code {key: value}}); absent in the newest wording. */
        public Optional<UntoleratedTaint> taint() {
            if (category != Category.UNTOLERATED_TAINT) {
                return Optional.empty();
            }
            Matcher m = TAINT.matcher(reason);
            return m.find() ? Optional.of(new UntoleratedTaint(m.group(1).strip(), m.group(2).strip())) : Optional.empty();
        }

        /**
         * True when the reason is about the node's own health or a cordon rather than the pod: not ready, pressure,
         * unschedulable, or a taint Kubernetes puts on such nodes ({@link #NODE_HEALTH_TAINTS}).
         */
        public boolean isNodeHealth() {
            if (category.isNodeHealth()) {
                return true;
            }
            return taint().map(t -> NODE_HEALTH_TAINTS.contains(t.key())).orElse(false);
        }

        /** {@code 2 Insufficient cpu}, as the histogram writes it. */
        @Override
        public String toString() {
            return nodes + " " + reason;
        }
    }

    /** A taint as a FailedScheduling message names it: key and value, without effect. */
    public record UntoleratedTaint(String key, String value) {

        public UntoleratedTaint {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        /** {@code key=value}, or {@code key} without a value. */
        @Override
        public String toString() {
            return value.isEmpty() ? key : key + "=" + value;
        }
    }

    /**
     * What the preemption step said.
     *
     * @param totalNodes the nodes it considered, when it says
     * @param reasons    its own histogram ({@code 2 No preemption victims found for incoming pod})
     * @param text       what follows {@code preemption: }, without final periods
     */
    public record Preemption(OptionalInt totalNodes, List<NodeReason> reasons, String text) {

        public Preemption {
            Objects.requireNonNull(totalNodes, "totalNodes");
            reasons = List.copyOf(reasons);
            Objects.requireNonNull(text, "text");
        }

        /** True when preemption found no node where evicting lower-priority pods would make room. */
        public boolean foundNoVictims() {
            String lower = text.toLowerCase(Locale.ROOT);
            return lower.contains("no preemption victims") || lower.contains("preemption is not helpful")
                    || lower.contains("not eligible");
        }

        static Optional<Preemption> parse(String postFilter) {
            int at = postFilter.indexOf("preemption:");
            if (at < 0) {
                return Optional.empty();
            }
            String text = withoutFinalPeriods(postFilter.substring(at + "preemption:".length()));
            Matcher m = NODES_AVAILABLE.matcher(text);
            if (m.matches()) {
                List<NodeReason> reasons = histogram(withoutFinalPeriods(m.group(3))).orElse(List.of());
                return Optional.of(new Preemption(OptionalInt.of(Integer.parseInt(m.group(2))), reasons, text));
            }
            return Optional.of(new Preemption(OptionalInt.empty(), List.of(), text));
        }
    }

    /** What kind of reason a node gave, grouped by the scheduler plugin (or old predicate) that gives it. */
    public enum Category {
        /** {@code Insufficient cpu}, {@code Insufficient nvidia.com/gpu} (NodeResourcesFit). */
        INSUFFICIENT_RESOURCE,
        /** {@code Too many pods}: the node's allocatable pod count is used up (NodeResourcesFit). */
        TOO_MANY_PODS,
        /** {@code node(s) didn't match Pod's node affinity/selector}, {@code MatchNodeSelector} (NodeAffinity). */
        NODE_AFFINITY,
        /** {@code node(s) had untolerated taint {k: v}}, {@code PodToleratesNodeTaints} (TaintToleration). */
        UNTOLERATED_TAINT,
        /** {@code node(s) didn't have free ports for the requested pod ports} (NodePorts). */
        HOST_PORTS,
        /** {@code node(s) were unschedulable}: cordoned (NodeUnschedulable). */
        NODE_UNSCHEDULABLE,
        /** {@code NodeNotReady}, {@code node(s) were not ready}, {@code node(s) had unknown conditions}. */
        NODE_NOT_READY,
        /** {@code node(s) had memory pressure}, {@code NodeUnderDiskPressure}, {@code NodeOutOfDisk}. */
        NODE_PRESSURE,
        /** {@code node(s) didn't match the requested node name} (NodeName). */
        NODE_NAME,
        /** {@code node(s) didn't match pod affinity rules} (InterPodAffinity). */
        POD_AFFINITY,
        /** {@code node(s) didn't match pod anti-affinity rules}, {@code ...existing pods anti-affinity rules}. */
        POD_ANTI_AFFINITY,
        /** {@code node(s) didn't match pod topology spread constraints} (PodTopologySpread). */
        TOPOLOGY_SPREAD,
        /** {@code node(s) had volume node affinity conflict}, {@code ...PersistentVolume's node affinity}. */
        VOLUME_NODE_AFFINITY,
        /** Other volume reasons: binding, limits, zones, unbound claims. */
        VOLUME,
        /** Anything else (extenders, out-of-tree plugins, {@code node(s) didn't satisfy plugin(s) [...]}). */
        OTHER;

        /** True for reasons about the pod's resource requests. */
        public boolean isResource() {
            return this == INSUFFICIENT_RESOURCE || this == TOO_MANY_PODS;
        }

        /** True for reasons about where the pod may run. */
        public boolean isPlacement() {
            switch (this) {
                case NODE_AFFINITY:
                case UNTOLERATED_TAINT:
                case HOST_PORTS:
                case NODE_UNSCHEDULABLE:
                case NODE_NAME:
                case POD_AFFINITY:
                case POD_ANTI_AFFINITY:
                case TOPOLOGY_SPREAD:
                case VOLUME_NODE_AFFINITY:
                    return true;
                default:
                    return false;
            }
        }

        /** True for reasons that are the node's own state: not ready, pressure, cordoned. */
        public boolean isNodeHealth() {
            return this == NODE_NOT_READY || this == NODE_PRESSURE || this == NODE_UNSCHEDULABLE;
        }

        /** Classifies a reason as written, in any release's wording. */
        public static Category of(String reason) {
            String r = reason.strip();
            String lower = r.toLowerCase(Locale.ROOT);
            if (r.startsWith("Insufficient ")) {
                return INSUFFICIENT_RESOURCE;
            }
            if (lower.startsWith("too many pods")) {
                return TOO_MANY_PODS;
            }
            if (lower.contains("volume node affinity") || lower.contains("persistentvolume's node affinity")
                    || r.equals("NoVolumeNodeConflict")) {
                return VOLUME_NODE_AFFINITY;
            }
            if (lower.contains("taint") || r.equals("PodToleratesNodeTaints")) {
                return UNTOLERATED_TAINT;
            }
            if (lower.contains("node affinity") || lower.contains("node selector") || r.equals("MatchNodeSelector")
                    || r.equals("CheckNodeLabelPresence")) {
                return NODE_AFFINITY;
            }
            if (lower.contains("free ports") || r.equals("PodFitsHostPorts")) {
                return HOST_PORTS;
            }
            if (lower.contains("were unschedulable") || r.equals("NodeUnschedulable")) {
                return NODE_UNSCHEDULABLE;
            }
            if (lower.contains("not ready") || lower.contains("unknown condition") || r.equals("NodeNotReady")
                    || r.equals("NodeUnknownCondition") || r.equals("NodeNetworkUnavailable")
                    || lower.contains("network unavailable")) {
                return NODE_NOT_READY;
            }
            if (lower.contains("pressure") || lower.contains("out of disk") || r.equals("NodeOutOfDisk")) {
                return NODE_PRESSURE;
            }
            if (lower.contains("requested node name") || lower.contains("requested hostname") || r.equals("HostName")) {
                return NODE_NAME;
            }
            if (lower.contains("topology spread")) {
                return TOPOLOGY_SPREAD;
            }
            if (lower.contains("affinity/anti-affinity") || r.equals("MatchInterPodAffinity")) {
                return POD_AFFINITY;
            }
            if (lower.contains("anti-affinity")) {
                return POD_ANTI_AFFINITY;
            }
            if (lower.contains("pod affinity")) {
                return POD_AFFINITY;
            }
            if (lower.contains("volume") || lower.contains("persistentvolume") || lower.contains("disk")
                    || lower.contains("storage")) {
                return VOLUME;
            }
            return OTHER;
        }
    }
}

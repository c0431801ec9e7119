package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.LabelSelector;
import dev.rolloutdoctor.model.NetworkPolicy;
import dev.rolloutdoctor.model.NetworkPolicyPeer;
import dev.rolloutdoctor.model.NetworkPolicyRule;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Role;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.PolicyLabels.Labels;
import dev.rolloutdoctor.rules.detectors.PolicyLabels.NamespaceLabels;
import dev.rolloutdoctor.snapshot.PodLog;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.Collectors;

/**
 * NetworkPolicies that treat a rollout's new pods differently from its old ones because the new template's labels
 * changed: a policy guarding a downstream (a database) that admits the old labels only, an egress allowance that no
 * longer applies, or a policy that selects one revision and not the other. Evaluated with the policies' own selectors
 * and the namespace's labels; kubelet's probes are not subject to NetworkPolicy, so what it explains is a readiness
 * that depends on traffic the policies now drop.
 */
@Rule(id = "network-policy-isolation", title = "NetworkPolicy isolates the new pods", severity = Severity.ERROR,
        layer = Layer.CLUSTER, role = Role.CAUSE, explains = {"readiness-probe-failing"},
        description = "The new template's pod labels changed, and NetworkPolicies select pods by label: a policy now "
                + "admits the old pods but not the new ones (or the reverse), so the new pods cannot reach what their "
                + "readiness depends on, or will not receive traffic. Names the policies and the label difference.")
public final class NetworkPolicyIsolation implements Detector {

    private static final Pattern NETWORK_TIMEOUT = Pattern.compile(
            "(?i)(i/o timeout|connection timed out|connect timed out|timeout expired|etimedout|no route to host"
                    + "|deadline exceeded|timed out while connecting|could not connect)");

    @Override
    public List<Finding> detect(DetectionContext context) {
        Snapshot snapshot = context.snapshot();
        if (!snapshot.collectedKinds().contains("NetworkPolicy")) {
            return List.of(); // not collected: there is nothing to judge, and no policy is no evidence of none
        }
        List<NetworkPolicy> policies = snapshot.objects(NetworkPolicy.class);
        if (policies.isEmpty()) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<Pod> unready = status.structure().newPods().stream()
                    .filter(p -> !p.isTerminating() && "Running".equals(p.status().phase()) && !p.isReady()).toList();
            Optional<Labels> before = PolicyLabels.previousLabels(status);
            Optional<Labels> after = PolicyLabels.newLabels(status);
            if (unready.isEmpty() || before.isEmpty() || after.isEmpty()
                    || before.get().labels().equals(after.get().labels())) {
                continue;
            }
            String ns = status.workload().metadata().namespace();
            Judge judge = new Judge(policies, snapshot.objects(Pod.class), ns, before.get().labels(), after.get().labels(),
                    PolicyLabels.namespace(snapshot, ns));
            List<Cut> cuts = judge.cuts();
            if (!cuts.isEmpty()) {
                findings.add(build(snapshot, status, before.get(), after.get(), judge, cuts, unready));
            }
        }
        return findings;
    }

    /** Which way the policy cuts the new pods off. */
    enum Direction {
        /** A policy guarding other pods admits the old pods as clients but not the new ones. */
        DOWNSTREAM,
        /** The new pods' own egress: an allowance that no longer applies, or an isolation that now does. */
        OWN_EGRESS,
        /** The new pods' own ingress. */
        OWN_INGRESS,
        /** Other pods' egress policy lets them send to the old pods but not to the new ones. */
        UPSTREAM
    }

    /**
     * One way a policy treats the new pods differently from the old ones.
     *
     * @param selector the selector that decides (the policy's podSelector, or a peer's), and its JSON pointer
     */
    record Cut(Direction direction, Confidence confidence, NetworkPolicy policy, String words, String path,
               LabelSelector selector, String pointer, boolean widenable) {
    }

    /** Evaluates the policies for one rollout's old and new labels. */
    private record Judge(List<NetworkPolicy> policies, List<Pod> pods, String namespace, Map<String, String> before,
                         Map<String, String> after, NamespaceLabels nsLabels) {

        List<Cut> cuts() {
            List<Cut> out = new ArrayList<>();
            out.addAll(peers(true));
            out.addAll(own(false));
            out.addAll(own(true));
            out.addAll(peers(false));
            out.sort(Comparator.comparing(Cut::confidence).thenComparing(Cut::direction));
            return out;
        }

        /** The new pods' own policies: allowances lost, or isolation gained, for one direction. */
        private List<Cut> own(boolean ingress) {
            List<NetworkPolicy> oldSet = selecting(before, ingress);
            List<NetworkPolicy> newSet = selecting(after, ingress);
            if (newSet.isEmpty() || oldSet.equals(newSet) || allowsEverything(newSet, ingress)) {
                return List.of(); // not isolated in that direction (in effect), or isolated the same way
            }
            Direction dir = ingress ? Direction.OWN_INGRESS : Direction.OWN_EGRESS;
            Confidence conf = ingress ? Confidence.LOW : Confidence.MEDIUM;
            String traffic = ingress ? "ingress" : "egress";
            List<Cut> out = new ArrayList<>();
            String still = newSet.stream().map(p -> p.ref().toString().replace("NetworkPolicy ", ""))
                    .collect(Collectors.joining(", "));
            for (NetworkPolicy lost : oldSet) {
                if (!newSet.contains(lost) && !(ingress ? lost.ingress() : lost.egress()).isEmpty()) {
                    LabelSelector s = lost.effectivePodSelector();
                    out.add(new Cut(dir, conf, lost, lost.ref() + " (for " + selectorWords(s) + ") no longer applies to "
                            + "them, so they lose the " + traffic + " it allowed while " + still + " still isolate"
                            + (newSet.size() == 1 ? "s" : "") + " them", "spec.podSelector", s, "/spec/podSelector", true));
                }
            }
            if (oldSet.isEmpty()) {
                for (NetworkPolicy gained : newSet) {
                    if (!oldSet.contains(gained)) {
                        LabelSelector s = gained.effectivePodSelector();
                        out.add(new Cut(dir, conf, gained, gained.ref() + " (for " + selectorWords(s) + ") selects them but "
                                + "not the old pods, and limits their " + traffic + " to what its rules allow",
                                "spec.podSelector", s, "/spec/podSelector", false));
                    }
                }
            }
            return out;
        }

        private static boolean allowsEverything(List<NetworkPolicy> set, boolean ingress) {
            return set.stream().flatMap(p -> (ingress ? p.ingress() : p.egress()).stream())
                    .anyMatch(r -> r.allowsAllPeers() && r.allowsAllPorts());
        }

        /** Policies of the workload's namespace that select pods with these labels for one direction. */
        private List<NetworkPolicy> selecting(Map<String, String> labels, boolean ingress) {
            return policies.stream().filter(p -> p.metadata().namespace().equals(namespace))
                    .filter(p -> ingress ? p.affectsIngress() : p.affectsEgress())
                    .filter(p -> p.selects(labels)).toList();
        }

        /**
         * Policies of other pods whose peers admit the old pods but not the new ones: ingress rules (the new pods as
         * clients, DOWNSTREAM) or egress rules (the new pods as servers, UPSTREAM). All policies that select the same
         * pods are judged together, since any of them may allow the traffic; the guarded pods are found in the
         * snapshot, else assumed to be those of policies with the very same selector.
         */
        private List<Cut> peers(boolean ingress) {
            List<Cut> out = new ArrayList<>();
            Set<List<NetworkPolicy>> judged = new HashSet<>(); // membership only, never iterated
            for (NetworkPolicy p : policies) {
                if (!(ingress ? p.affectsIngress() : p.affectsEgress())) {
                    continue;
                }
                List<NetworkPolicy> group = guarding(p, ingress);
                if (judged.add(group) && admits(group, ingress, before) && !admits(group, ingress, after)) {
                    firstAdmitting(group, ingress, before).ifPresent(out::add);
                }
            }
            return out;
        }

        /** Every policy (of one direction) that applies to the pods {@code p} selects. */
        private List<NetworkPolicy> guarding(NetworkPolicy p, boolean ingress) {
            String ns = p.metadata().namespace();
            Optional<Pod> guarded = pods.stream()
                    .filter(x -> x.metadata().namespace().equals(ns) && p.selects(x.metadata().labels())).findFirst();
            return policies.stream()
                    .filter(q -> q.metadata().namespace().equals(ns) && (ingress ? q.affectsIngress() : q.affectsEgress()))
                    .filter(q -> guarded.map(g -> q.selects(g.metadata().labels()))
                            .orElse(q.effectivePodSelector().equals(p.effectivePodSelector())))
                    .toList();
        }

        private boolean admits(List<NetworkPolicy> group, boolean ingress, Map<String, String> labels) {
            for (NetworkPolicy p : group) {
                for (NetworkPolicyRule rule : ingress ? p.ingress() : p.egress()) {
                    if (rule.allowsAllPeers()) {
                        return true;
                    }
                    for (NetworkPolicyPeer peer : rule.peers()) {
                        if (peer.selectsPod(labels, nsLabels.labels(), p.metadata().namespace().equals(namespace))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private Optional<Cut> firstAdmitting(List<NetworkPolicy> group, boolean ingress, Map<String, String> labels) {
            for (NetworkPolicy p : group) {
                List<NetworkPolicyRule> rules = ingress ? p.ingress() : p.egress();
                for (int i = 0; i < rules.size(); i++) {
                    List<NetworkPolicyPeer> peers = rules.get(i).peers();
                    for (int j = 0; j < peers.size(); j++) {
                        NetworkPolicyPeer peer = peers.get(j);
                        boolean same = p.metadata().namespace().equals(namespace);
                        if (peer.selectsPod(labels, nsLabels.labels(), same)) {
                            return Optional.of(peerCut(p, ingress, i, j, peer));
                        }
                    }
                }
            }
            return Optional.empty();
        }

        private Cut peerCut(NetworkPolicy p, boolean ingress, int rule, int peer, NetworkPolicyPeer from) {
            String list = ingress ? "ingress" : "egress";
            String side = ingress ? "from" : "to";
            String path = "spec." + list + "[" + rule + "]." + side + "[" + peer + "].podSelector";
            String pointer = "/spec/" + list + "/" + rule + "/" + side + "/" + peer + "/podSelector";
            LabelSelector s = from.podSelector().orElse(LabelSelector.EVERYTHING);
            String guarded = selectorWords(p.effectivePodSelector());
            String words = ingress
                    ? p.ref() + " admits only pods matching " + selectorWords(s) + " to " + guarded
                    + ", so the new pods cannot reach them"
                    : p.ref() + " lets " + guarded + " send only to pods matching " + selectorWords(s) + ", not to the new pods";
            return new Cut(ingress ? Direction.DOWNSTREAM : Direction.UPSTREAM, ingress ? Confidence.MEDIUM : Confidence.LOW,
                    p, words, path, s, pointer, from.podSelector().isPresent());
        }
    }

    private static String selectorWords(LabelSelector s) {
        return s.isEmpty() ? "every pod of its namespace" : s.toString();
    }

    private static Finding build(Snapshot snapshot, RolloutStatus status, Labels before, Labels after, Judge judge,
                                 List<Cut> cuts, List<Pod> unready) {
        KubeObject workload = status.workload();
        Cut top = cuts.get(0);
        List<String> changed = PolicyLabels.changedKeys(before.labels(), after.labels());
        List<String> keys = relevant(top, changed);
        List<Evidence> timeouts = timeouts(snapshot, unready);
        boolean egressSide = cuts.stream().anyMatch(c -> c.direction() == Direction.DOWNSTREAM || c.direction() == Direction.OWN_EGRESS);
        Confidence confidence = top.confidence() == Confidence.MEDIUM && egressSide && !timeouts.isEmpty()
                ? Confidence.HIGH : top.confidence();
        Finding.Builder f = Finding.of(NetworkPolicyIsolation.class)
                .workload(workload)
                .confidence(confidence)
                .title("The new pods of " + workload.ref() + " carry " + PolicyLabels.show(after.labels(), keys)
                        + " (the old ones " + PolicyLabels.show(before.labels(), keys) + "): " + top.words())
                .explanation(explanation(status, before, after, judge, cuts, changed, timeouts));
        cuts.forEach(c -> f.culprit(c.policy()));
        f.evidence(Evidence.field(after.source(), after.path(), LabelSelector.ofLabels(after.labels()).toString()));
        f.evidence(Evidence.field(before.source(), before.path(), LabelSelector.ofLabels(before.labels()).toString()));
        cuts.stream().limit(4).forEach(c -> f.evidence(Evidence.field(c.policy(), c.path(), selectorWords(c.selector()))));
        f.evidence(timeouts);
        remediation(f, status, before, after, cuts, changed);
        return f.build();
    }

    /** The changed keys the deciding selector tests (all changed keys when it tests none of them). */
    private static List<String> relevant(Cut cut, List<String> changed) {
        var tested = PolicyLabels.keys(cut.selector());
        List<String> keys = changed.stream().filter(tested::contains).toList();
        return keys.isEmpty() ? changed : keys;
    }

    private static String explanation(RolloutStatus status, Labels before, Labels after, Judge judge, List<Cut> cuts,
                                      List<String> changed, List<Evidence> timeouts) {
        StringBuilder out = new StringBuilder("The new template's pod labels differ from the previous revision's (")
                .append(changed.stream().map(k -> (before.labels().containsKey(k) ? k + "=" + before.labels().get(k) : "no " + k)
                        + " -> " + (after.labels().containsKey(k) ? k + "=" + after.labels().get(k) : "no " + k))
                        .collect(Collectors.joining(", ")))
                .append("), and NetworkPolicies choose pods by label. ");
        for (Cut c : cuts) {
            out.append(capitalize(c.words())).append(". ");
        }
        out.append("kubelet's own probes are not subject to NetworkPolicy (traffic from the node a pod runs on is always "
                + "allowed), so the probe itself is not blocked: what fails is what the application needs to pass it, "
                + "such as a database or service it must reach");
        if (cuts.stream().anyMatch(c -> c.direction() == Direction.OWN_INGRESS || c.direction() == Direction.UPSTREAM)) {
            out.append(", and once Ready the new pods would not get the traffic the old ones get");
        }
        out.append(". A packet a policy drops looks like a timeout to the sender, not a refusal.");
        if (!timeouts.isEmpty()) {
            out.append(" The new pods' logs show such timeouts.");
        }
        boolean namespaceSelectors = judge.policies().stream()
                .flatMap(p -> Stream.concat(p.ingress().stream(), p.egress().stream()))
                .flatMap(r -> r.peers().stream()).anyMatch(peer -> peer.namespaceSelector().isPresent());
        if (!judge.nsLabels().known() && namespaceSelectors) {
            out.append(" The Namespace ").append(judge.namespace()).append(" was not collected, so namespace selectors were ")
                    .append("matched against its ").append(PolicyLabels.NAMESPACE_NAME_LABEL).append(" label only.");
        }
        out.append(" ").append(status.structure().newPods().size() == 1 ? "The new pod is" : "New pods are")
                .append(" Running but not Ready.");
        return out.toString();
    }

    /** The last log lines of the unready new pods that read like a dropped connection. */
    private static List<Evidence> timeouts(Snapshot snapshot, List<Pod> pods) {
        List<Evidence> out = new ArrayList<>();
        for (Pod pod : pods) {
            for (PodLog log : snapshot.logsOf(pod)) {
                for (int i = log.lines().size() - 1; i >= 0 && out.size() < 2; i--) {
                    if (NETWORK_TIMEOUT.matcher(log.lines().get(i)).find()) {
                        out.add(Evidence.log(pod.ref(), log, i));
                    }
                }
            }
        }
        return out;
    }

    private static void remediation(Finding.Builder f, RolloutStatus status, Labels before, Labels after, List<Cut> cuts,
                                    List<String> changed) {
        var seen = new TreeSet<String>();
        for (Cut c : cuts) {
            if (!c.widenable() || !seen.add(c.policy().ref().toString())) {
                continue;
            }
            List<String> ops = new ArrayList<>();
            for (String k : relevant(c, changed)) {
                if (after.labels().containsKey(k) && before.labels().containsKey(k)) {
                    ops.addAll(PolicyLabels.widen(c.selector(), c.pointer(), k, after.labels().get(k)));
                }
            }
            if (!ops.isEmpty()) {
                f.step("Let " + c.policy().ref() + " accept the new label value as well as the old one (both revisions "
                        + "keep working during the rollout)", ProbeFacts.jsonPatch(c.policy().ref(), ops));
            } else {
                f.step("Look at the policy's selectors and make them match the new labels", Kubectl.describe(c.policy()));
            }
        }
        List<String> revert = new ArrayList<>();
        for (String k : changed) {
            String pointer = "/spec/template/metadata/labels/" + ProbeFacts.pointerToken(k);
            revert.add(before.labels().containsKey(k)
                    ? ProbeFacts.add(pointer, ProbeFacts.quote(before.labels().get(k)))
                    : ProbeFacts.remove(pointer));
        }
        var ref = status.workload().ref();
        f.step("Or give the new pods the old labels back (" + PolicyLabels.show(before.labels(), changed) + ")",
                ProbeFacts.jsonPatch(ref, revert));
        f.step("See which pods each policy of the namespace selects and admits",
                "kubectl describe networkpolicy" + Kubectl.ns(status.workload().ref()));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

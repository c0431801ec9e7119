package dev.rolloutdoctor.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders one workload's findings as a causal chain. A finding explains another when its rule declares so
 * ({@link Rule#explains()}), or when it is a cause of severity error or worse and the other is a symptom. Findings
 * nothing explains come first, then what they explain, level by level; within a level causes before inconclusive
 * answers before symptoms, then by severity, confidence, rule id and title; context findings come last. The order never
 * depends on detector order.
 */
final class Ranking {

    private static final Comparator<Finding> ORDER = Comparator
            .comparing((Finding f) -> f.severity())
            .thenComparing(Finding::confidence)
            .thenComparing(Finding::ruleId)
            .thenComparing(Finding::title)
            .thenComparing(f -> f.culprits().toString());

    private final DetectorRegistry registry;

    Ranking(DetectorRegistry registry) {
        this.registry = registry;
    }

    List<RankedFinding> rank(List<Finding> raw, int[] nextId) {
        List<Finding> findings = merge(raw);
        int n = findings.size();
        RuleInfo[] rules = new RuleInfo[n];
        for (int i = 0; i < n; i++) {
            rules[i] = rule(findings.get(i));
        }
        boolean[][] explains = new boolean[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b && explains(rules[a], findings.get(a), rules[b])) {
                    explains[a][b] = true;
                }
            }
        }
        // two findings that explain each other: keep the edge from the one that sorts first
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                if (explains[a][b] && explains[b][a]) {
                    if (key(rules[a], findings.get(a)).compareTo(key(rules[b], findings.get(b))) <= 0) {
                        explains[b][a] = false;
                    } else {
                        explains[a][b] = false;
                    }
                }
            }
        }
        int[] depth = depths(explains, n);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        // context (what changed, image tags) goes after every cause and symptom, whatever explains what
        order.sort(Comparator.<Integer, Boolean>comparing(i -> rules[i].role() == Role.CONTEXT)
                .thenComparingInt(i -> depth[i])
                .thenComparing(i -> rules[i].role())
                .thenComparing(i -> findings.get(i), ORDER));
        Map<Integer, String> ids = new LinkedHashMap<>();
        for (int i : order) {
            ids.put(i, "F" + nextId[0]++);
        }
        List<RankedFinding> out = new ArrayList<>();
        int rank = 1;
        for (int i : order) {
            List<String> explained = new ArrayList<>();
            List<String> explainers = new ArrayList<>();
            for (int j : order) {
                if (explains[i][j]) {
                    explained.add(ids.get(j));
                }
                if (explains[j][i]) {
                    explainers.add(ids.get(j));
                }
            }
            out.add(new RankedFinding(ids.get(i), rank++, findings.get(i), rules[i], explained, explainers));
        }
        return out;
    }

    private RuleInfo rule(Finding f) {
        return registry.rule(f.ruleId()).orElseThrow(() -> new IllegalStateException("no rule " + f.ruleId()));
    }

    private static boolean explains(RuleInfo a, Finding fa, RuleInfo b) {
        if (a.explains().contains(b.id())) {
            return true;
        }
        return a.role() == Role.CAUSE && b.role() == Role.SYMPTOM && fa.severity().compareTo(Severity.ERROR) <= 0;
    }

    private static String key(RuleInfo rule, Finding f) {
        return rule.role().ordinal() + ":" + f.severity().ordinal() + ":" + f.ruleId();
    }

    /** Longest chain of explainers above each finding: 0 for findings nothing explains. */
    private static int[] depths(boolean[][] explains, int n) {
        int[] depth = new int[n];
        // at most n rounds of relaxation: the graph is acyclic once mutual edges are removed, and n is small
        for (int round = 0; round < n; round++) {
            boolean changed = false;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (explains[a][b] && depth[b] < depth[a] + 1 && depth[a] + 1 <= n) {
                        depth[b] = depth[a] + 1;
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return depth;
    }

    /**
     * One failure seen several times (the same rule, workload and culprits, from pods of one ReplicaSet, say) is one
     * finding: its evidence and steps are merged.
     */
    private static List<Finding> merge(List<Finding> raw) {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding f : raw) {
            groups.computeIfAbsent(f.ruleId() + "|" + f.workload() + "|" + f.culprits() + "|" + f.title(), k -> new ArrayList<>()).add(f);
        }
        List<Finding> out = new ArrayList<>();
        for (List<Finding> group : groups.values()) {
            Finding first = group.get(0);
            if (group.size() == 1) {
                out.add(first);
                continue;
            }
            Set<Evidence> evidence = new LinkedHashSet<>();
            Set<RemediationStep> steps = new LinkedHashSet<>();
            for (Finding f : group) {
                evidence.addAll(f.evidence());
                steps.addAll(f.remediation());
            }
            out.add(new Finding(first.ruleId(), first.severity(), first.confidence(), first.workload(), first.culprits(),
                    first.title(), first.explanation(), new ArrayList<>(evidence), new ArrayList<>(steps)));
        }
        return out;
    }
}

package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Map;

/**
 * One term of a node selector (pod node affinity, PersistentVolume node affinity): all its requirements must hold.
 * A node matches a {@code nodeSelectorTerms} list when it matches any one term.
 *
 * @param matchExpressions requirements on node labels
 * @param matchFields      requirements on node fields; Kubernetes supports only {@code metadata.name}
 */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions, List<NodeSelectorRequirement> matchFields) {

    public NodeSelectorTerm {
        matchExpressions = List.copyOf(matchExpressions);
        matchFields = List.copyOf(matchFields);
    }

    /** Kubernetes treats a term with no requirements at all as matching no node. */
    public boolean matches(Map<String, String> nodeLabels, String nodeName) {
        if (matchExpressions.isEmpty() && matchFields.isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : matchExpressions) {
            if (!r.matches(nodeLabels)) {
                return false;
            }
        }
        Map<String, String> fields = Map.of("metadata.name", nodeName);
        for (NodeSelectorRequirement r : matchFields) {
            if (!r.matches(fields)) {
                return false;
            }
        }
        return true;
    }

    /** True when the node matches any of the terms (the semantics of {@code nodeSelectorTerms}). */
    public static boolean anyMatches(List<NodeSelectorTerm> terms, Map<String, String> nodeLabels, String nodeName) {
        for (NodeSelectorTerm t : terms) {
            if (t.matches(nodeLabels, nodeName)) {
                return true;
            }
        }
        return false;
    }
}

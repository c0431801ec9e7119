package dev.rolloutdoctor.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One requirement of a node selector term (an entry of {@code nodeAffinity} {@code matchExpressions}), matched
 * against a node's labels as the scheduler matches it.
 *
 * <p>The constructor checks the value counts that API validation enforces: {@code In}/{@code NotIn} need values,
 * {@code Exists}/{@code DoesNotExist} take none, {@code Gt}/{@code Lt} take exactly one. A {@code Gt}/{@code Lt}
 * value that is not an integer is kept: Kubernetes then fails to build the selector and the term never matches,
 * so {@link #matches} returns false, which gives the same answer for the AND of a term.
 *
 * @param key      the label key
 * @param operator how the node's label relates to the values
 * @param values   the values, in the order written
 */
public record NodeSelectorRequirement(String key, Operator operator, List<String> values) {

    public NodeSelectorRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(Objects.requireNonNull(values, "values"));
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a node selector requirement needs a key");
        }
        String problem = operator.valueCountProblem(values.size());
        if (problem != null) {
            throw new IllegalArgumentException(problem + " (key " + key + ")");
        }
    }

    /**
     * Whether a node with these labels satisfies the requirement ({@code labels.Requirement.Matches}):
     * {@code NotIn} and {@code DoesNotExist} hold when the key is absent; {@code Gt} and {@code Lt} need the label
     * and compare the label value and the single value as 64-bit integers ({@code strconv.ParseInt}), and never
     * match when either is not one.
     */
    public boolean matches(Map<String, String> nodeLabels) {
        Objects.requireNonNull(nodeLabels, "nodeLabels");
        String label = nodeLabels.get(key);
        boolean has = nodeLabels.containsKey(key);
        switch (operator) {
            case IN: return label != null && values.contains(label);
            case NOT_IN: return label == null || !values.contains(label);
            case EXISTS: return has;
            case DOES_NOT_EXIST: return !has;
            case GT: return compare(label) > 0;
            case LT: return compare(label) < 0;
            default: throw new AssertionError(operator);
        }
    }

    /** The requirement in selector syntax: {@code zone in (a,b)}, {@code !gpu}, {@code cores>4}. */
    @Override
    public String toString() {
        switch (operator) {
            case IN: return key + " in (" + LabelSelector.sortedValues(values) + ")";
            case NOT_IN: return key + " notin (" + LabelSelector.sortedValues(values) + ")";
            case EXISTS: return key;
            case DOES_NOT_EXIST: return "!" + key;
            case GT: return key + ">" + values.get(0);
            case LT: return key + "<" + values.get(0);
            default: throw new AssertionError(operator);
        }
    }

    /** The sign of label − value, or 0 ("no match" for both Gt and Lt) when either is not an integer. */
    private int compare(String label) {
        if (label == null) {
            return 0;
        }
        OptionalLong labelValue = IntOrPercent.parseGoInt64(label);
        OptionalLong bound = IntOrPercent.parseGoInt64(values.get(0));
        if (labelValue.isEmpty() || bound.isEmpty()) {
            return 0;
        }
        return Long.compare(labelValue.getAsLong(), bound.getAsLong());
    }

    /** The operators of a node selector requirement, with their Kubernetes spelling. */
    public enum Operator {
        IN("In"),
        NOT_IN("NotIn"),
        EXISTS("Exists"),
        DOES_NOT_EXIST("DoesNotExist"),
        GT("Gt"),
        LT("Lt");

        private final String kubernetesName;

        Operator(String kubernetesName) {
            this.kubernetesName = kubernetesName;
        }

        /** The operator as Kubernetes writes it ({@code Gt}). */
        public String kubernetesName() {
            return kubernetesName;
        }

        /** The operator Kubernetes spells {@code name} (case-sensitive), or empty if there is none. */
        public static Optional<Operator> fromKubernetes(String name) {
            for (Operator operator : values()) {
                if (operator.kubernetesName.equals(name)) {
                    return Optional.of(operator);
                }
            }
            return Optional.empty();
        }

        private String valueCountProblem(int count) {
            switch (this) {
                case IN:
                case NOT_IN:
                    return count == 0 ? "for 'in', 'notin' operators, values set can't be empty" : null;
                case EXISTS:
                case DOES_NOT_EXIST:
                    return count != 0 ? "values set must be empty for exists and does not exist" : null;
                default:
                    return count != 1 ? "for 'Gt', 'Lt' operators, exactly one value is required" : null;
            }
        }
    }
}

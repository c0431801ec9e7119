package dev.rolloutdoctor.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Kubernetes {@code metav1.LabelSelector} ({@code matchLabels} and {@code matchExpressions}), matched against
 * labels as {@code metav1.LabelSelectorAsSelector} does and printed in kubectl's selector syntax.
 *
 * <p>All requirements must hold. The empty selector matches everything; a selector that is absent altogether
 * (Kubernetes' nil, which matches nothing) has no instance here: model it as {@code Optional.empty()}.
 *
 * @param matchLabels      required {@code key=value} pairs, sorted by key
 * @param matchExpressions set-based requirements, in the order written
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    /** The empty selector, which matches every set of labels. */
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = sortedCopy(Objects.requireNonNull(matchLabels, "matchLabels"));
        matchExpressions = List.copyOf(Objects.requireNonNull(matchExpressions, "matchExpressions"));
    }

    /** A selector of {@code matchLabels} only, as Services and ReplicationControllers write it. */
    public static LabelSelector ofLabels(Map<String, String> matchLabels) {
        return new LabelSelector(matchLabels, List.of());
    }

    /** Whether this selector has no requirements and so matches everything. */
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** Whether the labels satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        for (Map.Entry<String, String> required : matchLabels.entrySet()) {
            if (!labels.containsKey(required.getKey())
                    || !required.getValue().equals(labels.get(required.getKey()))) {
                return false;
            }
        }
        for (Requirement requirement : matchExpressions) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The selector as {@code labels.Selector.String()} prints it, e.g. {@code app=web,!legacy,tier in (a,b)}:
     * all requirements sorted by key (for equal keys, matchLabels first, then expressions in order), values of
     * {@code in}/{@code notin} sorted. The empty selector prints as {@code ""}.
     */
    @Override
    public String toString() {
        List<Map.Entry<String, String>> printed = new ArrayList<>();
        matchLabels.forEach((key, value) -> printed.add(Map.entry(key, key + "=" + value)));
        matchExpressions.forEach(requirement -> printed.add(Map.entry(requirement.key(), requirement.toString())));
        printed.sort(Map.Entry.comparingByKey());
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : printed) {
            out.append(out.length() == 0 ? "" : ",").append(entry.getValue());
        }
        return out.toString();
    }

    private static Map<String, String> sortedCopy(Map<String, String> labels) {
        TreeMap<String, String> sorted = new TreeMap<>();
        labels.forEach((key, value) -> sorted.put(Objects.requireNonNull(key, "label key"),
                Objects.requireNonNull(value, () -> "value of label " + key)));
        return Collections.unmodifiableSortedMap(sorted);
    }

    /** The operators of a label selector requirement, with their Kubernetes spelling. */
    public enum Operator {
        IN("In"),
        NOT_IN("NotIn"),
        EXISTS("Exists"),
        DOES_NOT_EXIST("DoesNotExist");

        private final String kubernetesName;

        Operator(String kubernetesName) {
            this.kubernetesName = kubernetesName;
        }

        /** The operator as Kubernetes writes it ({@code NotIn}). */
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
    }

    /**
     * One {@code matchExpressions} entry, validated as {@code labels.NewRequirement} does: {@code In} and
     * {@code NotIn} need values, {@code Exists} and {@code DoesNotExist} take none.
     *
     * @param key      the label key
     * @param operator how the label relates to the values
     * @param values   the values, in the order written
     */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(Objects.requireNonNull(values, "values"));
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a label selector requirement needs a key");
            }
            boolean setBased = operator == Operator.IN || operator == Operator.NOT_IN;
            if (setBased && values.isEmpty()) {
                throw new IllegalArgumentException("for 'in', 'notin' operators, values set can't be empty (key "
                        + key + ")");
            }
            if (!setBased && !values.isEmpty()) {
                throw new IllegalArgumentException("values set must be empty for exists and does not exist (key "
                        + key + ")");
            }
        }

        /**
         * Whether the labels satisfy this requirement; {@code NotIn} and {@code DoesNotExist} hold when the key is
         * absent.
         */
        public boolean matches(Map<String, String> labels) {
            boolean has = labels.containsKey(key);
            String value = labels.get(key);
            switch (operator) {
                case IN: return value != null && values.contains(value);
                case NOT_IN: return value == null || !values.contains(value);
                case EXISTS: return has;
                case DOES_NOT_EXIST: return !has;
                default: throw new AssertionError(operator);
            }
        }

        /** The requirement in selector syntax: {@code tier in (a,b)}, {@code tier notin (a)}, {@code env}, {@code !env}. */
        @Override
        public String toString() {
            switch (operator) {
                case IN: return key + " in (" + sortedValues(values) + ")";
                case NOT_IN: return key + " notin (" + sortedValues(values) + ")";
                case EXISTS: return key;
                case DOES_NOT_EXIST: return "!" + key;
                default: throw new AssertionError(operator);
            }
        }
    }

    /**
     * Values joined by commas, sorted as Go's {@code sort.Strings} would (byte order; label values are ASCII, where
     * that is also {@link String#compareTo} order).
     */
    static String sortedValues(List<String> values) {
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return String.join(",", sorted);
    }
}

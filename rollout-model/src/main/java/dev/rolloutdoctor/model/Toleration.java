package dev.rolloutdoctor.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A pod's toleration of node taints ({@code spec.tolerations[]}).
 *
 * @param key               the taint key it matches; "" matches every key (then the operator must be Exists)
 * @param operator          how the value is compared; {@code Equal} when absent
 * @param value             the taint value to match ("" for none)
 * @param effect            {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}; "" matches every effect
 * @param tolerationSeconds for {@code NoExecute}: how long the pod stays bound after the taint appears; empty for ever
 */
public record Toleration(String key, Operator operator, String value, String effect, OptionalLong tolerationSeconds) {

    /** The toleration operators Kubernetes accepts. */
    public enum Operator {
        EQUAL("Equal"),
        EXISTS("Exists"),
        /** Numeric: tolerates a taint whose value is less than the toleration's (gate TaintTolerationComparisonOperators). */
        LT("Lt"),
        /** Numeric: tolerates a taint whose value is greater than the toleration's (gate TaintTolerationComparisonOperators). */
        GT("Gt");

        private final String text;

        Operator(String text) {
            this.text = text;
        }

        /** The operator as Kubernetes writes it; "" (absent) is Equal. */
        public static Optional<Operator> fromKubernetes(String text) {
            if (text.isEmpty()) {
                return Optional.of(EQUAL);
            }
            for (Operator op : values()) {
                if (op.text.equals(text)) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Kubernetes' canonical decimal integer ({@code content.IsDecimalInteger}): no leading zeros, no plus sign. */
    private static final Pattern DECIMAL_INTEGER = Pattern.compile("0|-?[1-9][0-9]*");

    public Toleration {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(tolerationSeconds, "tolerationSeconds");
    }

    /**
     * True when this toleration tolerates the taint, with the rules of Kubernetes' {@code Toleration.ToleratesTaint}
     * ({@code k8s.io/component-helpers/scheduling/corev1}): an empty effect matches every effect, an empty key
     * matches every key, {@code Exists} matches every value, {@code Equal} needs equal values, and {@code Lt}/{@code Gt}
     * compare taint value to toleration value as canonical 64-bit decimal integers (false when either is not one).
     * A pod carrying {@code Lt}/{@code Gt} was admitted with their feature gate on, so they are evaluated.
     */
    public boolean tolerates(String taintKey, String taintValue, String taintEffect) {
        if (!effect.isEmpty() && !effect.equals(taintEffect)) {
            return false;
        }
        if (!key.isEmpty() && !key.equals(taintKey)) {
            return false;
        }
        switch (operator) {
            case EQUAL:
                return value.equals(taintValue);
            case EXISTS:
                return true;
            case LT:
            case GT:
                return compareNumeric(taintValue);
            default:
                return false;
        }
    }

    private boolean compareNumeric(String taintValue) {
        OptionalLong tolerationNumber = decimal(value);
        OptionalLong taintNumber = decimal(taintValue);
        if (tolerationNumber.isEmpty() || taintNumber.isEmpty()) {
            return false;
        }
        return operator == Operator.LT
                ? taintNumber.getAsLong() < tolerationNumber.getAsLong()
                : taintNumber.getAsLong() > tolerationNumber.getAsLong();
    }

    private static OptionalLong decimal(String text) {
        if (!DECIMAL_INTEGER.matcher(text).matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException outOfRange) {
            return OptionalLong.empty();
        }
    }
}

package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node taint ({@code spec.taints[]}): pods that do not tolerate it are kept off the node ({@code NoSchedule},
 * {@code PreferNoSchedule}) or evicted from it ({@code NoExecute}).
 *
 * @param key       the taint key ({@code node.kubernetes.io/not-ready})
 * @param value     the value, "" when absent
 * @param effect    {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}, as written
 * @param timeAdded when a {@code NoExecute} taint was added; empty otherwise
 */
public record Taint(String key, String value, String effect, Optional<Instant> timeAdded) {

    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    public Taint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(timeAdded, "timeAdded");
    }

    /** True when the taint keeps pods that do not tolerate it from being scheduled onto the node. */
    public boolean blocksScheduling() {
        return NO_SCHEDULE.equals(effect) || NO_EXECUTE.equals(effect);
    }

    /** True when any of the tolerations tolerates this taint. */
    public boolean isToleratedBy(List<Toleration> tolerations) {
        for (Toleration t : tolerations) {
            if (t.tolerates(key, value, effect)) {
                return true;
            }
        }
        return false;
    }

    /** {@code key=value:effect}, or {@code key:effect} without a value, as {@code kubectl taint} writes it. */
    @Override
    public String toString() {
        return value.isEmpty() ? key + ":" + effect : key + "=" + value + ":" + effect;
    }
}

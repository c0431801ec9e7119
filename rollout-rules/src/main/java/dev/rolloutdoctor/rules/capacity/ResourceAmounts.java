package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Resource amounts as the scheduler counts them and as people read them. The scheduler counts cpu in millicores
 * ({@code MilliValue()}) and every other resource in whole units ({@code Value()}), each rounded up per pod
 * ({@code framework.Resource.Add} in {@code pkg/scheduler/framework/types.go}); {@link #describe} prints
 * {@code 2 CPU}, {@code 1.5 CPU}, {@code 250m CPU}, {@code 4Gi memory}, {@code 5 nvidia.com/gpu}.
 */
public final class ResourceAmounts {

    private static final long KI = 1024;
    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private ResourceAmounts() {
    }

    /**
     * True for the resources the scheduler's NodeResourcesFit filter checks: cpu, memory, ephemeral-storage, and
     * scalar resources (extended resources such as {@code nvidia.com/gpu}, {@code hugepages-*},
     * {@code attachable-volumes-*}, prefixed native resources). The pod count is checked separately.
     */
    public static boolean isChecked(String resource) {
        return resource.equals("cpu") || resource.equals("memory") || resource.equals("ephemeral-storage")
                || resource.contains("/") || resource.startsWith("hugepages-") || resource.startsWith("attachable-volumes-");
    }

    /** The amount in the scheduler's unit: millicores for cpu, whole units (rounded up) otherwise. */
    public static long units(String resource, Quantity q) {
        return isCpu(resource) ? q.milliValue() : q.longValue();
    }

    /** The quantity for an amount in the scheduler's unit; byte amounts come out in binary SI ({@code 4Gi}). */
    public static Quantity quantity(String resource, long units) {
        if (isCpu(resource)) {
            return Quantity.ofMillis(units);
        }
        return isBytes(resource) ? Quantity.of(BigDecimal.valueOf(units), Quantity.Format.BINARY_SI) : Quantity.ofUnits(units);
    }

    /** {@code 2 CPU}, {@code 4Gi memory}, {@code 5 nvidia.com/gpu}: the amount with the resource's name. */
    public static String describe(String resource, Quantity q) {
        if (isCpu(resource)) {
            return amount(resource, q) + " CPU";
        }
        return amount(resource, q) + " " + resource;
    }

    /** The amount alone: {@code 1.5} or {@code 250m} for cpu, {@code 4Gi} for memory, {@code 5} otherwise. */
    public static String amount(String resource, Quantity q) {
        if (isCpu(resource)) {
            long m = q.milliValue();
            if (m % 1000 == 0) {
                return Long.toString(m / 1000);
            }
            if (Math.abs(m) < 1000) {
                return m + "m";
            }
            return BigDecimal.valueOf(m, 3).stripTrailingZeros().toPlainString();
        }
        if (isBytes(resource)) {
            return bytes(q);
        }
        return q.canonical();
    }

    /** The value for {@code kubectl set resources --requests=<resource>=<value>}: {@code 1500m}, {@code 2}, {@code 512Mi}. */
    public static String argument(String resource, Quantity q) {
        if (isCpu(resource)) {
            long m = q.milliValue();
            return m % 1000 == 0 ? Long.toString(m / 1000) : m + "m";
        }
        if (isBytes(resource)) {
            long b = q.longValue();
            long mi = KI * KI;
            return b >= mi ? (b / mi) + "Mi" : Math.max(1, b / KI) + "Ki";
        }
        return q.canonical();
    }

    static boolean isCpu(String resource) {
        return resource.equals("cpu");
    }

    static boolean isBytes(String resource) {
        return resource.equals("memory") || resource.equals("ephemeral-storage") || resource.startsWith("hugepages-");
    }

    private static String bytes(Quantity q) {
        long b = q.longValue();
        if (q.format() != Quantity.Format.BINARY_SI && b % 1000 == 0 && b != 0) {
            return q.canonical();
        }
        long abs = Math.abs(b);
        if (abs < KI) {
            return Long.toString(b);
        }
        int i = 0;
        long unit = KI;
        while (i + 1 < BINARY.length && abs / unit >= KI) {
            unit *= KI;
            i++;
        }
        if (b % unit == 0) {
            return (b / unit) + BINARY[i];
        }
        if (i > 0 && b % (unit / KI) == 0 && abs / (unit / KI) < 10_000) {
            return (b / (unit / KI)) + BINARY[i - 1];
        }
        return BigDecimal.valueOf(b).divide(BigDecimal.valueOf(unit), 2, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + BINARY[i];
    }
}

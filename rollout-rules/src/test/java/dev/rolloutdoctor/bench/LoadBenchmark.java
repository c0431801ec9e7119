package dev.rolloutdoctor.bench;

import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Measures, in one JVM and on the same files, (a) the floor: Jackson parsing every file of a bundle into trees,
 * (b) {@link SnapshotLoader} alone, (c) loading plus a full {@link RuleEngine} diagnosis; on scale bundles of 1x, 2x
 * and 4x a chosen size, JSON (troubleshoot) and YAML (must-gather). Prints median times, MB/s, objects/s, the ratios
 * b/a and c/a, the snapshot's retained heap against the input size, and how time grows with size.
 *
 * <p>Not a test: run it with the command in the README's Performance section (fixed {@code -Xmx}).
 */
public final class LoadBenchmark {

    /** The medians of one bundle: wall-clock seconds, and CPU seconds of the whole process (every thread, GC included). */
    record Result(BenchInput input, long objects, double floor, double load, double diagnose, double floorCpu, double loadCpu,
                  double diagnoseCpu, long retained, int snapshotObjects, int problems) {
    }

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: " + BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "rollout-doctor load benchmark: Java %s, %d cores, max heap %d MiB, %d warm-ups + %d runs"
                        + " at 1x, %d runs at larger scales, medians%n", System.getProperty("java.version"), rt.availableProcessors(),
                rt.maxMemory() >> 20, o.warmups(), o.runs(), o.scaleRuns());
        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int scale : o.scales()) {
            for (BenchInput input : BenchInput.prepare(o, scale)) {
                int runs = scale == o.scales().get(0) ? o.runs() : o.scaleRuns();
                int warmups = scale == o.scales().get(0) ? o.warmups() : 1;
                Result r = measure(input, warmups, runs);
                results.computeIfAbsent(input.format(), k -> new ArrayList<>()).add(r);
                print(r);
            }
        }
        BenchReport.table(results, o);
    }

    private static Result measure(BenchInput input, int warmups, int runs) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%s %dx: %s, %.1f MB in %d files%n", input.format(), input.scale(), input.root(),
                input.bytes() / 1e6, input.files().size());
        long objects = Floor.parse(input);
        RuleEngine engine = RuleEngine.of(Detectors.all());
        for (int i = 0; i < warmups; i++) {
            Floor.parse(input);
            diagnose(engine, load(input));
        }
        double[][] floor = new double[2][runs];
        double[][] load = new double[2][runs];
        double[][] diagnose = new double[2][runs];
        for (int i = 0; i < runs; i++) {
            time(floor, i, () -> Floor.parse(input));
            time(load, i, () -> load(input).objects().size());
            time(diagnose, i, () -> diagnose(engine, load(input)).rollouts().size());
        }
        long before = usedAfterGc();
        Snapshot kept = load(input);
        long retained = usedAfterGc() - before;
        Diagnosis d = diagnose(engine, kept);
        sanity(d);
        return new Result(input, objects, median(floor[0]), median(load[0]), median(diagnose[0]), median(floor[1]),
                median(load[1]), median(diagnose[1]), retained, kept.objects().size(), kept.problems().size());
    }

    private static Snapshot load(BenchInput input) {
        return SnapshotLoader.create().load(input.root());
    }

    private static Diagnosis diagnose(RuleEngine engine, Snapshot snapshot) {
        return engine.diagnose(snapshot);
    }

    /** Shows that the diagnosis found the stuck rollouts the bundle holds, and nothing else. */
    private static void sanity(Diagnosis d) {
        List<String> stuck = new ArrayList<>();
        for (RolloutDiagnosis r : d.stuck()) {
            stuck.add(r.workload().name() + "=" + r.rootCause().map(RankedFinding::finding).map(f -> f.ruleId()).orElse("?"));
        }
        System.out.printf("  %d rollouts, %d stuck: %s; %d detector errors%n", d.rollouts().size(), stuck.size(), stuck,
                d.detectorErrors().size());
        d.detectorErrors().forEach(e -> System.out.println("    detector error: " + e));
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "  wall: floor %.2f s, load %.2f s, load+diagnose %.2f s; cpu: %.2f s, %.2f s, %.2f s;"
                        + " retained %.0f MB, %d objects read (%d in snapshot), %d problems%n", r.floor(), r.load(), r.diagnose(),
                r.floorCpu(), r.loadCpu(), r.diagnoseCpu(), r.retained() / 1e6, r.objects(), r.snapshotObjects(), r.problems());
    }

    /** Runs {@code work}, storing its wall-clock seconds in {@code into[0][run]} and the process's CPU seconds in {@code into[1][run]}. */
    static void time(double[][] into, int run, LongSupplier work) {
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        long sink = work.getAsLong();
        into[0][run] = (System.nanoTime() - start) / 1e9;
        into[1][run] = (processCpuNanos() - cpu) / 1e9;
        if (sink == Long.MIN_VALUE) {
            System.out.print("");
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Heap in use after full collections, once the collector has nothing more to free. */
    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used - (1 << 20) && i > 1) {
                return Math.min(used, now);
            }
            used = Math.min(used, now);
        }
        return used;
    }
}

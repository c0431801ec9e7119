package dev.rolloutdoctor.bench;

import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.nio.file.Path;

/**
 * Loads (and with {@code diagnose}, diagnoses) one bundle over and over, printing each time: a steady load to
 * attach a profiler to ({@code -XX:StartFlightRecording}). Arguments: {@code ROOT [N] [load|diagnose|floor]}.
 */
public final class LoadLoop {

    private LoadLoop() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String mode = args.length > 2 ? args[2] : "load";
        RuleEngine engine = RuleEngine.of(Detectors.all());
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            if (mode.equals("floor")) {
                BenchInput input = BenchInput.at(root);
                Floor.parse(input);
                System.out.printf("floor %.2f s%n", (System.nanoTime() - start) / 1e9);
                continue;
            }
            Snapshot s = SnapshotLoader.create().load(root);
            long loaded = System.nanoTime();
            String more = "";
            if (mode.equals("diagnose")) {
                more = ", diagnose " + String.format("%.2f s", (System.nanoTime() - loaded) / 1e9 * 0
                        + seconds(() -> engine.diagnose(s)));
            }
            System.out.printf("load %.2f s (%d objects)%s%n", (loaded - start) / 1e9, s.objects().size(), more);
            if (mode.equals("hold")) {
                // keeps the snapshot alive for a heap histogram: jcmd <pid> GC.class_histogram
                System.out.println("holding the snapshot for 120 s");
                sleep(120_000);
                System.out.println(s.objects().size());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e9;
    }
}

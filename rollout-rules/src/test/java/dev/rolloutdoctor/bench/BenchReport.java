package dev.rolloutdoctor.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the benchmark's tables: the figures per bundle, then how time grows with size. */
final class BenchReport {

    private BenchReport() {
    }

    static void table(Map<String, List<LoadBenchmark.Result>> results, BenchOptions o) {
        System.out.println();
        System.out.println("(a) floor = Jackson readTree of every file, one thread; (b) SnapshotLoader; (c) load + RuleEngine.diagnose");
        System.out.println("format scale   input MB files   objects |   (a) s  MB/s obj/s |   (b) s  MB/s obj/s |   (c) s  MB/s obj/s |  b/a  c/a | heap MB heap/input");
        for (List<LoadBenchmark.Result> rs : results.values()) {
            for (LoadBenchmark.Result r : rs) {
                double mb = r.input().bytes() / 1e6;
                System.out.printf(Locale.ROOT, "%-6s %4dx %10.1f %5d %9d | %s | %s | %s | %4.2f %4.2f | %7.0f %6.2f%n",
                        r.input().format(), r.input().scale(), mb, r.input().files().size(), r.objects(),
                        cell(r.floor(), mb, r.objects()), cell(r.load(), mb, r.objects()), cell(r.diagnose(), mb, r.objects()),
                        r.load() / r.floor(), r.diagnose() / r.floor(), r.retained() / 1e6, (double) r.retained() / r.input().bytes());
            }
        }
        System.out.println();
        System.out.println("CPU seconds of the process (all threads, GC included), medians: less sensitive to other load on the machine");
        System.out.println("format scale |  (a) cpu  (b) cpu  (c) cpu | b/a  c/a");
        for (List<LoadBenchmark.Result> rs : results.values()) {
            for (LoadBenchmark.Result r : rs) {
                System.out.printf(Locale.ROOT, "%-6s %4dx | %8.2f %8.2f %8.2f | %4.2f %4.2f%n", r.input().format(), r.input().scale(),
                        r.floorCpu(), r.loadCpu(), r.diagnoseCpu(), r.loadCpu() / r.floorCpu(), r.diagnoseCpu() / r.floorCpu());
            }
        }
        System.out.println();
        System.out.println("growth: wall time at Nx / wall time at 1x (linear is N; target for 4x: at most 4.4)");
        for (Map.Entry<String, List<LoadBenchmark.Result>> e : results.entrySet()) {
            LoadBenchmark.Result base = e.getValue().get(0);
            for (LoadBenchmark.Result r : e.getValue()) {
                double size = (double) r.input().bytes() / base.input().bytes();
                System.out.printf(Locale.ROOT, "%-6s %4dx  input x%.2f  (a) x%.2f  (b) x%.2f  (c) x%.2f%n", e.getKey(), r.input().scale(), size,
                        r.floor() / base.floor(), r.load() / base.load(), r.diagnose() / base.diagnose());
            }
        }
    }

    private static String cell(double seconds, double mb, long objects) {
        return String.format(Locale.ROOT, "%7.2f %5.0f %5.0fk", seconds, mb / seconds, objects / seconds / 1000);
    }
}

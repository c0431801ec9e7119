package dev.rolloutdoctor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's command line: bundle size at 1x, the formats and scales to measure, runs, where bundles are kept. */
record BenchOptions(int pods, int events, int namespaces, long seed, List<String> formats, List<Integer> scales,
                    int warmups, int runs, int scaleRuns, Path directory) {

    static final String USAGE = "LoadBenchmark [--pods 10000] [--events 100000] [--namespaces PODS/250] [--seed 1]"
            + " [--formats json,yaml] [--scales 1,2,4] [--warmups 2] [--runs 5] [--scale-runs 3] [--dir DIR]";

    static BenchOptions parse(String[] args) {
        int pods = 10_000;
        int events = 100_000;
        Integer namespaces = null;
        long seed = 1;
        List<String> formats = List.of("json", "yaml");
        List<Integer> scales = List.of(1, 2, 4);
        int warmups = 2;
        int runs = 5;
        int scaleRuns = 3;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "rollout-doctor-bench");
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--pods" -> pods = Integer.parseInt(v);
                case "--events" -> events = Integer.parseInt(v);
                case "--namespaces" -> namespaces = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--formats" -> formats = List.of(v.toLowerCase(Locale.ROOT).split(","));
                case "--scales" -> scales = ints(v);
                case "--warmups" -> warmups = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--scale-runs" -> scaleRuns = Integer.parseInt(v);
                case "--dir" -> dir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        for (String f : formats) {
            if (!f.equals("json") && !f.equals("yaml")) {
                throw new IllegalArgumentException("--formats takes json and/or yaml, got " + f);
            }
        }
        return new BenchOptions(pods, events, namespaces == null ? Math.max(1, pods / 250) : namespaces, seed, formats, scales,
                warmups, runs, scaleRuns, dir);
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return List.copyOf(out);
    }
}

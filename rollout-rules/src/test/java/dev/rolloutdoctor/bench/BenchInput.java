package dev.rolloutdoctor.bench;

import dev.rolloutdoctor.fixtures.scale.ScaleBundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One bundle to measure: its folder and files. Bundles are generated once per size and seed and kept, so that
 * repeated benchmark runs measure the same bytes.
 */
record BenchInput(String format, int scale, Path root, List<Path> files, long bytes) {

    /** The bundles of one scale, generated unless a complete copy is already there. */
    static List<BenchInput> prepare(BenchOptions o, int scale) {
        ScaleBundle.Options options = new ScaleBundle.Options(o.seed(), o.pods() * scale, o.events() * scale,
                o.namespaces() * scale, ScaleBundle.Format.BOTH);
        Path dir = o.directory().resolve("seed" + o.seed() + "-pods" + options.pods() + "-events" + options.events()
                + "-ns" + options.namespaces());
        Path done = dir.resolve("complete");
        try {
            if (!Files.exists(done)) {
                System.out.printf("generating %s ...%n", dir);
                long start = System.nanoTime();
                ScaleBundle.Written w = ScaleBundle.write(options, dir);
                Files.writeString(done, w.json().orElseThrow().getFileName() + "\n" + w.yaml().orElseThrow().getFileName() + "\n");
                System.out.printf("  written in %.0f s%n", (System.nanoTime() - start) / 1e9);
            }
            List<String> roots = Files.readAllLines(done);
            return o.formats().stream()
                    .map(f -> of(f, scale, dir.resolve(roots.get(f.equals("json") ? 0 : 1))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bundle folder as it is, for profiling. */
    static BenchInput at(Path root) {
        return of(root.toString().contains("must-gather") ? "yaml" : "json", 1, root);
    }

    private static BenchInput of(String format, int scale, Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            return new BenchInput(format, scale, root, files, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.fixtures.dump.Cluster;
import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.dump.KubeDoc;
import dev.rolloutdoctor.fixtures.dump.PodLogText;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;

/**
 * One capture written several ways into one temporary folder, for {@link DeterminismProperties}: each arrangement in
 * a folder of its own, so that every load of the same arrangement sees the same paths.
 */
final class DeterminismDumps implements AutoCloseable {

    private final Path root;

    DeterminismDumps() {
        try {
            root = Files.createTempDirectory("determinism-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a dump form under {@code folder} and returns what to hand to the loader. */
    Path form(String folder, DumpForm form, Cluster cluster) {
        return form.write(cluster, mkdirs(root.resolve(folder)));
    }

    /**
     * Writes one YAML file per object under {@code folder}, the objects in cluster order but file names given by a
     * permutation drawn from {@code seed}, so that name order and object order disagree. Returns the files in name
     * order.
     */
    List<Path> perObject(String folder, Cluster cluster, long seed) {
        Path dir = mkdirs(root.resolve(folder));
        List<KubeDoc> docs = cluster.documents();
        List<Integer> names = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            names.add(i);
        }
        Collections.shuffle(names, new Random(seed));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Path file = dir.resolve("object-%04d.yaml".formatted(names.get(i)));
            write(file, docs.get(i).toYaml());
            files.add(file);
        }
        files.sort(null);
        return files;
    }

    /** The files of a rendered form written under {@code folder}, as a list of paths in name order. */
    List<Path> files(String folder, DumpForm form, Cluster cluster) {
        Path dir = mkdirs(root.resolve(folder));
        SortedMap<String, byte[]> rendered = form.render(cluster);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : rendered.entrySet()) {
            Path file = dir.resolve(f.getKey());
            mkdirs(file.getParent());
            try {
                Files.write(file, f.getValue());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(file);
        }
        return files;
    }

    /** Removes a folder written before, so that another arrangement can be written under the same paths. */
    void clear(String folder) {
        SecretLeaks.delete(root.resolve(folder));
    }

    static Snapshot load(int parallelism, List<Path> paths) {
        return SnapshotLoader.create().withParallelism(parallelism).load(paths);
    }

    static Snapshot load(int parallelism, Path path) {
        return SnapshotLoader.create().withParallelism(parallelism).load(path);
    }

    /** The same capture with its objects and logs in another order. */
    static Cluster shuffled(Cluster cluster, long seed) {
        List<KubeDoc> documents = new ArrayList<>(cluster.documents());
        List<PodLogText> logs = new ArrayList<>(cluster.logs());
        Random random = new Random(seed);
        Collections.shuffle(documents, random);
        Collections.shuffle(logs, random);
        return rebuild(cluster, documents, logs);
    }

    /**
     * Two captures as one: everything of {@code first}, and the objects and logs of {@code second} that do not clash
     * with an object of {@code first} (same kind, namespace and name; a pod's logs go with the pod).
     */
    static Cluster merged(Cluster first, Cluster second) {
        List<KubeDoc> documents = new ArrayList<>(first.documents());
        List<PodLogText> logs = new ArrayList<>(first.logs());
        for (KubeDoc d : second.documents()) {
            if (first.find(d.kind(), d.namespace(), d.name()).isEmpty()) {
                documents.add(d);
            }
        }
        for (PodLogText l : second.logs()) {
            if (first.find("Pod", l.namespace(), l.pod()).isEmpty()) {
                logs.add(l);
            }
        }
        return rebuild(first, documents, logs);
    }

    private static Cluster rebuild(Cluster like, List<KubeDoc> documents, List<PodLogText> logs) {
        Cluster.Builder b = Cluster.builder().capturedAt(like.capturedAt()).kubernetesVersion(like.kubernetesVersion());
        documents.forEach(b::add);
        logs.forEach(b::log);
        return b.build();
    }

    /** The capture without logs, for comparing forms of which only some carry logs. */
    static Cluster withoutLogs(Cluster cluster) {
        return rebuild(cluster, cluster.documents(), List.of());
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        SecretLeaks.delete(root);
    }
}

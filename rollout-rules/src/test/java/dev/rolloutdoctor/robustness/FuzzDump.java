package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.fixtures.dump.Cluster;
import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.dump.TarGz;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * A dump of one cluster written to a temporary folder in one form, whose files can be replaced one at a time and
 * loaded again. For the support bundle archive, the files are the archive's entries and every replacement packs
 * the archive anew, so that a damaged entry sits in an otherwise sound archive.
 */
final class FuzzDump implements AutoCloseable {

    private static final SnapshotLoader LOADER = SnapshotLoader.create();

    private final Path folder;
    private final DumpForm form;
    private final Instant capturedAt;
    private final SortedMap<String, byte[]> files;
    private final Path input;
    private final boolean packed;

    private FuzzDump(Path folder, DumpForm form, Instant capturedAt, SortedMap<String, byte[]> files, Path input, boolean packed) {
        this.folder = folder;
        this.form = form;
        this.capturedAt = capturedAt;
        this.files = files;
        this.input = input;
        this.packed = packed;
    }

    /** Writes the cluster in a form; the support bundle archive is packed from the support bundle's files. */
    static FuzzDump write(Cluster cluster, DumpForm form) {
        Path folder;
        try {
            folder = Files.createTempDirectory("loader-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (form == DumpForm.SUPPORT_BUNDLE_TAR_GZ) {
            SortedMap<String, byte[]> entries = DumpForm.SUPPORT_BUNDLE.render(cluster);
            String root = entries.firstKey().substring(0, entries.firstKey().indexOf('/'));
            FuzzDump dump = new FuzzDump(folder, form, cluster.capturedAt(), entries, folder.resolve(root + ".tar.gz"), true);
            dump.pack();
            return dump;
        }
        Path input = form.write(cluster, folder);
        return new FuzzDump(folder, form, cluster.capturedAt(), form.render(cluster), input, false);
    }

    /** The whole support bundle archive as one file, to damage its bytes rather than an entry's. */
    static FuzzDump archive(Cluster cluster) {
        Path folder;
        try {
            folder = Files.createTempDirectory("loader-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path input = DumpForm.SUPPORT_BUNDLE_TAR_GZ.write(cluster, folder);
        return new FuzzDump(folder, DumpForm.SUPPORT_BUNDLE_TAR_GZ, cluster.capturedAt(),
                DumpForm.SUPPORT_BUNDLE_TAR_GZ.render(cluster), input, false);
    }

    DumpForm form() {
        return form;
    }

    Path input() {
        return input;
    }

    /** The files by path within the dump (or within the archive), in path order. */
    SortedMap<String, byte[]> files() {
        return files;
    }

    /** The files worth damaging: those holding at least one object, else all of them. */
    List<String> objectFiles() {
        List<String> withObjects = files.entrySet().stream()
                .filter(f -> new String(f.getValue(), StandardCharsets.UTF_8).contains("\"name\"")
                        || new String(f.getValue(), StandardCharsets.UTF_8).contains("name:")
                        || f.getKey().endsWith(".tar.gz"))
                .map(Map.Entry::getKey).toList();
        return withObjects.isEmpty() ? List.copyOf(files.keySet()) : withObjects;
    }

    /** How the loader names a file of the dump in sources and problems. */
    String displayPath(String file) {
        return packed ? input + "!/" + file : folder.resolve(file).toString();
    }

    /** Replaces a file's content, on disk or in the archive. */
    void replace(String file, byte[] content) {
        files.put(file, content);
        if (packed) {
            pack();
            return;
        }
        try {
            Files.write(folder.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Snapshot load() {
        return LOADER.load(input);
    }

    private void pack() {
        try {
            Files.write(input, TarGz.pack(files, capturedAt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

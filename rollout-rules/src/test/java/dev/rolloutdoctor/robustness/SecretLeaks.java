package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Loads dumps and looks for secret values in everything rollout-doctor keeps or prints, for {@link SecretLeakTest}. */
final class SecretLeaks {

    private SecretLeaks() {
    }

    /** Loads rendered dump files: a lone top-level file from memory as from stdin, folders from a temporary copy. */
    static Snapshot load(SortedMap<String, byte[]> files) {
        if (files.size() == 1 && files.firstKey().indexOf('/') < 0) {
            return SnapshotLoader.create().load(files.firstKey(), new ByteArrayInputStream(files.get(files.firstKey())));
        }
        Path directory = null;
        try {
            directory = Files.createTempDirectory("secret-leak-");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = directory.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
            String first = files.firstKey();
            return SnapshotLoader.create().load(directory.resolve(first.substring(0, first.indexOf('/'))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(directory);
        }
    }

    static Diagnosis diagnose(Snapshot snapshot) {
        return DeterminismOutputs.CLI_ENGINE.diagnose(snapshot, w -> true);
    }

    /** Asserts that no secret, nor its base64 form, is in the model's public API nor in any rendered output. */
    static void assertNoSecretIn(Snapshot snapshot, List<String> secrets) {
        List<String> forbidden = new ArrayList<>();
        for (String s : secrets) {
            forbidden.add(s);
            forbidden.add(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        }
        List<String> strings = new ArrayList<>();
        walk(snapshot.objects(), "objects", strings, new IdentityHashMap<>());
        walk(snapshot.logs(), "logs", strings, new IdentityHashMap<>());
        walk(List.of(snapshot.problems(), snapshot.gaps(), snapshot.skipped(), snapshot.referenceChecks(),
                snapshot.redactedFields(), snapshot.sources()), "snapshot", strings, new IdentityHashMap<>());
        DeterminismOutputs.of(diagnose(snapshot)).byName().forEach((name, text) -> strings.add(name + ": " + text));
        List<String> leaks = new ArrayList<>();
        for (String text : strings) {
            for (String secret : forbidden) {
                if (text.contains(secret)) {
                    leaks.add(secret + " in " + excerpt(text, secret));
                }
            }
        }
        assertThat(leaks).as("secret values kept or printed").isEmpty();
    }

    private static String excerpt(String text, String secret) {
        int at = text.indexOf(secret);
        int start = text.lastIndexOf('\n', at) + 1;
        int end = text.indexOf('\n', at);
        String line = text.substring(start, end < 0 ? text.length() : end);
        return (text.startsWith(line) ? "" : text.substring(0, Math.min(text.indexOf(' ') + 1, 40))) + line.strip();
    }

    /** Every string reachable through record components, collections, maps and optionals, with where it was found. */
    static void walk(Object value, String where, List<String> out, Map<Object, Boolean> seen) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof CharSequence s) {
            out.add(where + " = " + s);
            return;
        }
        if (seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Optional<?> o) {
            o.ifPresent(v -> walk(v, where, out, seen));
        } else if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, where + "[" + i++ + "]", out, seen);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getKey(), where + ".key", out, seen);
                walk(e.getValue(), where + "[" + e.getKey() + "]", out, seen);
            }
        } else if (value.getClass().isRecord()) {
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                walk(component(value, rc), where + "." + rc.getName(), out, seen);
            }
        } else {
            out.add(where + " = " + value);
        }
    }

    private static Object component(Object record, RecordComponent rc) {
        try {
            var accessor = rc.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError("could not read " + rc, e);
        }
    }

    /** The files packed as troubleshoot ships a bundle: a gzip-compressed tar. */
    static byte[] tarGz(SortedMap<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.rolloutdoctor.rollout;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads the research conformance files under {@code /work/shared/conformance} (override with
 * {@code -Drd.shared=<dir>}). They are not part of the project: tests that use them skip when they are absent.
 */
final class SharedConformance {

    static final Path ROOT = Path.of(System.getProperty("rd.shared", "/work/shared")).resolve("conformance");
    private static final YAMLMapper YAML = new YAMLMapper();

    private SharedConformance() {
    }

    static void assumePresent() {
        assumeTrue(Files.isDirectory(ROOT), "the shared conformance files are absent (" + ROOT + ")");
    }

    /** The {@code cases} list of a conformance file, each case as a map. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String file) {
        try {
            Map<String, Object> root = YAML.readValue(ROOT.resolve(file).toFile(), Map.class);
            return (List<Map<String, Object>>) root.get("cases");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a partial object of a case through the real loader, adding apiVersion and kind when it lacks them. */
    @SuppressWarnings("unchecked")
    static KubeObject object(String kind, Object partial) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", "apps/v1");
        object.put("kind", kind);
        object.putAll((Map<String, Object>) partial);
        try {
            return onlyWorkload(load(YAML.writeValueAsString(object)), kind);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads one of the data files beside a conformance file. */
    static Snapshot loadFile(String file) {
        return SnapshotLoader.create().load(ROOT.resolve(file));
    }

    static Snapshot load(String yaml) {
        return InlineYaml.load(yaml);
    }

    static KubeObject onlyWorkload(Snapshot snapshot, String kind) {
        List<KubeObject> found = snapshot.objectsOfKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " but the loader found " + found.size()
                    + "; problems: " + snapshot.problems());
        }
        return found.get(0);
    }
}

package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Loads small inline YAML documents through the real loader. */
final class InlineYaml {

    private InlineYaml() {
    }

    static Snapshot load(String yaml) {
        return SnapshotLoader.create().load("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}

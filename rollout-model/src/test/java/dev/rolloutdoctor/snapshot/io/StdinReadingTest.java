package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class StdinReadingTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
            spec:
              replicas: 3
            """;

    @Test
    void readsPlainYamlOnStdinAsOneEntryNamedDash() {
        Recorder read = Recorder.read(LoadLimits.DEFAULTS, "-", TestArchives.utf8(DEPLOYMENT));

        assertThat(read.problems).isEmpty();
        assertThat(read.entries).singleElement().satisfies(entry -> {
            assertThat(entry.displayPath()).isEqualTo("-");
            assertThat(entry.path()).isEqualTo("-");
        });
        assertThat(read.texts()).containsEntry("-", DEPLOYMENT);
    }

    @Test
    void readsATarGzOnStdinAsAnArchive() {
        byte[] bundle = TestArchives.tar()
                .file("support-bundle/cluster-resources/deployments/shop.json", "{\"items\":[]}")
                .symlink("support-bundle/link.json", "cluster-resources/deployments/shop.json")
                .gzipped();

        Recorder read = Recorder.read(LoadLimits.DEFAULTS, "-", bundle);

        assertThat(read.problems).isEmpty();
        assertThat(read.displayPaths()).containsExactly("-!/support-bundle/cluster-resources/deployments/shop.json");
        assertThat(read.paths()).containsExactly("support-bundle/cluster-resources/deployments/shop.json");
        assertThat(read.links).containsExactly(new InputLink("-!/support-bundle/link.json", "support-bundle/link.json",
                "support-bundle/cluster-resources/deployments/shop.json", true));
    }

    @Test
    void readsGzippedYamlOnStdinAsOneEntry() {
        Recorder read = Recorder.read(LoadLimits.DEFAULTS, "-", TestArchives.gzip(TestArchives.utf8(DEPLOYMENT)));

        assertThat(read.problems).isEmpty();
        assertThat(read.texts()).containsEntry("-", DEPLOYMENT);
    }

    @Test
    void readsEmptyStdinAsOneEmptyEntry() {
        Recorder read = Recorder.read(LoadLimits.DEFAULTS, "-", new byte[0]);

        assertThat(read.problems).isEmpty();
        assertThat(read.entries).singleElement().satisfies(entry -> assertThat(entry.content()).isEmpty());
    }

    @Test
    void leavesStdinOpen() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream stdin = new ByteArrayInputStream(TestArchives.utf8(DEPLOYMENT)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        new InputReader(LoadLimits.DEFAULTS).read("-", stdin, new Recorder());

        assertThat(closed).isFalse();
    }
}

package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.VolumeSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pods captured from real clusters decode cleanly (the corpus is only present on the team's machines). */
class RealWorldPodsTest {

    private static final Path VELERO = Path.of(
            "/work/shared/realworld/replicatedhq__sbctl/tests/support-bundle/cluster-resources/pods/velero.json");

    private static List<PodDecoding> veleroPods() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(VELERO), "the real-world corpus is absent: " + VELERO);
        MapNode list = PodDecoding.json(Files.readString(VELERO));
        List<PodDecoding> pods = new ArrayList<>();
        for (Node item : ((SeqNode) list.get("items")).items()) {
            pods.add(PodDecoding.decode((MapNode) item));
        }
        return pods;
    }

    @Test
    void everyPodOfATroubleshootBundleDecodesWithoutProblems() throws IOException {
        List<PodDecoding> pods = veleroPods();
        assertThat(pods).hasSize(5);
        assertThat(pods).allSatisfy(d -> {
            assertThat(d.problems).isEmpty();
            assertThat(d.pod.kind()).isEqualTo("Pod");
            assertThat(d.pod.metadata().namespace()).isEqualTo("velero");
            assertThat(d.pod.spec().containers()).isNotEmpty();
        });
    }

    @Test
    void theBundlesRedactedAddressesAreEmptyAndRecorded() throws IOException {
        PodDecoding restic = veleroPods().get(0);
        assertThat(restic.pod.status().podIP()).isEmpty();
        assertThat(restic.pod.status().hostIP()).isEmpty();
        assertThat(restic.redactedPaths).contains("status.podIP", "status.hostIP");
    }

    @Test
    void credentialFilePathsAreKeptButNoSecretIsRead() throws IOException {
        Pod restic = veleroPods().get(0).pod;
        assertThat(restic.metadata().name()).isEqualTo("restic-5dkdh");
        List<EnvVar> env = restic.spec().containers().get(0).env();
        assertThat(env).contains(EnvVar.literal("AWS_SHARED_CREDENTIALS_FILE", "/credentials/cloud"),
                EnvVar.literal("GOOGLE_APPLICATION_CREDENTIALS", "/credentials/cloud"));
        assertThat(restic.spec().volume("cloud-credentials").orElseThrow().source())
                .isEqualTo(new VolumeSource.SecretSource("cloud-credentials", false, List.of()));
        assertThat(restic.isReady()).isTrue();
        assertThat(restic.spec().tolerations()).hasSize(6);
    }
}

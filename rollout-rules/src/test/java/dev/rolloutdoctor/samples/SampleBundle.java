package dev.rolloutdoctor.samples;

import dev.rolloutdoctor.fixtures.dump.Cluster;
import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.dump.Kube;
import dev.rolloutdoctor.fixtures.dump.PodState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sample support bundle shipped in {@code src/test/resources/samples/}: a realistic stuck rollout (a new image tag
 * that the registry does not have, past its progress deadline) among healthy workloads. {@link SampleBundleTest} checks
 * that the shipped file is exactly what this class writes; run {@link #main} to write it again after a change.
 */
public final class SampleBundle {

    /** Where the sample lives, relative to the rollout-rules module. */
    public static final Path PATH = Path.of("src/test/resources/samples/support-bundle-2024-05-02T10_30_00.tar.gz");

    private SampleBundle() {
    }

    public static Cluster cluster() {
        return Cluster.builder()
                .add(Kube.namespace("shop"), Kube.namespace("payments"))
                .add(Kube.node("worker-1"), Kube.node("worker-2"), Kube.node("worker-3"))
                .add(Kube.rollout("shop", "web")
                        .replicas(3)
                        .oldImage("ghcr.io/acme/web:1.4.2")
                        .newImage("ghcr.io/acme/web:1.5.0")
                        .newPodState(PodState.imagePullBackOff())
                        .deadlineExceeded())
                .add(Kube.rollout("shop", "cart")
                        .replicas(2)
                        .oldImage("ghcr.io/acme/cart:2.0.1")
                        .newImage("ghcr.io/acme/cart:2.1.0")
                        .complete())
                .add(Kube.rollout("payments", "api")
                        .replicas(2)
                        .oldImage("ghcr.io/acme/payments-api:3.2.0")
                        .newImage("ghcr.io/acme/payments-api:3.3.0")
                        .complete())
                .build();
    }

    /** Writes the sample bundle; the first argument is the directory (default: the resources folder). */
    public static void main(String[] args) throws IOException {
        Path target = args.length > 0 ? Path.of(args[0]) : PATH.getParent();
        Files.createDirectories(target);
        Path written = DumpForm.SUPPORT_BUNDLE_TAR_GZ.write(cluster(), target);
        System.out.println("wrote " + written);
    }
}

package dev.rolloutdoctor.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a container's image reference says, and the pull policy Kubernetes gives it. */
class ContainerTest {

    @Test
    void theTagIsReadPastARegistryPort() {
        assertThat(Container.of("app", "registry.example.com:5000/shop/app:2.4.1").imageTag()).contains("2.4.1");
        assertThat(Container.of("app", "registry.example.com:5000/shop/app").imageTag()).isEmpty();
        assertThat(Container.of("app", "nginx").imageTag()).isEmpty();
    }

    @Test
    void theDigestIsReadAfterTheAtSign() {
        Container pinned = Container.of("app", "nginx:1.25@sha256:0011223344556677889900aabbccddeeff00112233445566778899aabbccddee");
        assertThat(pinned.imageTag()).contains("1.25");
        assertThat(pinned.imageDigest()).hasValueSatisfying(d -> assertThat(d).startsWith("sha256:0011"));
    }

    @Test
    void anAbsentPullPolicyIsAlwaysForLatestOrUntaggedImages() {
        assertThat(Container.of("app", "nginx:latest").effectiveImagePullPolicy()).isEqualTo("Always");
        assertThat(Container.of("app", "nginx").effectiveImagePullPolicy()).isEqualTo("Always");
        assertThat(Container.of("app", "nginx:1.25").effectiveImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(Container.of("app", "nginx@sha256:0011223344556677889900aabbccddeeff00112233445566778899aabbccddee")
                .effectiveImagePullPolicy()).isEqualTo("IfNotPresent");
    }

    @Test
    void aWrittenPullPolicyWins() {
        Container c = new Container("app", "nginx:latest", "Never", java.util.List.of(), java.util.List.of(),
                java.util.List.of(), ResourceRequirements.EMPTY, java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), "");
        assertThat(c.effectiveImagePullPolicy()).isEqualTo("Never");
    }
}

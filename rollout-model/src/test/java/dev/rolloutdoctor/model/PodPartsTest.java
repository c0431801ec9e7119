package dev.rolloutdoctor.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small behaviours of the records that make up a Pod. */
class PodPartsTest {

    @Test
    void limitsWithoutRequestsCountAsRequests() {
        ResourceRequirements r = new ResourceRequirements(new TreeMap<>(Map.of("cpu", Quantity.parse("100m"))),
                new TreeMap<>(Map.of("cpu", Quantity.parse("1"), "memory", Quantity.parse("1Gi"))));
        assertThat(r.effectiveRequests()).containsExactly(
                Map.entry("cpu", Quantity.parse("100m")), Map.entry("memory", Quantity.parse("1Gi")));
        assertThat(ResourceRequirements.EMPTY.effectiveRequests()).isEmpty();
    }

    @Test
    void aContainerSecurityContextOverridesThePodsFieldByField() {
        SecurityContext pod = new SecurityContext(Optional.of(true), OptionalLong.of(1000), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), "RuntimeDefault", "", "", Optional.empty(), "",
                List.of("net.ipv4.ip_unprivileged_port_start"), Optional.empty());
        SecurityContext container = new SecurityContext(Optional.empty(), OptionalLong.of(0), OptionalLong.empty(),
                Optional.of(false), Optional.of(false), List.of(), List.of("ALL"), "", "", "", Optional.of(true), "",
                List.of(), Optional.empty());
        SecurityContext effective = container.overriding(pod);
        assertThat(effective.runAsNonRoot()).contains(true);
        assertThat(effective.runAsUser()).isEqualTo(OptionalLong.of(0));
        assertThat(effective.seccompProfileType()).isEqualTo("RuntimeDefault");
        assertThat(effective.capabilitiesDrop()).containsExactly("ALL");
        assertThat(effective.sysctls()).containsExactly("net.ipv4.ip_unprivileged_port_start");
    }

    @Test
    void anEnvVarKeepsAValueOnlyWhenItIsLiteral() {
        assertThatThrownBy(() -> new EnvVar("DB_PASSWORD", Optional.of("x"), EnvVar.ValueState.WITHHELD, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnvVar("LOG_LEVEL", Optional.empty(), EnvVar.ValueState.LITERAL, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withHostNetworkTheHostPortDefaultsToTheContainerPort() {
        ContainerPort p = new ContainerPort("http", 8080, 0, "TCP", "");
        assertThat(p.effectiveHostPort(true)).isEqualTo(8080);
        assertThat(p.effectiveHostPort(false)).isZero();
        assertThat(new ContainerPort("http", 8080, 18080, "TCP", "").effectiveHostPort(true)).isEqualTo(18080);
    }

    @Test
    void aGenericEphemeralVolumesClaimIsNamedAfterPodAndVolume() {
        assertThat(VolumeSource.EphemeralSource.claimName("web-0", "scratch")).isEqualTo("web-0-scratch");
    }
}

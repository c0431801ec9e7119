package dev.rolloutdoctor.rules.messages;

import dev.rolloutdoctor.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaMessageTest {

    @Test
    void anExceededQuotaInAReplicaSetEventIsReadWithItsNumbers() {
        var m = QuotaMessage.parse("(combined from similar events): Error creating: pods \"web-5d8f7c9b6-\" is forbidden: "
                + "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=3800m, limited: requests.cpu=4")
                .orElseThrow();

        assertThat(m.kind()).isEqualTo(QuotaMessage.Kind.EXCEEDED);
        assertThat(m.quota()).isEqualTo("compute");
        assertThat(m.object()).isEqualTo("web-5d8f7c9b6-");
        assertThat(m.reason()).startsWith("exceeded quota: compute,");
        assertThat(m.exceeded()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("requests.cpu");
            assertThat(r.requested()).isEqualTo(Quantity.parse("500m"));
            assertThat(r.used()).isEqualTo(Quantity.parse("3800m"));
            assertThat(r.limited()).isEqualTo(Quantity.parse("4"));
            assertThat(r.headroom().canonical()).isEqualTo("200m");
            assertThat(r.fits(r.headroom())).isZero();
        });
    }

    @Test
    void severalExceededResourcesAreReadInTheOrderWritten() {
        var m = QuotaMessage.parse("pods \"test-scheduling-576cf8485f-5nm29\" is forbidden: exceeded quota: cpu-quota-example, "
                + "requested: limits.cpu=999,requests.cpu=999, used: limits.cpu=0,requests.cpu=0, limited: limits.cpu=2,requests.cpu=1")
                .orElseThrow();

        assertThat(m.exceeded()).extracting(QuotaMessage.Resource::toString)
                .containsExactly("limits.cpu=999", "requests.cpu=999");
        assertThat(m.resource("requests.cpu").orElseThrow().limited()).isEqualTo(Quantity.parse("1"));
    }

    @Test
    void anObjectCountQuotaInAnApiStatusIsRead() {
        var m = QuotaMessage.parse("jobs.batch \"blah\" is forbidden: exceeded quota: tool-blah, requested: count/jobs.batch=1, "
                + "used: count/jobs.batch=15, limited: count/jobs.batch=15").orElseThrow();

        assertThat(m.object()).isEqualTo("blah");
        assertThat(m.exceeded()).singleElement().satisfies(r -> assertThat(r.headroom().isZero()).isTrue());
    }

    @Test
    void aStatefulSetEventWordingIsReadToo() {
        var m = QuotaMessage.parse("create Pod db-2 in StatefulSet db failed error: pods \"db-2\" is forbidden: exceeded quota: "
                + "pods, requested: pods=1, used: pods=10, limited: pods=10").orElseThrow();

        assertThat(m.quota()).isEqualTo("pods");
        assertThat(m.object()).isEqualTo("db-2");
    }

    @Test
    void mustSpecifyNamesTheContainersInTheCurrentWording() {
        var m = QuotaMessage.parse("Error creating: pods \"web-5d8f7c9b6-\" is forbidden: failed quota: compute: must specify "
                + "limits.cpu for: app,sidecar; requests.cpu for: app").orElseThrow();

        assertThat(m.kind()).isEqualTo(QuotaMessage.Kind.MUST_SPECIFY);
        assertThat(m.quota()).isEqualTo("compute");
        assertThat(m.unspecified()).containsOnlyKeys("limits.cpu", "requests.cpu");
        assertThat(m.unspecified().get("limits.cpu")).containsExactly("app", "sidecar");
        assertThat(m.unspecified().get("requests.cpu")).containsExactly("app");
    }

    @Test
    void mustSpecifyInTheOlderWordingNamesOnlyTheResources() {
        var m = QuotaMessage.parse("pods \"web-5d8f7c9b6-\" is forbidden: failed quota: compute: must specify limits.cpu,requests.cpu")
                .orElseThrow();

        assertThat(m.unspecified()).containsOnlyKeys("limits.cpu", "requests.cpu");
        assertThat(m.unspecified().get("limits.cpu")).isEmpty();
    }

    @Test
    void statusUnknownAndUncoveredResourcesAreRead() {
        var unknown = QuotaMessage.parse("pods \"web-1-\" is forbidden: status unknown for quota: compute, resources: "
                + "limits.cpu,requests.cpu").orElseThrow();
        var uncovered = QuotaMessage.parse("pods \"web-1-\" is forbidden: insufficient quota to consume: requests.nvidia.com/gpu")
                .orElseThrow();

        assertThat(unknown.kind()).isEqualTo(QuotaMessage.Kind.STATUS_UNKNOWN);
        assertThat(unknown.resources()).containsExactly("limits.cpu", "requests.cpu");
        assertThat(uncovered.kind()).isEqualTo(QuotaMessage.Kind.NO_COVERING_QUOTA);
        assertThat(uncovered.quota()).isEmpty();
        assertThat(uncovered.resources()).containsExactly("requests.nvidia.com/gpu");
    }

    @Test
    void otherRefusalsAreNotQuotaMessages() {
        for (String text : List.of(
                "Error creating: pods \"web-1-\" is forbidden: violates PodSecurity \"restricted:latest\": privileged",
                "Error creating: pods \"web-1-\" is forbidden: maximum cpu usage per Container is 1, but limit is 2",
                "0/3 nodes are available: 3 Insufficient cpu.",
                "")) {
            assertThat(QuotaMessage.parse(text)).as(text).isEmpty();
        }
    }

    @Test
    void podsThatFitAreTheWholeNumberOfRequestsInTheHeadroom() {
        var r = new QuotaMessage.Resource("requests.memory", Quantity.parse("512Mi"), Quantity.parse("6Gi"), Quantity.parse("8Gi"));

        assertThat(r.headroom().canonical()).isEqualTo("2Gi");
        assertThat(r.fits(r.headroom())).isEqualTo(4);
        assertThat(r.fits(Quantity.parse("-1Gi"))).isZero();
    }
}

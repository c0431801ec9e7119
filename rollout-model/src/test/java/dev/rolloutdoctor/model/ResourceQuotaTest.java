package dev.rolloutdoctor.model;

import dev.rolloutdoctor.snapshot.decode.PolicyDecoders;
import org.junit.jupiter.api.Test;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class ResourceQuotaTest {

    private static ResourceQuota quota(String specAndStatus) {
        return decodeClean("""
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: compute, namespace: shop}
                """ + specAndStatus, PolicyDecoders::resourceQuota);
    }

    @Test
    void headroomIsHardMinusUsed() {
        ResourceQuota q = quota("""
                spec:
                  hard: {requests.cpu: "4", requests.memory: 8Gi}
                status:
                  hard: {requests.cpu: "4", requests.memory: 8Gi}
                  used: {requests.cpu: 3750m, requests.memory: 6Gi}
                """);

        assertThat(q.headroom("requests.cpu")).contains(Quantity.parse("250m"));
        assertThat(q.headroom("requests.memory").map(Quantity::value))
                .contains(Quantity.parse("2Gi").value());
    }

    @Test
    void headroomIsNegativeWhenUsageIsOverTheLimit() {
        ResourceQuota q = quota("""
                status:
                  hard: {pods: "10"}
                  used: {pods: "12"}
                """);

        assertThat(q.headroom("pods").map(Quantity::signum)).contains(-1);
    }

    @Test
    void hardFallsBackToSpecBeforeTheControllerHasSynced() {
        ResourceQuota q = quota("""
                spec:
                  hard: {pods: "10"}
                """);

        assertThat(q.hard("pods")).contains(Quantity.parse("10"));
        assertThat(q.used("pods")).isEmpty();
        assertThat(q.headroom("pods")).isEmpty();
    }

    @Test
    void statusHardWinsOverSpecHard() {
        ResourceQuota q = quota("""
                spec:
                  hard: {pods: "20"}
                status:
                  hard: {pods: "10"}
                  used: {pods: "4"}
                """);

        assertThat(q.hard("pods")).contains(Quantity.parse("10"));
        assertThat(q.headroom("pods")).contains(Quantity.parse("6"));
    }

    @Test
    void aResourceTheQuotaDoesNotLimitHasNoHeadroom() {
        ResourceQuota q = quota("""
                status:
                  hard: {pods: "10"}
                  used: {pods: "4"}
                """);

        assertThat(q.hard("requests.cpu")).isEmpty();
        assertThat(q.headroom("requests.cpu")).isEmpty();
    }
}

package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.EventSeries;
import dev.rolloutdoctor.model.InvolvedObject;
import dev.rolloutdoctor.model.ObjectRef;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decode;
import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class EventDecoderTest {

    private static final Path REAL_WORLD = Path.of("/work/shared/realworld/kubernetes__api/testdata/HEAD");

    /** A kubelet event as {@code kubectl get events -o yaml} shows it: core/v1, count and first/last timestamps. */
    private static final String KUBELET_BACKOFF = """
            apiVersion: v1
            count: 14
            eventTime: null
            firstTimestamp: "2024-05-02T10:01:05Z"
            involvedObject:
              apiVersion: v1
              fieldPath: spec.containers{web}
              kind: Pod
              name: web-7d9f8b6c5d-x2x4q
              namespace: shop
              resourceVersion: "918001"
              uid: 3f0b8a52-2d7e-4c1b-9a3f-5b6c7d8e9f01
            kind: Event
            lastTimestamp: "2024-05-02T10:14:40Z"
            message: Back-off pulling image "registry.example.com/shop/web:1.4.2"
            metadata:
              creationTimestamp: "2024-05-02T10:01:05Z"
              name: web-7d9f8b6c5d-x2x4q.17cb2f9a1c3e5d70
              namespace: shop
              resourceVersion: "918455"
              uid: 9c8b7a6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d
            reason: BackOff
            reportingComponent: kubelet
            reportingInstance: worker-2
            source:
              component: kubelet
              host: worker-2
            type: Normal
            """;

    /**
     * A scheduler event (written through events.k8s.io) as core/v1 shows it: eventTime and series, first/last
     * timestamps null, no count, empty source.
     */
    private static final String SCHEDULER_FAILED_SCHEDULING = """
            action: Scheduling
            apiVersion: v1
            eventTime: "2024-05-02T10:00:12.482913Z"
            firstTimestamp: null
            involvedObject:
              apiVersion: v1
              kind: Pod
              name: web-7d9f8b6c5d-x2x4q
              namespace: shop
              resourceVersion: "917990"
              uid: 3f0b8a52-2d7e-4c1b-9a3f-5b6c7d8e9f01
            kind: Event
            lastTimestamp: null
            message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.'
            metadata:
              creationTimestamp: "2024-05-02T10:00:12Z"
              name: web-7d9f8b6c5d-x2x4q.17cb2f8e0a1b2c3d
              namespace: shop
              resourceVersion: "918460"
              uid: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
            reason: FailedScheduling
            reportingComponent: default-scheduler
            reportingInstance: default-scheduler-control-plane
            series:
              count: 5
              lastObservedTime: "2024-05-02T10:12:30.104512Z"
            source: {}
            type: Warning
            """;

    /** The same kind of scheduler event read through the events.k8s.io/v1 API. */
    private static final String EVENTS_API_FAILED_SCHEDULING = """
            action: Scheduling
            apiVersion: events.k8s.io/v1
            deprecatedCount: 0
            deprecatedFirstTimestamp: null
            deprecatedLastTimestamp: null
            deprecatedSource: {}
            eventTime: "2024-05-02T10:00:12.482913Z"
            kind: Event
            metadata:
              creationTimestamp: "2024-05-02T10:00:12Z"
              name: web-7d9f8b6c5d-x2x4q.17cb2f8e0a1b2c3d
              namespace: shop
              uid: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
            note: '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'
            reason: FailedScheduling
            regarding:
              apiVersion: v1
              kind: Pod
              name: web-7d9f8b6c5d-x2x4q
              namespace: shop
              uid: 3f0b8a52-2d7e-4c1b-9a3f-5b6c7d8e9f01
            reportingController: default-scheduler
            reportingInstance: default-scheduler-control-plane
            series:
              count: 3
              lastObservedTime: "2024-05-02T10:05:00.000001Z"
            type: Warning
            """;

    @Test
    void decodesAKubeletEventOfTheCoreApi() {
        Event event = decodeClean(KUBELET_BACKOFF, EventDecoder::decode);

        assertThat(event.api()).isEqualTo(Event.Api.CORE_V1);
        assertThat(event.kind()).isEqualTo("Event");
        assertThat(event.reason()).isEqualTo("BackOff");
        assertThat(event.message()).isEqualTo("Back-off pulling image \"registry.example.com/shop/web:1.4.2\"");
        assertThat(event.type()).isEqualTo("Normal");
        assertThat(event.isWarning()).isFalse();
        assertThat(event.count()).isEqualTo(14);
        assertThat(event.series()).isEmpty();
        assertThat(event.eventTime()).isEmpty();
        assertThat(event.sourceComponent()).isEqualTo("kubelet");
        assertThat(event.sourceHost()).isEqualTo("worker-2");
        assertThat(event.reportingComponent()).isEqualTo("kubelet");
        assertThat(event.reportingInstance()).isEqualTo("worker-2");
        assertThat(event.regarding()).isEqualTo(new InvolvedObject("v1", "Pod", "shop", "web-7d9f8b6c5d-x2x4q",
                "3f0b8a52-2d7e-4c1b-9a3f-5b6c7d8e9f01", "spec.containers{web}"));
        assertThat(event.regarding().containerName()).isEqualTo("web");
        assertThat(event.regarding().ref()).isEqualTo(ObjectRef.of("Pod", "shop", "web-7d9f8b6c5d-x2x4q"));
    }

    @Test
    void aKubeletEventIsSeenFromFirstToLastTimestampCountTimes() {
        Event event = decodeClean(KUBELET_BACKOFF, EventDecoder::decode);

        assertThat(event.firstSeen()).contains(Instant.parse("2024-05-02T10:01:05Z"));
        assertThat(event.lastSeen()).contains(Instant.parse("2024-05-02T10:14:40Z"));
        assertThat(event.occurrences()).isEqualTo(14);
    }

    @Test
    void aSchedulerEventIsSeenFromEventTimeToTheSeriesLastObservedTime() {
        Event event = decodeClean(SCHEDULER_FAILED_SCHEDULING, EventDecoder::decode);

        assertThat(event.api()).isEqualTo(Event.Api.CORE_V1);
        assertThat(event.firstTimestamp()).isEmpty();
        assertThat(event.lastTimestamp()).isEmpty();
        assertThat(event.count()).isZero();
        assertThat(event.series()).contains(new EventSeries(5, Optional.of(Instant.parse("2024-05-02T10:12:30.104512Z"))));
        assertThat(event.firstSeen()).contains(Instant.parse("2024-05-02T10:00:12.482913Z"));
        assertThat(event.lastSeen()).contains(Instant.parse("2024-05-02T10:12:30.104512Z"));
        assertThat(event.occurrences()).isEqualTo(5);
        assertThat(event.isWarning()).isTrue();
        assertThat(event.action()).isEqualTo("Scheduling");
        assertThat(event.reporter()).isEqualTo("default-scheduler");
        assertThat(event.sourceComponent()).isEmpty();
    }

    @Test
    void aSchedulerEventWithoutSeriesHappenedOnceAtItsEventTime() {
        Event event = decodeClean(SCHEDULER_FAILED_SCHEDULING.replaceAll("(?s)series:\n.*?Z\"\n", ""), EventDecoder::decode);

        assertThat(event.series()).isEmpty();
        assertThat(event.lastSeen()).contains(Instant.parse("2024-05-02T10:00:12.482913Z"));
        assertThat(event.occurrences()).isEqualTo(1);
    }

    @Test
    void decodesAnEventOfTheEventsApiIntoTheSameShape() {
        Event event = decodeClean(EVENTS_API_FAILED_SCHEDULING, EventDecoder::decode);

        assertThat(event.api()).isEqualTo(Event.Api.EVENTS_V1);
        assertThat(event.apiVersion()).isEqualTo("events.k8s.io/v1");
        assertThat(event.message()).startsWith("0/3 nodes are available: 3 Insufficient memory.");
        assertThat(event.reportingComponent()).isEqualTo("default-scheduler");
        assertThat(event.regarding().ref()).isEqualTo(ObjectRef.of("Pod", "shop", "web-7d9f8b6c5d-x2x4q"));
        assertThat(event.count()).isZero();
        assertThat(event.firstTimestamp()).isEmpty();
        assertThat(event.lastSeen()).contains(Instant.parse("2024-05-02T10:05:00.000001Z"));
        assertThat(event.occurrences()).isEqualTo(3);
    }

    @Test
    void theEventsApiIsRecognisedByRegardingWhenApiVersionIsMissing() {
        Event event = decodeClean(EVENTS_API_FAILED_SCHEDULING.replace("apiVersion: events.k8s.io/v1\n", ""),
                EventDecoder::decode);

        assertThat(event.api()).isEqualTo(Event.Api.EVENTS_V1);
        assertThat(event.apiVersion()).isEmpty();
        assertThat(event.regarding().name()).isEqualTo("web-7d9f8b6c5d-x2x4q");
    }

    @Test
    void deprecatedFieldsOfTheEventsApiFillCountTimestampsAndSource() {
        Event event = decodeClean("""
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: web.1, namespace: shop}
                regarding: {kind: Pod, name: web, namespace: shop}
                reason: Unhealthy
                note: 'Readiness probe failed: HTTP probe failed with statuscode: 503'
                type: Warning
                deprecatedCount: 7
                deprecatedFirstTimestamp: "2024-05-02T10:00:00Z"
                deprecatedLastTimestamp: "2024-05-02T10:03:00Z"
                deprecatedSource: {component: kubelet, host: worker-1}
                eventTime: null
                reportingController: ""
                reportingInstance: ""
                """, EventDecoder::decode);

        assertThat(event.count()).isEqualTo(7);
        assertThat(event.occurrences()).isEqualTo(7);
        assertThat(event.firstSeen()).contains(Instant.parse("2024-05-02T10:00:00Z"));
        assertThat(event.lastSeen()).contains(Instant.parse("2024-05-02T10:03:00Z"));
        assertThat(event.sourceComponent()).isEqualTo("kubelet");
        assertThat(event.sourceHost()).isEqualTo("worker-1");
        assertThat(event.reporter()).isEqualTo("kubelet");
    }

    @Test
    void explicitNullCountAndTimestampsReadAsAbsent() {
        var decoded = decode("""
                apiVersion: v1
                kind: Event
                metadata: {name: x.1, namespace: shop}
                involvedObject: {kind: Pod, name: x, namespace: shop}
                reason: Scheduled
                count: null
                firstTimestamp: null
                lastTimestamp: null
                eventTime: null
                series: null
                """, EventDecoder::decode);

        assertThat(decoded.problems()).isEmpty();
        Event event = decoded.value();
        assertThat(event.count()).isZero();
        assertThat(event.occurrences()).isEqualTo(1);
        assertThat(event.series()).isEmpty();
        assertThat(event.firstSeen()).isEmpty();
        assertThat(event.lastSeen()).isEmpty();
    }

    @Test
    void goZeroTimeReadsAsAbsentSoLastSeenFallsBackToEventTime() {
        Event event = decodeClean("""
                apiVersion: v1
                kind: Event
                metadata: {name: x.1, namespace: shop}
                involvedObject: {kind: Pod, name: x, namespace: shop}
                firstTimestamp: "0001-01-01T00:00:00Z"
                lastTimestamp: "0001-01-01T00:00:00Z"
                eventTime: "2024-05-02T10:00:00.5Z"
                """, EventDecoder::decode);

        assertThat(event.lastTimestamp()).isEmpty();
        assertThat(event.lastSeen()).contains(Instant.parse("2024-05-02T10:00:00.5Z"));
        assertThat(event.firstSeen()).contains(Instant.parse("2024-05-02T10:00:00.5Z"));
    }

    @Test
    void aSeriesWithoutLastObservedTimeHidesLastTimestampAsKubectlDoes() {
        Event event = decodeClean("""
                apiVersion: v1
                kind: Event
                metadata: {name: x.1, namespace: shop}
                involvedObject: {kind: Pod, name: x, namespace: shop}
                lastTimestamp: "2024-05-02T10:03:00Z"
                series: {count: 2}
                """, EventDecoder::decode);

        assertThat(event.lastSeen()).isEmpty();
        assertThat(event.occurrences()).isEqualTo(2);
    }

    @Test
    void aCountOfOneOrLessIsOneOccurrence() {
        Event one = decodeClean(KUBELET_BACKOFF.replace("count: 14", "count: 1"), EventDecoder::decode);
        Event zero = decodeClean(KUBELET_BACKOFF.replace("count: 14", "count: 0"), EventDecoder::decode);

        assertThat(one.occurrences()).isEqualTo(1);
        assertThat(zero.count()).isZero();
        assertThat(zero.occurrences()).isEqualTo(1);
    }

    @Test
    void mustGatherBootstrapEventsWithoutTypeReasonOrKindDecodeCleanly() {
        Event event = decodeClean("""
                apiVersion: v1
                count: 1
                eventTime: null
                firstTimestamp: "2021-08-03T09:22:38Z"
                involvedObject:
                  namespace: kube-system
                kind: Event
                lastTimestamp: "2021-08-03T09:22:38Z"
                message: Required control plane pods have been created
                metadata:
                  creationTimestamp: "2021-08-03T09:22:38Z"
                  name: bootstrap-finished
                  namespace: kube-system
                  resourceVersion: "14216"
                  uid: fdbbbf15-5ec4-4bf1-a613-12d286717e7d
                reportingComponent: ""
                reportingInstance: ""
                source: {}
                """, EventDecoder::decode);

        assertThat(event.type()).isEmpty();
        assertThat(event.reason()).isEmpty();
        assertThat(event.isWarning()).isFalse();
        assertThat(event.regarding().kind()).isEmpty();
        assertThat(event.regarding().name()).isEmpty();
        assertThat(event.regarding().namespace()).isEqualTo("kube-system");
        assertThat(event.reporter()).isEmpty();
        assertThat(event.lastSeen()).contains(Instant.parse("2021-08-03T09:22:38Z"));
    }

    @Test
    void anInvolvedObjectOfANamespacedKindWithoutNamespaceIsInTheEventsNamespace() {
        Event event = decodeClean("""
                apiVersion: v1
                kind: Event
                metadata: {name: web.1, namespace: shop}
                involvedObject: {kind: Deployment, name: web}
                reason: ScalingReplicaSet
                """, EventDecoder::decode);

        assertThat(event.regarding().namespace()).isEqualTo("shop");
        assertThat(event.regarding().ref()).isEqualTo(ObjectRef.of("Deployment", "shop", "web"));
    }

    @Test
    void anInvolvedNodeStaysClusterScoped() {
        Event event = decodeClean("""
                apiVersion: v1
                kind: Event
                metadata: {name: worker-2.17cb, namespace: default}
                involvedObject: {kind: Node, name: worker-2, uid: worker-2}
                reason: NodeNotReady
                message: 'Node worker-2 status is now: NodeNotReady'
                source: {component: node-controller}
                type: Normal
                """, EventDecoder::decode);

        assertThat(event.regarding().namespace()).isEmpty();
        assertThat(event.regarding().ref()).isEqualTo(ObjectRef.cluster("Node", "worker-2"));
    }

    @Test
    void wrongTypesAreProblemsWithFieldPathAndLineAndTheRestStillDecodes() {
        var decoded = decode("""
                apiVersion: v1
                kind: Event
                metadata: {name: web.1, namespace: shop}
                involvedObject: {kind: Pod, name: web, namespace: shop}
                reason: BackOff
                count: many
                lastTimestamp: yesterday
                series: [1, 2]
                type: Warning
                """, EventDecoder::decode);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line())
                .containsExactlyInAnyOrder("count@6", "lastTimestamp@7", "series@8");
        Event event = decoded.value();
        assertThat(event.count()).isZero();
        assertThat(event.series()).isEmpty();
        assertThat(event.reason()).isEqualTo("BackOff");
        assertThat(event.isWarning()).isTrue();
    }

    @Test
    void decodesTheCoreEventFixtureOfKubernetesApi() throws IOException {
        Event event = decodeClean(realWorld("core.v1.Event.yaml"), EventDecoder::decode);

        assertThat(event.api()).isEqualTo(Event.Api.CORE_V1);
        assertThat(event.regarding()).isEqualTo(new InvolvedObject("apiVersionValue", "kindValue", "namespaceValue",
                "nameValue", "uidValue", "fieldPathValue"));
        assertThat(event.message()).isEqualTo("messageValue");
        assertThat(event.count()).isEqualTo(8);
        assertThat(event.sourceComponent()).isEqualTo("componentValue");
        assertThat(event.sourceHost()).isEqualTo("hostValue");
        assertThat(event.reportingComponent()).isEqualTo("reportingComponentValue");
        assertThat(event.action()).isEqualTo("actionValue");
        assertThat(event.series()).contains(new EventSeries(1, Optional.of(Instant.parse("2002-01-01T01:01:01.000002Z"))));
        assertThat(event.firstSeen()).contains(Instant.parse("2010-01-01T01:01:01.000010Z"));
        assertThat(event.lastSeen()).contains(Instant.parse("2002-01-01T01:01:01.000002Z"));
        assertThat(event.occurrences()).isEqualTo(1);
        assertThat(event.metadata().name()).isEqualTo("nameValue");
    }

    @Test
    void decodesTheEventsApiFixtureOfKubernetesApi() throws IOException {
        Event event = decodeClean(realWorld("events.k8s.io.v1.Event.yaml"), EventDecoder::decode);

        assertThat(event.api()).isEqualTo(Event.Api.EVENTS_V1);
        assertThat(event.regarding().kind()).isEqualTo("kindValue");
        assertThat(event.message()).isEqualTo("noteValue");
        assertThat(event.count()).isEqualTo(15);
        assertThat(event.firstTimestamp()).contains(Instant.parse("2013-01-01T01:01:01Z"));
        assertThat(event.lastTimestamp()).contains(Instant.parse("2014-01-01T01:01:01Z"));
        assertThat(event.sourceComponent()).isEqualTo("componentValue");
        assertThat(event.reportingComponent()).isEqualTo("reportingControllerValue");
        assertThat(event.reportingInstance()).isEqualTo("reportingInstanceValue");
        assertThat(event.lastSeen()).contains(Instant.parse("2002-01-01T01:01:01.000002Z"));
        assertThat(event.firstSeen()).contains(Instant.parse("2002-01-01T01:01:01.000002Z"));
    }

    private static String realWorld(String file) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(REAL_WORLD), "the shared real-world corpus is absent");
        return Files.readString(REAL_WORLD.resolve(file), StandardCharsets.UTF_8);
    }
}

package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.EventSeries;
import dev.rolloutdoctor.model.InvolvedObject;
import dev.rolloutdoctor.model.Kinds;
import dev.rolloutdoctor.model.ObjectMeta;
import dev.rolloutdoctor.model.Source;

import java.time.Instant;
import java.util.Optional;

/**
 * Decoder of events of both APIs, core/v1 and events.k8s.io/v1, into one {@link Event}. The API is told by
 * {@code apiVersion} ({@code events.k8s.io/...}), or by {@code regarding}/{@code note} in place of {@code involvedObject}.
 */
public final class EventDecoder {

    /** Go's zero {@code time.Time}: what a Go program writes for an unset time when it does not write null. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private EventDecoder() {
    }

    public static Event decode(Obj root, Source source) {
        String apiVersion = root.str("apiVersion");
        ObjectMeta meta = Common.meta(root.obj("metadata"));
        return isEventsApi(root, apiVersion) ? eventsV1(root, apiVersion, meta, source) : coreV1(root, apiVersion, meta, source);
    }

    static boolean isEventsApi(Obj root, String apiVersion) {
        if (apiVersion.startsWith("events.k8s.io/")) {
            return true;
        }
        // dumps whose items lost their apiVersion (typed-client serialisation) still show the API by its field names
        return !root.has("involvedObject") && (root.has("regarding") || root.has("note"));
    }

    private static Event coreV1(Obj root, String apiVersion, ObjectMeta meta, Source source) {
        Obj from = root.obj("source");
        return new Event(
                apiVersion,
                meta,
                involvedObject(root.obj("involvedObject"), meta.namespace()),
                root.str("reason"),
                root.str("message"),
                root.str("type"),
                root.integer("count", 0),
                series(root),
                nonZero(root.time("firstTimestamp")),
                nonZero(root.time("lastTimestamp")),
                nonZero(root.time("eventTime")),
                root.str("reportingComponent"),
                root.str("reportingInstance"),
                from.str("component"),
                from.str("host"),
                root.str("action"),
                Event.Api.CORE_V1,
                source);
    }

    private static Event eventsV1(Obj root, String apiVersion, ObjectMeta meta, Source source) {
        Obj from = root.obj("deprecatedSource");
        return new Event(
                apiVersion,
                meta,
                involvedObject(root.obj("regarding"), meta.namespace()),
                root.str("reason"),
                root.str("note"),
                root.str("type"),
                root.integer("deprecatedCount", 0),
                series(root),
                nonZero(root.time("deprecatedFirstTimestamp")),
                nonZero(root.time("deprecatedLastTimestamp")),
                nonZero(root.time("eventTime")),
                root.str("reportingController"),
                root.str("reportingInstance"),
                from.str("component"),
                from.str("host"),
                root.str("action"),
                Event.Api.EVENTS_V1,
                source);
    }

    /** Events live in the namespace of the object they are about, so an empty namespace of a namespaced kind is the event's. */
    static InvolvedObject involvedObject(Obj o, String eventNamespace) {
        String kind = o.str("kind");
        String namespace = o.str("namespace");
        if (namespace.isEmpty() && !Kinds.isClusterScoped(kind)) {
            namespace = eventNamespace;
        }
        return new InvolvedObject(o.str("apiVersion"), kind, namespace, o.str("name"), o.str("uid"), o.str("fieldPath"));
    }

    private static Optional<EventSeries> series(Obj root) {
        if (!(root.raw("series") instanceof MapNode)) {
            root.obj("series"); // reports a value of the wrong type; absent and null are no series
            return Optional.empty();
        }
        Obj s = root.obj("series");
        return Optional.of(new EventSeries(s.integer("count", 0), nonZero(s.time("lastObservedTime"))));
    }

    private static Optional<Instant> nonZero(Optional<Instant> time) {
        return time.filter(t -> !t.equals(GO_ZERO_TIME));
    }
}

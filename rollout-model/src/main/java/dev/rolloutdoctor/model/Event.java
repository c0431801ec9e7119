package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An event from either API, read into one shape: core/v1 ({@code involvedObject}, {@code message}, {@code count},
 * {@code firstTimestamp}, {@code lastTimestamp}, {@code source}) or events.k8s.io/v1 ({@code regarding}, {@code note},
 * {@code deprecatedCount}, {@code deprecatedFirstTimestamp}, {@code deprecatedLastTimestamp},
 * {@code deprecatedSource}, {@code reportingController}); the fields map one to one as the API server converts them.
 *
 * <p>Timestamps that are absent, {@code null} or Go's zero time ({@code 0001-01-01T00:00:00Z}) are empty: they are
 * what Go's {@code IsZero()} calls zero. Schedulers write through events.k8s.io, so their events carry
 * {@code eventTime} and {@code series} but no first/last timestamps and no count; kubelets and most controllers
 * write core/v1 events with {@code count} and first/last timestamps but no {@code eventTime}. The methods
 * {@link #lastSeen()}, {@link #firstSeen()} and {@link #occurrences()} pick among them exactly as {@code kubectl events}
 * does.
 *
 * @param regarding          the object the event is about
 * @param reason             short CamelCase reason ({@code FailedScheduling}); "" when left out
 * @param message            core/v1 {@code message} or events.k8s.io/v1 {@code note}
 * @param type               {@code Normal} or {@code Warning} as written; "" when left out
 * @param count              {@code count} (or {@code deprecatedCount}) as written, 0 when absent or null
 * @param reportingComponent core/v1 {@code reportingComponent} or events.k8s.io/v1 {@code reportingController}
 * @param sourceComponent    {@code source.component} (or {@code deprecatedSource.component}); "" when left out
 * @param sourceHost         {@code source.host} (or {@code deprecatedSource.host}); "" when left out
 * @param api                which API the event was read as
 */
public record Event(
        String apiVersion,
        ObjectMeta metadata,
        InvolvedObject regarding,
        String reason,
        String message,
        String type,
        int count,
        Optional<EventSeries> series,
        Optional<Instant> firstTimestamp,
        Optional<Instant> lastTimestamp,
        Optional<Instant> eventTime,
        String reportingComponent,
        String reportingInstance,
        String sourceComponent,
        String sourceHost,
        String action,
        Api api,
        Source source) implements KubeObject {

    /** The API an event was written in. */
    public enum Api {
        /** {@code v1} Event: {@code involvedObject}, {@code message}, {@code count}, first/last timestamps. */
        CORE_V1,
        /** {@code events.k8s.io/v1} (or v1beta1) Event: {@code regarding}, {@code note}, {@code deprecated*} fields. */
        EVENTS_V1
    }

    public static final String WARNING = "Warning";
    public static final String NORMAL = "Normal";

    public Event {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(regarding, "regarding");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(firstTimestamp, "firstTimestamp");
        Objects.requireNonNull(lastTimestamp, "lastTimestamp");
        Objects.requireNonNull(eventTime, "eventTime");
        Objects.requireNonNull(reportingComponent, "reportingComponent");
        Objects.requireNonNull(reportingInstance, "reportingInstance");
        Objects.requireNonNull(sourceComponent, "sourceComponent");
        Objects.requireNonNull(sourceHost, "sourceHost");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "Event";
    }

    /**
     * When the event was last seen, the time {@code kubectl events} sorts by: with a series, the series'
     * {@code lastObservedTime} (and nothing else, even when it is absent: kubectl then uses Go's zero time); else
     * {@code lastTimestamp} when set; else {@code eventTime}.
     *
     * <p>As in {@code func eventTime} of {@code staging/src/k8s.io/kubectl/pkg/cmd/events/events.go}
     * (kubernetes/kubernetes @ 00c30941260a27e6929aef84c7fdbc8f1508518c).
     */
    public Optional<Instant> lastSeen() {
        if (series.isPresent()) {
            return series.get().lastObservedTime();
        }
        return lastTimestamp.isPresent() ? lastTimestamp : eventTime;
    }

    /**
     * When the event was first seen, as {@code kubectl events} prints it: {@code eventTime} when set, else
     * {@code firstTimestamp}.
     *
     * <p>As in {@code func getInterval} of {@code staging/src/k8s.io/kubectl/pkg/cmd/events/event_printer.go}
     * (kubernetes/kubernetes @ 0411cc704533ed25a1bfc6e21a3195d9c6a2f0f2).
     */
    public Optional<Instant> firstSeen() {
        return eventTime.isPresent() ? eventTime : firstTimestamp;
    }

    /**
     * How many times the event happened, as {@code kubectl events} shows it ({@code (x5 over 3m)}): the series' count
     * when there is a series (as written, even 0), else {@code count} when it is above 1, else 1.
     *
     * <p>As in {@code func getInterval} of {@code staging/src/k8s.io/kubectl/pkg/cmd/events/event_printer.go}
     * (kubernetes/kubernetes @ 0411cc704533ed25a1bfc6e21a3195d9c6a2f0f2).
     */
    public int occurrences() {
        if (series.isPresent()) {
            return series.get().count();
        }
        return count > 1 ? count : 1;
    }

    /** True for {@code type: Warning}. */
    public boolean isWarning() {
        return WARNING.equals(type);
    }

    /** Who reported the event: {@code reportingComponent} when set, else {@code source.component}; "" when neither is. */
    public String reporter() {
        return reportingComponent.isEmpty() ? sourceComponent : reportingComponent;
    }
}

package dev.rolloutdoctor.snapshot;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Node;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.StatefulSet;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Decides when a snapshot was taken. A bundle's own statement is preferred, but troubleshoot names its folder in
 * the collecting machine's local time, so that statement is trusted only when it agrees with the data: at or
 * after the newest timestamp in the objects and at most {@link #AGREEMENT} later. Otherwise the newest timestamp
 * in the data is the best estimate (and a lower bound of the true capture time).
 */
final class CaptureTimes {

    static final Duration AGREEMENT = Duration.ofMinutes(15);

    private CaptureTimes() {
    }

    static CaptureTime decide(List<CaptureTime> bundleTimes, Collection<KubeObject> objects) {
        Optional<Instant> newest = newest(objects);
        Optional<CaptureTime> bundle = bundleTimes.stream()
                .filter(t -> t.instant().isPresent())
                .max(java.util.Comparator.comparing(t -> t.instant().get()));
        if (bundle.isPresent()) {
            Instant b = bundle.get().instant().get();
            if (newest.isEmpty() || (!b.isBefore(newest.get()) && !b.isAfter(newest.get().plus(AGREEMENT)))) {
                return bundle.get();
            }
        }
        if (newest.isPresent()) {
            String detail = "the newest timestamp in the objects and events"
                    + bundle.map(t -> "; " + t.detail() + " (" + t.instant().get() + ") disagrees with the data, perhaps a local time zone")
                    .orElse("");
            return new CaptureTime(newest, CaptureTime.Origin.NEWEST_TIMESTAMP, detail);
        }
        return CaptureTime.UNKNOWN;
    }

    /** The newest moment any object records as past: creation, condition changes, events, container starts and ends. */
    static Optional<Instant> newest(Collection<KubeObject> objects) {
        Instant max = null;
        for (KubeObject o : objects) {
            max = later(max, o.metadata().creationTimestamp());
            if (o instanceof Event e) {
                max = later(max, e.lastSeen());
                max = later(max, e.firstSeen());
            } else if (o instanceof Pod p) {
                max = conditions(max, p.status().conditions());
                max = later(max, p.status().startTime());
                for (ContainerStatus cs : p.allContainerStatuses()) {
                    max = later(max, cs.state().running().flatMap(r -> r.startedAt()));
                    max = later(max, cs.state().terminated().flatMap(t -> t.finishedAt()));
                    max = later(max, cs.lastState().terminated().flatMap(t -> t.finishedAt()));
                }
            } else if (o instanceof Deployment d) {
                max = conditions(max, d.status().conditions());
            } else if (o instanceof ReplicaSet rs) {
                max = conditions(max, rs.status().conditions());
            } else if (o instanceof StatefulSet s) {
                max = conditions(max, s.status().conditions());
            } else if (o instanceof DaemonSet ds) {
                max = conditions(max, ds.status().conditions());
            } else if (o instanceof Node n) {
                max = conditions(max, n.status().conditions());
            } else if (o instanceof PersistentVolumeClaim pvc) {
                max = conditions(max, pvc.status().conditions());
            }
        }
        return Optional.ofNullable(max);
    }

    private static Instant conditions(Instant max, List<Condition> conditions) {
        for (Condition c : conditions) {
            max = later(max, c.lastTransitionTime());
            max = later(max, c.lastUpdateTime());
            max = later(max, c.lastProbeTime());
            max = later(max, c.lastHeartbeatTime());
        }
        return max;
    }

    private static Instant later(Instant max, Optional<Instant> t) {
        if (t.isEmpty()) {
            return max;
        }
        return max == null || t.get().isAfter(max) ? t.get() : max;
    }
}

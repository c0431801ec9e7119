package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One ordered account of a rollout for the postmortem: the events about the workload, its ReplicaSets and their
 * pods (from both event APIs, copies merged), condition changes of the workload and its ReplicaSets, ReplicaSet
 * creations and scalings, and what happened to each pod and container.
 *
 * <p>Events about pods that are gone from the snapshot are kept too, when the pod's name shows whose it was
 * ({@code <replicaset>-xxxxx}, {@code <statefulset>-<ordinal>}, {@code <daemonset>-xxxxx}): old pods often are gone
 * by the time anyone captures the cluster. Moments without any timestamp cannot be placed and are left out.
 */
public final class Timeline {

    private Timeline() {
    }

    /**
     * The timeline of a Deployment, StatefulSet or DaemonSet, earliest first, in {@link TimelineEntry#ORDER}.
     *
     * @throws IllegalArgumentException if the workload is none of these kinds
     */
    public static List<TimelineEntry> of(Snapshot snapshot, KubeObject workload) {
        RolloutStructure structure = Structures.of(snapshot, workload);
        Recorder out = new Recorder(snapshot.capturedAt());
        out.created(workload, "");
        out.conditions(workload, conditionsOf(workload));
        List<ReplicaSet> replicaSets = new ArrayList<>();
        structure.newReplicaSet().ifPresent(replicaSets::add);
        replicaSets.addAll(structure.oldReplicaSets());
        for (ReplicaSet rs : replicaSets) {
            boolean isNew = structure.newReplicaSet().filter(n -> n == rs).isPresent();
            String revision = rs.revision().isPresent() ? "revision " + rs.revision().getAsInt() + ", " : "";
            out.created(rs, " (" + revision + (isNew ? "new" : "old") + ")");
            out.conditions(rs, rs.status().conditions());
        }
        for (Pod pod : structure.pods()) {
            PodMoments.record(pod, out);
        }
        List<Event> events = new ArrayList<>(snapshot.eventsFor(workload));
        replicaSets.forEach(rs -> events.addAll(snapshot.eventsFor(rs)));
        structure.pods().forEach(pod -> events.addAll(snapshot.eventsFor(pod)));
        events.addAll(eventsOfVanishedPods(snapshot, workload, structure, replicaSets));
        for (MergedEvent e : MergedEvent.merge(dedupe(events))) {
            out.event(e);
        }
        return out.sorted();
    }

    private static List<Condition> conditionsOf(KubeObject workload) {
        if (workload instanceof Deployment d) {
            return d.status().conditions();
        }
        if (workload instanceof StatefulSet s) {
            return s.status().conditions();
        }
        return ((DaemonSet) workload).status().conditions();
    }

    /** The same event object reached through two indexes (the workload's and a pod's, say) counts once. */
    private static List<Event> dedupe(List<Event> events) {
        Map<Event, Boolean> seen = new LinkedHashMap<>();
        events.forEach(e -> seen.put(e, Boolean.TRUE));
        return new ArrayList<>(seen.keySet());
    }

    private static List<Event> eventsOfVanishedPods(Snapshot snapshot, KubeObject workload, RolloutStructure structure,
            List<ReplicaSet> replicaSets) {
        List<Pattern> names = new ArrayList<>();
        if (workload instanceof Deployment) {
            replicaSets.forEach(rs -> names.add(Pattern.compile(Pattern.quote(rs.metadata().name()) + "-[a-z0-9]{5}")));
        } else if (workload instanceof StatefulSet) {
            names.add(Pattern.compile(Pattern.quote(workload.metadata().name()) + "-[0-9]+"));
        } else {
            names.add(Pattern.compile(Pattern.quote(workload.metadata().name()) + "-[a-z0-9]{5}"));
        }
        Set<String> present = new HashSet<>();
        structure.pods().forEach(p -> present.add(p.metadata().name()));
        List<Event> out = new ArrayList<>();
        String namespace = workload.metadata().namespace();
        for (Event e : snapshot.events()) {
            String name = e.regarding().name();
            if (Pod.KIND.equals(e.regarding().kind()) && namespace.equals(e.regarding().namespace())
                    && !present.contains(name) && names.stream().anyMatch(p -> p.matcher(name).matches())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Collects entries, stamping each with its distance to the capture time. */
    static final class Recorder {
        private final Optional<Instant> capturedAt;
        private final List<TimelineEntry> entries = new ArrayList<>();

        Recorder(Optional<Instant> capturedAt) {
            this.capturedAt = capturedAt;
        }

        void add(Optional<Instant> at, KubeObject object, TimelineEntry.Category category, String what) {
            add(at, object.ref(), category, what, object.source().toString());
        }

        void add(Optional<Instant> at, ObjectRef object, TimelineEntry.Category category, String what, String source) {
            if (at.isEmpty()) {
                return;
            }
            Optional<Duration> before = capturedAt.map(c -> Duration.between(at.get(), c));
            entries.add(new TimelineEntry(at.get(), before, object, category, what, source));
        }

        void created(KubeObject object, String detail) {
            add(object.metadata().creationTimestamp(), object, TimelineEntry.Category.ROLLOUT, object.kind() + " " + object.metadata().name()
                    + " created" + detail);
        }

        void conditions(KubeObject object, List<Condition> conditions) {
            String subject = object.kind() + " " + object.metadata().name() + ": ";
            for (Condition c : conditions) {
                String detail = (c.reason().isEmpty() ? "" : " (" + c.reason() + ")")
                        + (c.message().isEmpty() ? "" : ": " + c.message());
                add(c.lastTransitionTime(), object, TimelineEntry.Category.CONDITION,
                        subject + c.type() + " became " + c.status() + detail);
                if (c.lastUpdateTime().isPresent() && !c.lastUpdateTime().equals(c.lastTransitionTime())) {
                    add(c.lastUpdateTime(), object, TimelineEntry.Category.CONDITION,
                            subject + c.type() + " updated, still " + c.status() + detail);
                }
            }
        }

        void event(MergedEvent merged) {
            Event e = merged.event();
            String repeats = repeats(merged);
            Optional<EventTexts.Scaling> scaling = EventTexts.scaling(e);
            if (scaling.isPresent()) {
                ObjectRef rs = new ObjectRef("ReplicaSet", e.regarding().namespace(), scaling.get().replicaSet());
                add(merged.at(), rs, TimelineEntry.Category.ROLLOUT, scaling.get().sentence() + repeats,
                        e.source().toString());
                return;
            }
            TimelineEntry.Category category = e.isWarning() ? TimelineEntry.Category.WARNING : TimelineEntry.Category.EVENT;
            add(merged.at(), e.regarding().ref(), category, EventTexts.sentence(e) + repeats, e.source().toString());
        }

        private static String repeats(MergedEvent merged) {
            if (merged.occurrences() <= 1) {
                return "";
            }
            if (merged.firstSeen().isPresent() && merged.lastSeen().isPresent()
                    && merged.lastSeen().get().isAfter(merged.firstSeen().get())) {
                return " (x" + merged.occurrences() + " over "
                        + Texts.duration(Duration.between(merged.firstSeen().get(), merged.lastSeen().get())) + ")";
            }
            return " (x" + merged.occurrences() + ")";
        }

        List<TimelineEntry> sorted() {
            List<TimelineEntry> copy = new ArrayList<>(entries);
            copy.sort(TimelineEntry.ORDER);
            return List.copyOf(copy);
        }
    }
}

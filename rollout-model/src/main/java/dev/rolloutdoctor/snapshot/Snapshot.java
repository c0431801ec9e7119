package dev.rolloutdoctor.snapshot;

import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.OwnerReference;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.StatefulSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable, indexed snapshot of a cluster at capture time: every object read, the events, pod logs, what the
 * loader could not read, and when the snapshot was taken. Lookups go through indexes built once (by kind, by
 * name, by uid, owner to owned, events by involved object), so detectors never scan.
 *
 * <p>Every list it returns is in a deterministic order. Instances are immutable and safe to share between threads.
 */
public final class Snapshot {

    /** Orders objects the way reports list them: by namespace, kind, name, then where they were read. */
    public static final Comparator<KubeObject> ORDER = Comparator.comparing(KubeObject::ref)
            .thenComparing(o -> o.source().path())
            .thenComparingInt(o -> o.source().document())
            .thenComparingInt(o -> o.source().line());

    private static final Comparator<Event> EVENT_ORDER = Comparator
            .comparing((Event e) -> e.lastSeen().orElse(Instant.EPOCH))
            .thenComparing(e -> e.firstSeen().orElse(Instant.EPOCH))
            .thenComparing(e -> e.metadata().name());

    private final List<KubeObject> objects;
    private final Map<String, List<KubeObject>> byKind;
    private final Map<Class<?>, List<KubeObject>> byType;
    private final Map<ObjectRef, KubeObject> byRef;
    private final Map<String, KubeObject> byUid;
    private final Map<String, List<KubeObject>> ownedByKey;
    private final Map<ObjectRef, List<Event>> eventsByRef;
    private final Map<String, List<Event>> eventsByUid;
    private final Map<String, List<PodLog>> logsByPod;
    private final List<PodLog> logs;
    private final CaptureTime captureTime;
    private final List<LoadProblem> problems;
    private final List<DataGap> gaps;
    private final List<SkippedInput> skipped;
    private final List<RedactedField> redactedFields;
    private final List<ReferenceCheck> referenceChecks;
    private final List<String> sources;
    private final SortedSet<Layout> layouts;
    private final SortedSet<String> collectedKinds;
    /** {@link #events()} in order, computed on first use; a race computes the same list twice, harmlessly. */
    private volatile List<Event> eventsByTime;

    private Snapshot(Builder b, CaptureTime captureTime) {
        Keyed[] keyed = Keyed.sorted(b.objects);
        KubeObject[] sorted = new KubeObject[keyed.length];
        for (int i = 0; i < keyed.length; i++) {
            sorted[i] = keyed[i].object;
        }
        this.objects = List.of(sorted);
        this.captureTime = captureTime;
        this.problems = sortedCopy(b.problems, Comparator.comparing(LoadProblem::source)
                .thenComparingInt(LoadProblem::line).thenComparingInt(LoadProblem::column).thenComparing(LoadProblem::message));
        this.gaps = sortedCopy(b.gaps, Comparator.comparing(DataGap::kind).thenComparing(DataGap::namespace)
                .thenComparing(DataGap::source).thenComparing(DataGap::reason));
        this.skipped = sortedCopy(aggregate(b.skipped), Comparator.comparing(SkippedInput::source).thenComparing(SkippedInput::reason));
        this.redactedFields = sortedCopy(b.redactedFields, Comparator.comparing(RedactedField::object)
                .thenComparing(RedactedField::fieldPath));
        this.referenceChecks = sortedCopy(b.referenceChecks, Comparator.comparing(ReferenceCheck::namespace)
                .thenComparing(ReferenceCheck::kind).thenComparing(ReferenceCheck::name).thenComparing(ReferenceCheck::key));
        this.sources = List.copyOf(new TreeSet<>(b.sources));
        this.layouts = Collections.unmodifiableSortedSet(new TreeSet<>(b.layouts));
        this.collectedKinds = Collections.unmodifiableSortedSet(new TreeSet<>(b.collectedKinds));
        this.logs = sortedCopy(b.logs, Comparator.comparing(PodLog::namespace).thenComparing(PodLog::pod)
                .thenComparing(PodLog::container).thenComparing(PodLog::previous).thenComparing(PodLog::source));

        Map<String, List<KubeObject>> kinds = new HashMap<>();
        Map<Class<?>, List<KubeObject>> types = new HashMap<>();
        Map<ObjectRef, KubeObject> refs = new HashMap<>(capacity(keyed.length));
        Map<String, KubeObject> uids = new HashMap<>(capacity(keyed.length));
        Map<String, List<KubeObject>> owned = new HashMap<>();
        Map<ObjectRef, List<Event>> evRef = new HashMap<>();
        Map<String, List<Event>> evUid = new HashMap<>();
        for (Keyed entry : keyed) {
            KubeObject o = entry.object;
            kinds.computeIfAbsent(o.kind(), x -> new ArrayList<>()).add(o);
            types.computeIfAbsent(o.getClass(), x -> new ArrayList<>()).add(o);
            refs.putIfAbsent(entry.ref, o);
            if (!o.metadata().uid().isEmpty()) {
                uids.putIfAbsent(o.metadata().uid(), o);
            }
            for (OwnerReference owner : o.metadata().ownerReferences()) {
                owned.computeIfAbsent(ownerKey(owner, o.metadata().namespace()), k -> new ArrayList<>()).add(o);
            }
            if (o instanceof Event e) {
                evRef.computeIfAbsent(e.regarding().ref(), k -> new ArrayList<>()).add(e);
                if (!e.regarding().uid().isEmpty()) {
                    evUid.computeIfAbsent(e.regarding().uid(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        evRef.values().forEach(l -> l.sort(EVENT_ORDER));
        evUid.values().forEach(l -> l.sort(EVENT_ORDER));
        this.byKind = freeze(kinds);
        this.byType = freeze(types);
        this.byRef = Collections.unmodifiableMap(refs);
        this.byUid = Collections.unmodifiableMap(uids);
        this.ownedByKey = freeze(owned);
        this.eventsByRef = freeze(evRef);
        this.eventsByUid = freeze(evUid);
        Map<String, List<PodLog>> byPod = new HashMap<>();
        for (PodLog log : logs) {
            byPod.computeIfAbsent(log.namespace() + "/" + log.pod(), k -> new ArrayList<>()).add(log);
        }
        this.logsByPod = freeze(byPod);
    }

    /** A HashMap capacity that holds {@code entries} without rehashing. */
    private static int capacity(int entries) {
        return (int) Math.min(1 << 30, entries / 0.75 + 1);
    }

    /**
     * An object with its sort key computed once: sorting a large snapshot by {@link #ORDER} would otherwise build two
     * {@link ObjectRef}s per comparison. Orders exactly as {@link #ORDER} does, and the sort is as stable.
     */
    private static final class Keyed implements Comparable<Keyed> {
        final KubeObject object;
        final ObjectRef ref;
        final String path;
        final int document;
        final int line;

        Keyed(KubeObject object) {
            this.object = object;
            this.ref = object.ref();
            this.path = object.source().path();
            this.document = object.source().document();
            this.line = object.source().line();
        }

        static Keyed[] sorted(List<KubeObject> objects) {
            Keyed[] keyed = new Keyed[objects.size()];
            for (int i = 0; i < keyed.length; i++) {
                keyed[i] = new Keyed(objects.get(i));
            }
            java.util.Arrays.sort(keyed);
            return keyed;
        }

        @Override
        public int compareTo(Keyed o) {
            int c = ref.namespace().compareTo(o.ref.namespace());
            if (c == 0) {
                c = ref.kind().compareTo(o.ref.kind());
            }
            if (c == 0) {
                c = ref.name().compareTo(o.ref.name());
            }
            if (c == 0) {
                c = path.compareTo(o.path);
            }
            if (c == 0) {
                c = Integer.compare(document, o.document);
            }
            return c != 0 ? c : Integer.compare(line, o.line);
        }
    }

    /** One entry per file and reason: a file of 300 documents that are not objects is one line, not 300. */
    private static List<SkippedInput> aggregate(List<SkippedInput> skipped) {
        Map<SkippedInput, Integer> counts = new TreeMap<>(Comparator.comparing(SkippedInput::source).thenComparing(SkippedInput::reason));
        skipped.forEach(s -> counts.merge(s, 1, Integer::sum));
        List<SkippedInput> out = new ArrayList<>();
        counts.forEach((s, n) -> out.add(n == 1 ? s : new SkippedInput(s.source(), s.reason() + " (" + n + " documents)")));
        return out;
    }

    private static String ownerKey(OwnerReference owner, String namespace) {
        return owner.uid().isEmpty() ? namespace + "/" + owner.kind() + "/" + owner.name() : owner.uid();
    }

    private static <K, V> Map<K, List<V>> freeze(Map<K, List<V>> map) {
        Map<K, List<V>> out = new HashMap<>(map.size() * 2);
        map.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    private static <T> List<T> sortedCopy(List<T> list, Comparator<T> order) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(order);
        return List.copyOf(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ objects

    /** Every object, sorted by namespace, kind, name. */
    public List<KubeObject> objects() {
        return objects;
    }

    /** Every object of a record type ({@code Deployment.class}), sorted. */
    @SuppressWarnings("unchecked")
    public <T extends KubeObject> List<T> objects(Class<T> type) {
        return (List<T>) byType.getOrDefault(type, List.of());
    }

    /** Every object of a kind by name, including kinds kept as {@link dev.rolloutdoctor.model.GenericObject}. */
    public List<KubeObject> objectsOfKind(String kind) {
        return byKind.getOrDefault(kind, List.of());
    }

    public Optional<KubeObject> get(ObjectRef ref) {
        return Optional.ofNullable(byRef.get(ref));
    }

    /** The object of this type, namespace ("" for cluster-scoped) and name. */
    public <T extends KubeObject> Optional<T> get(Class<T> type, String kind, String namespace, String name) {
        KubeObject o = byRef.get(new ObjectRef(kind, namespace, name));
        return type.isInstance(o) ? Optional.of(type.cast(o)) : Optional.empty();
    }

    public Optional<KubeObject> byUid(String uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    /** The object an owner reference points at (by uid, or by kind and name when the dump has no uids). */
    public Optional<KubeObject> owner(OwnerReference ref, String namespace) {
        if (!ref.uid().isEmpty()) {
            KubeObject o = byUid.get(ref.uid());
            if (o != null) {
                return Optional.of(o);
            }
        }
        return Optional.ofNullable(byRef.get(new ObjectRef(ref.kind(), namespace, ref.name())));
    }

    /** Objects that list {@code owner} among their ownerReferences, sorted. */
    public List<KubeObject> ownedBy(KubeObject owner) {
        List<KubeObject> byUidList = owner.metadata().uid().isEmpty() ? List.of()
                : ownedByKey.getOrDefault(owner.metadata().uid(), List.of());
        List<KubeObject> byName = ownedByKey.getOrDefault(owner.metadata().namespace() + "/" + owner.kind() + "/"
                + owner.metadata().name(), List.of());
        if (byName.isEmpty()) {
            return byUidList;
        }
        if (byUidList.isEmpty()) {
            return byName;
        }
        List<KubeObject> merged = new ArrayList<>(byUidList);
        merged.addAll(byName);
        merged.sort(ORDER);
        return List.copyOf(merged);
    }

    /** Objects of a type whose controller reference ({@code controller: true}) is {@code owner}, as controllers find them. */
    public <T extends KubeObject> List<T> controlledBy(KubeObject owner, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (KubeObject o : ownedBy(owner)) {
            if (type.isInstance(o) && o.metadata().controllerRef().filter(r -> refersTo(r, owner)).isPresent()) {
                out.add(type.cast(o));
            }
        }
        return List.copyOf(out);
    }

    private static boolean refersTo(OwnerReference ref, KubeObject owner) {
        if (!ref.uid().isEmpty() && !owner.metadata().uid().isEmpty()) {
            return ref.uid().equals(owner.metadata().uid());
        }
        return ref.kind().equals(owner.kind()) && ref.name().equals(owner.metadata().name());
    }

    /** The pods of a workload: through its ReplicaSets for a Deployment, directly for the other kinds. */
    public List<Pod> podsOf(KubeObject workload) {
        if (workload instanceof Deployment) {
            List<Pod> pods = new ArrayList<>();
            for (ReplicaSet rs : controlledBy(workload, ReplicaSet.class)) {
                pods.addAll(controlledBy(rs, Pod.class));
            }
            pods.sort(ORDER);
            return List.copyOf(pods);
        }
        if (workload instanceof ReplicaSet || workload instanceof StatefulSet || workload instanceof DaemonSet) {
            return controlledBy(workload, Pod.class);
        }
        return List.of();
    }

    // ------------------------------------------------------------------ events and logs

    /** Every event, ordered by when it was last seen. */
    public List<Event> events() {
        List<Event> sorted = eventsByTime;
        if (sorted == null) {
            // sorted once: detectors ask for every event, and a large bundle holds hundreds of thousands
            List<Event> all = new ArrayList<>(objects(Event.class));
            all.sort(EVENT_ORDER);
            sorted = List.copyOf(all);
            eventsByTime = sorted;
        }
        return new ArrayList<>(sorted);
    }

    /** Events about the object, by its uid or its kind/namespace/name, ordered by when they were last seen. */
    public List<Event> eventsFor(KubeObject object) {
        List<Event> byName = eventsByRef.getOrDefault(object.ref(), List.of());
        String uid = object.metadata().uid();
        List<Event> byId = uid.isEmpty() ? List.of() : eventsByUid.getOrDefault(uid, List.of());
        if (byId.isEmpty()) {
            return byName;
        }
        // events recorded against an earlier object of the same name carry another uid: keep only ours
        Map<ObjectRef, Event> merged = new LinkedHashMap<>();
        for (Event e : byName) {
            if (e.regarding().uid().isEmpty() || e.regarding().uid().equals(uid)) {
                merged.put(e.ref(), e);
            }
        }
        for (Event e : byId) {
            merged.put(e.ref(), e);
        }
        List<Event> out = new ArrayList<>(merged.values());
        out.sort(EVENT_ORDER);
        return List.copyOf(out);
    }

    /** Events whose involved object has this kind, namespace and name, whatever its uid. */
    public List<Event> eventsFor(ObjectRef ref) {
        return eventsByRef.getOrDefault(ref, List.of());
    }

    /** Every pod log, sorted by namespace, pod, container. */
    public List<PodLog> logs() {
        return logs;
    }

    /** The logs the bundle holds for a pod (every container, current and previous). */
    public List<PodLog> logsOf(Pod pod) {
        return logsByPod.getOrDefault(pod.metadata().namespace() + "/" + pod.metadata().name(), List.of());
    }

    /** The log of one container; {@code previous} picks the crashed instance's log. */
    public Optional<PodLog> log(Pod pod, String container, boolean previous) {
        for (PodLog log : logsOf(pod)) {
            if (log.container().equals(container) && log.previous() == previous) {
                return Optional.of(log);
            }
        }
        return Optional.empty();
    }

    /** The log of one container by pod namespace and name, when the pod itself may be absent from the dump. */
    public Optional<PodLog> logOf(String namespace, String pod, String container, boolean previous) {
        for (PodLog log : logsByPod.getOrDefault(namespace + "/" + pod, List.of())) {
            if (log.container().equals(container) && log.previous() == previous) {
                return Optional.of(log);
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ about the input

    public CaptureTime captureTime() {
        return captureTime;
    }

    /** When the snapshot was taken, if anything in the input or the caller tells. */
    public Optional<Instant> capturedAt() {
        return captureTime.instant();
    }

    /** A copy measured against another capture time ({@code --now}); everything else is shared. */
    public Snapshot withCapturedAt(Instant instant) {
        return new Snapshot(this, CaptureTime.override(Objects.requireNonNull(instant, "instant")));
    }

    private Snapshot(Snapshot other, CaptureTime captureTime) {
        this.objects = other.objects;
        this.byKind = other.byKind;
        this.byType = other.byType;
        this.byRef = other.byRef;
        this.byUid = other.byUid;
        this.ownedByKey = other.ownedByKey;
        this.eventsByRef = other.eventsByRef;
        this.eventsByUid = other.eventsByUid;
        this.logsByPod = other.logsByPod;
        this.logs = other.logs;
        this.captureTime = captureTime;
        this.problems = other.problems;
        this.gaps = other.gaps;
        this.skipped = other.skipped;
        this.redactedFields = other.redactedFields;
        this.referenceChecks = other.referenceChecks;
        this.sources = other.sources;
        this.layouts = other.layouts;
        this.collectedKinds = other.collectedKinds;
        this.eventsByTime = other.eventsByTime;
    }

    /** What could not be read, sorted by source and line. */
    public List<LoadProblem> problems() {
        return problems;
    }

    public List<DataGap> gaps() {
        return gaps;
    }

    public List<SkippedInput> skipped() {
        return skipped;
    }

    public List<RedactedField> redactedFields() {
        return redactedFields;
    }

    public List<ReferenceCheck> referenceChecks() {
        return referenceChecks;
    }

    /** The inputs the snapshot was loaded from, in name order (so reports do not depend on the order of arguments). */
    public List<String> sources() {
        return sources;
    }

    /** The dump layouts recognised in the input. */
    public SortedSet<Layout> layouts() {
        return layouts;
    }

    /**
     * Kinds the input was meant to hold, even when it holds none of them: a file or list of that kind was present.
     * An events file with no events says "no events happened"; no events file says "events were not collected".
     */
    public SortedSet<String> collectedKinds() {
        return collectedKinds;
    }

    /** Objects per kind, sorted by kind. */
    public SortedMap<String, Integer> objectCounts() {
        TreeMap<String, Integer> counts = new TreeMap<>();
        byKind.forEach((k, v) -> counts.put(k, v.size()));
        return Collections.unmodifiableSortedMap(counts);
    }

    // ------------------------------------------------------------------ building

    /**
     * Collects what the loader found and builds the snapshot. When one object was read more than once (the same
     * kind, namespace and name in several files), the copy with the highest resourceVersion is kept.
     */
    public static final class Builder {
        private final Map<ObjectRef, KubeObject> chosen = new HashMap<>();
        private final List<KubeObject> objects = new ArrayList<>();
        private final List<LoadProblem> problems = new ArrayList<>();
        private final List<DataGap> gaps = new ArrayList<>();
        private final List<SkippedInput> skipped = new ArrayList<>();
        private final List<RedactedField> redactedFields = new ArrayList<>();
        private final List<ReferenceCheck> referenceChecks = new ArrayList<>();
        private final List<PodLog> logs = new ArrayList<>();
        private final Set<String> sources = new TreeSet<>();
        private final Set<Layout> layouts = new TreeSet<>();
        private final Set<String> collectedKinds = new TreeSet<>();
        private final Map<ObjectRef, List<String>> redactions = new HashMap<>();
        private final List<CaptureTime> bundleTimes = new ArrayList<>();
        private Optional<Instant> override = Optional.empty();

        private Builder() {
        }

        public synchronized Builder add(KubeObject object) {
            return add(object, List.of());
        }

        /** Adds an object and the paths of its fields that were redacted. */
        public Builder add(KubeObject object, List<String> redactedPaths) {
            ObjectRef ref = object.ref();
            List<String> redacted = redactedPaths.isEmpty() ? List.of() : List.copyOf(redactedPaths);
            synchronized (this) {
                KubeObject previous = chosen.get(ref);
                if (previous == null || Versions.newer(object, previous)) {
                    chosen.put(ref, object);
                    if (redacted.isEmpty()) {
                        redactions.remove(ref);
                    } else {
                        redactions.put(ref, redacted);
                    }
                }
            }
            return this;
        }

        public synchronized Builder problem(LoadProblem problem) {
            problems.add(problem);
            return this;
        }

        public synchronized Builder gap(DataGap gap) {
            gaps.add(gap);
            return this;
        }

        public synchronized Builder skipped(SkippedInput input) {
            skipped.add(input);
            return this;
        }

        public synchronized Builder referenceCheck(ReferenceCheck check) {
            referenceChecks.add(check);
            return this;
        }

        public synchronized Builder log(PodLog log) {
            logs.add(log);
            return this;
        }

        public synchronized Builder source(String source) {
            sources.add(source);
            return this;
        }

        public synchronized Builder layout(Layout layout) {
            layouts.add(layout);
            return this;
        }

        public synchronized Builder collectedKind(String kind) {
            collectedKinds.add(kind);
            return this;
        }

        /** A capture time the bundle itself states (folder name, timestamp file). */
        public synchronized Builder bundleTime(Instant instant, String detail) {
            bundleTimes.add(new CaptureTime(Optional.of(instant), CaptureTime.Origin.BUNDLE, detail));
            return this;
        }

        /** Fixes the capture time, whatever the input says ({@code --now}). */
        public synchronized Builder capturedAt(Instant instant) {
            override = Optional.of(instant);
            return this;
        }

        public synchronized Snapshot build() {
            objects.clear();
            objects.addAll(chosen.values());
            redactedFields.clear();
            redactions.forEach((ref, paths) -> paths.forEach(p -> redactedFields.add(new RedactedField(ref, p))));
            for (KubeObject o : objects) {
                collectedKinds.add(o.kind());
            }
            CaptureTime time = override.map(CaptureTime::override)
                    .orElseGet(() -> CaptureTimes.decide(bundleTimes, objects));
            return new Snapshot(this, time);
        }
    }
}

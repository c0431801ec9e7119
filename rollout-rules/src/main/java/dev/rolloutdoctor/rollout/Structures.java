package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.RollingUpdateFenceposts;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Finds the structure of a rollout in a snapshot. */
final class Structures {

    /** The label StatefulSet and DaemonSet pods carry with the name of their ControllerRevision (or its hash). */
    static final String CONTROLLER_REVISION_HASH = "controller-revision-hash";
    /** The label DaemonSet pods carry with the template generation they were created from. */
    static final String POD_TEMPLATE_GENERATION = "pod-template-generation";
    /** The annotation the API server keeps on a DaemonSet with its template generation. */
    static final String DAEMONSET_TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

    private Structures() {
    }

    static RolloutStructure of(Snapshot snapshot, KubeObject workload) {
        if (workload instanceof Deployment d) {
            return deployment(snapshot, d);
        }
        if (workload instanceof StatefulSet s) {
            return statefulSet(snapshot, s);
        }
        if (workload instanceof DaemonSet ds) {
            return daemonSet(snapshot, ds);
        }
        throw new IllegalArgumentException("not a Deployment, StatefulSet or DaemonSet: " + workload.ref());
    }

    // ------------------------------------------------------------------ Deployment

    static RolloutStructure deployment(Snapshot snapshot, Deployment d) {
        List<ReplicaSet> all = new ArrayList<>(snapshot.controlledBy(d, ReplicaSet.class));
        all.sort(Sorting.BY_CREATION);
        Optional<ReplicaSet> byTemplate = all.stream()
                .filter(rs -> equalIgnoreHash(rs.spec().template(), d.spec().template()))
                .findFirst();
        Optional<ReplicaSet> byRevision = byTemplate.isPresent() ? Optional.empty() : sameRevision(all, d);
        Optional<ReplicaSet> newRs = byTemplate.or(() -> byRevision);
        RolloutStructure.NewReplicaSetMatch match = byTemplate.isPresent() ? RolloutStructure.NewReplicaSetMatch.TEMPLATE
                : byRevision.isPresent() ? RolloutStructure.NewReplicaSetMatch.REVISION
                : RolloutStructure.NewReplicaSetMatch.NONE;

        List<ReplicaSet> old = new ArrayList<>(all);
        newRs.ifPresent(old::remove);
        old.sort(Sorting.NEWEST_REVISION_FIRST);

        SortedMap<String, List<Pod>> byRs = new TreeMap<>();
        List<Pod> pods = new ArrayList<>();
        List<Pod> newPods = new ArrayList<>();
        List<Pod> oldPods = new ArrayList<>();
        for (ReplicaSet rs : all) {
            List<Pod> owned = snapshot.controlledBy(rs, Pod.class);
            byRs.put(rs.metadata().name(), owned);
            pods.addAll(owned);
            (newRs.isPresent() && newRs.get() == rs ? newPods : oldPods).addAll(owned);
        }
        pods.sort(Snapshot.ORDER);
        oldPods.sort(Snapshot.ORDER);

        int desired = d.spec().desiredReplicas();
        PodCounting counting = new PodCounting(d.spec().minReadySeconds(), snapshot.capturedAt());
        Deployment.Status s = d.status();
        ReplicaCounts reported = new ReplicaCounts(desired, s.replicas(), s.updatedReplicas(), s.readyReplicas(),
                s.availableReplicas(), s.unavailableReplicas(), s.terminatingReplicas(),
                newRs.map(rs -> OptionalInt.of(rs.status().availableReplicas())).orElse(OptionalInt.empty()));
        String strategy = d.spec().strategy().type().isEmpty() ? KubectlStatus.ROLLING_UPDATE : d.spec().strategy().type();
        return new RolloutStructure(d.ref(), strategy, newRs, match, old, byRs,
                newRs.map(ReplicaSet::podTemplateHash).orElse(""), old.stream().findFirst(), pods, newPods, oldPods,
                fenceposts(d, strategy, desired), reported, counting.count(desired, pods, newPods));
    }

    /**
     * The controller's {@code EqualIgnoreHash}: the templates are equal once the {@code pod-template-hash} label is
     * removed from both. Equality is over what our records keep of a template.
     */
    static boolean equalIgnoreHash(PodTemplate a, PodTemplate b) {
        return withoutHash(a).equals(withoutHash(b));
    }

    private static PodTemplate withoutHash(PodTemplate template) {
        if (!template.labels().containsKey(ReplicaSet.POD_TEMPLATE_HASH)) {
            return template;
        }
        TreeMap<String, String> labels = new TreeMap<>(template.labels());
        labels.remove(ReplicaSet.POD_TEMPLATE_HASH);
        return new PodTemplate(labels, template.annotations(), template.spec());
    }

    private static Optional<ReplicaSet> sameRevision(List<ReplicaSet> replicaSets, Deployment d) {
        OptionalInt revision = d.revision();
        if (revision.isEmpty()) {
            return Optional.empty();
        }
        return replicaSets.stream().filter(rs -> rs.revision().equals(revision)).findFirst();
    }

    private static Optional<RollingUpdateFenceposts> fenceposts(Deployment d, String strategy, int desired) {
        if (!KubectlStatus.ROLLING_UPDATE.equals(strategy) || desired < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(RollingUpdateFenceposts.resolve(d.spec().strategy().maxSurge(),
                    d.spec().strategy().maxUnavailable(), desired));
        } catch (ArithmeticException absurd) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ StatefulSet

    static RolloutStructure statefulSet(Snapshot snapshot, StatefulSet s) {
        List<Pod> pods = snapshot.controlledBy(s, Pod.class);
        String updateRevision = s.status().updateRevision();
        List<Pod> newPods = new ArrayList<>();
        List<Pod> oldPods = new ArrayList<>();
        for (Pod pod : pods) {
            boolean updated = !updateRevision.isEmpty()
                    && updateRevision.equals(pod.metadata().labels().get(CONTROLLER_REVISION_HASH));
            (updated ? newPods : oldPods).add(pod);
        }
        int desired = s.spec().desiredReplicas();
        StatefulSet.Status st = s.status();
        ReplicaCounts reported = new ReplicaCounts(desired, st.replicas(), st.updatedReplicas(), st.readyReplicas(),
                st.availableReplicas(), Math.max(0, desired - st.availableReplicas()), OptionalInt.empty(),
                OptionalInt.empty());
        PodCounting counting = new PodCounting(s.spec().minReadySeconds(), snapshot.capturedAt());
        return new RolloutStructure(s.ref(), effective(s.spec().updateStrategy().type()), Optional.empty(),
                RolloutStructure.NewReplicaSetMatch.NOT_APPLICABLE, List.of(), new TreeMap<>(), updateRevision,
                Optional.empty(), pods, newPods, oldPods, Optional.empty(), reported,
                counting.count(desired, pods, newPods));
    }

    // ------------------------------------------------------------------ DaemonSet

    /**
     * A DaemonSet pod is updated when its {@code pod-template-generation} label equals the DaemonSet's template
     * generation, or its {@code controller-revision-hash} equals the current revision's hash (the controller's
     * {@code IsPodUpdated}). ControllerRevisions are rarely captured, so the hash is taken from a pod of the current
     * generation. The generation comes from the annotation the API server keeps; without it, from the highest
     * generation any pod carries.
     */
    static RolloutStructure daemonSet(Snapshot snapshot, DaemonSet ds) {
        List<Pod> pods = snapshot.controlledBy(ds, Pod.class);
        OptionalLong generation = templateGeneration(ds, pods);
        String generationText = generation.isPresent() ? Long.toString(generation.getAsLong()) : "";
        String hash = pods.stream()
                .filter(p -> !generationText.isEmpty() && generationText.equals(p.metadata().labels().get(POD_TEMPLATE_GENERATION)))
                .map(p -> p.metadata().labels().getOrDefault(CONTROLLER_REVISION_HASH, ""))
                .filter(h -> !h.isEmpty())
                .findFirst().orElse("");
        List<Pod> newPods = new ArrayList<>();
        List<Pod> oldPods = new ArrayList<>();
        for (Pod pod : pods) {
            Map<String, String> labels = pod.metadata().labels();
            boolean updated = !generationText.isEmpty() && generationText.equals(labels.get(POD_TEMPLATE_GENERATION))
                    || !hash.isEmpty() && hash.equals(labels.get(CONTROLLER_REVISION_HASH));
            (updated ? newPods : oldPods).add(pod);
        }
        DaemonSet.Status st = ds.status();
        int desired = st.desiredNumberScheduled();
        ReplicaCounts reported = new ReplicaCounts(desired, st.currentNumberScheduled(), st.updatedNumberScheduled(),
                st.numberReady(), st.numberAvailable(), st.numberUnavailable(), OptionalInt.empty(), OptionalInt.empty());
        PodCounting counting = new PodCounting(ds.spec().minReadySeconds(), snapshot.capturedAt());
        return new RolloutStructure(ds.ref(), effective(ds.spec().updateStrategy().type()), Optional.empty(),
                RolloutStructure.NewReplicaSetMatch.NOT_APPLICABLE, List.of(), new TreeMap<>(), hash, Optional.empty(), pods,
                newPods, oldPods, Optional.empty(), reported, counting.count(desired, pods, newPods));
    }

    private static OptionalLong templateGeneration(DaemonSet ds, List<Pod> pods) {
        Optional<String> annotated = ds.metadata().annotation(DAEMONSET_TEMPLATE_GENERATION);
        if (annotated.isPresent()) {
            GoText.ParsedInt parsed = GoText.parseInt64(annotated.get());
            if (parsed.ok()) {
                return OptionalLong.of(parsed.value());
            }
        }
        TreeSet<Long> seen = new TreeSet<>();
        for (Pod pod : pods) {
            String label = pod.metadata().labels().getOrDefault(POD_TEMPLATE_GENERATION, "");
            GoText.ParsedInt parsed = GoText.parseInt64(label);
            if (parsed.ok()) {
                seen.add(parsed.value());
            }
        }
        return seen.isEmpty() ? OptionalLong.empty() : OptionalLong.of(seen.last());
    }

    private static String effective(String strategyType) {
        return strategyType.isEmpty() ? KubectlStatus.ROLLING_UPDATE : strategyType;
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rollout.RolloutStructure;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The pod creations a rollout's controllers were refused at admission: their {@code FailedCreate} events and
 * {@code ReplicaFailure} conditions, per controller (each ReplicaSet of a Deployment that still lacks pods; the
 * StatefulSet or DaemonSet itself). The newest refusal of a controller is what blocks it now: admission runs its
 * steps in order, so an older refusal of another kind was passed since.
 */
final class AdmissionFailures {

    static final String FAILED_CREATE = "FailedCreate";
    static final String REPLICA_FAILURE = "ReplicaFailure";

    private AdmissionFailures() {
    }

    /**
     * One controller's refusals.
     *
     * @param controller the ReplicaSet, StatefulSet or DaemonSet that creates the pods (or the Deployment, when only its
     *                   copied condition tells)
     * @param events     its FailedCreate events, oldest first
     * @param condition  its {@code ReplicaFailure=True} condition, if any (it keeps the first failure's message)
     * @param missing    how many pods it still has to create (at least 1)
     */
    record Refusals(KubeObject controller, List<Event> events, Optional<Condition> condition, int missing) {

        Refusals {
            Objects.requireNonNull(controller, "controller");
            events = List.copyOf(events);
            Objects.requireNonNull(condition, "condition");
        }

        /** The newest refusal's text: the newest event's message, else the condition's. */
        String latest() {
            return events.isEmpty() ? condition.map(Condition::message).orElse("") : events.get(events.size() - 1).message();
        }

        Optional<Instant> latestAt() {
            return events.isEmpty() ? condition.flatMap(Condition::lastTransitionTime) : events.get(events.size() - 1).lastSeen();
        }

        /** The events whose message passes the filter, newest {@code n}. */
        List<Event> newest(Predicate<String> sameFailure, int n) {
            return EventQuery.last(events.stream().filter(e -> sameFailure.test(e.message())).toList(), n);
        }

        /** Evidence: the newest matching events, and the condition when it says the same. */
        List<Evidence> evidence(Predicate<String> sameFailure, int events) {
            List<Evidence> out = new ArrayList<>();
            newest(sameFailure, events).forEach(e -> out.add(Evidence.event(e)));
            condition.filter(c -> sameFailure.test(c.message()))
                    .ifPresent(c -> out.add(conditionEvidence(controller, c)));
            return out;
        }
    }

    /** The refusals of every controller of the rollout that still lacks pods: the new ReplicaSet first. */
    static List<Refusals> of(Snapshot snapshot, RolloutStatus status) {
        List<Refusals> out = new ArrayList<>();
        KubeObject workload = status.workload();
        if (workload instanceof Deployment d) {
            RolloutStructure s = status.structure();
            List<ReplicaSet> sets = new ArrayList<>();
            s.newReplicaSet().ifPresent(sets::add);
            sets.addAll(s.oldReplicaSets());
            boolean podsKnown = podsKnown(snapshot);
            for (ReplicaSet rs : sets) {
                Optional<Condition> condition = replicaFailure(rs.status().conditions());
                int live = live(s.podsOf(rs));
                int have = podsKnown ? Math.min(live, rs.status().replicas()) : rs.status().replicas();
                int missing = rs.spec().desiredReplicas() - have;
                if (missing <= 0 && condition.isEmpty()) {
                    continue;
                }
                List<Event> events = EventQuery.about(snapshot, rs, FAILED_CREATE);
                if (!events.isEmpty() || condition.isPresent()) {
                    out.add(new Refusals(rs, events, condition, Math.max(1, missing)));
                }
            }
            if (out.isEmpty()) {
                replicaFailure(d.status().conditions()).ifPresent(c -> out.add(new Refusals(d, List.of(), Optional.of(c),
                        Math.max(1, d.spec().desiredReplicas() - s.reported().updated()))));
            }
            return out;
        }
        List<Event> events = EventQuery.about(snapshot, workload, FAILED_CREATE);
        if (!events.isEmpty()) {
            var counts = podsKnown(snapshot) ? status.structure().counted() : status.structure().reported();
            int missing = counts.desired() - counts.replicas();
            out.add(new Refusals(workload, events, Optional.empty(), Math.max(1, missing)));
        }
        return out;
    }

    /** The Deployment's own {@code ReplicaFailure=True} condition, copied from its ReplicaSets. */
    static Optional<Condition> workloadCondition(KubeObject workload) {
        return workload instanceof Deployment d ? replicaFailure(d.status().conditions()) : Optional.empty();
    }

    static Evidence conditionEvidence(KubeObject object, Condition c) {
        return Evidence.field(object, "status.conditions[ReplicaFailure]", c.status() + " " + c.reason() + ": " + c.message(),
                c.lastTransitionTime());
    }


    /** {@code spec.template.spec.containers[0]} or {@code spec.template.spec.initContainers[1]} for a container name. */
    static String containerPath(PodTemplate template, String container) {
        List<dev.rolloutdoctor.model.Container> init = template.spec().initContainers();
        for (int i = 0; i < init.size(); i++) {
            if (init.get(i).name().equals(container)) {
                return "spec.template.spec.initContainers[" + i + "]";
            }
        }
        List<dev.rolloutdoctor.model.Container> app = template.spec().containers();
        for (int i = 0; i < app.size(); i++) {
            if (app.get(i).name().equals(container)) {
                return "spec.template.spec.containers[" + i + "]";
            }
        }
        return "spec.template.spec.containers[" + container + "]";
    }

    /** "1 pod" / "3 pods". */
    static String pods(long n) {
        return n + (n == 1 ? " pod" : " pods");
    }

    /** "the new pods of Deployment shop/web", "pods of old ReplicaSet web-1 of ...", "pods of StatefulSet shop/db". */
    static String podsOf(RolloutStatus status, Refusals r) {
        KubeObject workload = status.workload();
        Optional<ReplicaSet> newRs = status.structure().newReplicaSet();
        if (r.controller() instanceof ReplicaSet rs && newRs.isPresent() && newRs.get() != rs) {
            return "pods of old ReplicaSet " + rs.metadata().name() + " of " + workload.ref();
        }
        return podsPhrase(workload);
    }

    static String podsPhrase(KubeObject workload) {
        return workload.kind().equals("Deployment") ? "the new pods of " + workload.ref() : "the pods of " + workload.ref();
    }

    /** "ReplicaSet shop/web-5d8f7c9b6 failed to create pods 12 times (FailedCreate): ...", in one sentence. */
    static String refusal(Refusals r) {
        KubeObject c = r.controller();
        int times = r.events().stream().mapToInt(e -> e.occurrences()).sum();
        String how = r.events().isEmpty() ? "reports ReplicaFailure=True FailedCreate" : "failed to create pods"
                + (times > 1 ? " " + times + " times" : "") + " (FailedCreate)";
        return c.ref() + " " + how + ": the API server's admission refused them.";
    }

    private static Optional<Condition> replicaFailure(List<Condition> conditions) {
        return Condition.find(conditions, REPLICA_FAILURE).filter(Condition::isTrue);
    }

    private static boolean podsKnown(Snapshot snapshot) {
        return !snapshot.objects(Pod.class).isEmpty() || snapshot.collectedKinds().contains("Pod");
    }

    private static int live(List<Pod> pods) {
        return (int) pods.stream().filter(p -> !p.isTerminating() && !p.isTerminal()).count();
    }
}

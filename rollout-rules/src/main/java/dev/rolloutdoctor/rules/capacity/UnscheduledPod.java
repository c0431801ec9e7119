package dev.rolloutdoctor.rules.capacity;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.messages.FailedSchedulingMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.time.Instant;
import java.util.Optional;

/**
 * A pod the scheduler has not bound to a node, with the scheduler's latest word on it: its {@code PodScheduled}
 * condition and its {@code FailedScheduling} events (core/v1 or events.k8s.io), and the message read from them.
 *
 * @param pod       the pod: not bound, not being deleted, not finished
 * @param condition its {@code PodScheduled} condition, if present
 * @param events    its FailedScheduling events, oldest first
 * @param message   the scheduler's reasons: from the condition when it is {@code False} and readable (it holds the
 *                  latest attempt), else from the newest readable event
 */
public record UnscheduledPod(Pod pod, Optional<Condition> condition, List<Event> events,
                             Optional<FailedSchedulingMessage> message) {

    public UnscheduledPod {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(condition, "condition");
        events = List.copyOf(events);
        Objects.requireNonNull(message, "message");
    }

    /** The pods among {@code pods} that wait for the scheduler, in the given order. */
    public static List<UnscheduledPod> of(Snapshot snapshot, Collection<Pod> pods) {
        List<UnscheduledPod> out = new ArrayList<>();
        for (Pod p : pods) {
            if (p.isScheduled() || p.isTerminating() || p.isTerminal()) {
                continue;
            }
            Optional<Condition> condition = p.status().condition("PodScheduled");
            List<Event> events = snapshot.eventsFor(p).stream()
                    .filter(e -> FailedSchedulingMessage.REASON.equals(e.reason())).toList();
            out.add(new UnscheduledPod(p, condition, events, message(condition, events)));
        }
        return List.copyOf(out);
    }

    private static Optional<FailedSchedulingMessage> message(Optional<Condition> condition, List<Event> events) {
        Optional<FailedSchedulingMessage> fromCondition = condition.filter(Condition::isFalse)
                .flatMap(c -> FailedSchedulingMessage.parse(c.message()));
        if (fromCondition.isPresent()) {
            return fromCondition;
        }
        for (int i = events.size() - 1; i >= 0; i--) {
            Optional<FailedSchedulingMessage> m = FailedSchedulingMessage.parse(events.get(i).message());
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    /** The newest FailedScheduling event. */
    public Optional<Event> latestEvent() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }

    /** True while scheduling gates ({@code spec.schedulingGates}) hold the pod back: the scheduler has not tried it. */
    public boolean gated() {
        return !pod.spec().schedulingGates().isEmpty()
                || condition.map(c -> "SchedulingGated".equals(c.reason())).orElse(false);
    }

    /** When the scheduler last said something about the pod: the newest event, else the condition's transition. */
    public Optional<Instant> lastAttempt() {
        Optional<Instant> event = latestEvent().flatMap(Event::lastSeen);
        return event.isPresent() ? event : condition.flatMap(Condition::lastTransitionTime);
    }

    /** The newest FailedScheduling event whose message gives the scheduler's reasons (not {@code skip schedule deleting pod}). */
    public Optional<Event> latestReadableEvent() {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (FailedSchedulingMessage.parse(events.get(i).message()).isPresent()) {
                return Optional.of(events.get(i));
            }
        }
        return Optional.empty();
    }

    /** The facts to show: the {@code PodScheduled} condition when False, and the newest readable FailedScheduling event. */
    public List<Evidence> evidence() {
        List<Evidence> out = new ArrayList<>();
        condition.filter(Condition::isFalse).ifPresent(c -> out.add(Evidence.field(pod, "status.conditions[PodScheduled]",
                c.status() + " " + c.reason() + ": " + c.message(), c.lastTransitionTime())));
        latestReadableEvent().or(this::latestEvent).ifPresent(e -> out.add(Evidence.event(e)));
        return List.copyOf(out);
    }
}

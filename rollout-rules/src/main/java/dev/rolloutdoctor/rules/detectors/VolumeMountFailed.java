package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.messages.VolumeEventMessage;
import dev.rolloutdoctor.rules.messages.VolumeEventMessage.Cause;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * New pods stuck in ContainerCreating because kubelet cannot set up one of their volumes: kubelet mounts every volume
 * before it starts any container, so one missing ConfigMap, a host path of the wrong type, an unregistered CSI driver
 * or a failing NFS server holds the pods, and the rollout, until it is fixed.
 */
@Rule(id = "volume-mount-failed", title = "Volume cannot be mounted", severity = Severity.ERROR, layer = Layer.POD,
        description = "Kubelet cannot attach or mount a volume of the new pods (FailedMount, FailedAttachVolume, "
                + "FailedMapVolume): a missing ConfigMap, Secret or key, a hostPath type check, a CSI driver that is not "
                + "registered, a failing mount; the pods stay ContainerCreating.")
public final class VolumeMountFailed implements Detector {

    static final Set<String> REASONS = Set.of("FailedMount", "FailedAttachVolume", "FailedMapVolume");

    /** A pod stuck this long without any volume event is checked against the snapshot's ConfigMaps and Secrets. */
    private static final Duration QUIET_STUCK = Duration.ofMinutes(2);

    /**
     * One failure of one volume, aggregated over the pods that hit it.
     *
     * @param volume the volume as the event names it ("" for a timeout over several)
     */
    record Failure(String operation, String volume, Cause cause, Optional<Volume> podVolume, Confidence confidence,
                   Set<Pod> pods, List<Event> events) {

        Failure {
            pods = Collections.unmodifiableSet(new LinkedHashSet<>(pods));
            events = List.copyOf(events);
        }

        String key() {
            return cause.type() + "|" + volume + "|" + cause.name() + "|" + (cause.type() == Cause.Type.OTHER ? cause.detail() : "");
        }
    }

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            for (Failure f : failures(context, status)) {
                findings.add(MountFailureText.finding(context, status, f));
            }
        }
        return findings;
    }

    private static List<Failure> failures(DetectionContext context, RolloutStatus status) {
        Snapshot snapshot = context.snapshot();
        KubeObject workload = status.workload();
        List<Pod> waiting = status.structure().newPods().stream()
                .filter(p -> PodVolumes.waitingToStart(p) && !p.spec().nodeName().isEmpty()).toList();
        Map<String, Failure> byKey = new TreeMap<>();
        Set<Pod> explained = new HashSet<>();
        Map<Pod, List<VolumeEventMessage.TimedOut>> timeouts = new TreeMap<>(Comparator.comparing(Pod::ref));
        Map<Pod, Event> timeoutEvents = new TreeMap<>(Comparator.comparing(Pod::ref));
        Set<String> heldElsewhere = new HashSet<>();
        Set<Pod> attachBlocked = new HashSet<>();
        for (Pod pod : waiting) {
            for (Event e : EventQuery.about(snapshot, List.of(pod), REASONS)) {
                Optional<VolumeEventMessage> parsed = VolumeEventMessage.parse(e.message());
                if (parsed.isEmpty()) {
                    add(byKey, new Failure(e.reason(), "", new Cause(Cause.Type.OTHER, "", e.message()), Optional.empty(),
                            Confidence.HIGH, Set.of(pod), List.of(e)));
                    explained.add(pod);
                } else if (parsed.get() instanceof VolumeEventMessage.MultiAttach m) {
                    heldElsewhere.add(pod.metadata().name() + "/" + volumeName(snapshot, pod, workload, m.volume()));
                    attachBlocked.add(pod);
                } else if (parsed.get() instanceof VolumeEventMessage.TimedOut t) {
                    timeouts.computeIfAbsent(pod, k -> new ArrayList<>()).add(t);
                    timeoutEvents.put(pod, e);
                } else if (parsed.get() instanceof VolumeEventMessage.OperationFailed op
                        && op.cause().type() != Cause.Type.OBJECT_NOT_REGISTERED) {
                    Optional<Volume> v = PodVolumes.podVolume(snapshot, pod, workload, op.volume());
                    add(byKey, new Failure(op.operation(), op.volume(), op.cause(), v, Confidence.HIGH, Set.of(pod), List.of(e)));
                    explained.add(pod);
                }
            }
        }
        timeouts.forEach((pod, list) -> {
            if (!explained.contains(pod)) {
                fromTimeout(snapshot, pod, list.get(list.size() - 1), timeoutEvents.get(pod), heldElsewhere)
                        .forEach(f -> add(byKey, f));
                explained.add(pod);
            }
        });
        for (Pod pod : waiting) {
            if (!explained.contains(pod) && !attachBlocked.contains(pod) && stuckQuietly(context, pod)) {
                MountInference.missingObjects(snapshot, pod).forEach(f -> add(byKey, f));
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /** The pod volume name behind an event's volume name (a PV name for claims). */
    private static String volumeName(Snapshot snapshot, Pod pod, KubeObject workload, String eventVolume) {
        return PodVolumes.podVolume(snapshot, pod, workload, eventVolume).map(Volume::name).orElse(eventVolume);
    }

    /**
     * A pod with only kubelet's timeout summary: each volume it names that a Multi-Attach does not explain is checked
     * against the snapshot (a missing ConfigMap or Secret), else reported as timed out.
     */
    private static List<Failure> fromTimeout(Snapshot snapshot, Pod pod, VolumeEventMessage.TimedOut t, Event event,
                                             Set<String> heldElsewhere) {
        List<Failure> out = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (String name : t.pending()) {
            if (heldElsewhere.contains(pod.metadata().name() + "/" + name)) {
                continue;
            }
            Optional<Volume> v = pod.spec().volume(name);
            Optional<Failure> inferred = v.flatMap(vol -> MountInference.missingObject(snapshot, pod, vol));
            if (inferred.isPresent()) {
                out.add(withEvent(inferred.get(), event));
            } else {
                open.add(name);
            }
        }
        if (!open.isEmpty()) {
            Optional<Volume> v = open.size() == 1 ? pod.spec().volume(open.get(0)) : Optional.empty();
            out.add(new Failure("MountVolume", String.join(" ", open), new Cause(Cause.Type.OTHER, "", event.message()), v,
                    Confidence.MEDIUM, Set.of(pod), List.of(event)));
        }
        return out;
    }

    private static Failure withEvent(Failure f, Event e) {
        List<Event> events = new ArrayList<>(f.events());
        events.add(e);
        return new Failure(f.operation(), f.volume(), f.cause(), f.podVolume(), f.confidence(), f.pods(), events);
    }

    private static boolean stuckQuietly(DetectionContext context, Pod pod) {
        var created = pod.metadata().creationTimestamp();
        var now = context.capturedAt();
        return created.isPresent() && now.isPresent() && Duration.between(created.get(), now.get()).compareTo(QUIET_STUCK) >= 0;
    }

    private static void add(Map<String, Failure> byKey, Failure f) {
        byKey.merge(f.key(), f, (a, b) -> {
            Set<Pod> pods = new LinkedHashSet<>(a.pods());
            pods.addAll(b.pods());
            List<Event> events = new ArrayList<>(a.events());
            b.events().stream().filter(e -> !events.contains(e)).forEach(events::add);
            Confidence confidence = a.confidence().compareTo(b.confidence()) <= 0 ? a.confidence() : b.confidence();
            return new Failure(a.operation(), a.volume(), a.cause(), a.podVolume().or(b::podVolume), confidence, pods, events);
        });
    }

    /** The name of a ConfigMap or Secret a volume source (or a projection in it) takes, for a kind. */
    static List<String> objectNames(VolumeSource source, String kind) {
        List<String> out = new ArrayList<>();
        if (source instanceof VolumeSource.ConfigMapSource cm && "ConfigMap".equals(kind)) {
            out.add(cm.name());
        } else if (source instanceof VolumeSource.SecretSource s && "Secret".equals(kind)) {
            out.add(s.secretName());
        } else if (source instanceof VolumeSource.ProjectedSource p) {
            p.sources().forEach(inner -> out.addAll(objectNames(inner, kind)));
        }
        return out;
    }
}

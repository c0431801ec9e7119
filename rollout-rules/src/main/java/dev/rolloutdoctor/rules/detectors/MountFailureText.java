package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ConfigMap;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Secret;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.detectors.VolumeMountFailed.Failure;
import dev.rolloutdoctor.rules.messages.VolumeEventMessage.Cause;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The words of a {@code volume-mount-failed} finding: title, explanation, evidence and steps, per cause. */
final class MountFailureText {

    private MountFailureText() {
    }

    static Finding finding(DetectionContext context, RolloutStatus status, Failure failure) {
        KubeObject workload = status.workload();
        List<Pod> pods = failure.pods().stream().sorted(Comparator.comparing(Pod::ref)).toList();
        Pod pod = pods.get(0);
        MountObject object = MountObject.of(context.snapshot(), pod, failure);
        Confidence confidence = object.existsNow() ? Confidence.MEDIUM : failure.confidence();
        Finding.Builder f = Finding.of(VolumeMountFailed.class)
                .workload(workload)
                .confidence(confidence)
                .title(who(workload, pods) + " " + problem(failure, object, pods))
                .explanation(explanation(workload, pods, failure, object));
        object.ref().ifPresent(f::culprit);
        f.culprit(workload);
        evidence(f, pod, failure);
        MountSteps.add(f, workload, pod, failure, object);
        return f.build();
    }

    private static String who(KubeObject workload, List<Pod> pods) {
        return (pods.size() == 1 ? "New pod " + pods.get(0).metadata().name() : PodVolumes.newPods(pods.size()))
                + " of " + workload.ref();
    }

    /** "cannot mount volume host: host path /var/lib/collectd is not a directory". */
    private static String problem(Failure failure, MountObject object, List<Pod> pods) {
        Cause c = failure.cause();
        String verb = failure.operation().startsWith("AttachVolume") ? "cannot attach volume "
                : failure.operation().startsWith("MapVolume") ? "cannot map block volume " : "cannot mount volume ";
        String what = verb + volumeLabel(failure) + ": ";
        String node = nodes(pods);
        return switch (c.type()) {
            case CONFIGMAP_NOT_FOUND -> what + "ConfigMap " + c.name() + " not found";
            case SECRET_NOT_FOUND -> what + "Secret " + c.name() + " not found";
            case CONFIGMAP_KEY_NOT_FOUND, SECRET_KEY_NOT_FOUND -> what + object.kind() + " "
                    + (object.name().isEmpty() ? "" : object.name() + " ") + "has no key " + c.name();
            case HOSTPATH_TYPE_CHECK_FAILED -> what + "host path " + c.name() + " is not a " + c.detail() + " on " + node;
            case CSI_DRIVER_NOT_REGISTERED -> what + "CSI driver " + c.name() + " is not registered on " + node;
            case MOUNT_FAILED -> what + "the mount command failed on " + node
                    + (c.detail().isEmpty() ? "" : " (" + firstLine(c.detail(), 100) + ")");
            case OBJECT_NOT_REGISTERED, OTHER -> isTimeout(failure)
                    ? "cannot start: kubelet timed out mounting volume" + (failure.volume().contains(" ") ? "s " : " ")
                    + String.join(", ", failure.volume().split(" "))
                    : what + failure.operation() + " failed: " + firstLine(c.detail(), 120);
        };
    }

    /** "node node-b", "nodes node-b, node-c": where the pods wait. */
    static String nodes(List<Pod> pods) {
        List<String> names = pods.stream().map(p -> p.spec().nodeName()).filter(n -> !n.isEmpty()).distinct().sorted().toList();
        return (names.size() == 1 ? "node " : "nodes ") + PodVolumes.names(names, 3);
    }

    static boolean isTimeout(Failure failure) {
        return "MountVolume".equals(failure.operation()) && failure.cause().type() == Cause.Type.OTHER;
    }

    private static String volumeLabel(Failure failure) {
        Optional<Volume> v = failure.podVolume();
        if (v.isPresent() && !v.get().name().equals(failure.volume()) && !failure.volume().isEmpty()) {
            return v.get().name() + " (PersistentVolume " + failure.volume() + ")";
        }
        return failure.volume().isEmpty() ? v.map(Volume::name).orElse("") : failure.volume();
    }

    private static String explanation(KubeObject workload, List<Pod> pods, Failure failure, MountObject object) {
        String base = "Kubelet sets up every volume before it starts a pod's containers, so "
                + PodVolumes.names(pods.stream().map(p -> p.metadata().name()).toList(), 3)
                + (pods.size() == 1 ? " stays" : " stay") + " in ContainerCreating and " + workload.ref()
                + " cannot finish its rollout. Kubelet keeps retrying, so the pods start on their own once the cause is fixed. ";
        return (base + MountSteps.why(failure, object, nodes(pods))).strip();
    }

    private static void evidence(Finding.Builder f, Pod pod, Failure failure) {
        failure.podVolume().ifPresent(v -> f.evidence(Evidence.field(pod, "spec.volumes[" + v.name() + "]", describe(v.source()))));
        for (ContainerStatus cs : pod.allContainerStatuses()) {
            if (cs.state().isWaiting()) {
                f.evidence(Evidence.field(pod, "status.containerStatuses[" + cs.name() + "].state.waiting.reason",
                        cs.state().reason().isEmpty() ? "(none)" : cs.state().reason()));
                break;
            }
        }
        List<Event> events = failure.events();
        EventQuery.last(events, 2).forEach(e -> f.evidence(Evidence.event(e)));
    }

    /** A volume source in a few words: {@code hostPath /var/lib/collectd (type Directory)}. */
    static String describe(VolumeSource source) {
        if (source instanceof VolumeSource.HostPathSource h) {
            return "hostPath " + h.path() + (h.hostPathType().isEmpty() ? "" : " (type " + h.hostPathType() + ")");
        }
        if (source instanceof VolumeSource.ConfigMapSource cm) {
            return "configMap " + cm.name() + (cm.keys().isEmpty() ? "" : ", items " + String.join(", ", cm.keys()))
                    + (cm.optional() ? ", optional" : "");
        }
        if (source instanceof VolumeSource.SecretSource s) {
            return "secret " + s.secretName() + (s.keys().isEmpty() ? "" : ", items " + String.join(", ", s.keys()))
                    + (s.optional() ? ", optional" : "");
        }
        if (source instanceof VolumeSource.PersistentVolumeClaimSource pvc) {
            return "persistentVolumeClaim " + pvc.claimName();
        }
        if (source instanceof VolumeSource.ProjectedSource p) {
            return "projected: " + String.join(", ", p.sources().stream().map(MountFailureText::describe).toList());
        }
        return source.type();
    }

    static String firstLine(String text, int max) {
        String line = text.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl).strip();
        }
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    /**
     * The ConfigMap or Secret a failure is about, and what the snapshot says of it.
     *
     * @param kind      {@code ConfigMap}, {@code Secret}, or "" when the failure is about no such object
     * @param existsNow the snapshot holds the object although kubelet did not find it (created since)
     * @param collected whether the snapshot can tell at all
     */
    record MountObject(String kind, String name, String namespace, Optional<KubeObject> found, boolean existsNow,
                       boolean collected, Optional<Boolean> checkedExists) {

        static MountObject of(Snapshot snapshot, Pod pod, Failure failure) {
            Cause c = failure.cause();
            String ns = pod.metadata().namespace();
            String kind;
            String name;
            switch (c.type()) {
                case CONFIGMAP_NOT_FOUND -> { kind = "ConfigMap"; name = c.name(); }
                case SECRET_NOT_FOUND -> { kind = "Secret"; name = c.name(); }
                case CONFIGMAP_KEY_NOT_FOUND -> { kind = "ConfigMap"; name = sourceName(failure, "ConfigMap"); }
                case SECRET_KEY_NOT_FOUND -> { kind = "Secret"; name = sourceName(failure, "Secret"); }
                default -> { kind = ""; name = ""; }
            }
            if (kind.isEmpty() || name.isEmpty()) {
                return new MountObject(kind, name, ns, Optional.empty(), false, false, Optional.empty());
            }
            Optional<KubeObject> found = "ConfigMap".equals(kind)
                    ? snapshot.get(ConfigMap.class, kind, ns, name).map(KubeObject.class::cast)
                    : snapshot.get(Secret.class, kind, ns, name).map(KubeObject.class::cast);
            Optional<Boolean> checked = snapshot.referenceChecks().stream()
                    .filter(r -> r.kind().equals(kind) && r.namespace().equals(ns) && r.name().equals(name))
                    .map(r -> r.exists()).findFirst();
            boolean collected = snapshot.collectedKinds().contains(kind) || checked.isPresent();
            boolean notFound = c.type() == Cause.Type.CONFIGMAP_NOT_FOUND || c.type() == Cause.Type.SECRET_NOT_FOUND;
            boolean named = failure.events().stream().anyMatch(e -> e.message().contains("\"" + name + "\""));
            boolean existsNow = notFound && named && (found.isPresent() || checked.orElse(false));
            return new MountObject(kind, name, ns, found, existsNow, collected, checked);
        }

        private static String sourceName(Failure failure, String kind) {
            return failure.podVolume().map(v -> VolumeMountFailed.objectNames(v.source(), kind))
                    .filter(l -> l.size() == 1).map(l -> l.get(0)).orElse("");
        }

        Optional<ObjectRef> ref() {
            return kind.isEmpty() || name.isEmpty() ? Optional.empty() : Optional.of(ObjectRef.of(kind, namespace, name));
        }

        String lowerKind() {
            return kind.toLowerCase(Locale.ROOT);
        }

        /** The keys of the object as the snapshot holds them. */
        List<String> keys() {
            if (found.isPresent() && found.get() instanceof ConfigMap cm) {
                return cm.keys();
            }
            if (found.isPresent() && found.get() instanceof Secret s) {
                return s.keys();
            }
            return List.of();
        }
    }
}

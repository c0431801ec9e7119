package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.detectors.MountFailureText.MountObject;
import dev.rolloutdoctor.rules.detectors.VolumeMountFailed.Failure;
import dev.rolloutdoctor.rules.messages.VolumeEventMessage.Cause;

import java.util.List;
import java.util.Optional;

/** Why a volume cannot be mounted, and what to do, per cause of a {@code volume-mount-failed} finding. */
final class MountSteps {

    private MountSteps() {
    }

    static String why(Failure failure, MountObject object, String nodes) {
        Cause c = failure.cause();
        String volume = failure.podVolume().map(Volume::name).orElse(failure.volume());
        return switch (c.type()) {
            case CONFIGMAP_NOT_FOUND, SECRET_NOT_FOUND -> inferred(failure, object)
                    ? "Volume " + volume + " takes " + object.kind() + " " + c.name() + ", and the snapshot holds no "
                    + object.kind() + " of that name in namespace " + object.namespace() + ". No event in the snapshot names "
                    + "the failure (events expire after an hour by default): this is inferred from the stuck pods and the "
                    + "snapshot's " + object.kind() + "s" + (object.checkedExists().isPresent()
                    ? ", and the support bundle's " + object.lowerKind() + " collector confirms it does not exist." : ".")
                    : "Volume " + volume + " takes " + object.kind() + " " + c.name() + ", which kubelet did not find in namespace "
                    + object.namespace() + lastTried(failure) + ". " + crossCheck(object);
            case CONFIGMAP_KEY_NOT_FOUND, SECRET_KEY_NOT_FOUND -> "Volume " + volume + " lists key " + c.name() + " in its items, and "
                    + object.kind() + (object.name().isEmpty() ? "" : " " + object.name()) + " has no such key"
                    + (object.keys().isEmpty() ? "." : " (it has " + PodVolumes.names(object.keys(), 8) + ").")
                    + (failure.events().isEmpty() ? " No event says so in the snapshot: this is read from the snapshot's "
                    + object.kind() + "." : "");
            case HOSTPATH_TYPE_CHECK_FAILED -> "Volume " + volume + " is a hostPath volume" + hostPathType(failure)
                    + ": kubelet checks that " + c.name() + " on the node is a " + c.detail() + " before it mounts it, and on "
                    + nodes + " it is not (or does not exist). Only the types ending in OrCreate let kubelet create it.";
            case CSI_DRIVER_NOT_REGISTERED -> "Kubelet on " + nodes + " has no CSI driver " + c.name()
                    + " registered: the driver's node plugin (usually a DaemonSet) is not running there, or the driver "
                    + "is not installed.";
            case MOUNT_FAILED -> "The node's mount command failed: " + c.detail() + ". For NFS and other network storage this is "
                    + "usually the server being unreachable from the node, or refusing the export.";
            case OBJECT_NOT_REGISTERED, OTHER -> MountFailureText.isTimeout(failure)
                    ? "Kubelet gave up waiting for " + String.join(", ", failure.volume().split(" ")) + " to be attached and "
                    + "mounted, and the snapshot holds no event that names the reason (it may have expired)."
                    + failure.podVolume().map(v -> " The volume is " + MountFailureText.describe(v.source()) + ".").orElse("")
                    : "Kubelet reports: " + c.detail();
        };
    }

    private static String lastTried(Failure failure) {
        List<Event> events = failure.events();
        if (events.isEmpty()) {
            return "";
        }
        return events.get(events.size() - 1).lastSeen().map(t -> " (last tried " + t + ")").orElse("");
    }

    /** True when no event names the object: the failure was read from the snapshot, not from kubelet. */
    private static boolean inferred(Failure failure, MountObject object) {
        return failure.events().stream().noneMatch(e -> e.message().contains("\"" + object.name() + "\""));
    }

    private static String crossCheck(MountObject object) {
        if (object.existsNow()) {
            return "The snapshot does hold " + object.kind() + " " + object.name() + ": it was probably created after that, "
                    + "so the pods should start on kubelet's next retry; if they do not, compare the name and namespace.";
        }
        if (object.checkedExists().isPresent()) {
            return "The support bundle's " + object.lowerKind() + " collector confirms it does not exist.";
        }
        if (object.collected()) {
            return "It is not in the snapshot either.";
        }
        return object.kind() + "s were not collected in this snapshot, so whether it exists now cannot be checked.";
    }

    private static String hostPathType(Failure failure) {
        return failure.podVolume().map(Volume::source).filter(VolumeSource.HostPathSource.class::isInstance)
                .map(s -> ((VolumeSource.HostPathSource) s).hostPathType())
                .filter(t -> !t.isEmpty()).map(t -> " of type " + t).orElse("");
    }

    static void add(Finding.Builder f, KubeObject workload, Pod pod, Failure failure, MountObject object) {
        Cause c = failure.cause();
        String ns = pod.ref().namespaceFlag();
        switch (c.type()) {
            case CONFIGMAP_NOT_FOUND -> {
                f.step("Check whether the ConfigMap exists now", "kubectl get configmap " + c.name() + ns);
                f.step("Create it, or fix the name in the pod template", "kubectl create configmap " + c.name() + ns
                        + " --from-file=<file>");
                f.step("Or mark the volume optional: true, if the pods can run without it");
            }
            case SECRET_NOT_FOUND -> {
                f.step("Check whether the Secret exists now", "kubectl get secret " + c.name() + ns);
                f.step("Create it, or fix the name in the pod template", "kubectl create secret generic " + c.name() + ns
                        + " --from-literal=<key>=<value>");
                f.step("Or mark the volume optional: true, if the pods can run without it");
            }
            case CONFIGMAP_KEY_NOT_FOUND, SECRET_KEY_NOT_FOUND -> {
                if (!object.name().isEmpty()) {
                    f.step("See the keys it has (describe shows key names, not secret values)",
                            "kubectl describe " + object.lowerKind() + " " + object.name() + ns);
                }
                f.step("Add key " + c.name() + " to it, or fix items[].key in the pod template");
            }
            case HOSTPATH_TYPE_CHECK_FAILED -> hostPathSteps(f, workload, pod, failure);
            case CSI_DRIVER_NOT_REGISTERED -> {
                f.step("See which CSI drivers are installed", "kubectl get csidrivers");
                f.step("See whether the driver's node plugin runs on node " + pod.spec().nodeName(),
                        "kubectl get pods -A -o wide --field-selector spec.nodeName=" + pod.spec().nodeName());
                f.step("Install the driver, or fix its node DaemonSet (tolerations, node selector) so it runs on every node");
            }
            case MOUNT_FAILED, OBJECT_NOT_REGISTERED, OTHER -> {
                f.step("Read the volume events of the pod", Kubectl.describe(pod));
                if (c.type() == Cause.Type.MOUNT_FAILED) {
                    f.step("Check that node " + pod.spec().nodeName() + " reaches the storage server and that it allows "
                            + "the export to that node");
                }
            }
        }
        f.step("Follow the rollout", Kubectl.rolloutStatus(workload.ref()));
    }

    private static void hostPathSteps(Finding.Builder f, KubeObject workload, Pod pod, Failure failure) {
        String node = pod.spec().nodeName();
        String path = failure.cause().name();
        f.step("Look at the path on node " + node, "kubectl debug node/" + node + " -it --image=busybox -- ls -ld /host" + path);
        Optional<VolumeSource.HostPathSource> host = failure.podVolume().map(Volume::source)
                .filter(VolumeSource.HostPathSource.class::isInstance).map(VolumeSource.HostPathSource.class::cast);
        String type = host.map(VolumeSource.HostPathSource::hostPathType).orElse("");
        if ("Directory".equals(type) || "File".equals(type)) {
            String volume = failure.podVolume().get().name();
            f.step("Create " + path + " on every node the pods may run on, or let kubelet create it with type " + type
                    + "OrCreate", "kubectl patch " + Kubectl.target(workload.ref()) + workload.ref().namespaceFlag()
                    + " -p '{\"spec\":{\"template\":{\"spec\":{\"volumes\":[{\"name\":\"" + volume + "\",\"hostPath\":{\"path\":\""
                    + path + "\",\"type\":\"" + type + "OrCreate\"}}]}}}}'");
        } else {
            f.step("Create " + path + " as a " + failure.cause().detail() + " on every node the pods may run on, or fix the "
                    + "path or type in the pod template");
        }
    }
}

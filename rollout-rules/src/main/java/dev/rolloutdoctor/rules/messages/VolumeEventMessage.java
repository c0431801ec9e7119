package dev.rolloutdoctor.rules.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message of a volume event about a pod ({@code FailedMount}, {@code FailedAttachVolume}, {@code FailedMapVolume}),
 * parsed: a failed volume operation with its error, a Multi-Attach refusal, or kubelet's summary that it gave up
 * waiting. Kubelet and the attach/detach controller write these with {@code GenerateError}-style wrappers
 * ({@code MountVolume.SetUp failed for volume "x" : <error>}) whose inner error comes from the volume plugin; the
 * parser matches the wrapper families of several releases and classifies the inner error into a {@link Cause}.
 */
public sealed interface VolumeEventMessage
        permits VolumeEventMessage.OperationFailed, VolumeEventMessage.MultiAttach, VolumeEventMessage.TimedOut {

    /** The volume the message is about ("" for the summary, which names several). */
    String volume();

    /** Parses one event message; empty when it is none of the known volume message families. */
    static Optional<VolumeEventMessage> parse(String message) {
        String text = VolumeTexts.plain(message);
        Optional<VolumeEventMessage> parsed = MultiAttach.parse(text);
        if (parsed.isEmpty()) {
            parsed = TimedOut.parse(text);
        }
        if (parsed.isEmpty()) {
            parsed = OperationFailed.parse(text);
        }
        return parsed;
    }

    /**
     * A volume operation that failed: {@code MountVolume.SetUp}, {@code MountVolume.MountDevice},
     * {@code MountVolume.WaitForAttach}, {@code AttachVolume.Attach}, {@code MapVolume.SetUpDevice}, ...
     *
     * @param operation the operation as written ({@code MountVolume.SetUp})
     * @param volume    the volume's spec name: the pod's volume name for inline volumes, the PersistentVolume's
     *                  name for claims
     * @param error     the plugin's error as written
     */
    record OperationFailed(String operation, String volume, String error) implements VolumeEventMessage {

        private static final Pattern SHAPE = Pattern.compile(
                "(?s)^(\\w+\\.\\w+) failed for volume \"((?:[^\"\\\\]|\\\\.)*)\"(?: \\(UniqueName: \"[^\"]*\"\\))?"
                        + "(?: pod \"[^\"]*\" \\(UID: \"[^\"]*\"\\))?\\s*:?\\s*(.*)$");

        public OperationFailed {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(volume, "volume");
            Objects.requireNonNull(error, "error");
        }

        static Optional<VolumeEventMessage> parse(String text) {
            Matcher m = SHAPE.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new OperationFailed(m.group(1), VolumeTexts.unquote(m.group(2)), m.group(3).strip()));
        }

        /** What the error means. */
        public Cause cause() {
            return Cause.of(error);
        }

        /** True for attach operations ({@code AttachVolume.Attach}), which the attach/detach controller runs. */
        public boolean isAttach() {
            return operation.startsWith("AttachVolume.");
        }
    }

    /**
     * The attach/detach controller refused to attach a volume that can attach to one node only, because it is attached
     * to (or wanted by pods on) another node.
     *
     * @param usedBy                pods in the same namespace that use the volume on another node, as listed; empty
     *                              when the message names none
     * @param podsInOtherNamespaces how many pods of other namespaces use it (the controller does not name them)
     */
    record MultiAttach(String volume, List<String> usedBy, int podsInOtherNamespaces) implements VolumeEventMessage {

        private static final Pattern PREFIX = Pattern.compile(
                "(?s)^Multi-Attach error for volume \"((?:[^\"\\\\]|\\\\.)*)\"\\s*(.*)$");
        private static final Pattern USED_BY_LOCAL = Pattern.compile(
                "(?s)^Volume is already used by pod\\(s\\) (.+?)(?: and (\\d+) pod\\(s\\) in different namespaces)?\\.?$");
        private static final Pattern USED_BY_OTHERS = Pattern.compile(
                "(?s)^Volume is already used by (\\d+) pod\\(s\\) in different namespaces\\.?$");

        public MultiAttach {
            Objects.requireNonNull(volume, "volume");
            usedBy = List.copyOf(usedBy);
        }

        static Optional<VolumeEventMessage> parse(String text) {
            Matcher m = PREFIX.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            String volume = VolumeTexts.unquote(m.group(1));
            String rest = m.group(2).strip();
            Matcher local = USED_BY_LOCAL.matcher(rest);
            if (local.matches()) {
                List<String> pods = new ArrayList<>();
                for (String p : local.group(1).split(",")) {
                    if (!p.isBlank()) {
                        pods.add(p.strip());
                    }
                }
                int others = local.group(2) == null ? 0 : Integer.parseInt(local.group(2));
                return Optional.of(new MultiAttach(volume, pods, others));
            }
            Matcher others = USED_BY_OTHERS.matcher(rest);
            if (others.matches()) {
                return Optional.of(new MultiAttach(volume, List.of(), Integer.parseInt(others.group(1))));
            }
            return Optional.of(new MultiAttach(volume, List.of(), 0));
        }

        /**
         * True for {@code Volume is already exclusively attached to one node and can't be attached to another}: no pod
         * is named, the attachment itself is what blocks (the pod that used it may be gone).
         */
        public boolean exclusivelyAttached() {
            return usedBy.isEmpty() && podsInOtherNamespaces == 0;
        }
    }

    /**
     * Kubelet's summary after it gave up waiting for a pod's volumes ({@code Unable to attach or mount volumes:
     * unmounted volumes=[...], unattached volumes=[...]: timed out waiting for the condition}, and the older
     * {@code Unable to mount volumes for pod ...: timeout expired waiting for volumes to attach or mount ...}). It
     * names the volumes, not the reason: the reason is in another event.
     *
     * @param unmounted       the pod volumes not mounted yet
     * @param unattached      the pod volumes not attached yet (kubelet lists every volume still in its wait set)
     * @param failedToProcess volumes kubelet could not even process (newer kubelets)
     */
    record TimedOut(List<String> unmounted, List<String> unattached, List<String> failedToProcess) implements VolumeEventMessage {

        private static final Pattern CURRENT = Pattern.compile(
                "(?s)^Unable to attach or mount volumes: unmounted volumes=\\[([^\\]]*)\\], unattached volumes=\\[([^\\]]*)\\]"
                        + "(?:, failed to process volumes=\\[([^\\]]*)\\])?:.*$");
        private static final Pattern OLD = Pattern.compile(
                "(?s)^Unable to mount volumes for pod .*?list of unmounted volumes=\\[([^\\]]*)\\]\\. "
                        + "list of unattached volumes=\\[([^\\]]*)\\].*$");

        public TimedOut {
            unmounted = List.copyOf(unmounted);
            unattached = List.copyOf(unattached);
            failedToProcess = List.copyOf(failedToProcess);
        }

        static Optional<VolumeEventMessage> parse(String text) {
            Matcher m = CURRENT.matcher(text);
            if (m.matches()) {
                return Optional.of(new TimedOut(VolumeTexts.goList(m.group(1)), VolumeTexts.goList(m.group(2)), VolumeTexts.goList(m.group(3))));
            }
            Matcher old = OLD.matcher(text);
            if (old.matches()) {
                return Optional.of(new TimedOut(VolumeTexts.goList(old.group(1)), VolumeTexts.goList(old.group(2)), List.of()));
            }
            return Optional.empty();
        }

        @Override
        public String volume() {
            return "";
        }

        /** The volumes that hold the pod back: unmounted and unprocessed ones, each once, in order. */
        public List<String> pending() {
            List<String> out = new ArrayList<>(unmounted);
            failedToProcess.stream().filter(v -> !out.contains(v)).forEach(out::add);
            return List.copyOf(out);
        }
    }

    /**
     * What a volume plugin's error means.
     *
     * @param type   the family
     * @param name   what the error names: the ConfigMap or Secret, the missing key, the host path, the CSI driver, the
     *               object kubelet has not registered; "" when it names none
     * @param detail for a hostPath check, what the path should have been ({@code directory}); for a failed mount, the
     *               mount command's output; otherwise the error as written
     */
    record Cause(Type type, String name, String detail) {

        /** Families of volume errors. */
        public enum Type {
            /** {@code configmap "x" not found} (older kubelets: {@code configmaps "x" not found}). */
            CONFIGMAP_NOT_FOUND,
            /** {@code secret "x" not found}. */
            SECRET_NOT_FOUND,
            /** {@code configmap references non-existent config key: k}. */
            CONFIGMAP_KEY_NOT_FOUND,
            /** {@code references non-existent secret key: k}. */
            SECRET_KEY_NOT_FOUND,
            /** {@code hostPath type check failed: /p is not a directory}. */
            HOSTPATH_TYPE_CHECK_FAILED,
            /** {@code driver name x not found in the list of registered CSI drivers}. */
            CSI_DRIVER_NOT_REGISTERED,
            /** {@code object "ns"/"x" not registered}: kubelet's cache had not caught up yet, usually transient. */
            OBJECT_NOT_REGISTERED,
            /** The node's mount command failed ({@code mount failed: exit status 32 ... Output: ...}). */
            MOUNT_FAILED,
            /** Any other error. */
            OTHER
        }

        private static final Pattern CONFIGMAP = Pattern.compile("\\bconfigmaps? \"([^\"]+)\" not found");
        private static final Pattern SECRET = Pattern.compile("\\bsecrets? \"([^\"]+)\" not found");
        private static final Pattern CONFIG_KEY = Pattern.compile("configmap references non-existent config key: (\\S+)");
        private static final Pattern SECRET_KEY = Pattern.compile("references non-existent secret key: (\\S+)");
        private static final Pattern HOST_PATH = Pattern.compile("hostPath type check failed: (.+?) is not an? (.+?)\\s*$",
                Pattern.DOTALL);
        private static final Pattern CSI_DRIVER = Pattern.compile(
                "driver name (\\S+) not found in the list of registered CSI drivers");
        private static final Pattern NOT_REGISTERED = Pattern.compile("object \"([^\"]*)\"/\"([^\"]*)\" not registered");
        private static final Pattern MOUNT_OUTPUT = Pattern.compile("(?s)\\bmount failed:.*?Output: (.*)$");

        public Cause {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
        }

        /** Classifies a plugin error. */
        public static Cause of(String error) {
            Matcher m;
            if ((m = CONFIG_KEY.matcher(error)).find()) {
                return new Cause(Type.CONFIGMAP_KEY_NOT_FOUND, m.group(1), error);
            }
            if ((m = SECRET_KEY.matcher(error)).find()) {
                return new Cause(Type.SECRET_KEY_NOT_FOUND, m.group(1), error);
            }
            if ((m = CONFIGMAP.matcher(error)).find()) {
                return new Cause(Type.CONFIGMAP_NOT_FOUND, m.group(1), error);
            }
            if ((m = SECRET.matcher(error)).find()) {
                return new Cause(Type.SECRET_NOT_FOUND, m.group(1), error);
            }
            if ((m = HOST_PATH.matcher(error)).find()) {
                return new Cause(Type.HOSTPATH_TYPE_CHECK_FAILED, m.group(1), m.group(2));
            }
            if ((m = CSI_DRIVER.matcher(error)).find()) {
                return new Cause(Type.CSI_DRIVER_NOT_REGISTERED, m.group(1), error);
            }
            if ((m = NOT_REGISTERED.matcher(error)).find()) {
                return new Cause(Type.OBJECT_NOT_REGISTERED, m.group(2), error);
            }
            if ((m = MOUNT_OUTPUT.matcher(error)).find()) {
                return new Cause(Type.MOUNT_FAILED, "", m.group(1).strip());
            }
            if (error.contains("mount failed:")) {
                return new Cause(Type.MOUNT_FAILED, "", error);
            }
            return new Cause(Type.OTHER, "", error);
        }
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the pods of a volume provisioner by its name ({@code rancher.io/local-path} runs as
 * {@code local-path-provisioner-...}, {@code ebs.csi.aws.com} as {@code ebs-csi-controller-...}), and says whether
 * any of them runs. A heuristic: the name is matched against pod names, images, args and env values.
 */
final class ProvisionerPods {

    private static final Set<String> NOISE = Set.of("io", "com", "net", "org", "dev", "csi", "k8s", "kubernetes",
            "storage", "driver", "cluster", "local", "www", "x-k8s", "sigs");

    private ProvisionerPods() {
    }

    /** True for provisioners built into kube-controller-manager, which have no pods of their own. */
    static boolean isInTree(String provisioner) {
        return provisioner.startsWith("kubernetes.io/");
    }

    /** The pods that look like the provisioner's, sorted; empty when none does or the name is too vague to search. */
    static List<Pod> find(Snapshot snapshot, String provisioner) {
        Optional<String> token = token(provisioner);
        String full = provisioner.toLowerCase(Locale.ROOT);
        List<Pod> out = new ArrayList<>();
        for (Pod pod : snapshot.objects(Pod.class)) {
            String text = haystack(pod);
            boolean named = text.contains(full);
            boolean looksLike = token.isPresent() && text.contains(token.get())
                    && (text.contains("provisioner") || text.contains("csi"));
            if (named || looksLike) {
                out.add(pod);
            }
        }
        return List.copyOf(out);
    }

    /** True when the provisioner's name is specific enough to look for its pods. */
    static boolean searchable(String provisioner) {
        return token(provisioner).isPresent();
    }

    /** True for a pod that runs and is Ready. */
    static boolean running(Pod pod) {
        return !pod.isTerminating() && "Running".equals(pod.status().phase()) && pod.isReady();
    }

    /** How a pod is doing, in a few words: {@code CrashLoopBackOff}, {@code Pending}, {@code Running, not ready}. */
    static String state(Pod pod) {
        if (pod.isTerminating()) {
            return "Terminating";
        }
        for (ContainerStatus cs : pod.allContainerStatuses()) {
            if (cs.state().isWaiting() && !cs.state().reason().isEmpty()) {
                return cs.state().reason();
            }
        }
        String phase = pod.status().phase().isEmpty() ? "no phase" : pod.status().phase();
        return "Running".equals(phase) && !pod.isReady() ? "Running, not ready" : phase;
    }

    /** The field that shows how the pod is doing: a waiting container's reason, else the phase. */
    static Evidence stateEvidence(Pod pod) {
        for (ContainerStatus cs : pod.allContainerStatuses()) {
            if (cs.state().isWaiting() && !cs.state().reason().isEmpty()) {
                return Evidence.field(pod, "status.containerStatuses[" + cs.name() + "].state.waiting.reason", cs.state().reason());
            }
        }
        return Evidence.field(pod, "status.phase", state(pod));
    }

    /**
     * The most telling part of the name: the last path segment ({@code local-path}), else the first domain label
     * that is not a common word ({@code ebs}, {@code longhorn}); empty when that is shorter than three letters.
     */
    static Optional<String> token(String provisioner) {
        String p = provisioner.toLowerCase(Locale.ROOT);
        int slash = p.lastIndexOf('/');
        if (slash >= 0 && slash < p.length() - 1) {
            String last = p.substring(slash + 1);
            return last.length() >= 3 && !NOISE.contains(last) ? Optional.of(last) : Optional.empty();
        }
        for (String label : p.split("\\.")) {
            if (!NOISE.contains(label)) {
                return label.length() >= 3 ? Optional.of(label) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String haystack(Pod pod) {
        StringBuilder text = new StringBuilder(pod.metadata().name());
        for (Container c : pod.spec().allContainers()) {
            text.append(' ').append(c.image());
            c.args().forEach(a -> text.append(' ').append(a));
            for (EnvVar e : c.env()) {
                e.value().ifPresent(v -> text.append(' ').append(v));
            }
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }
}

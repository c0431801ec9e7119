package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerState;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The containers of a rollout's new pods, as the container rules (image pull, config, crash loop, OOM, init) read
 * them: each container status with the pod it belongs to and the paths of its status and spec, grouped by container
 * name so that one failure of one container across many pods makes one finding.
 */
final class NewPodContainers {

    private NewPodContainers() {
    }

    /** One container of one new pod. */
    record Instance(Pod pod, ContainerStatus status, boolean init, int index, Optional<Container> spec) {

        String name() {
            return status.name();
        }

        ObjectRef podRef() {
            return pod.ref();
        }

        /** A native sidecar: an init container with {@code restartPolicy: Always}, which runs beside the app. */
        boolean sidecar() {
            return init && spec.map(Container::isSidecar).orElse(false);
        }

        /** {@code status.containerStatuses[1]} or {@code status.initContainerStatuses[0]}. */
        String statusPath() {
            return "status." + (init ? "initContainerStatuses" : "containerStatuses") + "[" + index + "]";
        }

        ContainerState state() {
            return status.state();
        }

        ContainerState lastState() {
            return status.lastState();
        }

        String image() {
            return spec.map(Container::image).filter(i -> !i.isEmpty()).orElse(status.image());
        }
    }

    /** The new pods that are not being deleted; all new pods when every one is (they are still the evidence there is). */
    static List<Pod> newPods(RolloutStatus status) {
        List<Pod> all = status.structure().newPods();
        List<Pod> live = all.stream().filter(p -> !p.isTerminating()).toList();
        return live.isEmpty() ? all : live;
    }

    /** Every container status of the pods (init containers first), with its spec. */
    static List<Instance> instances(List<Pod> pods) {
        List<Instance> out = new ArrayList<>();
        for (Pod pod : pods) {
            List<ContainerStatus> init = pod.status().initContainerStatuses();
            for (int i = 0; i < init.size(); i++) {
                out.add(new Instance(pod, init.get(i), true, i, specOf(pod.spec().initContainers(), init.get(i).name())));
            }
            List<ContainerStatus> app = pod.status().containerStatuses();
            for (int i = 0; i < app.size(); i++) {
                out.add(new Instance(pod, app.get(i), false, i, specOf(pod.spec().containers(), app.get(i).name())));
            }
        }
        return out;
    }

    /** The instances that match, grouped by container name in the order first seen (pods are sorted, so this is stable). */
    static Map<String, List<Instance>> byContainer(List<Instance> instances, Predicate<Instance> filter) {
        Map<String, List<Instance>> out = new LinkedHashMap<>();
        for (Instance i : instances) {
            if (filter.test(i)) {
                out.computeIfAbsent(i.name(), k -> new ArrayList<>()).add(i);
            }
        }
        return out;
    }

    private static Optional<Container> specOf(List<Container> containers, String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The container of this name in an object's pod template, with its path ({@code spec.template.spec.containers[0]}). */
    static Optional<TemplateContainer> templateContainer(KubeObject owner, String name) {
        Optional<PodTemplate> template = PodTemplate.of(owner);
        if (template.isEmpty()) {
            return Optional.empty();
        }
        List<Container> init = template.get().spec().initContainers();
        for (int i = 0; i < init.size(); i++) {
            if (init.get(i).name().equals(name)) {
                return Optional.of(new TemplateContainer(owner, init.get(i), "spec.template.spec.initContainers[" + i + "]"));
            }
        }
        List<Container> app = template.get().spec().containers();
        for (int i = 0; i < app.size(); i++) {
            if (app.get(i).name().equals(name)) {
                return Optional.of(new TemplateContainer(owner, app.get(i), "spec.template.spec.containers[" + i + "]"));
            }
        }
        return Optional.empty();
    }

    /** A container of a pod template and where it sits. */
    record TemplateContainer(KubeObject owner, Container container, String path) {
    }

    /** The same container in the previous revision's template (the old ReplicaSet the rollout started from). */
    static Optional<TemplateContainer> previous(RolloutStatus status, String name) {
        return status.structure().previousReplicaSet().flatMap(rs -> templateContainer(rs, name));
    }

    /** "3 of 3 new pods of Deployment shop/web", or "the new pod of ..." when there is one. */
    static String podsPhrase(int failing, int total, RolloutStatus status) {
        if (total == 1 && failing == 1) {
            return "The new pod of " + status.ref();
        }
        return failing + " of " + total + " new pods of " + status.ref();
    }

    /** "container app" or "init container migrate", as the title names it. */
    static String containerPhrase(Instance i) {
        return (i.init() && !i.sidecar() ? "init container " : i.sidecar() ? "sidecar container " : "container ") + i.name();
    }

    /**
     * "12m before the capture", or "" when either time is unknown or they coincide (a capture time taken from the
     * newest timestamp in the input is that very moment, which says nothing).
     */
    static String ago(Optional<Instant> at, Optional<Instant> now) {
        if (at.isEmpty() || now.isEmpty() || !at.get().isBefore(now.get().minusSeconds(1))) {
            return "";
        }
        return Durations.format(Duration.between(at.get(), now.get())) + " before the capture";
    }

    /** "the new pod" or "the new pods". */
    static String theNewPods(int n) {
        return n == 1 ? "the new pod" : "the new pods";
    }

    /** The repository of an image reference without its tag or digest ({@code shop/web} of {@code shop/web:1.3}). */
    static String repository(String image) {
        String out = image;
        int at = out.indexOf('@');
        if (at >= 0) {
            out = out.substring(0, at);
        }
        int colon = out.lastIndexOf(':');
        if (colon >= 0 && out.indexOf('/', colon) < 0) {
            out = out.substring(0, colon);
        }
        return out;
    }

    /** A message on one line, cut to {@code max} characters for titles and explanations. */
    static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }

    /** True when the workload can be rolled back to a previous revision with {@code kubectl rollout undo}. */
    static boolean canUndo(RolloutStatus status) {
        return !(status.workload() instanceof Deployment) || status.structure().previousReplicaSet().isPresent();
    }
}

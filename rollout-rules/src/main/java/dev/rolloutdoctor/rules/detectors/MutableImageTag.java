package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.ContainerStatus;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Role;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A workload whose template runs an image by a mutable tag ({@code :latest}, or no tag, which means {@code :latest})
 * rather than a version or a digest: its pods can run different builds, a rollback does not bring the old code
 * back, and a new push under the same tag starts no rollout. One finding per workload, done or not.
 */
@Rule(id = "mutable-image-tag", title = "Mutable image tag", severity = Severity.WARNING, layer = Layer.WORKLOAD,
        role = Role.CONTEXT,
        description = "The pod template names an image by :latest or by no tag (which means :latest) and no digest: "
                + "pods of one template may run different builds, kubectl rollout undo does not bring the old image back, "
                + "and pushing under the same tag starts no rollout. Pin a version tag or, better, a digest.")
public final class MutableImageTag implements Detector {

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.rollouts()) {
            Optional<PodTemplate> template = PodTemplate.of(status.workload());
            if (template.isEmpty()) {
                continue;
            }
            List<Slot> mutable = mutable(template.get());
            if (!mutable.isEmpty()) {
                findings.add(build(status, mutable));
            }
        }
        return findings;
    }

    /** A container of the template and its place: {@code spec.template.spec.initContainers[0]}. */
    private record Slot(Container container, String path) {
    }

    private static List<Slot> mutable(PodTemplate template) {
        List<Slot> out = new ArrayList<>();
        List<Container> init = template.spec().initContainers();
        for (int i = 0; i < init.size(); i++) {
            if (isMutable(init.get(i))) {
                out.add(new Slot(init.get(i), "spec.template.spec.initContainers[" + i + "]"));
            }
        }
        List<Container> app = template.spec().containers();
        for (int i = 0; i < app.size(); i++) {
            if (isMutable(app.get(i))) {
                out.add(new Slot(app.get(i), "spec.template.spec.containers[" + i + "]"));
            }
        }
        return out;
    }

    /** No digest, and a tag of {@code latest} or none at all. */
    static boolean isMutable(Container c) {
        if (c.image().isBlank() || c.imageDigest().isPresent()) {
            return false;
        }
        return c.imageTag().map("latest"::equals).orElse(true);
    }

    private static Finding build(RolloutStatus status, List<Slot> mutable) {
        KubeObject workload = status.workload();
        List<Pod> pods = status.structure().pods().stream().filter(p -> !p.isTerminating()).toList();
        List<Pod> newPods = status.structure().newPods().stream().filter(p -> !p.isTerminating()).toList();
        Finding.Builder f = Finding.of(MutableImageTag.class)
                .workload(workload)
                .culprit(workload)
                .title(title(workload, mutable));
        StringBuilder explanation = new StringBuilder("A tag such as :latest, or no tag at all (which means :latest), names ")
                .append("whatever was pushed last, not one build: pods of the same template can run different code ")
                .append("depending on when their node pulled, kubectl rollout undo brings back the template but not the old ")
                .append("image, and pushing a new image under the same tag starts no rollout.");
        Map<String, String> pins = new TreeMap<>();
        for (Slot s : mutable) {
            Container c = s.container();
            f.evidence(Evidence.field(workload, s.path() + ".image", c.image()));
            explanation.append(' ').append(pullPolicy(c));
            Map<String, List<Pod>> byDigest = digests(pods, c.name());
            if (byDigest.size() > 1) {
                explanation.append(" The pods already run ").append(byDigest.size()).append(" different images for container ")
                        .append(c.name()).append(": ").append(byDigest.entrySet().stream()
                                .map(e -> e.getKey() + " (" + e.getValue().size() + " pod" + (e.getValue().size() == 1 ? "" : "s") + ")")
                                .collect(Collectors.joining(", "))).append('.');
            }
            byDigest.forEach((digest, holders) -> imageIdEvidence(holders.get(0), c.name()).ifPresent(f::evidence));
            chosenDigest(newPods.isEmpty() ? pods : newPods, c.name())
                    .ifPresent(d -> pins.put(c.name(), repository(c.image()) + "@" + d));
        }
        f.explanation(explanation.toString());
        remediation(f, status, mutable, pins, newPods.isEmpty() ? pods : newPods);
        return f.build();
    }

    private static String title(KubeObject workload, List<Slot> mutable) {
        if (mutable.size() == 1) {
            Container c = mutable.get(0).container();
            return workload.ref() + " runs container " + c.name() + " from the mutable image " + shown(c);
        }
        return workload.ref() + " runs " + mutable.size() + " containers from mutable image tags: " + mutable.stream()
                .map(s -> s.container().name() + " (" + shown(s.container()) + ")").collect(Collectors.joining(", "));
    }

    private static String shown(Container c) {
        return c.imageTag().isPresent() ? c.image() : c.image() + ", no tag: :latest";
    }

    private static String pullPolicy(Container c) {
        String effective = c.effectiveImagePullPolicy();
        if (c.imagePullPolicy().isEmpty()) {
            return "Container " + c.name() + " pulls with imagePullPolicy " + effective + " (the default for :latest), so "
                    + "every pod start fetches whatever the tag names at that moment.";
        }
        if ("Always".equals(effective)) {
            return "Container " + c.name() + " pulls with imagePullPolicy Always, so every pod start fetches whatever the "
                    + "tag names at that moment.";
        }
        return "Container " + c.name() + " pulls with imagePullPolicy " + effective + ", so each node keeps the build it "
                + "pulled first and nodes can disagree.";
    }

    /** The repository digests the pods run for a container, each with the pods that run it, sorted by digest. */
    private static Map<String, List<Pod>> digests(List<Pod> pods, String container) {
        Map<String, List<Pod>> out = new TreeMap<>();
        for (Pod p : pods) {
            digest(p, container).ifPresent(d -> out.computeIfAbsent(d, k -> new ArrayList<>()).add(p));
        }
        return out;
    }

    /**
     * The repository digest in a container status's {@code imageID} ({@code docker-pullable://alpine@sha256:...},
     * {@code docker.io/library/nginx@sha256:...}); a bare {@code sha256:...} is a local image id, which no registry
     * serves, so it does not count.
     */
    static Optional<String> digest(Pod pod, String container) {
        return pod.containerStatus(container).map(ContainerStatus::imageID)
                .filter(id -> id.contains("@sha256:"))
                .map(id -> id.substring(id.indexOf('@') + 1));
    }

    /** The digest most of these pods run (ties broken by the digest's text, for a stable answer). */
    private static Optional<String> chosenDigest(List<Pod> pods, String container) {
        return digests(pods, container).entrySet().stream()
                .max(Map.Entry.<String, List<Pod>>comparingByValue((a, b) -> Integer.compare(a.size(), b.size()))
                        .thenComparing(Map.Entry.comparingByKey((a, b) -> b.compareTo(a))))
                .map(Map.Entry::getKey);
    }

    private static Optional<Evidence> imageIdEvidence(Pod pod, String container) {
        return pod.containerStatus(container).map(cs -> Evidence.field(pod, ProbeFacts.statusPath(pod, cs) + ".imageID",
                cs.imageID()));
    }

    /** The image without its tag: {@code registry:5000/shop/web} of {@code registry:5000/shop/web:latest}. */
    static String repository(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }

    private static void remediation(Finding.Builder f, RolloutStatus status, List<Slot> mutable, Map<String, String> pins,
                                    List<Pod> pods) {
        var ref = status.workload().ref();
        if (!pins.isEmpty()) {
            String args = pins.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            f.step("Pin the image" + (pins.size() == 1 ? "" : "s") + " to the digest" + (pins.size() == 1 ? "" : "s")
                            + " the " + (status.structure().newPods().isEmpty() ? "" : "new ") + "pods run now; this "
                            + "changes the template, so the pods roll once, onto the same build",
                    "kubectl set image " + Kubectl.target(ref) + " " + args + Kubectl.ns(ref));
        }
        List<String> unpinned = mutable.stream().map(s -> s.container().name()).filter(n -> !pins.containsKey(n)).toList();
        if (!unpinned.isEmpty()) {
            String example = mutable.stream().filter(s -> unpinned.contains(s.container().name())).findFirst()
                    .map(s -> s.container().name() + "=" + repository(s.container().image()) + ":<version>").orElse("");
            if (pods.isEmpty()) {
                f.step("Pin " + String.join(", ", unpinned) + " to a version tag or a digest in the manifest you deploy "
                        + "from, e.g. kubectl set image " + Kubectl.target(ref) + " " + example + Kubectl.ns(ref));
            } else {
                Pod pod = pods.get(0);
                f.step("Pin " + String.join(", ", unpinned) + " to a version tag or a digest (e.g. " + example
                                + "); the image IDs a pod runs show the digests",
                        "kubectl get pod " + pod.metadata().name() + Kubectl.ns(pod.ref())
                                + " -o jsonpath='{range .status.containerStatuses[*]}{.name}{\"\\t\"}{.imageID}{\"\\n\"}{end}'");
            }
        }
        f.step("Make the pin stick: change the tag in the manifest or chart you deploy from, so the next apply does not "
                + "bring :latest back");
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Secret;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.TemplateContainer;
import dev.rolloutdoctor.rules.messages.ImagePullFailure;
import dev.rolloutdoctor.rules.messages.ImagePullFailure.Reason;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * New pods whose image cannot be pulled never start: kubelet retries with a back-off of up to five minutes and the
 * pods stay Pending in {@code ErrImagePull} / {@code ImagePullBackOff}. Kubelet's labels do not say why; the runtime's
 * error in the waiting message or in the {@code Failed to pull image} events does, and it decides the fix (a tag, a
 * credential, a network path, a certificate).
 */
@Rule(id = "image-pull-failed", title = "Image pull failed", severity = Severity.ERROR, layer = Layer.POD,
        description = "Kubelet cannot pull an image of the new pods (ErrImagePull, ImagePullBackOff, InvalidImageName, "
                + "ErrImageNeverPull), so they never start; the finding tells the registry's real answer (not found, "
                + "access denied, rate limit, network, TLS) from the kubelet's messages and events.")
public final class ImagePullFailed implements Detector {

    static final Set<String> WAITING_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "RegistryUnavailable", "SignatureValidationFailed", "ImageInspectError");

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<Pod> pods = NewPodContainers.newPods(status);
            NewPodContainers.byContainer(NewPodContainers.instances(pods), ImagePullFailed::pulling)
                    .forEach((name, failing) -> findings.add(finding(context, status, pods.size(), failing)));
        }
        return findings;
    }

    private static boolean pulling(Instance i) {
        return i.state().waiting().map(w -> WAITING_REASONS.contains(w.reason())).orElse(false);
    }

    private static Finding finding(DetectionContext context, RolloutStatus status, int total, List<Instance> failing) {
        Snapshot snapshot = context.snapshot();
        Instance first = failing.get(0);
        String image = first.image();
        List<Pod> pods = failing.stream().map(Instance::pod).distinct().toList();
        List<Event> events = EventQuery.about(snapshot, pods, e -> isAbout(e, image));
        ImagePullFailure failure = diagnose(failing, events, image);
        Optional<TemplateContainer> previous = NewPodContainers.previous(status, first.name())
                .filter(p -> !p.container().image().equals(image));
        PullSecrets secrets = PullSecrets.of(snapshot, first.pod(), events);
        ImagePullStory story = new ImagePullStory(status, first, pods.size(), image, failure, previous, secrets);

        Finding.Builder f = Finding.of(ImagePullFailed.class)
                .workload(status.workload())
                .culprit(status.workload())
                .confidence(failure.isKnown() ? Confidence.HIGH : Confidence.MEDIUM)
                .title(NewPodContainers.podsPhrase(pods.size(), total, status) + " cannot pull image " + image
                        + previous.map(p -> " (was " + p.container().image() + ")").orElse("")
                        + (first.init() || first.pod().spec().allContainers().size() > 1 ? " for " + NewPodContainers.containerPhrase(first) : "")
                        + ": " + story.titleReason())
                .explanation(story.explanation(waitingReasons(failing)));
        if (failure.reason() == Reason.UNAUTHORIZED || secrets.hasProblem()) {
            secrets.culprits().forEach(f::culprit);
        }
        f.evidence(evidence(status, failing, events, failure, previous, secrets));
        story.steps(f);
        return f.build();
    }

    /** The runtime's reason: what the waiting states say most often, else the newest pull error event. */
    private static ImagePullFailure diagnose(List<Instance> failing, List<Event> events, String image) {
        Map<Reason, ImagePullFailure> known = new EnumMap<>(Reason.class);
        Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
        for (Instance i : failing) {
            var w = i.state().waiting().orElseThrow();
            ImagePullFailure c = ImagePullFailure.classify(w.reason(), w.message());
            if (c.isKnown()) {
                known.putIfAbsent(c.reason(), c);
                counts.merge(c.reason(), 1, Integer::sum);
            }
        }
        Optional<Reason> common = counts.entrySet().stream()
                .max(Map.Entry.<Reason, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey);
        if (common.isPresent()) {
            return known.get(common.get());
        }
        List<Event> pullEvents = events.stream().filter(e -> !e.reason().equals(PullSecrets.RETRIEVE_FAILED)).toList();
        for (int i = pullEvents.size() - 1; i >= 0; i--) {
            ImagePullFailure c = ImagePullFailure.classify(pullEvents.get(i).message());
            if (c.isKnown()) {
                return c;
            }
        }
        return pullEvents.stream().map(e -> ImagePullFailure.classify(e.message())).filter(c -> !c.cause().isEmpty())
                .reduce((a, b) -> b)
                .orElse(new ImagePullFailure(Reason.UNKNOWN, image, ""));
    }

    private static boolean isAbout(Event e, String image) {
        String m = e.message();
        return switch (e.reason()) {
            case "FailedToRetrieveImagePullSecret" -> true;
            case "Failed", "BackOff", "InspectFailed", "ErrImageNeverPull" -> m.contains("\"" + image + "\"")
                    || m.contains(" " + image + " ");
            default -> false;
        };
    }

    private static String waitingReasons(List<Instance> failing) {
        Set<String> reasons = new TreeSet<>();
        failing.forEach(i -> i.state().waiting().ifPresent(w -> reasons.add(w.reason())));
        return String.join("/", reasons);
    }

    private static List<Evidence> evidence(RolloutStatus status, List<Instance> failing, List<Event> events,
            ImagePullFailure failure, Optional<TemplateContainer> previous, PullSecrets secrets) {
        List<Evidence> out = new ArrayList<>();
        Set<String> seenReasons = new TreeSet<>();
        for (Instance i : failing) {
            var w = i.state().waiting().orElseThrow();
            if (seenReasons.add(w.reason()) && seenReasons.size() <= 2) {
                out.add(Evidence.field(i.pod(), i.statusPath() + ".state.waiting",
                        w.reason() + (w.message().isEmpty() ? "" : ": " + w.message())));
            }
        }
        Instance first = failing.get(0);
        NewPodContainers.templateContainer(status.workload(), first.name()).ifPresent(t -> {
            out.add(Evidence.field(t.owner(), t.path() + ".image", t.container().image()));
            if (failure.reason() == Reason.NEVER_PULL) {
                out.add(Evidence.field(t.owner(), t.path() + ".imagePullPolicy", t.container().effectiveImagePullPolicy()));
            }
        });
        previous.ifPresent(p -> out.add(Evidence.field(p.owner(), p.path() + ".image", p.container().image())));
        List<Event> pullErrors = events.stream().filter(e -> e.reason().equals("Failed") && e.message().startsWith("Failed to pull image")).toList();
        List<Event> other = events.stream().filter(e -> e.reason().equals("InspectFailed") || e.reason().equals("ErrImageNeverPull")).toList();
        List<Event> backOffs = events.stream().filter(e -> e.reason().equals("BackOff")).toList();
        EventQuery.last(pullErrors, 2).forEach(e -> out.add(Evidence.event(e)));
        EventQuery.last(other, 1).forEach(e -> out.add(Evidence.event(e)));
        EventQuery.last(backOffs, 1).forEach(e -> out.add(Evidence.event(e)));
        if (failure.reason() == Reason.UNAUTHORIZED || secrets.hasProblem()) {
            out.addAll(secrets.evidence(first.pod()));
        }
        return out;
    }

    /** Which pull secrets the pods reference and what the snapshot knows of each. */
    record PullSecrets(List<String> names, List<String> missing, List<String> unchecked,
                       List<Secret> present, List<String> notRegistryCredentials,
                       Optional<Event> retrieveFailed, String namespace, String serviceAccount) {

        static final String RETRIEVE_FAILED = "FailedToRetrieveImagePullSecret";

        static PullSecrets of(Snapshot snapshot, Pod pod, List<Event> events) {
            String ns = pod.metadata().namespace();
            List<String> names = pod.spec().imagePullSecrets().stream().filter(n -> !n.isEmpty()).toList();
            Optional<Event> retrieveFailed = events.stream().filter(e -> e.reason().equals(RETRIEVE_FAILED)).reduce((a, b) -> b);
            List<String> missing = new ArrayList<>();
            List<String> unchecked = new ArrayList<>();
            List<Secret> present = new ArrayList<>();
            List<String> wrongType = new ArrayList<>();
            boolean collected = snapshot.collectedKinds().contains("Secret");
            for (String name : names) {
                var secret = snapshot.get(Secret.class, "Secret", ns, name);
                var check = snapshot.referenceChecks().stream()
                        .filter(c -> c.kind().equals("Secret") && c.namespace().equals(ns) && c.name().equals(name)).findFirst();
                if (secret.isPresent()) {
                    present.add(secret.get());
                    if (!isRegistryCredential(secret.get())) {
                        wrongType.add(name);
                    }
                } else if (check.isPresent()) {
                    if (!check.get().exists()) {
                        missing.add(name);
                    }
                } else if (collected || retrieveFailed.map(e -> e.message().contains(name)).orElse(false)) {
                    missing.add(name);
                } else {
                    unchecked.add(name);
                }
            }
            return new PullSecrets(names, missing, unchecked, present, wrongType, retrieveFailed, ns,
                    pod.spec().effectiveServiceAccountName());
        }

        /** Kubelet reads registry credentials only from these two secret types, each under its own key. */
        private static boolean isRegistryCredential(Secret s) {
            return s.type().equals("kubernetes.io/dockerconfigjson") && s.hasKey(".dockerconfigjson")
                    || s.type().equals("kubernetes.io/dockercfg") && s.hasKey(".dockercfg");
        }

        boolean hasProblem() {
            return !missing.isEmpty() || !notRegistryCredentials.isEmpty() || retrieveFailed.isPresent();
        }

        List<ObjectRef> culprits() {
            List<ObjectRef> out = new ArrayList<>();
            missing.forEach(n -> out.add(ObjectRef.of("Secret", namespace, n)));
            notRegistryCredentials.forEach(n -> out.add(ObjectRef.of("Secret", namespace, n)));
            return out;
        }

        List<Evidence> evidence(Pod pod) {
            List<Evidence> out = new ArrayList<>();
            out.add(Evidence.field(pod, "spec.imagePullSecrets", names.isEmpty() ? "(none)" : String.join(", ", names)));
            for (var s : present) {
                if (notRegistryCredentials.contains(s.metadata().name())) {
                    out.add(Evidence.field(s, "type", s.type() + " (keys: " + String.join(", ", s.keys()) + ")"));
                }
            }
            retrieveFailed.ifPresent(e -> out.add(Evidence.event(e)));
            return out;
        }

        /** One or two sentences on the pull secrets, in the snapshot's own terms. */
        String sentence(String registry) {
            StringBuilder s = new StringBuilder();
            if (names.isEmpty()) {
                s.append("The pods reference no imagePullSecrets (none in the pod template, none added by service account ")
                        .append(serviceAccount).append("), so the runtime pulls from ").append(registry)
                        .append(" without credentials, unless the nodes have credentials of their own.");
            }
            if (!missing.isEmpty()) {
                s.append(s.isEmpty() ? "" : " ").append("The pods reference pull secret ").append(String.join(", ", missing))
                        .append(", which does not exist in namespace ").append(namespace).append('.');
            } else if (retrieveFailed.isPresent()) {
                s.append(s.isEmpty() ? "" : " ").append("Kubelet could not retrieve a pull secret: ")
                        .append(retrieveFailed.get().message());
            }
            if (!notRegistryCredentials.isEmpty()) {
                s.append(s.isEmpty() ? "" : " ").append("Pull secret ").append(String.join(", ", notRegistryCredentials))
                        .append(" is not of type kubernetes.io/dockerconfigjson with a .dockerconfigjson key (or kubernetes.io/dockercfg"
                                + " with .dockercfg), so kubelet does not read it as registry credentials.");
            }
            if (!unchecked.isEmpty()) {
                s.append(s.isEmpty() ? "" : " ").append("The pods reference pull secret ").append(String.join(", ", unchecked))
                        .append("; Secrets were not collected, so whether ").append(unchecked.size() == 1 ? "it exists" : "they exist")
                        .append(" cannot be checked.");
            }
            List<String> fine = present.stream().map(p -> p.metadata().name()).filter(n -> !notRegistryCredentials.contains(n)).toList();
            if (!fine.isEmpty() && missing.isEmpty()) {
                s.append(s.isEmpty() ? "" : " ").append("Pull secret ").append(String.join(", ", fine))
                        .append(" exists; its credentials are not in the snapshot, so whether they are valid for ")
                        .append(registry).append(" (not expired, allowed to read this repository) cannot be checked.");
            }
            return s.toString();
        }
    }
}

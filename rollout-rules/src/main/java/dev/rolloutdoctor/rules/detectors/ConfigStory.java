package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.detectors.ContainerConfigMissing.Lookup;
import dev.rolloutdoctor.rules.detectors.ContainerConfigMissing.Lookup.Presence;
import dev.rolloutdoctor.rules.detectors.ContainerConfigMissing.Reference;
import dev.rolloutdoctor.rules.detectors.ContainerConfigMessage.Kind;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a container configuration error means, checked against the snapshot, and what to do about it. */
record ConfigStory(RolloutStatus status, Instance first, String waitingReason, ContainerConfigMessage msg, Lookup lookup,
                   List<Reference> refs) {

    private String ns() {
        return first.pod().metadata().namespace();
    }

    /** {@code secret "db-creds" not found}: the words kubelet uses. */
    private String kubeletWords() {
        return msg.objectKind().toLowerCase(Locale.ROOT) + " \"" + msg.name() + "\" not found";
    }

    private String object() {
        return msg.objectKind() + " " + msg.name();
    }

    Confidence confidence() {
        return switch (msg.kind()) {
            case MISSING_OBJECT -> lookup.presence() == Presence.PRESENT ? Confidence.MEDIUM : Confidence.HIGH;
            case MISSING_KEY -> lookup.hasKey().orElse(false) ? Confidence.MEDIUM : Confidence.HIGH;
            case RUN_AS_NON_ROOT, EXECUTABLE_NOT_FOUND -> Confidence.HIGH;
            default -> Confidence.MEDIUM;
        };
    }

    String titleReason() {
        if (msg.kind() == Kind.MISSING_OBJECT || msg.kind() == Kind.MISSING_KEY && lookup.presence() == Presence.ABSENT) {
            return switch (lookup.presence()) {
                case ABSENT -> object() + " does not exist";
                case PRESENT -> kubeletWords() + " (it exists in the snapshot)";
                case UNKNOWN -> kubeletWords();
            };
        }
        if (msg.kind() == Kind.MISSING_KEY) {
            return lookup.hasKey().map(has -> has
                            ? "couldn't find key " + msg.key() + " in " + object() + " (it has it in the snapshot)"
                            : object() + " has no key " + msg.key())
                    .orElse("couldn't find key " + msg.key() + " in " + msg.objectKind() + " " + ns() + "/" + msg.name());
        }
        return NewPodContainers.abbreviate(msg.message(), 100);
    }

    String explanation() {
        StringBuilder s = new StringBuilder();
        String what = waitingReason + ": " + NewPodContainers.abbreviate(msg.message(), 300);
        if (waitingReason.equals("CreateContainerError")) {
            s.append("The container runtime cannot create ").append(NewPodContainers.containerPhrase(first)).append(" (")
                    .append(what).append("), so the new pods never run it and the rollout cannot progress.");
        } else {
            s.append("Kubelet cannot build the configuration of ").append(NewPodContainers.containerPhrase(first))
                    .append(" (").append(what).append("), so it never creates the container: the new pods stay unready and ")
                    .append("the rollout cannot progress. Kubelet retries on every sync, so the pods start once this is fixed.");
        }
        String fact = fact();
        if (!fact.isEmpty()) {
            s.append(' ').append(fact);
        }
        if (!refs.isEmpty()) {
            s.append(" It is referenced by ").append(refs.stream().map(r -> r.text() + " (" + r.path() + ")")
                    .collect(Collectors.joining("; "))).append('.');
        }
        return s.toString();
    }

    private String fact() {
        return switch (msg.kind()) {
            case MISSING_OBJECT -> objectFact();
            case MISSING_KEY -> keyFact();
            case NOT_REGISTERED -> "Kubelet has not registered the pod's reference to " + msg.name() + " yet: this happens "
                    + "for a short while after kubelet restarts or the pod is created; if it lasts, recreate the pod.";
            case CACHE_NOT_SYNCED -> "Kubelet could not read the " + msg.objectKind() + " from the API server in time "
                    + "(an overloaded API server, or the node authorizer denies the node access).";
            case RUN_AS_NON_ROOT -> "The securityContext sets runAsNonRoot: true, but the image runs as root (UID 0) or as "
                    + "a user name kubelet cannot verify as non-root.";
            case EXECUTABLE_NOT_FOUND -> "The command the container is to run does not exist in the image: check command "
                    + "and args in the template against the image's entrypoint.";
            case NAME_RESERVED -> "The runtime still holds a container of the same name from an earlier attempt; it usually "
                    + "clears by itself, and lasts when the runtime on the node is slow or overloaded.";
            case OTHER -> "";
        };
    }

    private String objectFact() {
        return switch (lookup.presence()) {
            case ABSENT -> lookup.check().isPresent()
                    ? "The support bundle's collector confirms it: " + object() + " does not exist in namespace " + ns() + "."
                    : "The snapshot confirms it: it holds no " + object() + " in namespace " + ns() + ".";
            case PRESENT -> object() + " exists in the snapshot, so it was probably created after kubelet last tried (or "
                    + "captured at another moment than the pods); kubelet retries, so check whether the pods start now.";
            case UNKNOWN -> notCollected() + ", so whether " + msg.objectKind().toLowerCase(Locale.ROOT) + " " + msg.name()
                    + " exists cannot be checked.";
        };
    }

    private String keyFact() {
        if (lookup.presence() == Presence.ABSENT) {
            return "The snapshot holds no " + object() + " at all (deleted after kubelet read it, or never created).";
        }
        if (lookup.presence() == Presence.UNKNOWN) {
            return notCollected() + ", so whether key " + msg.key() + " exists in " + msg.objectKind().toLowerCase(Locale.ROOT)
                    + " " + msg.name() + " cannot be checked.";
        }
        Optional<Boolean> has = lookup.hasKey();
        if (has.isEmpty()) {
            return "The collector saw " + object() + " but did not check key " + msg.key() + ".";
        }
        if (has.get()) {
            return object() + " has key " + msg.key() + " in the snapshot, so it was probably added after kubelet last "
                    + "tried; kubelet retries, so check whether the pods start now.";
        }
        String keys = lookup.keys().isEmpty() ? "" : " (its keys: " + String.join(", ", lookup.keys()) + ")";
        String guess = lookup.lookalike().map(k -> "; did you mean " + k + "?").orElse(".");
        return object() + " exists but has no key " + msg.key() + keys + guess;
    }

    private String notCollected() {
        return msg.objectKind().equals("Secret") ? "Secrets were not collected" : "ConfigMaps were not collected";
    }

    void steps(Finding.Builder f) {
        ObjectRef w = status.ref();
        String edit = "kubectl edit " + Kubectl.target(w) + Kubectl.ns(w);
        switch (msg.kind()) {
            case MISSING_OBJECT -> {
                if (lookup.presence() == Presence.PRESENT) {
                    f.step("Check whether the new pods start now (kubelet retries on its own)", Kubectl.describe(first.podRef()));
                } else {
                    f.step("Create " + object() + (keys().isEmpty() ? "" : " with the keys the template reads"), create());
                    referenceSteps(f, edit);
                }
            }
            case MISSING_KEY -> {
                if (lookup.presence() == Presence.ABSENT) {
                    f.step("Create " + object() + " with the keys the template reads", create());
                    referenceSteps(f, edit);
                } else if (lookup.hasKey().orElse(false)) {
                    f.step("Check whether the new pods start now (kubelet retries on its own)", Kubectl.describe(first.podRef()));
                } else {
                    f.step("Add key " + msg.key() + " to " + object(), addKey());
                    f.step("Or point the reference at a key that exists"
                            + lookup.lookalike().map(k -> " (" + k + "?)").orElse(""), edit);
                }
            }
            case NOT_REGISTERED, NAME_RESERVED -> f.step("If it lasts more than a few minutes, recreate the pod",
                    "kubectl delete pod " + first.pod().metadata().name() + Kubectl.ns(first.podRef()));
            case RUN_AS_NON_ROOT -> f.step("Run the pods as a non-root UID the image supports (or build the image with a "
                    + "numeric non-root USER)", "kubectl patch " + Kubectl.target(w) + Kubectl.ns(w)
                    + " -p '{\"spec\":{\"template\":{\"spec\":{\"securityContext\":{\"runAsUser\":<uid>}}}}}'");
            case EXECUTABLE_NOT_FOUND -> f.step("Compare the template's command with what the image contains",
                    "kubectl get " + Kubectl.target(w) + Kubectl.ns(w) + " -o jsonpath='{.spec.template.spec."
                            + (first.init() ? "initContainers" : "containers") + "[?(@.name==\"" + first.name()
                            + "\")].command}'");
            case CACHE_NOT_SYNCED, OTHER -> f.step("Read kubelet's full message and events", Kubectl.describe(first.podRef()));
        }
        if (NewPodContainers.canUndo(status)) {
            f.step("Roll back to the previous revision while you fix it", Kubectl.rolloutUndo(w));
        }
    }

    private void referenceSteps(Finding.Builder f, String edit) {
        if (!refs.isEmpty()) {
            f.step("Or, if the name is wrong, fix the reference at " + refs.get(0).path(), edit);
        }
        f.step("If the container can run without it, mark the reference optional: true");
    }

    private List<String> keys() {
        return List.copyOf(refs.stream().map(Reference::key).filter(k -> !k.isEmpty()).collect(Collectors.toCollection(TreeSet::new)));
    }

    private String create() {
        List<String> keys = keys();
        String data = keys.isEmpty() ? " --from-env-file=<file>"
                : keys.stream().map(k -> " --from-literal=" + k + "=<value>").collect(Collectors.joining());
        String verb = msg.objectKind().equals("Secret") ? "kubectl create secret generic " : "kubectl create configmap ";
        return verb + msg.name() + data + " -n " + ns();
    }

    private String addKey() {
        String field = msg.objectKind().equals("Secret") ? "stringData" : "data";
        return "kubectl patch " + msg.objectKind().toLowerCase(Locale.ROOT) + " " + msg.name() + " -n " + ns()
                + " --type merge -p '{\"" + field + "\":{\"" + msg.key() + "\":\"<value>\"}}'";
    }
}

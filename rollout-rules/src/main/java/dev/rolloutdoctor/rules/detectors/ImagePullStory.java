package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.detectors.ImagePullFailed.PullSecrets;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.TemplateContainer;
import dev.rolloutdoctor.rules.messages.ImagePullFailure;
import dev.rolloutdoctor.rules.messages.ImagePullFailure.Reason;

import java.util.Optional;

/** What an image pull failure means and what to do about it, per reason, with the real names filled in. */
record ImagePullStory(RolloutStatus status, Instance first, int pods, String image, ImagePullFailure failure,
                      Optional<TemplateContainer> previous, PullSecrets secrets) {

    private static final int CAUSE_IN_TITLE = 100;
    private static final int CAUSE_IN_TEXT = 400;

    String registry() {
        return ImagePullFailure.registryOf(image);
    }

    private String node() {
        return first.pod().spec().nodeName();
    }

    private String onNode() {
        return node().isEmpty() ? "" : " " + node();
    }

    String titleReason() {
        if (failure.isKnown()) {
            return failure.reason().summary();
        }
        return failure.cause().isEmpty() ? "the pull error is not in the snapshot"
                : "the runtime says: " + NewPodContainers.abbreviate(failure.cause(), CAUSE_IN_TITLE);
    }

    String explanation(String waitingReasons) {
        StringBuilder s = new StringBuilder()
                .append("Kubelet cannot pull image ").append(image).append(" for ").append(NewPodContainers.containerPhrase(first))
                .append(", so ").append(NewPodContainers.theNewPods(pods)).append(" wait").append(pods == 1 ? "s" : "")
                .append(" in ").append(waitingReasons).append(" and never start").append(pods == 1 ? "s" : "")
                .append("; the rollout cannot progress until ").append(pods == 1 ? "it does. " : "they do. ")
                .append(reasonSentence());
        if (!failure.cause().isEmpty()) {
            s.append(" The runtime said: \"").append(NewPodContainers.abbreviate(failure.cause(), CAUSE_IN_TEXT)).append("\".");
        }
        previous.ifPresent(p -> s.append(' ').append(previousSentence(p.container().image())));
        if (failure.reason() == Reason.UNAUTHORIZED || secrets.hasProblem()) {
            String more = secrets.sentence(registry());
            if (!more.isEmpty()) {
                s.append(' ').append(more);
            }
        }
        return s.toString();
    }

    private String reasonSentence() {
        String registry = registry();
        return switch (failure.reason()) {
            case NOT_FOUND -> "The registry " + registry + " has no such image: the repository, tag or digest does not exist.";
            case UNAUTHORIZED -> "The registry " + registry + " refused the pull: credentials are missing, wrong or expired, "
                    + "or do not allow reading this repository"
                    + (failure.cause().contains("repository does not exist") ? " (Docker answers the same way for a "
                    + "repository that does not exist)" : "") + ".";
            case RATE_LIMITED -> "The registry " + registry + " throttles pulls from this node: Docker Hub and others limit "
                    + "anonymous and free-account pulls per source address.";
            case NETWORK -> "The node" + onNode() + " cannot reach " + registry
                    + ": name resolution, routing, a firewall or proxy, or the registry itself fails.";
            case TLS -> "The TLS connection to " + registry + " failed: the node's container runtime does not trust the "
                    + "registry's certificate, the certificate does not match the host name, or the registry speaks plain HTTP.";
            case PLATFORM -> "The image exists, but has no variant for the operating system and architecture of node"
                    + onNode() + ".";
            case INVALID_NAME -> image + " is not a valid image reference, so kubelet does not try to pull it.";
            case NEVER_PULL -> "imagePullPolicy is Never and the image is not on node" + onNode()
                    + ": kubelet only runs images already present.";
            case REGISTRY_UNAVAILABLE -> "The container runtime reports the registry " + registry + " unavailable.";
            case SIGNATURE -> "The container runtime's signature policy rejected the image.";
            case UNKNOWN -> failure.cause().isEmpty()
                    ? "The snapshot holds only the back-off, not the pull error: the kubelet events that carry the registry's "
                    + "answer (reason Failed, \"Failed to pull image\") were not captured or have expired (events are kept "
                    + "for one hour by default)."
                    : "The error is of no kind rollout-doctor knows.";
        };
    }

    private String previousSentence(String before) {
        String repo = NewPodContainers.repository(image);
        if (repo.equals(NewPodContainers.repository(before))) {
            return failure.reason() == Reason.NOT_FOUND || failure.reason() == Reason.UNKNOWN
                    ? "Only the tag changed from the previous revision (" + before + "), so a mistyped or never-pushed tag "
                    + "is the usual cause."
                    : "The previous revision ran " + before + ".";
        }
        String before2 = ImagePullFailure.registryOf(before);
        if (!before2.equals(registry()) && failure.reason() == Reason.UNAUTHORIZED) {
            return "The previous revision pulled " + before + " from " + before2 + "; the new image comes from " + registry()
                    + ", which needs credentials of its own.";
        }
        return "The previous revision ran " + before + ".";
    }

    void steps(Finding.Builder f) {
        ObjectRef w = status.ref();
        String repo = NewPodContainers.repository(image);
        switch (failure.reason()) {
            case NOT_FOUND -> {
                f.step("Check which tags of " + repo + " exist in " + registry() + " (the registry's UI, or `crane ls " + repo
                        + "`), and push the missing one if the build did not");
                f.step("Or point " + NewPodContainers.containerPhrase(first) + " at an image that exists", setImage(w, repo + ":<tag>"));
            }
            case UNAUTHORIZED -> credentialSteps(f, w);
            case RATE_LIMITED -> {
                String name = secrets.names().isEmpty() ? "regcred" : secrets.names().get(0);
                f.step("Authenticate the pulls: registries allow logged-in accounts many more pulls", createSecret(name, w.namespace()));
                if (secrets.names().isEmpty()) {
                    f.step("Attach it to the pod template", attachSecret(w, name));
                }
                f.step("Better, copy the image to a registry you control (or set up a pull-through mirror for the nodes) "
                        + "and point the template at the copy", setImage(w, "<your-registry>/" + pathOf(image)));
            }
            case NETWORK, REGISTRY_UNAVAILABLE -> {
                String check = "Check name resolution and connectivity from the node to " + registry()
                        + " (egress firewall, network policy of the node, the runtime's proxy settings)";
                if (node().isEmpty()) {
                    f.step(check);
                } else {
                    f.step(check, "kubectl debug node/" + node() + " -it --image=busybox:1.36 -- nslookup " + host(registry()));
                }
            }
            case TLS -> f.step("Name the registry by a host its certificate covers, and make the nodes trust its CA "
                    + "(containerd reads /etc/containerd/certs.d/" + registry() + "/ca.crt); a plain-HTTP registry must be "
                    + "configured as insecure in the container runtime");
            case PLATFORM -> {
                f.step("Build and push the image for the node's platform (a multi-platform image), or keep the pods on nodes "
                        + "of the image's platform");
                if (!node().isEmpty()) {
                    f.step("See the node's OS and architecture", "kubectl get node " + node() + " -L kubernetes.io/os,kubernetes.io/arch");
                }
            }
            case INVALID_NAME -> f.step("Fix the reference (lower-case repository, a tag after ':' or a digest after '@')",
                    setImage(w, "<valid-image-reference>"));
            case NEVER_PULL -> f.step("Let kubelet pull the image (or preload it on every node)",
                    "kubectl patch " + Kubectl.target(w) + Kubectl.ns(w) + " -p '{\"spec\":{\"template\":{\"spec\":{\""
                            + (first.init() ? "initContainers" : "containers") + "\":[{\"name\":\"" + first.name()
                            + "\",\"imagePullPolicy\":\"IfNotPresent\"}]}}}}'");
            case SIGNATURE -> f.step("Sign the image with a key the runtime's signature policy trusts, or use a signed image");
            case UNKNOWN -> f.step("Read the pull error in the pod's events (kubelet's Failed events carry the registry's answer)",
                    Kubectl.describe(first.podRef()));
        }
        if (NewPodContainers.canUndo(status)) {
            f.step("Roll back to the previous revision while you fix it", Kubectl.rolloutUndo(w));
        }
    }

    private void credentialSteps(Finding.Builder f, ObjectRef w) {
        if (!secrets.missing().isEmpty()) {
            f.step("Create the missing pull secret " + secrets.missing().get(0) + " with credentials for " + registry(),
                    createSecret(secrets.missing().get(0), w.namespace()));
        } else if (!secrets.notRegistryCredentials().isEmpty()) {
            String name = secrets.notRegistryCredentials().get(0);
            f.step("Replace " + name + " with a secret of type kubernetes.io/dockerconfigjson (delete the old one first)",
                    createSecret(name, w.namespace()));
        } else if (secrets.names().isEmpty()) {
            f.step("Create a pull secret with credentials for " + registry(), createSecret("regcred", w.namespace()));
            f.step("Attach it to the pod template", attachSecret(w, "regcred"));
            f.step("Or attach it to service account " + secrets.serviceAccount() + ", so every pod that uses it gets it",
                    "kubectl patch serviceaccount " + secrets.serviceAccount() + Kubectl.ns(w)
                            + " -p '{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}'");
        } else if (!secrets.unchecked().isEmpty()) {
            f.step("Check that pull secret " + secrets.unchecked().get(0) + " exists", "kubectl get secret "
                    + secrets.unchecked().get(0) + Kubectl.ns(w));
            f.step("Renew its credentials for " + registry() + " if they expired or lack access to the repository",
                    createSecret(secrets.unchecked().get(0), w.namespace()) + " --dry-run=client -o yaml | kubectl apply -f -");
        } else {
            String name = secrets.names().get(0);
            f.step("Renew the credentials in " + name + " for " + registry() + " (cloud registry tokens expire) and make sure "
                    + "the account can read " + NewPodContainers.repository(image),
                    createSecret(name, w.namespace()) + " --dry-run=client -o yaml | kubectl apply -f -");
        }
    }

    private String setImage(ObjectRef w, String value) {
        return "kubectl set image " + Kubectl.target(w) + " " + first.name() + "=" + value + Kubectl.ns(w);
    }

    private String createSecret(String name, String namespace) {
        String server = registry().equals("docker.io") ? "" : " --docker-server=" + registry();
        return "kubectl create secret docker-registry " + name + server
                + " --docker-username=<user> --docker-password=<password>" + (namespace.isEmpty() ? "" : " -n " + namespace);
    }

    private static String attachSecret(ObjectRef w, String name) {
        return "kubectl patch " + Kubectl.target(w) + Kubectl.ns(w)
                + " -p '{\"spec\":{\"template\":{\"spec\":{\"imagePullSecrets\":[{\"name\":\"" + name + "\"}]}}}}'";
    }

    /** The image without its registry host ({@code library/nginx:1.25}), for naming a copy elsewhere. */
    private static String pathOf(String image) {
        String registry = ImagePullFailure.registryOf(image);
        if (image.startsWith(registry + "/")) {
            return image.substring(registry.length() + 1);
        }
        return image.contains("/") ? image : "library/" + image;
    }

    private static String host(String registry) {
        int colon = registry.indexOf(':');
        String host = colon < 0 ? registry : registry.substring(0, colon);
        return host.equals("docker.io") ? "registry-1.docker.io" : host;
    }
}

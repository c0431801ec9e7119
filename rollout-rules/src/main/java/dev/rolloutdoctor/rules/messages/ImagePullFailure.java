package dev.rolloutdoctor.rules.messages;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why kubelet could not pull a container image, read from a container's waiting reason and message or from a
 * kubelet event. Kubelet only labels the failure ({@code ErrImagePull}, {@code ImagePullBackOff}); the real reason is
 * in the container runtime's error that kubelet passes on ({@code Failed to pull image "x": rpc error: code = NotFound
 * desc = ...: not found}), whose wording differs between containerd, CRI-O, Docker and registries, so the
 * classification matches families of phrases, not one literal.
 *
 * @param reason what went wrong, {@link Reason#UNKNOWN} when the text does not say (a bare back-off)
 * @param image  the image the text names ("" when it names none)
 * @param cause  the runtime's own error without kubelet's wrapper and the gRPC prefix ("" when there is none)
 */
public record ImagePullFailure(Reason reason, String image, String cause) {

    /** The families of image pull failures, each with a few words for a title. */
    public enum Reason {
        /** The repository, tag or digest does not exist in the registry ({@code not found}, {@code manifest unknown}). */
        NOT_FOUND("not found in the registry"),
        /** The registry refused the credentials, or there were none ({@code 401}, {@code 403}, {@code pull access denied}). */
        UNAUTHORIZED("access denied by the registry"),
        /** The registry throttles pulls ({@code toomanyrequests}, Docker Hub's pull rate limit). */
        RATE_LIMITED("pull rate limit reached"),
        /** The node could not reach the registry (DNS, routing, firewall, timeouts). */
        NETWORK("registry unreachable from the node"),
        /** The TLS connection to the registry failed ({@code x509: certificate ...}). */
        TLS("registry TLS certificate rejected"),
        /** The image exists, but not for the node's OS or CPU architecture. */
        PLATFORM("no image for the node's platform"),
        /** The image reference is not a valid reference ({@code InvalidImageName}). */
        INVALID_NAME("invalid image reference"),
        /** {@code imagePullPolicy: Never} and the image is not on the node ({@code ErrImageNeverPull}). */
        NEVER_PULL("not on the node and imagePullPolicy is Never"),
        /** The runtime reports the registry unavailable ({@code RegistryUnavailable}). */
        REGISTRY_UNAVAILABLE("registry unavailable"),
        /** The runtime's signature policy rejected the image ({@code SignatureValidationFailed}). */
        SIGNATURE("image signature validation failed"),
        /** The text does not say why: a back-off, or an error of no known family. */
        UNKNOWN("reason not recorded");

        private final String summary;

        Reason(String summary) {
            this.summary = summary;
        }

        /** A few words for a title ("not found in the registry"). */
        public String summary() {
            return summary;
        }
    }

    private static final Pattern FAILED_TO_PULL = Pattern.compile("(?s)^Failed to pull image \"([^\"]*)\": ?(.*)$");
    private static final Pattern BACK_OFF = Pattern.compile("(?s)^Back-off pulling image \"([^\"]*)\"(?:: ?(.*))?$");
    private static final Pattern NEVER = Pattern.compile("(?s)^Container image \"([^\"]*)\" is not present with pull policy of Never.*$");
    private static final Pattern DEFAULT_TAG = Pattern.compile("(?s)^Failed to apply default image tag \"([^\"]*)\": ?(.*)$");
    private static final Pattern INSPECT = Pattern.compile("(?s)^Failed to inspect image \"([^\"]*)\": ?(.*)$");
    private static final Pattern UNAVAILABLE = Pattern.compile(
            "(?s)^image pull failed for (\\S+) because the (registry is unavailable|signature validation failed)(.*)$");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");
    private static final Pattern GRPC = Pattern.compile("(?s)^rpc error: code = (\\w+) desc = (.*)$");
    private static final Pattern KUBELET_LABEL = Pattern.compile(
            "^Error: (ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|RegistryUnavailable|ImageInspectError)$");

    private static final List<String> INVALID_WORDS = List.of("invalid reference format", "couldn't parse image",
            "failed to apply default image tag", "repository name must be lowercase", "invalid image name");
    private static final List<String> RATE_WORDS = List.of("toomanyrequests", "too many requests", "rate limit",
            "ratelimit");
    private static final List<String> NETWORK_WORDS = List.of("dial tcp", "dial udp", "i/o timeout", "no such host",
            "connection refused", "connection reset", "network is unreachable", "no route to host",
            "tls handshake timeout", "context deadline exceeded", "server misbehaving",
            "temporary failure in name resolution", "client.timeout exceeded", "timeout awaiting response headers",
            "proxyconnect tcp");
    private static final List<String> TLS_WORDS = List.of("x509:", "tls:", "certificate signed by unknown authority",
            "certificate has expired", "certificate is not valid", "server gave http response to https client",
            "ssl routines");
    private static final List<String> AUTH_WORDS = List.of("unauthorized", "forbidden", "pull access denied",
            "insufficient_scope", "authentication required", "authorization failed", "no basic auth credentials",
            "access denied", "access to the requested resource is not authorized", "requested access to the resource is denied",
            "failed to authorize", "failed to fetch anonymous token", "failed to fetch oauth token", "denied:",
            "code = permissiondenied", "code = unauthenticated");
    private static final Pattern AUTH_STATUS = Pattern.compile("\\b40[13]\\b");
    private static final Pattern RATE_STATUS = Pattern.compile("\\b429\\b");
    private static final List<String> PLATFORM_WORDS = List.of("no matching manifest for",
            "does not match the specified platform", "no match for platform in manifest");
    private static final List<String> NOT_FOUND_WORDS = List.of("not found", "manifest unknown", "name unknown",
            "does not exist", "code = notfound");
    private static final Pattern NOT_FOUND_STATUS = Pattern.compile("\\b404\\b");

    public ImagePullFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(cause, "cause");
    }

    /** Classifies an event message or a waiting message on its own. */
    public static ImagePullFailure classify(String message) {
        return classify("", message);
    }

    /**
     * Classifies a container's waiting state: the waiting reason settles the failures kubelet names itself
     * ({@code InvalidImageName}, {@code ErrImageNeverPull}, {@code RegistryUnavailable}, {@code SignatureValidationFailed});
     * for the others the message tells.
     */
    public static ImagePullFailure classify(String waitingReason, String message) {
        Objects.requireNonNull(waitingReason, "waitingReason");
        String text = Objects.requireNonNull(message, "message").strip();
        String image = "";
        String cause = text;
        Matcher m;
        if ((m = FAILED_TO_PULL.matcher(text)).matches() || (m = DEFAULT_TAG.matcher(text)).matches()
                || (m = INSPECT.matcher(text)).matches()) {
            image = m.group(1);
            cause = m.group(2);
        } else if ((m = BACK_OFF.matcher(text)).matches()) {
            image = m.group(1);
            cause = m.group(2) == null ? "" : m.group(2);
        } else if ((m = NEVER.matcher(text)).matches()) {
            return new ImagePullFailure(Reason.NEVER_PULL, m.group(1), "");
        } else if ((m = UNAVAILABLE.matcher(text)).matches()) {
            Reason r = m.group(2).startsWith("registry") ? Reason.REGISTRY_UNAVAILABLE : Reason.SIGNATURE;
            return new ImagePullFailure(r, m.group(1), (m.group(2) + m.group(3)).strip());
        } else if ((m = KUBELET_LABEL.matcher(text)).matches()) {
            // "Error: ErrImagePull" names kubelet's label, not the cause; a label that is a cause counts as one
            cause = "";
            if (waitingReason.isEmpty()) {
                return new ImagePullFailure(byWaitingReason(m.group(1)), "", "");
            }
        }
        Matcher grpc = GRPC.matcher(cause);
        String code = "";
        if (grpc.matches()) {
            code = grpc.group(1);
            cause = grpc.group(2);
        }
        Reason reason = byWaitingReason(waitingReason);
        if (reason == Reason.UNKNOWN && !cause.isBlank()) {
            reason = byText(neutral(cause, image), code);
        }
        return new ImagePullFailure(reason, image, cause.strip());
    }

    /**
     * The text to look for phrases in: lower case, without quoted strings and the image itself, so that an image
     * named {@code web:404} or a URL cannot pass for a status.
     */
    private static String neutral(String cause, String image) {
        String out = image.isEmpty() ? cause : cause.replace(image, "IMAGE");
        return QUOTED.matcher(out).replaceAll("\"\"").toLowerCase(Locale.ROOT);
    }

    /** True when the reason is one of the known families. */
    public boolean isKnown() {
        return reason != Reason.UNKNOWN;
    }

    /**
     * The registry host of an image reference, as container runtimes resolve it: the first path component when it
     * looks like a host (has a dot or a port, or is {@code localhost}), else Docker Hub ({@code docker.io}).
     */
    public static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return "docker.io";
        }
        String first = image.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return first;
        }
        return "docker.io";
    }

    private static Reason byWaitingReason(String waitingReason) {
        return switch (waitingReason) {
            case "InvalidImageName" -> Reason.INVALID_NAME;
            case "ErrImageNeverPull" -> Reason.NEVER_PULL;
            case "RegistryUnavailable" -> Reason.REGISTRY_UNAVAILABLE;
            case "SignatureValidationFailed" -> Reason.SIGNATURE;
            default -> Reason.UNKNOWN;
        };
    }

    private static Reason byText(String lower, String grpcCode) {
        // order matters: a token fetch that fails on DNS says "failed to authorize" and "no such host", and the
        // network is the cause; Docker says "pull access denied ... repository does not exist" for both a missing
        // and a private repository, which is an access question first
        if (containsAny(lower, INVALID_WORDS)) {
            return Reason.INVALID_NAME;
        }
        if (lower.contains("with pull policy of never")) {
            return Reason.NEVER_PULL;
        }
        if (containsAny(lower, RATE_WORDS) || RATE_STATUS.matcher(lower).find()) {
            return Reason.RATE_LIMITED;
        }
        if (containsAny(lower, NETWORK_WORDS)) {
            return Reason.NETWORK;
        }
        if (containsAny(lower, TLS_WORDS)) {
            return Reason.TLS;
        }
        if (containsAny(lower, AUTH_WORDS) || AUTH_STATUS.matcher(lower).find()
                || grpcCode.equals("PermissionDenied") || grpcCode.equals("Unauthenticated")) {
            return Reason.UNAUTHORIZED;
        }
        if (containsAny(lower, PLATFORM_WORDS)) {
            return Reason.PLATFORM;
        }
        if (containsAny(lower, NOT_FOUND_WORDS) || NOT_FOUND_STATUS.matcher(lower).find() || grpcCode.equals("NotFound")) {
            return Reason.NOT_FOUND;
        }
        return Reason.UNKNOWN;
    }

    private static boolean containsAny(String text, List<String> words) {
        for (String w : words) {
            if (text.contains(w)) {
                return true;
            }
        }
        return false;
    }
}

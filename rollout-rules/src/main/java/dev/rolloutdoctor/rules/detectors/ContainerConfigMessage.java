package dev.rolloutdoctor.rules.detectors;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kubelet says when it cannot build a container's configuration ({@code CreateContainerConfigError}) or the runtime
 * cannot create the container ({@code CreateContainerError}). The formats are kubelet's
 * ({@code makeEnvironmentVariables} in {@code pkg/kubelet/kubelet_pods.go}): {@code couldn't find key %v in ConfigMap
 * %v/%v}, {@code couldn't find key %v in Secret %v/%v} (capitalised "Couldn't" in old releases); a missing object is
 * the API's not-found error, {@code configmap "x" not found} / {@code secret "x" not found} from kubelet's caches
 * ({@code configmaps "x"} / {@code secrets "x"} when it reads the API server directly); {@code object "ns"/"x" not
 * registered} while kubelet has not yet registered the pod's references.
 *
 * @param kind       what the message is about
 * @param objectKind {@code ConfigMap}, {@code Secret}, or "" when the message does not say
 * @param name       the ConfigMap or Secret named, or ""
 * @param key        the missing key, or ""
 */
record ContainerConfigMessage(Kind kind, String objectKind, String name, String key, String message) {

    /** The families of messages. */
    enum Kind {
        MISSING_OBJECT, MISSING_KEY, NOT_REGISTERED, CACHE_NOT_SYNCED, RUN_AS_NON_ROOT, EXECUTABLE_NOT_FOUND,
        NAME_RESERVED, OTHER
    }

    private static final Pattern MISSING_OBJECT = Pattern.compile("(?i)\\b(configmaps?|secrets?) \"([^\"]+)\" not found");
    private static final Pattern MISSING_KEY = Pattern.compile(
            "(?i)couldn't find key (\\S+) in (ConfigMap|Secret) ([^/\\s]*)/(\\S+)");
    private static final Pattern NOT_REGISTERED = Pattern.compile("object \"([^\"]*)\"/\"([^\"]+)\" not registered");
    private static final Pattern CACHE = Pattern.compile("(?i)failed to sync (configmap|secret) cache");

    ContainerConfigMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(objectKind, "objectKind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    static ContainerConfigMessage parse(String message) {
        String text = message.strip();
        Matcher m;
        if ((m = MISSING_KEY.matcher(text)).find()) {
            return new ContainerConfigMessage(Kind.MISSING_KEY, kindOf(m.group(2)), m.group(4), m.group(1), text);
        }
        if ((m = MISSING_OBJECT.matcher(text)).find()) {
            return new ContainerConfigMessage(Kind.MISSING_OBJECT, kindOf(m.group(1)), m.group(2), "", text);
        }
        if ((m = NOT_REGISTERED.matcher(text)).find()) {
            return new ContainerConfigMessage(Kind.NOT_REGISTERED, "", m.group(2), "", text);
        }
        if ((m = CACHE.matcher(text)).find()) {
            return new ContainerConfigMessage(Kind.CACHE_NOT_SYNCED, kindOf(m.group(1)), "", "", text);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("runasnonroot")) {
            return new ContainerConfigMessage(Kind.RUN_AS_NON_ROOT, "", "", "", text);
        }
        if (lower.contains("executable file not found") || lower.contains("no such file or directory") && lower.contains("exec")) {
            return new ContainerConfigMessage(Kind.EXECUTABLE_NOT_FOUND, "", "", "", text);
        }
        if (lower.contains("is reserved for")) {
            return new ContainerConfigMessage(Kind.NAME_RESERVED, "", "", "", text);
        }
        return new ContainerConfigMessage(Kind.OTHER, "", "", "", text);
    }

    private static String kindOf(String word) {
        return word.toLowerCase(Locale.ROOT).startsWith("configmap") ? "ConfigMap" : "Secret";
    }

    /** True for a missing ConfigMap or Secret, or a missing key of one. */
    boolean isReference() {
        return kind == Kind.MISSING_OBJECT || kind == Kind.MISSING_KEY;
    }
}

package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.rules.diff.TemplateDiff.Change;
import dev.rolloutdoctor.rules.diff.TemplateDiff.Kind;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Says in a few words what a list of changes did, naming the one container or value when there is only one. */
final class Summary {

    /** The annotation {@code kubectl rollout restart} sets on the template. */
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    private static final int MAX_PHRASES = 4;

    private Summary() {
    }

    static String of(List<Change> changes) {
        Map<Kind, List<Change>> byKind = new EnumMap<>(Kind.class);
        for (Change c : changes) {
            byKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
        }
        List<String> phrases = new ArrayList<>();
        byKind.forEach((kind, list) -> phrases.addAll(phrases(kind, list)));
        if (phrases.size() > MAX_PHRASES) {
            List<String> kept = new ArrayList<>(phrases.subList(0, MAX_PHRASES - 1));
            kept.add("other changes");
            return join(kept);
        }
        return join(phrases);
    }

    private static List<String> phrases(Kind kind, List<Change> list) {
        int n = list.size();
        Optional<String> one = oneContainer(list);
        switch (kind) {
            case IMAGE:
                return List.of(n == 1 ? "the image of container " + one.orElse("?") + " (" + images(list.get(0)) + ")"
                        : "the images of " + n + " containers");
            case CONTAINER:
                return containers(list);
            case COMMAND:
                return List.of(perContainer("the command", "the commands", list));
            case ARGS:
                return List.of(perContainer("the args", "the args", list));
            case ENV:
                return List.of(count(n, "env variable"));
            case ENV_FROM:
                return List.of(count(n, "envFrom source"));
            case RESOURCES:
                return List.of(one.map(c -> "the resources of container " + c).orElse("resources of " + containerCount(list)));
            case PROBE:
                return List.of(n == 1 ? probeName(list.get(0)) + one.map(c -> " of container " + c).orElse("") : n + " probes");
            case VOLUME:
                return List.of(count(n, "volume"));
            case VOLUME_MOUNT:
                return List.of(count(n, "volume mount"));
            case SERVICE_ACCOUNT:
                return List.of("the service account (" + list.get(0).beforeAndAfter() + ")");
            case SECURITY_CONTEXT:
                return List.of("the security context");
            case PLACEMENT:
                return List.of("the node placement");
            case PORTS:
                return List.of(perContainer("the ports", "the ports", list));
            case LIFECYCLE:
                return List.of("the termination settings");
            case ANNOTATION:
                return annotations(list);
            case LABEL:
                return List.of(count(n, "label"));
            default:
                return List.of(count(n, "other field"));
        }
    }

    private static List<String> containers(List<Change> list) {
        List<String> out = new ArrayList<>();
        List<String> added = list.stream().filter(Change::isAddition).map(c -> c.container().orElse("?")).toList();
        List<String> removed = list.stream().filter(Change::isRemoval).map(c -> c.container().orElse("?")).toList();
        if (!added.isEmpty()) {
            out.add(added.size() == 1 ? "added container " + added.get(0) : "added " + added.size() + " containers");
        }
        if (!removed.isEmpty()) {
            out.add(removed.size() == 1 ? "removed container " + removed.get(0) : "removed " + removed.size() + " containers");
        }
        return out;
    }

    private static List<String> annotations(List<Change> list) {
        List<String> out = new ArrayList<>();
        boolean restart = list.stream().anyMatch(c -> c.path().endsWith("[" + RESTARTED_AT + "]"));
        if (restart) {
            out.add("the restartedAt annotation (kubectl rollout restart)");
        }
        int others = list.size() - (restart ? 1 : 0);
        if (others > 0) {
            out.add(count(others, restart ? "other annotation" : "annotation"));
        }
        return out;
    }

    /** Tags only, when both images name the same repository: {@code 1.7.1 -> 1.8.0}. */
    static String images(Change c) {
        String before = c.before().orElse("(none)");
        String after = c.after().orElse("(none)");
        int a = versionStart(before);
        int b = versionStart(after);
        if (a > 0 && b > 0 && before.substring(0, a).equals(after.substring(0, b))) {
            return before.substring(a + 1) + " -> " + after.substring(b + 1);
        }
        return before + " -> " + after;
    }

    /** Where the tag or digest starts ({@code :} or {@code @}), or -1; a colon of a registry port does not count. */
    private static int versionStart(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return at;
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? colon : -1;
    }

    private static String probeName(Change c) {
        String path = c.path();
        String field = path.substring(path.lastIndexOf('.') + 1);
        String name = field.replace("Probe", "");
        return "the " + name + " probe";
    }

    private static String perContainer(String singular, String plural, List<Change> list) {
        TreeSet<String> names = containerNames(list);
        return names.size() == 1 ? singular + " of container " + names.first() : plural + " of " + names.size() + " containers";
    }

    private static Optional<String> oneContainer(List<Change> list) {
        TreeSet<String> names = containerNames(list);
        boolean allInContainers = list.stream().allMatch(c -> c.container().isPresent());
        return names.size() == 1 && allInContainers ? Optional.of(names.first()) : Optional.empty();
    }

    private static String containerCount(List<Change> list) {
        int n = containerNames(list).size();
        boolean pod = list.stream().anyMatch(c -> c.container().isEmpty());
        if (n == 0) {
            return "the pod";
        }
        return (n == 1 ? "1 container" : n + " containers") + (pod ? " and the pod" : "");
    }

    private static TreeSet<String> containerNames(List<Change> list) {
        TreeSet<String> names = new TreeSet<>();
        list.forEach(c -> c.container().ifPresent(names::add));
        return names;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String join(List<String> phrases) {
        if (phrases.isEmpty()) {
            return "";
        }
        if (phrases.size() == 1) {
            return phrases.get(0);
        }
        return String.join(", ", phrases.subList(0, phrases.size() - 1)) + " and " + phrases.get(phrases.size() - 1);
    }
}

package dev.rolloutdoctor.rules.diff;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.PodTemplate;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What changed between two pod templates (a Deployment's previous and new ReplicaSet, say), as a list of changes a
 * postmortem can cite and other detectors can test ("a ConfigMap reference the new template added", "a label the new
 * pods carry that the old ones did not"). The {@code pod-template-hash} label is ignored, as the deployment controller
 * ignores it. Environment values are compared only where both were kept: a redacted or withheld value is never
 * reported as changed, nor shown.
 */
public final class TemplateDiff {

    /** What part of the template a change touches; declared in the order a summary names them. */
    public enum Kind {
        IMAGE("image"),
        CONTAINER("container"),
        COMMAND("command"),
        ARGS("args"),
        ENV("env"),
        ENV_FROM("envFrom"),
        RESOURCES("resources"),
        PROBE("probe"),
        VOLUME("volume"),
        VOLUME_MOUNT("volume mount"),
        SERVICE_ACCOUNT("service account"),
        SECURITY_CONTEXT("security context"),
        PLACEMENT("placement"),
        PORTS("ports"),
        LIFECYCLE("lifecycle"),
        LABEL("label"),
        ANNOTATION("annotation"),
        OTHER("other");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The kind in a few lower-case words, for reports. */
        public String label() {
            return label;
        }
    }

    /**
     * One change.
     *
     * @param path   where, in the workload's terms, with list entries named rather than numbered:
     *               {@code spec.template.spec.containers[web].env[LOG_LEVEL]}
     * @param before the value in the old template, as text; empty when the old template did not have it
     * @param after  the value in the new template, as text; empty when the new template does not have it
     * @param kind   what part of the template it touches
     */
    public record Change(String path, Optional<String> before, Optional<String> after, Kind kind) {

        private static final Pattern CONTAINER = Pattern.compile("\\.(?:initContainers|containers)\\[([^\\]]+)\\]");

        public Change {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(kind, "kind");
            if (before.isEmpty() && after.isEmpty()) {
                throw new IllegalArgumentException("a change needs a value on at least one side: " + path);
            }
        }

        /** True when the new template added this (the old one had nothing there). */
        public boolean isAddition() {
            return before.isEmpty();
        }

        /** True when the new template dropped this. */
        public boolean isRemoval() {
            return after.isEmpty();
        }

        /** The name of the container the change is in, if it is in one. */
        public Optional<String> container() {
            Matcher m = CONTAINER.matcher(path);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /** {@code old -> new}, with {@code (none)} for a missing side: one evidence line. */
        public String beforeAndAfter() {
            return before.orElse("(none)") + " -> " + after.orElse("(none)");
        }
    }

    private final PodTemplate before;
    private final PodTemplate after;
    private final List<Change> changes;

    private TemplateDiff(PodTemplate before, PodTemplate after, List<Change> changes) {
        this.before = before;
        this.after = after;
        this.changes = List.copyOf(changes);
    }

    /** The changes that turn {@code before} into {@code after}. */
    public static TemplateDiff between(PodTemplate before, PodTemplate after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        ChangeList out = new ChangeList();
        SpecDiff.template(before, after, out);
        return new TemplateDiff(before, after, out.changes());
    }

    /** Every change, in template order: labels and annotations, containers, then the rest of the pod spec. */
    public List<Change> changes() {
        return changes;
    }

    /** The changes of one kind, in template order. */
    public List<Change> changes(Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).toList();
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /**
     * The changes in a few words, for a title: "the image of container web (1.2 -> 1.3) and 2 env variables"; ""
     * when there is none.
     */
    public String summary() {
        return Summary.of(changes);
    }

    /**
     * ConfigMaps, Secrets, PersistentVolumeClaims and the ServiceAccount the new template refers to and the old one
     * did not, in {@code namespace}, sorted: the objects a new pod needs that no old pod proved to exist.
     */
    public List<ObjectRef> newReferences(String namespace) {
        return References.added(before, after, namespace);
    }

    /** Labels the new pods carry with a value the old ones did not (added or changed), {@code pod-template-hash} aside. */
    public SortedMap<String, String> newLabels() {
        return SpecDiff.newLabels(before, after);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Change c : changes) {
            out.append(c.path()).append(": ").append(c.beforeAndAfter()).append('\n');
        }
        return out.toString();
    }
}

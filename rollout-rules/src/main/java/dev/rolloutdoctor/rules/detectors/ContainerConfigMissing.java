package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.ConfigMap;
import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.EnvFromSource;
import dev.rolloutdoctor.model.EnvVar;
import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KeyReference;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Secret;
import dev.rolloutdoctor.model.Volume;
import dev.rolloutdoctor.model.VolumeSource;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.DetectionContext;
import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.Layer;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.rules.detectors.ContainerConfigMessage.Kind;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;
import dev.rolloutdoctor.snapshot.ReferenceCheck;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * New pods whose container kubelet cannot configure never start: a ConfigMap or Secret the container's environment
 * reads does not exist or lacks the key ({@code CreateContainerConfigError}), or the runtime refuses to create the
 * container ({@code CreateContainerError}). Kubelet retries on every sync, so the pods wait until the object appears.
 */
@Rule(id = "container-config-missing", title = "Container configuration missing", severity = Severity.ERROR,
        layer = Layer.POD,
        description = "Kubelet cannot build a new container's configuration (CreateContainerConfigError): a ConfigMap or "
                + "Secret its environment references, or a key in it, does not exist; or the runtime cannot create the "
                + "container (CreateContainerError). The finding checks the reference against the snapshot.")
public final class ContainerConfigMissing implements Detector {

    static final Set<String> WAITING_REASONS = Set.of("CreateContainerConfigError", "CreateContainerError");

    @Override
    public List<Finding> detect(DetectionContext context) {
        List<Finding> findings = new ArrayList<>();
        for (RolloutStatus status : context.unfinishedRollouts()) {
            List<Pod> pods = NewPodContainers.newPods(status);
            NewPodContainers.byContainer(NewPodContainers.instances(pods),
                            i -> i.state().waiting().map(w -> WAITING_REASONS.contains(w.reason())).orElse(false))
                    .forEach((name, failing) -> findings.add(finding(context, status, pods.size(), failing)));
        }
        return findings;
    }

    private static Finding finding(DetectionContext context, RolloutStatus status, int total, List<Instance> failing) {
        Snapshot snapshot = context.snapshot();
        Instance first = failing.get(0);
        var waiting = first.state().waiting().orElseThrow();
        ContainerConfigMessage msg = ContainerConfigMessage.parse(waiting.message());
        String ns = first.pod().metadata().namespace();
        List<Reference> refs = msg.name().isEmpty() ? List.of() : references(status.workload(), first, msg);
        Lookup lookup = msg.name().isEmpty() || msg.objectKind().isEmpty() ? Lookup.NONE
                : Lookup.of(snapshot, msg.objectKind(), ns, msg.name(), msg.key());
        List<Pod> pods = failing.stream().map(Instance::pod).distinct().toList();
        ConfigStory story = new ConfigStory(status, first, waiting.reason(), msg, lookup, refs);

        Finding.Builder f = Finding.of(ContainerConfigMissing.class)
                .workload(status.workload())
                .culprit(status.workload())
                .confidence(story.confidence())
                .title(NewPodContainers.podsPhrase(pods.size(), total, status) + " cannot start "
                        + NewPodContainers.containerPhrase(first) + ": " + story.titleReason())
                .explanation(story.explanation());
        if (msg.isReference()) {
            f.culprit(ObjectRef.of(msg.objectKind(), ns, msg.name()));
        }
        f.evidence(Evidence.field(first.pod(), first.statusPath() + ".state.waiting", waiting.reason() + ": " + waiting.message()));
        refs.stream().limit(3).forEach(r -> f.evidence(Evidence.field(r.owner(), r.path(), r.text())));
        lookup.evidence().ifPresent(f::evidence);
        List<Event> events = EventQuery.about(snapshot, pods, e -> e.reason().equals("Failed") && e.message().startsWith("Error: "));
        EventQuery.last(events, 2).forEach(e -> f.evidence(Evidence.event(e)));
        story.steps(f);
        return f.build();
    }

    /** A place in the pod template that references the ConfigMap or Secret. */
    record Reference(KubeObject owner, String path, String text, boolean optional, String key) {
    }

    /** Where the template (or, without one, the pod) references the object the message names, env first. */
    private static List<Reference> references(KubeObject workload, Instance failing, ContainerConfigMessage msg) {
        Optional<NewPodContainers.TemplateContainer> tc = NewPodContainers.templateContainer(workload, failing.name());
        KubeObject owner = tc.isPresent() ? workload : failing.pod();
        String prefix = tc.map(NewPodContainers.TemplateContainer::path)
                .orElse("spec." + (failing.init() ? "initContainers" : "containers") + "[" + failing.index() + "]");
        Optional<Container> container = tc.map(NewPodContainers.TemplateContainer::container).or(failing::spec);
        if (container.isEmpty()) {
            return List.of();
        }
        List<Reference> out = new ArrayList<>();
        List<EnvVar> env = container.get().env();
        for (int i = 0; i < env.size(); i++) {
            Optional<KeyReference> ref = env.get(i).keyReference();
            if (ref.isPresent() && matches(ref.get().kind(), ref.get().name(), msg)
                    && (msg.kind() != Kind.MISSING_KEY || ref.get().key().equals(msg.key()))) {
                String field = ref.get().kind().equals(KeyReference.SECRET) ? "secretKeyRef" : "configMapKeyRef";
                out.add(new Reference(owner, prefix + ".env[" + i + "].valueFrom." + field,
                        "env " + env.get(i).name() + " <- " + ref.get().kind() + " " + ref.get().name() + ", key " + ref.get().key()
                                + (ref.get().optional() ? " (optional)" : ""), ref.get().optional(), ref.get().key()));
            }
        }
        List<EnvFromSource> envFrom = container.get().envFrom();
        for (int i = 0; i < envFrom.size(); i++) {
            EnvFromSource from = envFrom.get(i);
            if (matches(from.kind(), from.name(), msg) && msg.kind() != Kind.MISSING_KEY) {
                String field = from.kind().equals(EnvFromSource.SECRET) ? "secretRef" : "configMapRef";
                out.add(new Reference(owner, prefix + ".envFrom[" + i + "]." + field,
                        "all keys of " + from.kind() + " " + from.name() + (from.optional() ? " (optional)" : ""), from.optional(), ""));
            }
        }
        if (out.isEmpty()) {
            out.addAll(volumeReferences(owner, tc.isPresent(), failing.pod(), msg));
        }
        return out;
    }

    private static List<Reference> volumeReferences(KubeObject owner, boolean template, Pod pod, ContainerConfigMessage msg) {
        List<Reference> out = new ArrayList<>();
        List<Volume> volumes = PodTemplate.of(owner).map(t -> t.spec().volumes()).orElse(pod.spec().volumes());
        String prefix = template ? "spec.template.spec.volumes" : "spec.volumes";
        for (int i = 0; i < volumes.size(); i++) {
            VolumeSource source = volumes.get(i).source();
            if (source instanceof VolumeSource.ConfigMapSource c && matches("ConfigMap", c.name(), msg)) {
                out.add(new Reference(owner, prefix + "[" + i + "].configMap", "volume " + volumes.get(i).name()
                        + " <- ConfigMap " + c.name() + (c.optional() ? " (optional)" : ""), c.optional(), ""));
            } else if (source instanceof VolumeSource.SecretSource s && matches("Secret", s.secretName(), msg)) {
                out.add(new Reference(owner, prefix + "[" + i + "].secret", "volume " + volumes.get(i).name()
                        + " <- Secret " + s.secretName() + (s.optional() ? " (optional)" : ""), s.optional(), ""));
            }
        }
        return out;
    }

    private static boolean matches(String kind, String name, ContainerConfigMessage msg) {
        return name.equals(msg.name()) && (msg.objectKind().isEmpty() || msg.objectKind().equals(kind));
    }

    /** What the snapshot knows of the object the message names: present (with its keys), absent, or not collected. */
    record Lookup(Presence presence, String kind, String name, String key, List<String> keys,
                  Optional<KubeObject> object, Optional<ReferenceCheck> check) {

        enum Presence { PRESENT, ABSENT, UNKNOWN }

        static final Lookup NONE = new Lookup(Presence.UNKNOWN, "", "", "", List.of(), Optional.empty(), Optional.empty());

        static Lookup of(Snapshot snapshot, String kind, String namespace, String name, String key) {
            Optional<KubeObject> object = snapshot.get(ObjectRef.of(kind, namespace, name));
            if (object.isPresent()) {
                List<String> keys = object.get() instanceof Secret s ? s.keys()
                        : object.get() instanceof ConfigMap c ? c.keys() : List.of();
                return new Lookup(Presence.PRESENT, kind, name, key, keys, object, Optional.empty());
            }
            List<ReferenceCheck> checks = snapshot.referenceChecks().stream()
                    .filter(c -> c.kind().equals(kind) && c.namespace().equals(namespace) && c.name().equals(name)).toList();
            Optional<ReferenceCheck> check = checks.stream().filter(c -> c.key().equals(key)).findFirst()
                    .or(() -> checks.stream().findFirst());
            if (check.isPresent()) {
                return new Lookup(check.get().exists() ? Presence.PRESENT : Presence.ABSENT, kind, name, key, List.of(),
                        Optional.empty(), check);
            }
            Presence presence = snapshot.collectedKinds().contains(kind) ? Presence.ABSENT : Presence.UNKNOWN;
            return new Lookup(presence, kind, name, key, List.of(), Optional.empty(), Optional.empty());
        }

        /** Whether the key is there: known from the object's keys or a collector check of that very key. */
        Optional<Boolean> hasKey() {
            if (key.isEmpty() || presence != Presence.PRESENT) {
                return Optional.empty();
            }
            if (object.isPresent()) {
                return Optional.of(keys.contains(key));
            }
            return check.filter(c -> c.key().equals(key)).map(ReferenceCheck::keyExists);
        }

        Optional<Evidence> evidence() {
            if (object.isPresent()) {
                return Optional.of(Evidence.field(object.get(), "data",
                        "keys: " + (keys.isEmpty() ? "(none)" : String.join(", ", keys))));
            }
            return check.map(c -> new Evidence(Evidence.Type.FIELD, ObjectRef.of(c.kind(), c.namespace(), c.name()),
                    c.key().isEmpty() ? "exists" : "exists, key " + c.key(),
                    "exists: " + c.exists() + (c.key().isEmpty() ? "" : ", keyExists: " + c.keyExists()),
                    Optional.empty(), c.source()));
        }

        /** A key of the object that looks like the missing one (same letters ignoring case and separators). */
        Optional<String> lookalike() {
            String wanted = normalized(key);
            Set<String> candidates = new LinkedHashSet<>();
            for (String k : keys) {
                if (!k.equals(key) && (normalized(k).equals(wanted) || distance(k, key) <= 2)) {
                    candidates.add(k);
                }
            }
            return candidates.stream().findFirst();
        }

        private static String normalized(String s) {
            return s.replaceAll("[-_.]", "").toLowerCase(java.util.Locale.ROOT);
        }

        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                int[] cur = new int[b.length() + 1];
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                prev = cur;
            }
            return prev[b.length()];
        }
    }
}

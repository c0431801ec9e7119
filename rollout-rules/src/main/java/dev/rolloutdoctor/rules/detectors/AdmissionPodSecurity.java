package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.SecurityContext;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.Control;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.PodSecurity;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The Pod Security case of {@link AdmissionRejected}: what the namespace enforces (its
 * {@code pod-security.kubernetes.io/enforce} labels, when the Namespace was collected), what the pod template sets for
 * each failed control, and the strategic merge patch that makes the template meet the level.
 */
final class AdmissionPodSecurity {

    static final String ENFORCE = "pod-security.kubernetes.io/enforce";
    static final String ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";

    private static final String ESCALATION = "allowPrivilegeEscalation != false";
    private static final String CAPABILITIES = "unrestricted capabilities";
    private static final String NON_ROOT = "runAsNonRoot != true";
    private static final String SECCOMP = "seccompProfile";
    private static final String PRIVILEGED = "privileged";

    private AdmissionPodSecurity() {
    }

    /** What the namespace's labels say, in a sentence, with the evidence. */
    static String namespace(Snapshot snapshot, String ns, PodSecurity ps, List<Evidence> evidence) {
        Optional<KubeObject> namespace = snapshot.get(dev.rolloutdoctor.model.ObjectRef.cluster("Namespace", ns));
        if (namespace.isEmpty()) {
            return "The Namespace object is not in the snapshot, so its pod-security labels cannot be shown.";
        }
        Optional<String> level = namespace.get().metadata().label(ENFORCE);
        if (level.isEmpty()) {
            return "Namespace " + ns + " has no " + ENFORCE + " label: the level comes from the API server's PodSecurity "
                    + "admission configuration, a cluster-wide default.";
        }
        evidence.add(Evidence.field(namespace.get(), "metadata.labels[" + ENFORCE + "]", level.get()));
        Optional<String> version = namespace.get().metadata().label(ENFORCE_VERSION);
        version.ifPresent(v -> evidence.add(Evidence.field(namespace.get(), "metadata.labels[" + ENFORCE_VERSION + "]", v)));
        return "Namespace " + ns + " enforces Pod Security level " + level.get() + " (" + ENFORCE + "=" + level.get()
                + version.map(v -> ", " + ENFORCE_VERSION + "=" + v).orElse("") + ").";
    }

    /** Each failed control, with what the template sets for it; template fields go to {@code evidence}. */
    static String controls(KubeObject workload, Optional<PodTemplate> template, PodSecurity ps, List<Evidence> evidence) {
        List<String> out = new ArrayList<>();
        for (Control c : ps.controls()) {
            String has = template.map(t -> templateSays(workload, t, c, evidence)).orElse("");
            out.add(c.reason() + (c.detail().isEmpty() ? "" : ": " + c.detail()) + (has.isEmpty() ? "" : " (template: " + has + ")"));
        }
        return String.join("; ", out);
    }

    private static String templateSays(KubeObject workload, PodTemplate t, Control c, List<Evidence> evidence) {
        SecurityContext pod = t.spec().securityContext().orElse(SecurityContext.EMPTY);
        List<String> says = new ArrayList<>();
        for (String name : c.containers()) {
            Optional<Container> container = t.spec().container(name);
            if (container.isEmpty()) {
                continue;
            }
            SecurityContext sc = container.get().securityContext().orElse(SecurityContext.EMPTY);
            String base = AdmissionFailures.containerPath(t, name) + ".securityContext";
            Optional<String[]> field = field(c.reason(), sc, pod);
            if (field.isPresent()) {
                says.add(field.get()[0] + " " + field.get()[1].replace("(not set)", "not set") + " on container " + name);
                boolean podLevel = c.reason().equals(NON_ROOT) && sc.runAsNonRoot().isEmpty()
                        || c.reason().equals(SECCOMP) && sc.seccompProfileType().isEmpty();
                Evidence e = Evidence.field(workload, (podLevel ? "spec.template.spec.securityContext" : base) + "."
                        + field.get()[0], field.get()[1]);
                if (evidence.size() < 6 && !evidence.contains(e)) {
                    evidence.add(e);
                }
            }
        }
        return String.join(", ", says);
    }

    /** The template field a control reads and its value as the pod would get it ({@code (not set)} when absent). */
    private static Optional<String[]> field(String reason, SecurityContext sc, SecurityContext pod) {
        switch (reason) {
            case ESCALATION:
                return Optional.of(new String[] {"allowPrivilegeEscalation",
                        sc.allowPrivilegeEscalation().map(String::valueOf).orElse("(not set)")});
            case CAPABILITIES:
                return Optional.of(new String[] {"capabilities.drop",
                        sc.capabilitiesDrop().isEmpty() ? "(not set)" : sc.capabilitiesDrop().toString()});
            case NON_ROOT:
                return Optional.of(new String[] {"runAsNonRoot",
                        sc.overriding(pod).runAsNonRoot().map(String::valueOf).orElse("(not set)")});
            case SECCOMP:
                String type = sc.overriding(pod).seccompProfileType();
                return Optional.of(new String[] {"seccompProfile.type", type.isEmpty() ? "(not set)" : type});
            case PRIVILEGED:
                return Optional.of(new String[] {"privileged", sc.privileged().map(String::valueOf).orElse("(not set)")});
            default:
                return Optional.empty();
        }
    }

    /** The steps: the patch for what a patch can fix, words for the rest, and the namespace label as a last resort. */
    static void steps(Finding.Builder f, KubeObject workload, Optional<PodTemplate> template, PodSecurity ps) {
        patch(workload, template, ps).ifPresent(p -> f.step("Make the pod template meet " + ps.policy() + ": set "
                + String.join(", ", patchedFields(ps)), p));
        if (ps.control(NON_ROOT).isPresent()) {
            f.step("runAsNonRoot only works with an image whose user is not root: check the image's USER, or also set "
                    + "securityContext.runAsUser to a non-zero UID");
        }
        List<String> manual = ps.controls().stream().map(Control::reason).filter(r -> !patchable(r)).toList();
        if (!manual.isEmpty()) {
            f.step("Also change what no patch can decide for you: " + String.join(", ", manual)
                    + " (see the details above)");
        }
        String relaxed = ps.level().equals("restricted") ? "baseline" : "privileged";
        f.step("Only if namespace " + workload.metadata().namespace() + " is meant to run such pods, relax the level it enforces",
                "kubectl label namespace " + workload.metadata().namespace() + " " + ENFORCE + "=" + relaxed + " --overwrite");
    }

    private static boolean patchable(String reason) {
        return reason.equals(ESCALATION) || reason.equals(CAPABILITIES) || reason.equals(NON_ROOT) || reason.equals(SECCOMP)
                || reason.equals(PRIVILEGED);
    }

    private static List<String> patchedFields(PodSecurity ps) {
        List<String> out = new ArrayList<>();
        if (ps.control(ESCALATION).isPresent()) {
            out.add("allowPrivilegeEscalation: false");
        }
        if (ps.control(CAPABILITIES).isPresent()) {
            out.add("capabilities.drop: [ALL]");
        }
        if (ps.control(PRIVILEGED).isPresent()) {
            out.add("privileged: false");
        }
        if (ps.control(NON_ROOT).isPresent()) {
            out.add("runAsNonRoot: true");
        }
        if (ps.control(SECCOMP).isPresent()) {
            out.add("seccompProfile.type: RuntimeDefault");
        }
        return out;
    }

    /**
     * {@code kubectl patch deployment/web -n shop -p '{...}'}: a strategic merge patch (kubectl's default for built-in
     * kinds), which merges containers by name instead of replacing the list.
     */
    static Optional<String> patch(KubeObject workload, Optional<PodTemplate> template, PodSecurity ps) {
        List<String> podFields = new ArrayList<>();
        if (ps.control(NON_ROOT).isPresent()) {
            podFields.add("\"runAsNonRoot\":true");
        }
        if (ps.control(SECCOMP).isPresent()) {
            podFields.add("\"seccompProfile\":{\"type\":\"RuntimeDefault\"}");
        }
        Map<String, List<String>> byContainer = new LinkedHashMap<>();
        for (Control c : ps.controls()) {
            String field = containerField(c.reason());
            if (field.isEmpty()) {
                continue;
            }
            for (String name : c.containers()) {
                byContainer.computeIfAbsent(name, k -> new ArrayList<>()).add(field);
            }
        }
        if (podFields.isEmpty() && byContainer.isEmpty()) {
            return Optional.empty();
        }
        List<String> spec = new ArrayList<>();
        if (!podFields.isEmpty()) {
            spec.add("\"securityContext\":{" + String.join(",", podFields) + "}");
        }
        list(byContainer, template, true).ifPresent(l -> spec.add("\"initContainers\":" + l));
        list(byContainer, template, false).ifPresent(l -> spec.add("\"containers\":" + l));
        String json = "{\"spec\":{\"template\":{\"spec\":{" + String.join(",", spec) + "}}}}";
        return Optional.of("kubectl patch " + Kubectl.target(workload.ref()) + Kubectl.ns(workload.ref()) + " -p '" + json + "'");
    }

    private static String containerField(String reason) {
        switch (reason) {
            case ESCALATION:
                return "\"allowPrivilegeEscalation\":false";
            case CAPABILITIES:
                return "\"capabilities\":{\"drop\":[\"ALL\"]}";
            case PRIVILEGED:
                return "\"privileged\":false";
            default:
                return "";
        }
    }

    private static Optional<String> list(Map<String, List<String>> byContainer, Optional<PodTemplate> template, boolean init) {
        TreeSet<String> initNames = new TreeSet<>();
        template.ifPresent(t -> t.spec().initContainers().forEach(c -> initNames.add(c.name())));
        List<String> items = new ArrayList<>();
        byContainer.forEach((name, fields) -> {
            if (initNames.contains(name) == init) {
                items.add("{\"name\":\"" + name + "\",\"securityContext\":{" + String.join(",", fields) + "}}");
            }
        });
        return items.isEmpty() ? Optional.empty() : Optional.of("[" + String.join(",", items) + "]");
    }
}

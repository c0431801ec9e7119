package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The webhook cases of {@link AdmissionRejected}: which webhook configuration in the snapshot likely holds a webhook.
 * The snapshot keeps only a configuration's metadata, not its {@code webhooks[].name}, so the match is by the words the
 * names share ({@code validate.kyverno.svc-fail} and {@code kyverno-resource-validating-webhook-cfg} share
 * {@code kyverno}) and is reported as likely, with the command that tells for sure.
 */
final class AdmissionWebhooks {

    static final List<String> KINDS = List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

    /** The command that lists every configuration with the webhooks it holds. */
    static final String LIST_COMMAND = "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations "
            + "-o custom-columns=NAME:.metadata.name,WEBHOOKS:.webhooks[*].name";

    /** Words of webhook and configuration names that say nothing about who owns them. */
    private static final Set<String> GENERIC = Set.of("svc", "cluster", "local", "io", "com", "org", "net", "dev", "k8s",
            "kubernetes", "webhook", "webhooks", "validate", "validating", "validation", "validator", "mutate", "mutating",
            "mutation", "mutator", "admission", "fail", "ignore", "config", "cfg", "configuration", "resource", "resources",
            "policy", "policies", "pod", "pods", "default", "system", "controller", "operator", "v1", "api", "check");

    private AdmissionWebhooks() {
    }

    /** The configurations of the snapshot whose names share a telling word with the webhook's, sorted. */
    static List<KubeObject> likelyHolders(Snapshot snapshot, String webhook) {
        Set<String> words = words(webhook);
        List<KubeObject> out = new ArrayList<>();
        for (String kind : KINDS) {
            for (KubeObject o : snapshot.objectsOfKind(kind)) {
                if (words(o.metadata().name()).stream().anyMatch(words::contains)) {
                    out.add(o);
                }
            }
        }
        out.sort(java.util.Comparator.comparing(KubeObject::ref));
        return out;
    }

    /** A sentence on where the webhook is configured, as far as the snapshot tells. */
    static String holderSentence(Snapshot snapshot, String webhook, List<KubeObject> holders) {
        int configurations = KINDS.stream().mapToInt(k -> snapshot.objectsOfKind(k).size()).sum();
        if (configurations == 0) {
            return "The snapshot holds no webhook configurations, so which one registers webhook " + webhook
                    + " cannot be shown.";
        }
        if (holders.isEmpty()) {
            return "None of the " + configurations + " webhook configurations in the snapshot has a name that points to "
                    + webhook + " (the snapshot keeps their names, not their webhooks).";
        }
        List<String> names = holders.stream().map(o -> o.kind() + " " + o.metadata().name()).toList();
        return "It is likely registered by " + (names.size() == 1 ? names.get(0) : "one of " + String.join(", ", names))
                + ", whose name matches (the snapshot keeps configurations' names, not their webhooks).";
    }

    /** The policy engine's own objects to look at, when the webhook's name shows which engine it is. */
    static List<String[]> engineSteps(String webhook, String namespace) {
        String w = webhook.toLowerCase(Locale.ROOT);
        List<String[]> out = new ArrayList<>();
        if (w.contains("kyverno")) {
            out.add(new String[] {"See which Kyverno policy blocks the pods and what it requires",
                    "kubectl get policyreports -n " + namespace});
        } else if (w.contains("gatekeeper")) {
            out.add(new String[] {"See which Gatekeeper constraint blocks the pods", "kubectl get constraints"});
        }
        return out;
    }

    static List<ObjectRef> refs(List<KubeObject> holders) {
        return holders.stream().map(KubeObject::ref).toList();
    }

    private static Set<String> words(String name) {
        Set<String> out = new TreeSet<>();
        for (String w : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (w.length() >= 3 && !GENERIC.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}

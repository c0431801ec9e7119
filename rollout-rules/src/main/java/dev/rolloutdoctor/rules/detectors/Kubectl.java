package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;

import java.util.Locale;

/** {@code kubectl} command lines filled with real names, for remediation steps. Names are quoted only when needed. */
final class Kubectl {

    private Kubectl() {
    }

    /** {@code deployment/web}: the form kubectl takes as an argument. */
    static String target(ObjectRef ref) {
        return ref.kind().toLowerCase(Locale.ROOT) + "/" + ref.name();
    }

    static String ns(ObjectRef ref) {
        return ref.namespace().isEmpty() ? "" : " -n " + ref.namespace();
    }

    static String describe(KubeObject object) {
        return describe(object.ref());
    }

    static String describe(ObjectRef ref) {
        return "kubectl describe " + target(ref) + ns(ref);
    }

    static String get(ObjectRef ref, String output) {
        return "kubectl get " + target(ref) + ns(ref) + " -o " + output;
    }

    static String events(ObjectRef ref) {
        return "kubectl events" + ns(ref) + " --for " + target(ref);
    }

    static String logs(ObjectRef pod, String container, boolean previous) {
        return "kubectl logs " + pod.name() + ns(pod) + (container.isEmpty() ? "" : " -c " + container) + (previous ? " --previous" : "");
    }

    static String rolloutStatus(ObjectRef workload) {
        return "kubectl rollout status " + target(workload) + ns(workload);
    }

    static String rolloutUndo(ObjectRef workload) {
        return "kubectl rollout undo " + target(workload) + ns(workload);
    }

    static String rolloutResume(ObjectRef workload) {
        return "kubectl rollout resume " + target(workload) + ns(workload);
    }

    static String rolloutRestart(ObjectRef workload) {
        return "kubectl rollout restart " + target(workload) + ns(workload);
    }

    /** A merge patch on the workload: {@code patch} is the JSON document. */
    static String patch(ObjectRef ref, String json) {
        return "kubectl patch " + target(ref) + ns(ref) + " --type merge -p '" + json + "'";
    }
}

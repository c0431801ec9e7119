package dev.rolloutdoctor.snapshot;

/** The dump layouts the loader recognises from entry paths. */
public enum Layout {
    /** Loose files: {@code kubectl get -o yaml|json} output. */
    PLAIN("plain files"),
    /** A replicatedhq/troubleshoot support bundle: {@code cluster-resources/<kind>/<namespace>.json}. */
    SUPPORT_BUNDLE("troubleshoot support bundle"),
    /** {@code kubectl cluster-info dump --output-directory}: {@code <namespace>/pods.json}. */
    CLUSTER_INFO_DUMP("kubectl cluster-info dump"),
    /** OpenShift must-gather / {@code oc adm inspect}: {@code namespaces/<ns>/<group>/<plural>.yaml}. */
    MUST_GATHER("OpenShift must-gather"),
    /** A sonobuoy results archive: {@code resources/ns/<ns>/<group>_<version>_<plural>.json}. */
    SONOBUOY("sonobuoy results"),
    /** An OpenShift Insights archive: {@code config/pod/<ns>/<name>.json}. */
    INSIGHTS("OpenShift Insights archive");

    private final String description;

    Layout(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}

package dev.rolloutdoctor.rules;

import java.util.Locale;

/** Where in the stack a rule looks: the cluster's capacity and policy, the workload's spec, its pods, or the application inside them. */
public enum Layer {
    CLUSTER, WORKLOAD, POD, APPLICATION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

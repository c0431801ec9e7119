package dev.rolloutdoctor.model;

import java.util.Set;

/** Facts about kinds by name: which are cluster-scoped, which are the workloads rollouts are reported for. */
public final class Kinds {

    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Node", "PersistentVolume", "StorageClass", "Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "VolumeAttachment", "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
            "CSIDriver", "CSINode", "IngressClass", "APIService", "ComponentStatus", "CertificateSigningRequest",
            "RuntimeClass", "PodSecurityPolicy", "ClusterIssuer",
            // OpenShift, as must-gather events refer to them
            "ClusterOperator", "ClusterVersion", "Project", "MachineConfigPool", "MachineConfig", "Infrastructure",
            "SecurityContextConstraints", "OAuth", "Console", "Network", "DNS", "Image", "Proxy");

    private Kinds() {
    }

    /** True for kinds that live outside namespaces (Node, PersistentVolume, StorageClass, ...). */
    public static boolean isClusterScoped(String kind) {
        return CLUSTER_SCOPED.contains(kind);
    }
}

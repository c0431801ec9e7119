package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.Layout;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises where an entry sits in the dump layouts we know, from its path alone, so that entries can be parsed as
 * they stream out of an archive. Objects carry their own kind in nearly every dump; the hint fills it in for the
 * ones that do not (typed-client serialisation, bare arrays) and names the pod of a log file.
 */
public final class Layouts {

    private static final Pattern TROUBLESHOOT_LOG = Pattern.compile(
            "(?:^|.*/)cluster-resources/pods/logs/([^/]+)/([^/]+)/([^/]+)\\.log");
    private static final Pattern TROUBLESHOOT_NS_FILE = Pattern.compile(
            "(?:^|.*/)cluster-resources/([^/]+)/([^/]+)\\.(json|yaml)");
    private static final Pattern TROUBLESHOOT_ERRORS = Pattern.compile(
            "(?:^|.*/)cluster-resources/([^/]+)-errors\\.json");
    private static final Pattern TROUBLESHOOT_CLUSTER_FILE = Pattern.compile(
            "(?:^|.*/)cluster-resources/([^/]+)\\.(json|yaml)");
    private static final Pattern TROUBLESHOOT_CUSTOM = Pattern.compile(
            "(?:^|.*/)cluster-resources/custom-resources/.*");
    private static final Pattern TROUBLESHOOT_CHECK = Pattern.compile(
            "(?:^|.*/)(secrets|configmaps)/([^/]+)/([^/]+)\\.json");
    private static final Pattern TROUBLESHOOT_CHECK_ERRORS = Pattern.compile(
            "(?:^|.*/)(secrets|configmaps)-errors/([^/]+)/([^/]+)\\.json");
    private static final Pattern TROUBLESHOOT_COLLECTOR_ERRORS = Pattern.compile(
            "(?:^|.*/)collector-errors/[^/]+\\.json");
    private static final Pattern MUST_GATHER_LIST = Pattern.compile(
            "(?:^|.*/)namespaces/([^/]+)/([^/]+)/([^/]+)\\.ya?ml");
    private static final Pattern MUST_GATHER_ITEM = Pattern.compile(
            "(?:^|.*/)namespaces/([^/]+)/([^/]+)/([^/]+)/[^/]+\\.ya?ml");
    private static final Pattern MUST_GATHER_LOG = Pattern.compile(
            "(?:^|.*/)namespaces/([^/]+)/pods/([^/]+)/([^/]+)/[^/]+/logs/(current|previous)\\.log");
    private static final Pattern MUST_GATHER_CLUSTER = Pattern.compile(
            "(?:^|.*/)cluster-scoped-resources/([^/]+)/([^/]+?)(?:/[^/]+)?\\.ya?ml");
    private static final Pattern SONOBUOY_NS = Pattern.compile(
            "(?:^|.*/)resources/ns/([^/]+)/([^/]+)\\.json");
    private static final Pattern SONOBUOY_CLUSTER = Pattern.compile(
            "(?:^|.*/)resources/cluster/([^/]+)\\.json");
    private static final Pattern SONOBUOY_LOG = Pattern.compile(
            "(?:^|.*/)podlogs/([^/]+)/([^/]+)/logs/([^/]+)\\.(txt|log)");
    private static final Pattern INSIGHTS_POD = Pattern.compile(
            "(?:^|.*/)config/pod/([^/]+)/([^/]+)\\.json");
    private static final Pattern INSIGHTS_EVENTS = Pattern.compile(
            "(?:^|.*/)events/([^/]+)\\.json");
    private static final Pattern CLUSTER_INFO_FILE = Pattern.compile(
            "(?:^|.*/)([^/]+)/(events|replication-controllers|services|daemonsets|deployments|replicasets|pods)\\.(json|yaml)");
    private static final Pattern CLUSTER_INFO_LOG = Pattern.compile(
            "(?:^|.*/)([^/]+)/([^/]+)/logs\\.txt");

    /** Plural resource names and file names as collectors write them, to kinds. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("pods", "Pod"), Map.entry("pod", "Pod"),
            Map.entry("deployments", "Deployment"), Map.entry("deployment", "Deployment"),
            Map.entry("replicasets", "ReplicaSet"), Map.entry("replicaset", "ReplicaSet"),
            Map.entry("statefulsets", "StatefulSet"), Map.entry("daemonsets", "DaemonSet"),
            Map.entry("events", "Event"),
            Map.entry("nodes", "Node"), Map.entry("node", "Node"),
            Map.entry("pvcs", "PersistentVolumeClaim"), Map.entry("persistentvolumeclaims", "PersistentVolumeClaim"),
            Map.entry("pvs", "PersistentVolume"), Map.entry("persistentvolumes", "PersistentVolume"),
            Map.entry("storage-classes", "StorageClass"), Map.entry("storageclasses", "StorageClass"),
            Map.entry("resource-quota", "ResourceQuota"), Map.entry("resource-quotas", "ResourceQuota"),
            Map.entry("resourcequotas", "ResourceQuota"),
            Map.entry("limitranges", "LimitRange"), Map.entry("limitrange", "LimitRange"),
            Map.entry("network-policy", "NetworkPolicy"), Map.entry("networkpolicies", "NetworkPolicy"),
            Map.entry("services", "Service"), Map.entry("configmaps", "ConfigMap"), Map.entry("secrets", "Secret"),
            Map.entry("namespaces", "Namespace"), Map.entry("jobs", "Job"), Map.entry("cronjobs", "CronJob"),
            Map.entry("serviceaccounts", "ServiceAccount"),
            Map.entry("pod-disruption-budgets", "PodDisruptionBudget"), Map.entry("poddisruptionbudgets", "PodDisruptionBudget"),
            Map.entry("endpoints", "Endpoints"), Map.entry("endpointslices", "EndpointSlice"),
            Map.entry("replication-controllers", "ReplicationController"),
            Map.entry("replicationcontrollers", "ReplicationController"),
            Map.entry("ingress", "Ingress"), Map.entry("ingresses", "Ingress"),
            Map.entry("leases", "Lease"), Map.entry("priorityclasses", "PriorityClass"),
            Map.entry("volumeattachments", "VolumeAttachment"),
            Map.entry("controllerrevisions", "ControllerRevision"),
            Map.entry("horizontalpodautoscalers", "HorizontalPodAutoscaler"),
            Map.entry("roles", "Role"), Map.entry("rolebindings", "RoleBinding"),
            Map.entry("clusterroles", "ClusterRole"), Map.entry("clusterrolebindings", "ClusterRoleBinding"),
            Map.entry("custom-resource-definitions", "CustomResourceDefinition"),
            Map.entry("customresourcedefinitions", "CustomResourceDefinition"),
            Map.entry("validating-webhook-configurations", "ValidatingWebhookConfiguration"),
            Map.entry("validatingwebhookconfigurations", "ValidatingWebhookConfiguration"),
            Map.entry("mutating-webhook-configurations", "MutatingWebhookConfiguration"),
            Map.entry("mutatingwebhookconfigurations", "MutatingWebhookConfiguration"));

    /** Troubleshoot files that hold no Kubernetes objects, or objects no diagnosis uses. */
    private static final java.util.Set<String> TROUBLESHOOT_SKIP = java.util.Set.of(
            "auth-cani-list", "groups", "resources");

    private Layouts() {
    }

    /** What {@code path} (relative to the input root, '/'-separated) says about the entry. */
    public static PathHint hint(String path) {
        Matcher m;
        if (path.contains("cluster-resources/")) {
            return troubleshoot(path);
        }
        if ((m = TROUBLESHOOT_CHECK_ERRORS.matcher(path)).matches()) {
            return PathHint.errors(Layout.SUPPORT_BUNDLE, m.group(1).equals("secrets") ? "Secret" : "ConfigMap", m.group(2));
        }
        if (TROUBLESHOOT_COLLECTOR_ERRORS.matcher(path).matches()) {
            return PathHint.errors(Layout.SUPPORT_BUNDLE, null, null);
        }
        if ((m = TROUBLESHOOT_CHECK.matcher(path)).matches() && !path.contains("namespaces/")) {
            return PathHint.objects(Layout.SUPPORT_BUNDLE, m.group(1).equals("secrets") ? "Secret" : "ConfigMap", m.group(2));
        }
        if ((m = MUST_GATHER_LOG.matcher(path)).matches()) {
            return PathHint.log(Layout.MUST_GATHER, m.group(1), m.group(2), m.group(3), m.group(4).equals("previous"));
        }
        if ((m = MUST_GATHER_LIST.matcher(path)).matches()) {
            return PathHint.objects(Layout.MUST_GATHER, kindOf(m.group(3)), m.group(1));
        }
        if ((m = MUST_GATHER_ITEM.matcher(path)).matches()) {
            return PathHint.objects(Layout.MUST_GATHER, kindOf(m.group(2)), m.group(1));
        }
        if ((m = MUST_GATHER_CLUSTER.matcher(path)).matches()) {
            return PathHint.objects(Layout.MUST_GATHER, kindOf(m.group(2)), null);
        }
        if ((m = SONOBUOY_LOG.matcher(path)).matches()) {
            return PathHint.log(Layout.SONOBUOY, m.group(1), m.group(2), m.group(3), false);
        }
        if ((m = SONOBUOY_NS.matcher(path)).matches()) {
            return PathHint.objects(Layout.SONOBUOY, sonobuoyKind(m.group(2)), m.group(1));
        }
        if ((m = SONOBUOY_CLUSTER.matcher(path)).matches()) {
            return PathHint.objects(Layout.SONOBUOY, sonobuoyKind(m.group(1)), null);
        }
        if ((m = INSIGHTS_POD.matcher(path)).matches()) {
            return PathHint.objects(Layout.INSIGHTS, "Pod", m.group(1));
        }
        if ((m = CLUSTER_INFO_LOG.matcher(path)).matches()) {
            return PathHint.log(Layout.CLUSTER_INFO_DUMP, m.group(1), m.group(2), "", false);
        }
        if ((m = CLUSTER_INFO_FILE.matcher(path)).matches()) {
            // objects in a cluster-info dump always carry their namespace; the folder name could be anything in a plain dump
            return PathHint.objects(Layout.CLUSTER_INFO_DUMP, kindOf(m.group(2)), null);
        }
        if ((m = INSIGHTS_EVENTS.matcher(path)).matches()) {
            return PathHint.objects(Layout.INSIGHTS, "Event", m.group(1));
        }
        return fileNameHint(path);
    }

    private static PathHint troubleshoot(String path) {
        Matcher m;
        if ((m = TROUBLESHOOT_LOG.matcher(path)).matches()) {
            String file = m.group(3);
            if (file.endsWith("-logs-errors")) {
                return PathHint.errors(Layout.SUPPORT_BUNDLE, "Pod", m.group(1));
            }
            boolean previous = file.endsWith("-previous");
            String container = previous ? file.substring(0, file.length() - "-previous".length()) : file;
            return PathHint.log(Layout.SUPPORT_BUNDLE, m.group(1), m.group(2), container, previous);
        }
        if (TROUBLESHOOT_CUSTOM.matcher(path).matches()) {
            return PathHint.objects(Layout.SUPPORT_BUNDLE, null, null);
        }
        if ((m = TROUBLESHOOT_ERRORS.matcher(path)).matches()) {
            return PathHint.errors(Layout.SUPPORT_BUNDLE, kindOf(m.group(1)), null);
        }
        if ((m = TROUBLESHOOT_NS_FILE.matcher(path)).matches()) {
            if (TROUBLESHOOT_SKIP.contains(m.group(1))) {
                return PathHint.ignore(Layout.SUPPORT_BUNDLE);
            }
            return PathHint.objects(Layout.SUPPORT_BUNDLE, kindOf(m.group(1)), m.group(2));
        }
        if ((m = TROUBLESHOOT_CLUSTER_FILE.matcher(path)).matches()) {
            if (TROUBLESHOOT_SKIP.contains(m.group(1))) {
                return PathHint.ignore(Layout.SUPPORT_BUNDLE);
            }
            return PathHint.objects(Layout.SUPPORT_BUNDLE, kindOf(m.group(1)), null);
        }
        return PathHint.objects(Layout.SUPPORT_BUNDLE, null, null);
    }

    /** {@code core_v1_pods}, {@code apps_v1_deployments} (current sonobuoy) or {@code Pods}, {@code Deployments} (0.10). */
    private static String sonobuoyKind(String name) {
        int underscore = name.lastIndexOf('_');
        String plural = underscore >= 0 ? name.substring(underscore + 1) : name;
        return kindOf(plural.toLowerCase(Locale.ROOT));
    }

    private static PathHint fileNameHint(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        String base = (dot > 0 ? file.substring(0, dot) : file).toLowerCase(Locale.ROOT);
        String kind = KINDS.get(base);
        return kind == null ? PathHint.plain() : PathHint.objects(Layout.PLAIN, kind, null);
    }

    /** The kind a plural resource or collector folder name stands for, or null when unknown. */
    static String kindOf(String plural) {
        return KINDS.get(plural.toLowerCase(Locale.ROOT));
    }

    /** The kind for a {@code XxxList} list kind ({@code PodList} gives {@code Pod}). */
    static Optional<String> itemKindOfList(String listKind) {
        if (listKind.endsWith("List") && listKind.length() > 4 && !listKind.equals("List")) {
            return Optional.of(listKind.substring(0, listKind.length() - 4));
        }
        return Optional.empty();
    }
}

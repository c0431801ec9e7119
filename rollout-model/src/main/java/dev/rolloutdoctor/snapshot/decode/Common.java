package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.NodeSelectorRequirement;
import dev.rolloutdoctor.model.NodeSelectorTerm;
import dev.rolloutdoctor.model.ObjectMeta;
import dev.rolloutdoctor.model.OwnerReference;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Decoders for the parts every kind shares: metadata and conditions. */
public final class Common {

    /** Dropped on load: a full copy of the object as last applied, large and never needed for a diagnosis. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private Common() {
    }

    public static ObjectMeta meta(Obj m) {
        SortedMap<String, String> annotations = m.strMap("annotations");
        if (annotations.containsKey(LAST_APPLIED)) {
            TreeMap<String, String> copy = new TreeMap<>(annotations);
            copy.remove(LAST_APPLIED);
            annotations = copy;
        }
        return new ObjectMeta(
                m.str("name"),
                m.str("generateName"),
                m.str("namespace"),
                m.str("uid"),
                m.str("resourceVersion"),
                m.lng("generation", 0),
                m.time("creationTimestamp"),
                m.time("deletionTimestamp"),
                m.optLong("deletionGracePeriodSeconds"),
                m.strMap("labels"),
                annotations,
                m.list("ownerReferences", Common::ownerReference),
                m.strList("finalizers"));
    }

    static OwnerReference ownerReference(Obj o) {
        return new OwnerReference(o.str("apiVersion"), o.str("kind"), o.str("name"), o.str("uid"), o.bool("controller", false));
    }

    /** {@code status.conditions} or any list of conditions under {@code key}. */
    public static List<Condition> conditions(Obj status, String key) {
        return status.list(key, Common::condition);
    }

    static Condition condition(Obj c) {
        return new Condition(c.str("type"), c.str("status"), c.str("reason"), c.str("message"),
                c.time("lastTransitionTime"), c.time("lastUpdateTime"), c.time("lastProbeTime"),
                c.time("lastHeartbeatTime"));
    }

    /** A {@code nodeSelectorTerms} list (pod required node affinity, PersistentVolume node affinity). */
    public static List<NodeSelectorTerm> nodeSelectorTerms(Obj nodeSelector) {
        return nodeSelector.list("nodeSelectorTerms", t -> new NodeSelectorTerm(
                t.list("matchExpressions", Common::nodeSelectorRequirement),
                t.list("matchFields", Common::nodeSelectorRequirement)));
    }

    static NodeSelectorRequirement nodeSelectorRequirement(Obj r) {
        var op = NodeSelectorRequirement.Operator.fromKubernetes(r.str("operator"));
        if (op.isEmpty()) {
            r.ctx().problem(r.raw("operator"), r.path().field("operator"),
                    "expected one of In, NotIn, Exists, DoesNotExist, Gt, Lt, found " + r.raw("operator").describe());
            return null;
        }
        try {
            return new NodeSelectorRequirement(r.str("key"), op.get(), r.strList("values"));
        } catch (IllegalArgumentException e) {
            r.ctx().problem(r.node(), r.path(), "invalid node selector requirement: " + e.getMessage());
            return null;
        }
    }
}

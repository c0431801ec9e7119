package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.IntOrString;
import dev.rolloutdoctor.model.LimitRange;
import dev.rolloutdoctor.model.LimitRangeItem;
import dev.rolloutdoctor.model.NetworkPolicy;
import dev.rolloutdoctor.model.NetworkPolicyPeer;
import dev.rolloutdoctor.model.NetworkPolicyPort;
import dev.rolloutdoctor.model.NetworkPolicyRule;
import dev.rolloutdoctor.model.ResourceQuota;
import dev.rolloutdoctor.model.Service;
import dev.rolloutdoctor.model.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Decoders of the kinds that limit or route what pods get: ResourceQuota, LimitRange, NetworkPolicy, Service. */
public final class PolicyDecoders {

    private PolicyDecoders() {
    }

    public static ResourceQuota resourceQuota(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj status = root.obj("status");
        return new ResourceQuota(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new ResourceQuota.Spec(spec.quantities("hard"), spec.strList("scopes")),
                new ResourceQuota.Status(status.quantities("hard"), status.quantities("used")),
                source);
    }

    public static LimitRange limitRange(Obj root, Source source) {
        return new LimitRange(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                root.obj("spec").list("limits", PolicyDecoders::limitRangeItem),
                source);
    }

    static LimitRangeItem limitRangeItem(Obj i) {
        return new LimitRangeItem(i.str("type"), i.quantities("max"), i.quantities("min"), i.quantities("default"),
                i.quantities("defaultRequest"), i.quantities("maxLimitRequestRatio"));
    }

    public static NetworkPolicy networkPolicy(Obj root, Source source) {
        Obj spec = root.obj("spec");
        return new NetworkPolicy(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                spec.selector("podSelector"),
                spec.strList("policyTypes"),
                rules(spec, "ingress", "from"),
                rules(spec, "egress", "to"),
                source);
    }

    /**
     * The rules under {@code key}. A {@code null} item is kept as a rule with no peers and no ports, as Go decodes it:
     * such a rule allows everything, so dropping it would turn "allow all" into "deny all".
     */
    private static List<NetworkPolicyRule> rules(Obj spec, String key, String peersKey) {
        Node n = spec.raw(key);
        if (!(n instanceof SeqNode seq)) {
            spec.list(key, r -> null); // reports a value of the wrong type; absent and null are no rules
            return List.of();
        }
        List<NetworkPolicyRule> out = new ArrayList<>(seq.size());
        for (int i = 0; i < seq.size(); i++) {
            Node item = seq.items().get(i);
            Obj r = Obj.of(item, spec.path().field(key).index(i), spec.ctx());
            if (item instanceof MapNode || item.isAbsent()) {
                out.add(new NetworkPolicyRule(r.list(peersKey, PolicyDecoders::peer), r.list("ports", PolicyDecoders::port)));
            }
        }
        return List.copyOf(out);
    }

    static NetworkPolicyPeer peer(Obj p) {
        Optional<NetworkPolicyPeer.IPBlock> ipBlock = Optional.empty();
        if (p.has("ipBlock")) {
            Obj b = p.obj("ipBlock");
            ipBlock = Optional.of(new NetworkPolicyPeer.IPBlock(b.str("cidr"), b.strList("except")));
        }
        return new NetworkPolicyPeer(p.selector("podSelector"), p.selector("namespaceSelector"), ipBlock);
    }

    static NetworkPolicyPort port(Obj p) {
        return new NetworkPolicyPort(p.optStr("protocol").orElse("TCP"), p.intOrString("port"), p.optInt("endPort"));
    }

    public static Service service(Obj root, Source source) {
        Obj spec = root.obj("spec");
        return new Service(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                spec.optStr("type").filter(t -> !t.isEmpty()).orElse("ClusterIP"),
                spec.strMap("selector"),
                spec.list("ports", PolicyDecoders::servicePort),
                spec.str("clusterIP"),
                spec.bool("publishNotReadyAddresses", false),
                source);
    }

    static Service.Port servicePort(Obj p) {
        int port = p.integer("port", 0);
        return new Service.Port(
                p.str("name"),
                p.optStr("protocol").filter(t -> !t.isEmpty()).orElse("TCP"),
                port,
                p.intOrString("targetPort").orElse(IntOrString.of(port)),
                p.optInt("nodePort"));
    }
}

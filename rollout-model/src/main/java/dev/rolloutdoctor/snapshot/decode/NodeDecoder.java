package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.model.Taint;

/**
 * Decoder of core/v1 Node. The model's Node is written out in full: in this package {@code Node} is a node of the
 * document tree.
 */
public final class NodeDecoder {

    private NodeDecoder() {
    }

    public static dev.rolloutdoctor.model.Node decode(Obj root, Source source) {
        Obj spec = root.obj("spec");
        Obj status = root.obj("status");
        return new dev.rolloutdoctor.model.Node(
                root.str("apiVersion"),
                Common.meta(root.obj("metadata")),
                new dev.rolloutdoctor.model.Node.Spec(
                        spec.bool("unschedulable", false),
                        spec.list("taints", NodeDecoder::taint),
                        spec.str("providerID"),
                        spec.str("podCIDR")),
                new dev.rolloutdoctor.model.Node.Status(
                        status.quantities("capacity"),
                        status.quantities("allocatable"),
                        Common.conditions(status, "conditions"),
                        nodeInfo(status.obj("nodeInfo")),
                        status.list("addresses", NodeDecoder::address)),
                source);
    }

    static Taint taint(Obj t) {
        return new Taint(t.str("key"), t.str("value"), t.str("effect"), t.time("timeAdded"));
    }

    static dev.rolloutdoctor.model.Node.NodeInfo nodeInfo(Obj i) {
        return new dev.rolloutdoctor.model.Node.NodeInfo(
                i.str("kubeletVersion"),
                i.str("containerRuntimeVersion"),
                i.str("osImage"),
                i.str("kernelVersion"),
                i.str("architecture"),
                i.str("operatingSystem"));
    }

    /** Support bundles redact node addresses; a redacted address says nothing, so it is left out (and noted as redacted). */
    static dev.rolloutdoctor.model.Node.Address address(Obj a) {
        boolean redacted = a.isRedacted("address");
        String address = a.str("address");
        return redacted ? null : new dev.rolloutdoctor.model.Node.Address(a.str("type"), address);
    }
}

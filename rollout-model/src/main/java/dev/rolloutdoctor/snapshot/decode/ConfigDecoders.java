package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.ConfigMap;
import dev.rolloutdoctor.model.Secret;
import dev.rolloutdoctor.model.Source;

import java.util.List;
import java.util.TreeSet;

/** Decoders of ConfigMap and Secret: key names only, never values. */
public final class ConfigDecoders {

    private ConfigDecoders() {
    }

    public static ConfigMap configMap(Obj root, Source source) {
        TreeSet<String> keys = new TreeSet<>(root.keysOf("data"));
        keys.addAll(root.keysOf("binaryData"));
        return new ConfigMap(root.str("apiVersion"), Common.meta(root.obj("metadata")), List.copyOf(keys), source);
    }

    public static Secret secret(Obj root, Source source) {
        TreeSet<String> keys = new TreeSet<>(secretKeys(root, "data"));
        keys.addAll(secretKeys(root, "stringData"));
        String type = root.str("type");
        return new Secret(root.str("apiVersion"), Common.meta(root.obj("metadata")), type.isEmpty() ? Secret.OPAQUE : type,
                List.copyOf(keys), source);
    }

    /**
     * The keys of a Secret's data mapping. Values are never looked at, and a value of the wrong type is described by
     * its shape only: the generic accessors quote scalars in problem messages, which would print secret data.
     */
    private static List<String> secretKeys(Obj root, String key) {
        Node n = root.raw(key);
        if (n.isAbsent()) {
            return List.of();
        }
        if (n instanceof MapNode m) {
            return m.keys();
        }
        String shape = n instanceof SeqNode ? "a list" : "a single value (not shown: secret data is never printed)";
        root.ctx().problem(n, root.path().field(key), "expected a mapping of keys to values, found " + shape);
        return List.of();
    }
}

package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.GenericObject;
import dev.rolloutdoctor.model.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoder of any kind the model has no record for. It reads metadata and, when they look like conditions,
 * {@code status.conditions}; it never reports a problem about a kind-specific shape it does not know.
 */
public final class GenericDecoder {

    private GenericDecoder() {
    }

    /** An object whose document names its own kind. */
    public static GenericObject decode(Obj root, Source source) {
        return decode(root, "", source);
    }

    /** An object whose kind the loader inferred (from the list or the file path) for when the document does not name it. */
    public static GenericObject decode(Obj root, String inferredKind, Source source) {
        String kind = root.str("kind");
        return new GenericObject(
                root.str("apiVersion"),
                kind.isEmpty() ? inferredKind : kind,
                Common.meta(root.obj("metadata")),
                conditions(root, source),
                source);
    }

    /**
     * {@code status.conditions} when every item is a mapping with a string {@code type} and {@code status}; otherwise
     * none. A custom resource may use the name for something else, so nothing here is reported: fields of the wrong
     * type inside a condition read as empty, silently.
     */
    static List<Condition> conditions(Obj root, Source source) {
        if (!(root.raw("status") instanceof MapNode status) || !(status.get("conditions") instanceof SeqNode seq)) {
            return List.of();
        }
        DecodeContext silent = new DecodeContext(source, "", problem -> { });
        FieldPath path = FieldPath.ROOT.field("status").field("conditions");
        List<Condition> out = new ArrayList<>(seq.size());
        for (int i = 0; i < seq.size(); i++) {
            if (!(seq.items().get(i) instanceof MapNode item) || !isText(item.get("type")) || !isText(item.get("status"))) {
                return List.of();
            }
            out.add(Common.condition(new Obj(item, path.index(i), silent)));
        }
        return out;
    }

    private static boolean isText(Node n) {
        return n instanceof ScalarNode s && !s.isNull();
    }
}

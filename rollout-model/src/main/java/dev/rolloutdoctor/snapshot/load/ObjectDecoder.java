package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.Kinds;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.snapshot.LoadProblem;
import dev.rolloutdoctor.snapshot.ReferenceCheck;
import dev.rolloutdoctor.snapshot.SkippedInput;
import dev.rolloutdoctor.snapshot.decode.DecodeContext;
import dev.rolloutdoctor.snapshot.decode.FieldPath;
import dev.rolloutdoctor.snapshot.decode.MapNode;
import dev.rolloutdoctor.snapshot.decode.Node;
import dev.rolloutdoctor.snapshot.decode.Obj;
import dev.rolloutdoctor.snapshot.decode.ScalarNode;

import java.util.Optional;

/**
 * Turns the tree of one object into its record: settles the kind (its own, else the list's, else the path's),
 * fills a missing namespace from the layout, and passes over documents that are not objects with a reason.
 */
final class ObjectDecoder {

    /** Kinds whose state is read from their status: without it the dump says nothing about the rollout. */
    private static final java.util.Set<String> STATUS_NEEDED = java.util.Set.of(
            "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Pod");

    private final LoadSink sink;

    ObjectDecoder(LoadSink sink) {
        this.sink = sink;
    }

    /**
     * Decodes {@code root}; {@code kindHint} and {@code namespaceHint} come from the enclosing list or the path.
     * Returns false when the document was not a Kubernetes object (it has then been reported as skipped).
     */
    boolean decode(MapNode root, Optional<String> kindHint, Optional<String> namespaceHint, Source source) {
        if (isCollectorCheck(root)) {
            referenceCheck(root, source);
            return true;
        }
        String kind = text(root.get("kind"));
        if (kind.isEmpty()) {
            kind = kindHint.orElse("");
        }
        if (kind.equals("Table") || kind.equals("Status")) {
            sink.skipped(new SkippedInput(source.path(), describeNonObject(kind, root)));
            return false;
        }
        Node meta = root.get("metadata");
        if (!(meta instanceof MapNode metadata) || text(metadata.get("name")).isEmpty()) {
            sink.skipped(new SkippedInput(source.path(),
                    "a document without metadata.name, so not a Kubernetes object" + (kind.isEmpty() ? "" : " (kind " + kind + ")")));
            return false;
        }
        if (kind.isEmpty()) {
            kind = KindInference.infer(root).orElse("");
            if (kind.isEmpty()) {
                sink.skipped(new SkippedInput(source.path(),
                        "object " + text(metadata.get("name")) + " has no kind and nothing tells which kind it is"));
                return false;
            }
        }
        MapNode tree = root;
        if (root.get("kind").isAbsent()) {
            tree = tree.with("kind", new ScalarNode(kind, ScalarNode.Type.STRING, 0, 0));
        }
        if (namespaceHint.isPresent() && text(metadata.get("namespace")).isEmpty() && !Kinds.isClusterScoped(kind)) {
            tree = tree.with("metadata", metadata.with("namespace", new ScalarNode(namespaceHint.get(), ScalarNode.Type.STRING, 0, 0)));
        }
        String label = kind + " " + label(text(metadata.get("namespace")).isEmpty() ? namespaceHint.orElse("") : text(metadata.get("namespace")),
                text(metadata.get("name")));
        DecodeContext ctx = new DecodeContext(source, label, sink::problem);
        KubeObject object;
        try {
            object = KindDecoders.forKind(kind).decode(new Obj(tree, FieldPath.ROOT, ctx), source);
        } catch (RuntimeException bug) {
            sink.problem(new LoadProblem(source.path(), source.line(), source.column(), "",
                    label + ": could not be decoded (" + bug + "); please report this with the input"));
            return false;
        }
        sink.object(object, ctx.redactedPaths());
        if (STATUS_NEEDED.contains(kind) && root.get("status").isAbsent()) {
            sink.statusMissing(kind, object.metadata().namespace(), source.path());
        }
        return true;
    }

    private static String label(String namespace, String name) {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    private static String describeNonObject(String kind, MapNode root) {
        if (kind.equals("Table")) {
            return "kubectl table output (server-side printing), not objects: capture with -o yaml or -o json";
        }
        String message = text(root.get("message"));
        String reason = text(root.get("reason"));
        return "an API error response (Status " + (reason.isEmpty() ? text(root.get("status")) : reason) + ")"
                + (message.isEmpty() ? "" : ": " + message);
    }

    /** troubleshoot's secret and configMap collectors write {namespace, name, key, secretExists, keyExists}. */
    private static boolean isCollectorCheck(MapNode root) {
        return root.get("kind").isAbsent() && (root.has("secretExists") || root.has("configMapExists"));
    }

    private void referenceCheck(MapNode root, Source source) {
        boolean secret = root.has("secretExists");
        sink.referenceCheck(new ReferenceCheck(
                secret ? "Secret" : "ConfigMap",
                text(root.get("namespace")),
                text(root.get("name")),
                text(root.get("key")),
                "true".equals(text(root.get(secret ? "secretExists" : "configMapExists"))),
                "true".equals(text(root.get("keyExists"))),
                source.path()));
    }

    static String text(Node n) {
        return n instanceof ScalarNode s && !s.isNull() ? s.text() : "";
    }
}

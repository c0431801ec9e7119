package dev.rolloutdoctor.snapshot.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: decodes one Pod from YAML or JSON text and keeps the problems and redacted paths decoding found. */
final class PodDecoding {

    static final Source SOURCE = new Source("pods.yaml", 0, 1, 1);

    /** Hand-written test input should be clean: anything the reader finds odd fails the test, whatever the listener's methods. */
    private static final TreeReader.Listener STRICT = (TreeReader.Listener) Proxy.newProxyInstance(
            TreeReader.Listener.class.getClassLoader(), new Class<?>[] {TreeReader.Listener.class},
            (proxy, method, args) -> {
                throw new AssertionError("odd test input: " + method.getName() + " " + Arrays.toString(args));
            });

    final Pod pod;
    final List<LoadProblem> problems;
    final List<String> redactedPaths;

    private PodDecoding(Pod pod, List<LoadProblem> problems, List<String> redactedPaths) {
        this.pod = pod;
        this.problems = problems;
        this.redactedPaths = redactedPaths;
    }

    /** Decodes a Pod written as one YAML document. */
    static PodDecoding yaml(String text) {
        return decode(tree(new YAMLFactory(), text));
    }

    /** Decodes a Pod from an already parsed mapping. */
    static PodDecoding decode(MapNode root) {
        List<LoadProblem> problems = new ArrayList<>();
        DecodeContext ctx = new DecodeContext(SOURCE, "", problems::add);
        Pod pod = PodDecoder.decode(new Obj(root, FieldPath.ROOT, ctx), SOURCE);
        return new PodDecoding(pod, List.copyOf(problems), ctx.redactedPaths());
    }

    /** Decodes a Pod and fails when decoding reported any problem. */
    static Pod clean(String yaml) {
        PodDecoding d = yaml(yaml);
        if (!d.problems.isEmpty()) {
            throw new AssertionError("unexpected problems: " + d.problems);
        }
        return d.pod;
    }

    /** Parses JSON text (a {@code kubectl get -o json} file) into a mapping. */
    static MapNode json(String text) {
        return tree(new JsonFactory(), text);
    }

    private static MapNode tree(JsonFactory factory, String text) {
        try (JsonParser p = factory.createParser(text)) {
            p.nextToken();
            Node root = new TreeReader(Integer.MAX_VALUE, STRICT).read(p);
            if (!(root instanceof MapNode map)) {
                throw new AssertionError("not a mapping: " + root.describe());
            }
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based line of the first line of {@code text} that contains {@code fragment}. */
    static int lineOf(String text, String fragment) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError("not in the text: " + fragment);
    }
}

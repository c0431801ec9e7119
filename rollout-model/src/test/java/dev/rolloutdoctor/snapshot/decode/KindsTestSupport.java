package dev.rolloutdoctor.snapshot.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/** Test helper: parses YAML text into a document tree and decodes it with a context that collects problems. */
public final class KindsTestSupport {

    /** The source every decoded test object claims to come from. */
    public static final Source SOURCE = new Source("test.yaml", 0, 1, 1);

    private static final YAMLFactory YAML = new YAMLFactory();

    /**
     * Test YAML is written by hand and should be clean: whatever the reader finds odd (duplicate keys, aliases, ...)
     * fails the test. A proxy keeps this true when the listener gains methods.
     */
    private static final TreeReader.Listener FAIL_ON_ANY_ODDITY = (TreeReader.Listener) Proxy.newProxyInstance(
            TreeReader.Listener.class.getClassLoader(), new Class<?>[] {TreeReader.Listener.class},
            (proxy, method, args) -> {
                throw new AssertionError("the test YAML is odd: " + method.getName() + " " + Arrays.toString(args));
            });

    private KindsTestSupport() {
    }

    /** A decoded object and the problems decoding it reported. */
    public record Decoded<T>(T value, List<LoadProblem> problems) {
    }

    /** Parses one YAML document whose top level is a mapping. */
    public static MapNode parse(String yaml) {
        try (JsonParser p = YAML.createParser(yaml)) {
            p.nextToken();
            TreeReader reader = new TreeReader(Integer.MAX_VALUE, FAIL_ON_ANY_ODDITY);
            Node root = reader.read(p);
            if (!(root instanceof MapNode map)) {
                throw new AssertionError("the test YAML is not a mapping: " + root.describe());
            }
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and decodes with {@code decoder}, collecting problems. */
    public static <T> Decoded<T> decode(String yaml, BiFunction<Obj, Source, T> decoder) {
        List<LoadProblem> problems = new ArrayList<>();
        DecodeContext ctx = new DecodeContext(SOURCE, "", problems::add);
        T value = decoder.apply(new Obj(parse(yaml), FieldPath.ROOT, ctx), SOURCE);
        return new Decoded<>(value, List.copyOf(problems));
    }

    /** Parses and decodes, failing the test if decoding reported any problem. */
    public static <T> T decodeClean(String yaml, BiFunction<Obj, Source, T> decoder) {
        Decoded<T> decoded = decode(yaml, decoder);
        if (!decoded.problems().isEmpty()) {
            throw new AssertionError("unexpected problems: " + decoded.problems());
        }
        return decoded.value();
    }
}

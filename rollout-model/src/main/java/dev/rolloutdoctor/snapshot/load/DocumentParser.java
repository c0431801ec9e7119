package dev.rolloutdoctor.snapshot.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rolloutdoctor.model.Source;
import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;
import dev.rolloutdoctor.snapshot.SkippedInput;
import dev.rolloutdoctor.snapshot.decode.MapNode;
import dev.rolloutdoctor.snapshot.decode.Node;
import dev.rolloutdoctor.snapshot.decode.ScalarNode;
import dev.rolloutdoctor.snapshot.decode.TreeReader;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses one input entry: JSON (one document, a list, a bare array, or concatenated documents), YAML (one or many
 * documents), {@code kubectl cluster-info dump} stdout with its log sections, pod logs, and collectors' error files.
 * Lists are read item by item, each item decoded as soon as it is complete, so no tree of a whole file is built.
 * Thread-safe: one instance serves every worker.
 */
public final class DocumentParser {

    private final JsonFactory json;
    private final YAMLFactory yaml;
    private final LoadLimits limits;

    LoadLimits limits() {
        return limits;
    }

    public DocumentParser(LoadLimits limits) {
        this.limits = limits;
        // per factory, never JVM-wide: a host application's own parsing keeps its settings
        // strings and numbers are cut or rejected by TreeReader and the decoders, which report them and read on; Jackson
        // would end the file there. Their size is bounded by the document's anyway (a quarter of the heap at most).
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxStringLength(Integer.MAX_VALUE)
                .maxNumberLength(Integer.MAX_VALUE)
                .build();
        this.json = JsonFactory.builder().streamReadConstraints(constraints).build();
        LoaderOptions yamlOptions = new LoaderOptions();
        yamlOptions.setCodePointLimit(limits.maxDocumentCodePoints());
        yamlOptions.setAllowDuplicateKeys(true); // duplicates are reported by TreeReader, not thrown
        // the builder does not turn on what new YAMLFactory() has on: "key:" with no value is null, not ""
        this.yaml = YAMLFactory.builder().loaderOptions(yamlOptions).streamReadConstraints(constraints)
                .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
    }

    /** Parses the entry at {@code path} (relative to the input root) shown to users as {@code displayPath}. */
    public void parse(String displayPath, String path, byte[] content, LoadSink sink) {
        PathHint hint = Layouts.hint(path);
        if (hint.ignored()) {
            return;
        }
        if (hint.log().isPresent()) {
            if (hint.log().get().container().isEmpty() && ClusterInfoStdout.looksLikeOne(content)) {
                // <ns>/<pod>/logs.txt of a cluster-info dump: every container's log between START/END markers
                ClusterInfoStdout.split(new String(content, StandardCharsets.UTF_8), displayPath, this, hint, sink);
                return;
            }
            sink.log(LogTail.read(hint.log().get(), content, limits.maxLogBytesPerContainer(), displayPath));
            return;
        }
        if (hint.collectionErrors()) {
            CollectorErrors.read(hint, content, displayPath, sink);
            return;
        }
        hint.kind().ifPresent(sink::collectedKind);
        int start = bomLength(content);
        String extension = extension(path);
        // a file a known layout names by kind is never cluster-info's stdout: skip the scan of its every byte
        if (hint.kind().isEmpty() && ClusterInfoStdout.looksLikeOne(content)) {
            ClusterInfoStdout.split(new String(content, StandardCharsets.UTF_8), displayPath, this, hint, sink);
            return;
        }
        byte first = firstNonBlank(content, start);
        boolean jsonStart = first == '{' || first == '[';
        switch (extension) {
            case "json":
            case "yaml":
            case "yml":
                break;
            case "log":
                sink.skipped(new SkippedInput(displayPath, "a log file outside the layouts that name its pod"));
                return;
            default:
                if (!jsonStart && !looksLikeYamlObjects(content, start)) {
                    if (first != 0) {
                        sink.skipped(new SkippedInput(displayPath, nonObjectReason(content, start)));
                    }
                    return;
                }
        }
        if (first == 0) {
            return; // empty file: nothing to read, nothing wrong
        }
        if (jsonStart) {
            parseJson(displayPath, content, start, hint, sink);
        } else {
            parseYaml(displayPath, new String(content, start, content.length - start, StandardCharsets.UTF_8), 0, hint, sink);
        }
    }

    // ------------------------------------------------------------------ JSON

    void parseJson(String displayPath, byte[] content, int start, PathHint hint, LoadSink sink) {
        Reading reading = new Reading(displayPath, hint, sink, 0);
        try (JsonParser p = json.createParser(content, start, content.length - start)) {
            readRoots(p, reading);
        } catch (IOException | RuntimeException e) {
            if (reading.objects == 0 && reading.roots > 0 && reading.lastRootEnd > 0) {
                // tool output with a JSON preamble line before YAML (HolmesGPT fixtures): read what follows as YAML
                String rest = new String(content, start + (int) reading.lastRootEnd, content.length - start - (int) reading.lastRootEnd,
                        StandardCharsets.UTF_8);
                int restLine = reading.lastRootLine;
                if (looksLikeYamlObjects(rest.getBytes(StandardCharsets.UTF_8), 0)) {
                    parseYaml(displayPath, rest, restLine - 1, hint, sink);
                    return;
                }
            }
            if (reading.objects == 0 && reading.roots > 0 && reading.lastRootEnd > 0
                    && firstNonBlank(content, start + (int) reading.lastRootEnd) != '{'
                    && firstNonBlank(content, start + (int) reading.lastRootEnd) != '[') {
                // a header line of tool output followed by text (kubectl describe, a table): nothing to load, nothing broken
                sink.skipped(new SkippedInput(displayPath, nonObjectReason(content, start + (int) reading.lastRootEnd)));
                return;
            }
            reading.fail(e, "JSON");
        }
    }

    void parseJsonText(String displayPath, String text, int lineOffset, PathHint hint, LoadSink sink, int firstDocument) {
        Reading reading = new Reading(displayPath, hint, sink, lineOffset);
        reading.document = firstDocument;
        try (JsonParser p = json.createParser(text)) {
            readRoots(p, reading);
        } catch (IOException | RuntimeException e) {
            reading.fail(e, "JSON");
        }
    }

    private void readRoots(JsonParser p, Reading reading) throws IOException {
        reading.parser = p;
        while (p.nextToken() != null) {
            readRoot(p, reading);
            reading.roots++;
            reading.document++;
            JsonLocation end = p.currentLocation();
            reading.lastRootEnd = end.getByteOffset() >= 0 ? end.getByteOffset() : end.getCharOffset();
            reading.lastRootLine = end.getLineNr();
        }
    }

    // ------------------------------------------------------------------ YAML

    void parseYaml(String displayPath, String text, int lineOffset, PathHint hint, LoadSink sink) {
        int document = 0;
        for (YamlDocuments.Document doc : YamlDocuments.split(text)) {
            Reading reading = new Reading(displayPath, hint, sink, lineOffset + doc.firstLine() - 1);
            reading.document = document++;
            try (JsonParser p = yaml.createParser(doc.text())) {
                readRoots(p, reading);
            } catch (IOException | RuntimeException e) {
                reading.fail(e, "YAML");
            }
        }
    }

    // ------------------------------------------------------------------ documents

    private void readRoot(JsonParser p, Reading r) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            readRootObject(p, r);
        } else if (t == JsonToken.START_ARRAY) {
            readItems(p, r, r.hint.kind(), new ArrayList<>());
        } else if (t != JsonToken.VALUE_NULL) {
            String text = p.getText();
            if (text != null && !text.isBlank()) {
                r.sink.skipped(new SkippedInput(r.displayPath, "plain text, not a JSON or YAML mapping"
                        + (text.contains("Name:") && text.contains("Namespace:") ? " (looks like kubectl describe output: capture with -o yaml)" : "")));
            }
        }
    }

    private void readRootObject(JsonParser p, Reading r) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr() > 0 ? loc.getLineNr() + r.lineOffset : 0;
        int column = Math.max(loc.getColumnNr(), 0);
        MapNode.Builder root = new MapNode.Builder(line, column);
        boolean isList = false;
        String listKind = "";
        String listApiVersion = "";
        List<MapNode> deferred = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            JsonLocation keyLoc = p.currentTokenLocation();
            if (key.equals("items") && (value == JsonToken.START_ARRAY || value == JsonToken.VALUE_NULL)) {
                isList = true;
                if (value == JsonToken.START_ARRAY) {
                    Optional<String> itemKind = listKind.isEmpty() ? r.hint.kind() : Layouts.itemKindOfList(listKind).or(r.hint::kind);
                    r.listApiVersion = listKind.equals("List") ? "" : listApiVersion;
                    readItems(p, r, itemKind, deferred);
                    r.listApiVersion = "";
                }
                continue;
            }
            Node node = r.tree.read(p);
            if (key.equals("kind")) {
                listKind = ObjectDecoder.text(node);
            } else if (key.equals("apiVersion")) {
                listApiVersion = ObjectDecoder.text(node);
            }
            if (!root.put(key, node)) {
                r.duplicateKey(key, Math.max(0, keyLoc.getLineNr()) + r.lineOffset, Math.max(0, keyLoc.getColumnNr()));
            }
        }
        if (!isList) {
            r.decode(root.build(), r.hint.kind());
            return;
        }
        Optional<String> itemKind = Layouts.itemKindOfList(listKind).or(r.hint::kind);
        itemKind.ifPresent(r.sink::collectedKind);
        r.listApiVersion = listKind.equals("List") ? "" : listApiVersion;
        for (MapNode item : deferred) {
            r.decode(item, itemKind);
        }
        r.listApiVersion = "";
    }

    /** Items of a list or bare array; items whose kind is not yet known are kept in {@code deferred}. */
    private void readItems(JsonParser p, Reading r, Optional<String> itemKind, List<MapNode> deferred) throws IOException {
        boolean reportedNonObject = false;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Node item = r.tree.read(p);
            if (item instanceof MapNode m) {
                if (m.get("kind").isAbsent() && itemKind.isEmpty() && !m.has("secretExists")) {
                    deferred.add(m);
                } else {
                    r.decode(m, itemKind);
                }
            } else if (!item.isAbsent() && !reportedNonObject) {
                reportedNonObject = true;
                r.sink.skipped(new SkippedInput(r.displayPath, "a list whose items are not objects"));
            }
        }
        // a bare array whose items never said their kind: decide from what we have
        if (!deferred.isEmpty() && p.getParsingContext().inRoot()) {
            for (MapNode m : deferred) {
                r.decode(m, Optional.empty());
            }
            deferred.clear();
        }
    }

    /** State of reading one document stream. */
    private final class Reading implements TreeReader.Listener {
        final String displayPath;
        final PathHint hint;
        final LoadSink sink;
        final int lineOffset;
        final TreeReader tree;
        final ObjectDecoder decoder;
        int document;
        int roots;
        int objects;
        long lastRootEnd = -1;
        int lastRootLine;
        /** The apiVersion of the typed list being read ({@code PodList} in {@code v1}), for items that leave it out. */
        String listApiVersion = "";
        /** The parser reading now, for the location of an error that carries none. */
        JsonParser parser;

        Reading(String displayPath, PathHint hint, LoadSink sink, int lineOffset) {
            this.displayPath = displayPath;
            this.hint = hint;
            this.sink = sink;
            this.lineOffset = lineOffset;
            this.tree = new TreeReader(limits.maxStringLength(), this);
            this.tree.lineOffset(lineOffset);
            this.decoder = new ObjectDecoder(sink);
        }

        void decode(MapNode object, Optional<String> kindHint) {
            Source source = new Source(displayPath, document, object.line(), object.column());
            if (!listApiVersion.isEmpty() && object.get("apiVersion").isAbsent()) {
                object = object.with("apiVersion", new ScalarNode(listApiVersion, ScalarNode.Type.STRING, 0, 0));
            }
            if (decoder.decode(object, kindHint, hint.namespace(), source)) {
                objects++;
            }
        }

        void fail(Exception e, String format) {
            int line = 0;
            int column = 0;
            String message;
            if (e instanceof StreamConstraintsException sce) {
                // the exception carries no location: the parser still knows where it stopped
                JsonLocation at = sce.getLocation() != null ? sce.getLocation() : parser == null ? null : parser.currentLocation();
                if (at != null) {
                    line = Math.max(at.getLineNr(), 0);
                    column = Math.max(at.getColumnNr(), 0);
                }
                message = constraint(String.valueOf(sce.getOriginalMessage()));
            } else if (e instanceof StreamReadException sre) {
                if (sre.getLocation() != null) {
                    line = Math.max(sre.getLocation().getLineNr(), 0);
                    column = Math.max(sre.getLocation().getColumnNr(), 0);
                }
                message = "invalid " + format + ": " + firstLine(sre.getOriginalMessage())
                        + (objects > 0 ? " (the " + objects + " objects before this point were read)" : "");
            } else {
                message = "could not read " + format + ": " + firstLine(String.valueOf(e.getMessage()));
            }
            sink.problem(new LoadProblem(displayPath, line == 0 ? 0 : line + lineOffset, column, "", message));
        }

        /** What a Jackson read constraint that ended the file means, in our limits' words. */
        private String constraint(String jacksonMessage) {
            if (jacksonMessage.contains("NameLength")) {
                return "a key longer than " + StreamReadConstraints.DEFAULT_MAX_NAME_LEN
                        + " characters, which no Kubernetes object has; the rest of the file was not read";
            }
            if (jacksonMessage.contains("NestingDepth")) {
                return "the document is nested deeper than " + limits.maxNestingDepth()
                        + " levels (LoadLimits.maxNestingDepth); the rest of the file was not read";
            }
            return "a value broke a parser limit (" + firstLine(jacksonMessage) + "); the rest of the file was not read";
        }

        @Override
        public void duplicateKey(String key, int line, int column) {
            sink.problem(new LoadProblem(displayPath, line, column, "",
                    "duplicate key \"" + key + "\": the last value is used, as kubectl does"));
        }

        @Override
        public void stringTooLong(int length, int line, int column) {
            sink.problem(new LoadProblem(displayPath, line, column, "",
                    "a value of " + length + " characters is longer than the limit of " + limits.maxStringLength()
                            + " (LoadLimits.maxStringLength); it was cut"));
        }

        @Override
        public void alias(String anchor, int line, int column) {
            sink.problem(new LoadProblem(displayPath, line, column, "",
                    "YAML alias *" + anchor + " is not expanded (kubectl never writes anchors); the value reads as \"" + anchor + "\""));
        }
    }

    // ------------------------------------------------------------------ sniffing

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static int bomLength(byte[] c) {
        return c.length >= 3 && (c[0] & 0xff) == 0xEF && (c[1] & 0xff) == 0xBB && (c[2] & 0xff) == 0xBF ? 3 : 0;
    }

    private static byte firstNonBlank(byte[] c, int from) {
        for (int i = from; i < c.length; i++) {
            byte b = c[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b;
            }
        }
        return 0;
    }

    static String extension(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** A text file holds YAML objects when a line at column 0 starts a document or a top-level object key. */
    static boolean looksLikeYamlObjects(byte[] c, int from) {
        int limit = Math.min(c.length, from + 64 * 1024);
        int lineStart = from;
        for (int i = from; i <= limit; i++) {
            if (i == limit || c[i] == '\n') {
                String line = new String(c, lineStart, i - lineStart, StandardCharsets.UTF_8);
                if (line.startsWith("apiVersion:") || line.startsWith("kind:") || line.startsWith("items:")
                        || line.startsWith("metadata:")) {
                    return true;
                }
                lineStart = i + 1;
            }
        }
        return false;
    }

    private static String nonObjectReason(byte[] c, int from) {
        String head = new String(c, from, Math.min(c.length - from, 4096), StandardCharsets.UTF_8);
        if (head.contains("Name:") && (head.contains("Namespace:") || head.contains("Events:"))) {
            return "kubectl describe output, not objects: capture with kubectl get -o yaml";
        }
        if (head.startsWith("NAME ") || head.contains("\nNAME ") || head.startsWith("LAST SEEN")) {
            return "a kubectl table, not objects: capture with kubectl get -o yaml";
        }
        return "not a JSON or YAML dump";
    }

    /** A scalar node for a text found outside any document, for callers that build trees by hand. */
    static ScalarNode text(String value) {
        return new ScalarNode(value, ScalarNode.Type.STRING, 0, 0);
    }
}

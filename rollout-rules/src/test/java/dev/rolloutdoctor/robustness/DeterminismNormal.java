package dev.rolloutdoctor.robustness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Takes out of rendered reports what differs by construction between two arrangements of the same capture: the names
 * of the input files (the list of sources, the file each piece of evidence came from).
 */
final class DeterminismNormal {

    static final String SOURCE = "<source>";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeterminismNormal() {
    }

    /** Every source name replaced by {@link #SOURCE}, and the list of sources by one such entry. */
    static DeterminismOutputs withoutSources(DeterminismOutputs o) {
        JsonNode json = parse(o.json());
        TreeSet<String> names = new TreeSet<>();
        collectSources(json, names);
        List<String> longestFirst = new ArrayList<>(names);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        ObjectNode input = (ObjectNode) json.get("input");
        input.set("sources", MAPPER.createArrayNode().add(SOURCE));
        replaceSources(json);
        String markdown = replace(o.markdown(), longestFirst).replaceAll("`<source>`(, `<source>`)+", "`<source>`");
        return new DeterminismOutputs(write(json), markdown, replace(o.text(), longestFirst), replace(o.textAll(), longestFirst),
                replace(o.textColor(), longestFirst), o.status());
    }

    private static void collectSources(JsonNode node, TreeSet<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equals("source") && e.getValue().isTextual()) {
                    names.add(e.getValue().asText());
                } else if (e.getKey().equals("sources")) {
                    e.getValue().forEach(n -> names.add(n.asText()));
                } else {
                    collectSources(e.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectSources(n, names));
        }
    }

    private static void replaceSources(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getKey().equals("source") && e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(SOURCE));
                } else {
                    replaceSources(e.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(DeterminismNormal::replaceSources);
        }
    }

    private static String replace(String text, List<String> longestFirst) {
        String out = text;
        for (String name : longestFirst) {
            if (!name.isEmpty()) {
                out = out.replace(name, SOURCE);
            }
        }
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("the JSON report does not parse", e);
        }
    }

    private static String write(JsonNode json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

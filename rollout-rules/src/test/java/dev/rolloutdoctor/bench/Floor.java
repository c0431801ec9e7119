package dev.rolloutdoctor.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor every loader is measured against: Jackson reading every JSON or YAML file of the bundle into a
 * {@link JsonNode} tree and dropping it, one file after another on one thread; other files (logs) are read as
 * bytes. Counts the Kubernetes objects it met (list items and top-level objects).
 */
final class Floor {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Without SnakeYAML's 3 MB document limit, which the loader lifts too (bounded by LoadLimits.maxEntryBytes instead). */
    private static final YAMLFactory YAML_FACTORY = YAMLFactory.builder().loaderOptions(unlimited()).build();
    private static final ObjectMapper YAML = new ObjectMapper(YAML_FACTORY);

    private Floor() {
    }

    private static LoaderOptions unlimited() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return options;
    }

    /** Parses every file; returns the number of objects met. */
    static long parse(BenchInput input) {
        long objects = 0;
        try {
            for (Path file : input.files()) {
                byte[] bytes = Files.readAllBytes(file);
                String name = file.getFileName().toString();
                if (name.endsWith(".json")) {
                    objects += objects(JSON.readTree(bytes));
                } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    try (JsonParser p = YAML_FACTORY.createParser(bytes);
                         MappingIterator<JsonNode> docs = YAML.readValues(p, JsonNode.class)) {
                        while (docs.hasNext()) {
                            objects += objects(docs.next());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static long objects(JsonNode root) {
        if (root == null || !root.isObject()) {
            return 0;
        }
        JsonNode items = root.get("items");
        if (items != null && items.isArray()) {
            return items.size();
        }
        return root.has("kind") && root.has("metadata") ? 1 : 0;
    }
}

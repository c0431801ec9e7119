package dev.rolloutdoctor.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a JSON document against the report's JSON Schema. It implements the draft 2020-12 keywords the schema
 * uses (type, const, enum, required, properties, additionalProperties, items, $ref to $defs, minimum, minLength,
 * pattern, format date-time) and fails loudly on any other keyword, so the schema cannot quietly outgrow it.
 */
public final class SchemaValidator {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final java.util.Set<String> KNOWN = java.util.Set.of("$schema", "$id", "title", "description", "type",
            "const", "enum", "required", "properties", "additionalProperties", "items", "$ref", "$defs", "minimum",
            "minLength", "pattern", "format");

    private final JsonNode root;

    private SchemaValidator(JsonNode root) {
        this.root = root;
    }

    public static SchemaValidator reportSchema() {
        try (InputStream in = SchemaValidator.class.getResourceAsStream("/dev/rolloutdoctor/report/report.schema.json")) {
            return new SchemaValidator(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every violation, as {@code path: message}; empty when the document is valid. */
    public List<String> validate(String json) {
        try {
            List<String> errors = new ArrayList<>();
            check(root, MAPPER.readTree(json), "$", errors);
            return errors;
        } catch (IOException e) {
            return List.of("$: not JSON: " + e.getMessage());
        }
    }

    private void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KNOWN.contains(keyword)) {
                throw new IllegalStateException("the validator does not implement keyword " + keyword + " at " + path);
            }
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) {
                throw new IllegalStateException("only local $defs references are supported: " + ref);
            }
            check(root.get("$defs").get(ref.substring("#/$defs/".length())), value, path, errors);
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            errors.add(path + ": expected " + schema.get("type") + ", found " + value.getNodeType());
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            errors.add(path + ": expected " + schema.get("const") + ", found " + value);
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isNumber() && schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()) {
            errors.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
        }
        if (value.isTextual()) {
            if (schema.has("minLength") && value.asText().length() < schema.get("minLength").asInt()) {
                errors.add(path + ": shorter than " + schema.get("minLength"));
            }
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
                errors.add(path + ": \"" + value.asText() + "\" does not match " + schema.get("pattern").asText());
            }
            if (schema.has("format") && schema.get("format").asText().equals("date-time")) {
                try {
                    OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    errors.add(path + ": \"" + value.asText() + "\" is not an RFC 3339 date-time");
                }
            }
        }
        if (value.isObject()) {
            if (schema.has("required")) {
                for (JsonNode r : schema.get("required")) {
                    if (!value.has(r.asText())) {
                        errors.add(path + ": missing required field " + r.asText());
                    }
                }
            }
            JsonNode properties = schema.get("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String fieldPath = path + "." + field.getKey();
                if (properties != null && properties.has(field.getKey())) {
                    check(properties.get(field.getKey()), field.getValue(), fieldPath, errors);
                } else if (schema.has("additionalProperties")) {
                    JsonNode additional = schema.get("additionalProperties");
                    if (additional.isBoolean() && !additional.asBoolean()) {
                        errors.add(fieldPath + ": not allowed by the schema");
                    } else if (additional.isObject()) {
                        check(additional, field.getValue(), fieldPath, errors);
                    }
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }
}

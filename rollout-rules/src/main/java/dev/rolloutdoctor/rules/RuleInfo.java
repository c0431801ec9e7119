package dev.rolloutdoctor.rules;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** A registered rule: the {@link Rule} metadata of a detector class, validated. */
public record RuleInfo(String id, String title, Severity severity, Layer layer, Role role, String description,
                       List<String> explains, String detectorClass) {

    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public RuleInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(description, "description");
        explains = List.copyOf(explains);
        Objects.requireNonNull(detectorClass, "detectorClass");
    }

    /** Reads and validates the {@link Rule} annotation of a detector class. */
    public static RuleInfo of(Class<?> type) {
        Rule rule = type.getAnnotation(Rule.class);
        if (rule == null) {
            throw new IllegalArgumentException("detector " + type.getName() + " has no @Rule annotation");
        }
        String where = "rule of " + type.getName() + ": ";
        if (!KEBAB.matcher(rule.id()).matches()) {
            throw new IllegalArgumentException(where + "id \"" + rule.id() + "\" is not kebab-case (like image-pull-failed)");
        }
        if (rule.title().isBlank() || rule.title().endsWith(".")) {
            throw new IllegalArgumentException(where + "title must be non-blank and must not end with a period");
        }
        if (rule.description().isBlank()) {
            throw new IllegalArgumentException(where + "description must not be blank");
        }
        for (String e : rule.explains()) {
            if (!KEBAB.matcher(e).matches() || e.equals(rule.id())) {
                throw new IllegalArgumentException(where + "explains \"" + e + "\" is not another rule's kebab-case id");
            }
        }
        return new RuleInfo(rule.id(), rule.title(), rule.severity(), rule.layer(), rule.role(), rule.description(),
                List.of(rule.explains()), type.getName());
    }
}

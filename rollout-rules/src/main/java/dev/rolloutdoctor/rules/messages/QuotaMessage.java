package dev.rolloutdoctor.rules.messages;

import dev.rolloutdoctor.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ResourceQuota admission refusal read into its parts: which quota, and for each resource it refused what the object
 * asked for, what was used and what the limit is. Found anywhere in a text, so it reads a ReplicaSet's
 * {@code FailedCreate} event ({@code Error creating: pods "web-5d8f7c9b6-" is forbidden: exceeded quota: ...}), a
 * StatefulSet's ({@code create Pod web-0 in StatefulSet web failed error: ...}), a {@code ReplicaFailure} condition
 * or an API {@code Status} message alike.
 *
 * <p>The wordings are those of {@code staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go}
 * ({@code CheckRequest}) and of the pod evaluator's {@code Constraints} ({@code pkg/quota/v1/evaluator/core/pods.go}):
 * <ul>
 *   <li>{@link Kind#EXCEEDED}: {@code exceeded quota: compute, requested: requests.cpu=500m, used:
 *       requests.cpu=3800m, limited: requests.cpu=4}; each list is {@code name=quantity} joined by commas, sorted by
 *       name, and names only the resources that would go over;</li>
 *   <li>{@link Kind#MUST_SPECIFY}: {@code failed quota: compute: must specify limits.cpu for: app; requests.cpu for:
 *       app,sidecar}, or before Kubernetes 1.21 {@code failed quota: compute: must specify limits.cpu,requests.cpu}: the
 *       quota limits cpu or memory and a container sets no request or limit for it;</li>
 *   <li>{@link Kind#STATUS_UNKNOWN}: {@code status unknown for quota: compute, resources: requests.cpu}: the quota
 *       controller has not yet recorded the usage;</li>
 *   <li>{@link Kind#NO_COVERING_QUOTA}: {@code insufficient quota to consume: ...} or {@code insufficient quota to
 *       match these scopes: ...}: the API server's admission configuration requires a quota that covers the resource
 *       or scope, and none does.</li>
 * </ul>
 *
 * @param kind        which refusal
 * @param quota       the ResourceQuota's name; "" for {@link Kind#NO_COVERING_QUOTA}
 * @param exceeded    for {@link Kind#EXCEEDED}, each resource that would go over, in the order written
 * @param unspecified for {@link Kind#MUST_SPECIFY}, each resource that must be set, with the containers that do not
 *                    set it (an empty list in the older wording, which does not name them)
 * @param resources   for {@link Kind#STATUS_UNKNOWN} and {@link Kind#NO_COVERING_QUOTA}, the resources (or scopes) named
 * @param object      the refused object as the error names it ({@code pods "web-5d8f7c9b6-"}: {@code web-5d8f7c9b6-},
 *                    the generateName for a controller's pods); "" when the text does not name one
 * @param reason      the quota's own words, from {@code exceeded quota}, {@code failed quota}, ... to the end
 */
public record QuotaMessage(
        Kind kind,
        String quota,
        List<Resource> exceeded,
        SortedMap<String, List<String>> unspecified,
        List<String> resources,
        String object,
        String reason) {

    private static final Pattern EXCEEDED = Pattern.compile(
            "exceeded quota: ([^\\s,]+), requested: (\\S*), used: (\\S*), limited: (\\S*)");
    private static final Pattern FAILED = Pattern.compile("failed quota: ([^\\s:]+): (.*)", Pattern.DOTALL);
    private static final Pattern UNKNOWN = Pattern.compile("status unknown for quota: ([^\\s,]+), resources: (\\S*)");
    private static final Pattern NOT_COVERED = Pattern.compile(
            "insufficient quota to (?:consume|match these scopes): (.*)", Pattern.DOTALL);
    private static final Pattern OBJECT = Pattern.compile("\\S+ \"([^\"]*)\" is forbidden: ");
    private static final String MUST_SPECIFY = "must specify ";

    /** Which quota refusal a message is. */
    public enum Kind {
        /** The object would take a resource over the quota's hard limit. */
        EXCEEDED,
        /** The quota limits cpu or memory and the pod does not request or limit it. */
        MUST_SPECIFY,
        /** The quota has no recorded usage yet for a resource it limits. */
        STATUS_UNKNOWN,
        /** No quota covers a resource or scope the admission configuration limits by default. */
        NO_COVERING_QUOTA
    }

    public QuotaMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(quota, "quota");
        exceeded = List.copyOf(exceeded);
        TreeMap<String, List<String>> copy = new TreeMap<>();
        unspecified.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        unspecified = Collections.unmodifiableSortedMap(copy);
        resources = List.copyOf(resources);
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(reason, "reason");
    }

    /** Reads the quota refusal in a text; empty when the text holds none. */
    public static Optional<QuotaMessage> parse(String text) {
        Objects.requireNonNull(text, "text");
        String object = object(text);
        Matcher m = EXCEEDED.matcher(text);
        if (m.find()) {
            Optional<List<Resource>> resources = resources(m.group(2), m.group(3), m.group(4));
            if (resources.isPresent()) {
                return Optional.of(new QuotaMessage(Kind.EXCEEDED, m.group(1), resources.get(), new TreeMap<>(),
                        List.of(), object, text.substring(m.start()).strip()));
            }
        }
        m = FAILED.matcher(text);
        if (m.find()) {
            String detail = m.group(2).strip();
            return Optional.of(new QuotaMessage(Kind.MUST_SPECIFY, m.group(1), List.of(), unspecified(detail),
                    List.of(), object, text.substring(m.start()).strip()));
        }
        m = UNKNOWN.matcher(text);
        if (m.find()) {
            return Optional.of(new QuotaMessage(Kind.STATUS_UNKNOWN, m.group(1), List.of(), new TreeMap<>(),
                    names(m.group(2)), object, text.substring(m.start()).strip()));
        }
        m = NOT_COVERED.matcher(text);
        if (m.find()) {
            return Optional.of(new QuotaMessage(Kind.NO_COVERING_QUOTA, "", List.of(), new TreeMap<>(),
                    List.of(m.group(1).strip()), object, text.substring(m.start()).strip()));
        }
        return Optional.empty();
    }

    /** The exceeded resource of this name, if the message names it. */
    public Optional<Resource> resource(String name) {
        return exceeded.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return reason;
    }

    private static String object(String text) {
        Matcher m = OBJECT.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    private static Optional<List<Resource>> resources(String requested, String used, String limited) {
        SortedMap<String, Quantity> req = amounts(requested);
        SortedMap<String, Quantity> use = amounts(used);
        SortedMap<String, Quantity> lim = amounts(limited);
        if (req.isEmpty()) {
            return Optional.empty();
        }
        List<Resource> out = new ArrayList<>();
        for (var e : req.entrySet()) {
            Quantity hard = lim.get(e.getKey());
            if (hard == null) {
                continue;
            }
            out.add(new Resource(e.getKey(), e.getValue(), use.getOrDefault(e.getKey(), Quantity.ZERO), hard));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    /** {@code limits.cpu=999,requests.cpu=999}; entries that do not read as {@code name=quantity} are left out. */
    private static SortedMap<String, Quantity> amounts(String list) {
        SortedMap<String, Quantity> out = new TreeMap<>();
        for (String entry : list.split(",")) {
            int eq = entry.lastIndexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = entry.substring(0, eq).strip();
            Quantity.tryParse(entry.substring(eq + 1).strip()).ifPresent(q -> out.put(name, q));
        }
        return out;
    }

    private static SortedMap<String, List<String>> unspecified(String detail) {
        SortedMap<String, List<String>> out = new TreeMap<>();
        if (!detail.startsWith(MUST_SPECIFY)) {
            return out;
        }
        String list = stripPeriod(detail.substring(MUST_SPECIFY.length()));
        if (list.contains(" for: ")) {
            for (String part : list.split(";")) {
                int at = part.indexOf(" for: ");
                if (at > 0) {
                    out.put(part.substring(0, at).strip(), names(part.substring(at + " for: ".length())));
                }
            }
        } else {
            for (String name : names(list)) {
                out.put(name, List.of());
            }
        }
        return out;
    }

    private static List<String> names(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String n : stripPeriod(commaSeparated).split(",")) {
            if (!n.isBlank()) {
                out.add(n.strip());
            }
        }
        return out;
    }

    private static String stripPeriod(String s) {
        String t = s.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    /**
     * One resource a quota refused: what one more object asked for, what the namespace used, and the quota's limit.
     *
     * @param name      the quota's resource name ({@code requests.cpu}, {@code pods}, {@code count/pods})
     * @param requested what the refused object would add
     * @param used      the usage the quota had recorded
     * @param limited   the quota's hard limit
     */
    public record Resource(String name, Quantity requested, Quantity used, Quantity limited) {

        public Resource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(requested, "requested");
            Objects.requireNonNull(used, "used");
            Objects.requireNonNull(limited, "limited");
        }

        /** The limit minus the usage: what was left; negative when the namespace was already over. */
        public Quantity headroom() {
            return limited.subtract(used);
        }

        /** How many objects asking {@link #requested} fit in {@code headroom}: 0 when none, or when the headroom is negative. */
        public long fits(Quantity headroom) {
            if (requested.signum() <= 0) {
                return Long.MAX_VALUE;
            }
            if (headroom.signum() <= 0) {
                return 0;
            }
            return headroom.value().divide(requested.value(), 0, RoundingMode.FLOOR).min(BigDecimal.valueOf(Long.MAX_VALUE))
                    .longValueExact();
        }

        /** {@code requests.cpu=500m}: the requested amount as the message wrote it. */
        @Override
        public String toString() {
            return name + "=" + requested;
        }
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.ResourceQuota;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.messages.QuotaMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic of an exceeded quota, per refused resource: the limit, the usage, what is left, what each new pod
 * asks, how many fit, and the limit that would admit the pods still to be created. Taken from the ResourceQuota's
 * status at capture time when the snapshot holds it, else from the refusal message (the state when it was refused).
 */
final class QuotaHeadroom {

    /**
     * One resource's numbers.
     *
     * @param fromQuota true when hard and used come from the ResourceQuota object, false when from the message
     * @param needed    the smallest limit that admits {@code missing} more pods at this usage
     */
    record Line(QuotaMessage.Resource resource, Quantity hard, Quantity used, boolean fromQuota, long fits,
                Quantity needed) {

        Quantity headroom() {
            return hard.subtract(used);
        }

        /** {@code requests.cpu: hard 4, used 3800m, headroom 200m; each new pod requests 500m, so 0 more pods fit}. */
        String text() {
            return resource.name() + ": hard " + hard + ", used " + used + ", headroom " + headroom().canonical()
                    + "; each new pod " + (isCount() ? "counts " : "requests ") + resource.requested() + ", so "
                    + (fits == Long.MAX_VALUE ? "any number of" : Long.toString(fits)) + " more "
                    + (fits == 1 ? "pod fits" : "pods fit");
        }

        /** {@code requests.cpu has 200m of 4 left, each pod needs 500m}, for titles. */
        String brief() {
            if (headroom().signum() <= 0) {
                return resource.name() + " is used up (" + used + " of " + hard + "), each pod needs " + resource.requested();
            }
            return resource.name() + " has " + headroom().canonical() + " of " + hard + " left, each pod needs "
                    + resource.requested();
        }

        boolean isCount() {
            return resource.name().equals("pods") || resource.name().startsWith("count/");
        }
    }

    private QuotaHeadroom() {
    }

    static List<Line> lines(QuotaMessage message, Optional<ResourceQuota> quota, int missing) {
        List<Line> out = new ArrayList<>();
        for (QuotaMessage.Resource r : message.exceeded()) {
            Optional<Quantity> hard = quota.flatMap(q -> q.hard(r.name()));
            Optional<Quantity> used = quota.flatMap(q -> q.used(r.name()));
            boolean fromQuota = hard.isPresent() && used.isPresent();
            Quantity h = fromQuota ? hard.get() : r.limited();
            Quantity u = fromQuota ? used.get() : r.used();
            long fits = r.fits(h.subtract(u));
            Quantity needed = u.add(r.requested().multiply(missing));
            out.add(new Line(r, h, u, fromQuota, fits, needed));
        }
        return out;
    }

    /** The evidence of the quota's own fields, when the snapshot holds it. */
    static List<Evidence> evidence(Optional<ResourceQuota> quota, List<Line> lines) {
        List<Evidence> out = new ArrayList<>();
        if (quota.isEmpty()) {
            return out;
        }
        ResourceQuota q = quota.get();
        for (Line l : lines) {
            if (!l.fromQuota()) {
                continue;
            }
            String hardPath = q.status().hard().containsKey(l.resource().name()) ? "status.hard" : "spec.hard";
            out.add(Evidence.field(q, hardPath + "." + l.resource().name(), l.hard().text()));
            out.add(Evidence.field(q, "status.used." + l.resource().name(), l.used().text()));
        }
        return out;
    }

    /**
     * The merge patch that sets each refused resource's limit to what admits the missing pods; empty when the quota
     * already admits them.
     */
    static Optional<String> raise(ObjectRef quota, List<Line> lines) {
        List<String> entries = new ArrayList<>();
        for (Line l : lines) {
            if (l.needed().compareTo(l.hard()) > 0) {
                entries.add("\"" + l.resource().name() + "\":\"" + l.needed().canonical() + "\"");
            }
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Kubectl.patch(quota, "{\"spec\":{\"hard\":{" + String.join(",", entries) + "}}}"));
    }

    /** True when the quota, at capture time, admits every pod still to be created: the refusal is older than the room. */
    static boolean roomNow(List<Line> lines, int missing) {
        return lines.stream().allMatch(l -> l.fromQuota() && l.fits() >= missing);
    }
}

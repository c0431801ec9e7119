package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Container;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.LimitRange;
import dev.rolloutdoctor.model.LimitRangeItem;
import dev.rolloutdoctor.model.PodTemplate;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.messages.AdmissionMessage.LimitRangeBreach;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The LimitRange case of {@link AdmissionRejected}: which LimitRange of the namespace holds each broken bound, which
 * containers of the template break it, and the {@code kubectl set resources} that brings them within it.
 */
final class AdmissionLimits {

    private AdmissionLimits() {
    }

    /** The LimitRange and item index that hold the bound, with the evidence of the bound. */
    record Holder(LimitRange range, int index, String path, Quantity value) {
    }

    static Optional<Holder> holder(Snapshot snapshot, String ns, LimitRangeBreach b) {
        Optional<Quantity> enforced = Quantity.tryParse(b.enforced());
        if (enforced.isEmpty()) {
            return Optional.empty();
        }
        for (LimitRange lr : snapshot.objects(LimitRange.class)) {
            if (!lr.metadata().namespace().equals(ns)) {
                continue;
            }
            for (int i = 0; i < lr.limits().size(); i++) {
                LimitRangeItem item = lr.limits().get(i);
                if (!item.type().equals(b.scope())) {
                    continue;
                }
                String key = b.bound().equals("maximum") ? "max" : b.bound().equals("minimum") ? "min" : "maxLimitRequestRatio";
                SortedMap<String, Quantity> bounds = key.equals("max") ? item.max()
                        : key.equals("min") ? item.min() : item.maxLimitRequestRatio();
                Quantity q = bounds.get(b.resource());
                if (q != null && q.equals(enforced.get())) {
                    return Optional.of(new Holder(lr, i, "spec.limits[" + i + "]." + key + "." + b.resource(), q));
                }
            }
        }
        return Optional.empty();
    }

    /** The template's containers that break a Container-scoped bound. */
    static List<Container> breaking(PodTemplate template, LimitRangeBreach b) {
        List<Container> out = new ArrayList<>();
        if (!b.scope().equals("Container")) {
            return out;
        }
        Optional<Quantity> enforced = Quantity.tryParse(b.enforced());
        for (Container c : template.spec().containers()) {
            Optional<Quantity> request = Optional.ofNullable(c.resources().effectiveRequests().get(b.resource()));
            Optional<Quantity> limit = Optional.ofNullable(c.resources().limits().get(b.resource()));
            if (breaks(b, enforced, request, limit)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean breaks(LimitRangeBreach b, Optional<Quantity> enforced, Optional<Quantity> request,
            Optional<Quantity> limit) {
        if (enforced.isEmpty()) {
            return false;
        }
        Quantity e = enforced.get();
        Optional<Quantity> value = b.field().equals("request") ? request : limit;
        switch (b.bound()) {
            case "maximum":
                return value.map(v -> v.compareTo(e) > 0).orElse(b.unspecified());
            case "minimum":
                return value.map(v -> v.compareTo(e) < 0).orElse(b.unspecified());
            default:
                if (request.isEmpty() || limit.isEmpty() || request.get().isZero()) {
                    return true;
                }
                return limit.get().value().compareTo(request.get().value().multiply(e.value())) > 0;
        }
    }

    /** The value that brings a container within the bound, as a {@code kubectl set resources} flag. */
    static Optional<String> fix(Container c, LimitRangeBreach b) {
        Optional<Quantity> enforced = Quantity.tryParse(b.enforced());
        if (enforced.isEmpty()) {
            return Optional.empty();
        }
        if (!b.bound().equals("ratio")) {
            String side = b.field().equals("request") ? "requests" : "limits";
            return Optional.of("--" + side + "=" + b.resource() + "=" + enforced.get().text());
        }
        Quantity request = c.resources().effectiveRequests().get(b.resource());
        Quantity limit = c.resources().limits().get(b.resource());
        if (request != null && !request.isZero()) {
            Quantity max = Quantity.of(request.value().multiply(enforced.get().value()), request.format());
            return Optional.of("--limits=" + b.resource() + "=" + max.canonical());
        }
        if (limit != null && enforced.get().signum() > 0) {
            Quantity min = Quantity.of(limit.value().divide(enforced.get().value(), 9, RoundingMode.CEILING), limit.format());
            return Optional.of("--requests=" + b.resource() + "=" + min.canonical());
        }
        return Optional.empty();
    }

    /** Evidence, steps and a sentence for each breach; returns the sentence. */
    static String explain(Finding.Builder f, Snapshot snapshot, KubeObject workload, Optional<PodTemplate> template,
            List<LimitRangeBreach> breaches) {
        String ns = workload.metadata().namespace();
        List<String> sentences = new ArrayList<>();
        for (LimitRangeBreach b : breaches) {
            Optional<Holder> holder = holder(snapshot, ns, b);
            holder.ifPresent(h -> f.culprit(h.range()).evidence(Evidence.field(h.range(), h.path(), h.value().text())));
            List<Container> breaking = template.map(t -> breaking(t, b)).orElse(List.of());
            StringBuilder s = new StringBuilder(b.text());
            holder.ifPresent(h -> s.append(" (LimitRange ").append(h.range().metadata().name()).append(')'));
            if (!breaking.isEmpty()) {
                s.append(": container").append(breaking.size() == 1 ? " " : "s ")
                        .append(String.join(", ", breaking.stream().map(Container::name).toList()));
            }
            sentences.add(s.toString());
            for (Container c : breaking) {
                template.ifPresent(t -> f.evidence(Evidence.field(workload, AdmissionFailures.containerPath(t, c.name())
                        + ".resources", describe(c, b.resource()))));
                fix(c, b).ifPresent(flag -> f.step("Bring container " + c.name() + " within the bound: " + b.text(),
                        "kubectl set resources " + Kubectl.target(workload.ref()) + Kubectl.ns(workload.ref()) + " -c "
                                + c.name() + " " + flag));
            }
            if (breaking.isEmpty()) {
                f.step("Change the " + b.scope().toLowerCase(java.util.Locale.ROOT) + "'s " + b.resource() + " "
                        + b.field() + " to meet: " + b.text());
            }
            holder.ifPresent(h -> f.step("Or, if the bound is wrong for this workload, change LimitRange "
                    + h.range().metadata().name(), Kubectl.describe(h.range())));
        }
        return String.join("; ", sentences);
    }

    private static String describe(Container c, String resource) {
        Quantity request = c.resources().requests().get(resource);
        Quantity limit = c.resources().limits().get(resource);
        return resource + " request " + (request == null ? "(not set)" : request.text()) + ", limit "
                + (limit == null ? "(not set)" : limit.text());
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.ReplicaSet;
import dev.rolloutdoctor.model.ResourceQuota;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.detectors.AdmissionFailures.Refusals;
import dev.rolloutdoctor.rules.messages.QuotaMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The quota side of {@link RollingUpdateDeadlock}: the new ReplicaSet's surge pod is refused by a ResourceQuota whose
 * headroom is below one pod, while the old pods hold the quota that removing them would free. How many old pods must go
 * is the shortfall divided by what one old pod counts, rounded up, for every refused resource.
 */
final class DeadlockQuota {

    private DeadlockQuota() {
    }

    static Optional<DeadlockBlock> analyze(Snapshot snapshot, ReplicaSet newRs, List<Refusals> refusals, List<Pod> oldPods) {
        Optional<Refusals> r = refusals.stream().filter(x -> x.controller() == newRs).findFirst();
        Optional<QuotaMessage> m = r.flatMap(x -> QuotaMessage.parse(x.latest()))
                .filter(q -> q.kind() == QuotaMessage.Kind.EXCEEDED);
        if (m.isEmpty() || oldPods.isEmpty()) {
            return Optional.empty();
        }
        String ns = newRs.metadata().namespace();
        Optional<ResourceQuota> quota = snapshot.get(ResourceQuota.class, "ResourceQuota", ns, m.get().quota());
        List<QuotaHeadroom.Line> lines = QuotaHeadroom.lines(m.get(), quota, 1);
        int toFree = 0;
        List<String> frees = new ArrayList<>();
        for (QuotaHeadroom.Line l : lines) {
            Quantity shortfall = l.resource().requested().subtract(l.headroom());
            if (shortfall.signum() <= 0) {
                continue;
            }
            Optional<Quantity> perOld = QuotaUsage.perPod(oldPods.get(0).spec(), l.resource().name());
            if (perOld.isEmpty() || perOld.get().signum() <= 0) {
                return Optional.empty();
            }
            int k = shortfall.value().divide(perOld.get().value(), 0, RoundingMode.CEILING).min(BigDecimal.valueOf(Integer.MAX_VALUE))
                    .intValueExact();
            toFree = Math.max(toFree, k);
            frees.add(l.resource().name() + " " + perOld.get().canonical() + " per old pod, against a shortfall of "
                    + shortfall.canonical());
        }
        if (toFree == 0 || toFree > oldPods.size()) {
            return Optional.empty();
        }
        ObjectRef quotaRef = ObjectRef.of("ResourceQuota", ns, m.get().quota());
        List<Evidence> evidence = new ArrayList<>(r.get().evidence(t -> QuotaMessage.parse(t).isPresent(), 1));
        evidence.addAll(QuotaHeadroom.evidence(quota, lines));
        List<RemediationStep> other = new ArrayList<>();
        QuotaHeadroom.raise(quotaRef, lines).ifPresent(cmd -> other.add(RemediationStep.of(
                "Or raise quota " + m.get().quota() + " by at least one pod's worth", cmd)));
        return Optional.of(new DeadlockBlock("quota " + m.get().quota() + " has no room for the surge pod",
                "The surge pod is refused at admission: " + String.join("; ", lines.stream().map(QuotaHeadroom.Line::text).toList())
                        + ".",
                toFree, "Removing " + AdmissionFailures.pods(toFree).replace("pod", "old pod") + " frees "
                        + String.join("; ", frees) + ", enough for one new pod.",
                evidence, Confidence.HIGH, other));
    }
}

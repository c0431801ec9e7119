package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Event;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.PersistentVolume;
import dev.rolloutdoctor.model.PersistentVolumeClaim;
import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.model.Quantity;
import dev.rolloutdoctor.model.StorageClass;
import dev.rolloutdoctor.rules.Confidence;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.messages.VolumeClaimEventMessage;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Why one claim that new pods need is not bound, read as the PV controller and the scheduler see it: the claim is
 * absent, names a class that does not exist, has no class, matches no volume, failed to provision, waits for a
 * provisioner that does not run, or waits for a first consumer the scheduler cannot place for storage reasons.
 */
final class PendingClaims {

    /** Why a claim is not bound; the order is the order of the checks. */
    enum Why {
        CLAIM_MISSING, CLAIM_DELETING, CLAIM_LOST, CLASS_NOT_FOUND, NO_DEFAULT_CLASS, NO_MATCHING_VOLUME,
        PROVISIONING_FAILED, PROVISIONER_NOT_RUNNING, PROVISIONER_SLOW, CONSUMER_UNSCHEDULABLE, UNKNOWN
    }

    /**
     * One claim's problem.
     *
     * @param subject what the problem names (the class, the provisioner, the scheduler's reasons); findings group
     *                claims by {@code why} and {@code subject}
     * @param detail  a sentence or two on this claim for the explanation ("" when the why says it all)
     */
    record Problem(Why why, String subject, Confidence confidence, String claimName, Optional<PersistentVolumeClaim> claim,
                   Optional<StorageClass> storageClass, String detail, List<Evidence> evidence, List<Pod> provisionerPods) {
        Problem {
            evidence = List.copyOf(evidence);
            provisionerPods = List.copyOf(provisionerPods);
        }

        String key() {
            return why + "|" + subject;
        }
    }

    /** A young claim without warnings is still being provisioned, not stuck. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final Snapshot snapshot;
    private final Optional<Instant> now;
    private final KubeObject workload;

    PendingClaims(Snapshot snapshot, Optional<Instant> now, KubeObject workload) {
        this.snapshot = snapshot;
        this.now = now;
        this.workload = workload;
    }

    /** The problem of a claim the pods need, or empty when it is bound or nothing can be said. */
    Optional<Problem> diagnose(String namespace, String claimName, List<Pod> consumers) {
        List<Event> scheduling = EventQuery.about(snapshot, consumers, e -> "FailedScheduling".equals(e.reason()));
        Optional<PersistentVolumeClaim> found = PodVolumes.claim(snapshot, namespace, claimName);
        if (found.isEmpty()) {
            return missing(claimName, consumers, scheduling);
        }
        PersistentVolumeClaim pvc = found.get();
        if (pvc.metadata().isTerminating()) {
            return Optional.of(problem(Why.CLAIM_DELETING, "", Confidence.HIGH, pvc, Optional.empty(),
                    "", claimEvidence(pvc, latest(scheduling))));
        }
        if ("Lost".equals(pvc.status().phase())) {
            return Optional.of(problem(Why.CLAIM_LOST, pvc.spec().volumeName(), Confidence.HIGH, pvc, Optional.empty(), "",
                    claimEvidence(pvc, List.of())));
        }
        if (!pvc.isPending()) {
            return Optional.empty();
        }
        return pending(pvc, scheduling);
    }

    private Optional<Problem> missing(String claimName, List<Pod> consumers, List<Event> scheduling) {
        List<Event> named = scheduling.stream()
                .filter(e -> VolumeClaimEventMessage.missingClaim(e.message()).filter(claimName::equals).isPresent()).toList();
        if (named.isEmpty() && !snapshot.collectedKinds().contains("PersistentVolumeClaim")) {
            return Optional.empty();
        }
        List<Evidence> evidence = new ArrayList<>();
        Pod pod = consumers.get(0);
        String volume = PodVolumes.claims(pod, workload).getOrDefault(claimName, "");
        evidence.add(Evidence.field(pod, "spec.volumes[" + volume + "]", "persistentVolumeClaim " + claimName));
        latest(named).forEach(e -> evidence.add(Evidence.event(e)));
        List<Event> failedCreate = EventQuery.about(snapshot, List.of(workload),
                e -> "FailedCreate".equals(e.reason()) && e.message().contains(claimName));
        latest(failedCreate).forEach(e -> evidence.add(Evidence.event(e)));
        String detail = failedCreate.isEmpty() ? "" : "The StatefulSet controller failed to create it: "
                + failedCreate.get(failedCreate.size() - 1).message();
        return Optional.of(new Problem(Why.CLAIM_MISSING, "", named.isEmpty() ? Confidence.MEDIUM : Confidence.HIGH,
                claimName, Optional.empty(), Optional.empty(), detail, evidence, List.of()));
    }

    private Optional<Problem> pending(PersistentVolumeClaim pvc, List<Event> scheduling) {
        List<Event> events = snapshot.eventsFor(pvc);
        Optional<String> className = pvc.effectiveStorageClassName();
        List<StorageClass> classes = snapshot.objects(StorageClass.class);
        boolean classesCollected = snapshot.collectedKinds().contains("StorageClass");

        Optional<Event> classMissing = newest(events, e -> "ProvisioningFailed".equals(e.reason())
                && VolumeClaimEventMessage.missingStorageClass(e.message()).isPresent());
        if (classMissing.isPresent() || className.filter(n -> !n.isEmpty()).isPresent() && classesCollected
                && classes.stream().noneMatch(c -> c.metadata().name().equals(className.get()))) {
            String name = className.filter(n -> !n.isEmpty())
                    .orElseGet(() -> VolumeClaimEventMessage.missingStorageClass(classMissing.get().message()).orElse(""));
            return Optional.of(problem(Why.CLASS_NOT_FOUND, name, Confidence.HIGH, pvc, Optional.empty(),
                    existingClasses(classes, classesCollected), claimEvidence(pvc, classMissing.stream().toList())));
        }
        Optional<Event> noClass = newest(events, e -> VolumeClaimEventMessage.noVolumesAndNoClass(e.message()));
        Optional<StorageClass> defaultClass = classes.stream().filter(StorageClass::isDefault).findFirst();
        if (className.isEmpty() && (noClass.isPresent() || classesCollected && defaultClass.isEmpty())) {
            return Optional.of(problem(Why.NO_DEFAULT_CLASS, "", noClass.isPresent() ? Confidence.HIGH : Confidence.MEDIUM,
                    pvc, Optional.empty(), existingClasses(classes, classesCollected),
                    claimEvidence(pvc, noClass.stream().toList())));
        }
        Optional<StorageClass> sc = className.filter(n -> !n.isEmpty())
                .flatMap(n -> snapshot.get(StorageClass.class, "StorageClass", "", n))
                .or(() -> className.isEmpty() ? defaultClass : Optional.empty());
        if (className.filter(String::isEmpty).isPresent() || noClass.isPresent()
                || sc.filter(c -> "kubernetes.io/no-provisioner".equals(c.provisioner())).isPresent() && !sc.get().isWaitForFirstConsumer()) {
            return Optional.of(problem(Why.NO_MATCHING_VOLUME, sc.map(c -> c.metadata().name()).orElse(""),
                    noClass.isPresent() ? Confidence.HIGH : Confidence.MEDIUM, pvc, sc, availableVolumes(pvc, sc),
                    classEvidence(pvc, sc, noClass.stream().toList())));
        }
        Optional<Event> failed = newest(events, e -> "ProvisioningFailed".equals(e.reason()));
        if (failed.isPresent()) {
            return Optional.of(problem(Why.PROVISIONING_FAILED, sc.map(c -> c.metadata().name()).orElse(className.orElse("")),
                    Confidence.HIGH, pvc, sc, failed.get().message(), classEvidence(pvc, sc, List.of(failed.get()))));
        }
        boolean waitsForConsumer = pvc.selectedNode().isEmpty()
                && (sc.map(StorageClass::isWaitForFirstConsumer).orElse(false) || newest(events,
                e -> "WaitForFirstConsumer".equals(e.reason()) || "WaitForPodScheduled".equals(e.reason())).isPresent());
        if (waitsForConsumer) {
            return consumer(pvc, sc, events, scheduling);
        }
        return provisioner(pvc, sc, events).or(() -> unknown(pvc, sc, events, scheduling));
    }

    /** A WaitForFirstConsumer claim: only a problem when the scheduler cannot place the pod for storage reasons. */
    private Optional<Problem> consumer(PersistentVolumeClaim pvc, Optional<StorageClass> sc, List<Event> events, List<Event> scheduling) {
        Optional<Event> last = scheduling.isEmpty() ? Optional.empty() : Optional.of(scheduling.get(scheduling.size() - 1));
        if (last.isEmpty()) {
            return Optional.empty();
        }
        List<String> reasons = VolumeClaimEventMessage.schedulingReasons(last.get().message());
        if (reasons.isEmpty() || reasons.contains(VolumeClaimEventMessage.UNBOUND_IMMEDIATE)) {
            return Optional.empty();
        }
        List<Event> shown = new ArrayList<>(latest(events.stream().filter(e -> "WaitForPodScheduled".equals(e.reason())
                || "WaitForFirstConsumer".equals(e.reason())).toList()));
        shown.add(last.get());
        String pod = last.get().regarding().name();
        return Optional.of(problem(Why.CONSUMER_UNSCHEDULABLE, String.join("; ", reasons), Confidence.HIGH, pvc, sc,
                "Pod " + pod + ": " + last.get().message(), classEvidence(pvc, sc, shown)));
    }

    /** A claim handed to an external provisioner that has not created the volume. */
    private Optional<Problem> provisioner(PersistentVolumeClaim pvc, Optional<StorageClass> sc, List<Event> events) {
        Optional<Event> waiting = newest(events, e -> "ExternalProvisioning".equals(e.reason()));
        Optional<String> name = waiting.flatMap(e -> VolumeClaimEventMessage.externalProvisioner(e.message()))
                .or(pvc::storageProvisioner)
                .or(() -> sc.map(StorageClass::provisioner))
                .filter(p -> !p.isEmpty() && !ProvisionerPods.isInTree(p));
        if (name.isEmpty() || young(pvc, events)) {
            return Optional.empty();
        }
        List<Pod> pods = ProvisionerPods.find(snapshot, name.get());
        boolean anyRunning = pods.stream().anyMatch(ProvisionerPods::running);
        Why why = anyRunning ? Why.PROVISIONER_SLOW : Why.PROVISIONER_NOT_RUNNING;
        Confidence confidence = !pods.isEmpty() && !anyRunning && waiting.isPresent() ? Confidence.HIGH : Confidence.MEDIUM;
        List<Evidence> evidence = new ArrayList<>(classEvidence(pvc, sc, waiting.stream().toList()));
        pods.stream().filter(p -> !ProvisionerPods.running(p)).limit(2)
                .forEach(p -> evidence.add(ProvisionerPods.stateEvidence(p)));
        return Optional.of(new Problem(why, name.get(), confidence, pvc.metadata().name(), Optional.of(pvc), sc,
                "", evidence, pods));
    }

    private Optional<Problem> unknown(PersistentVolumeClaim pvc, Optional<StorageClass> sc, List<Event> events, List<Event> scheduling) {
        Optional<Event> last = scheduling.isEmpty() ? Optional.empty() : Optional.of(scheduling.get(scheduling.size() - 1));
        if (last.isPresent() && VolumeClaimEventMessage.schedulingReasons(last.get().message()).isEmpty()) {
            return Optional.empty(); // the pods wait for something else; the claim may be waiting on them
        }
        if (young(pvc, events)) {
            return Optional.empty();
        }
        String detail = (snapshot.collectedKinds().contains("Event") ? "Events about it may have expired (after an hour by default)."
                : "Events were not collected in this snapshot.")
                + (sc.isEmpty() && !snapshot.collectedKinds().contains("StorageClass")
                ? " StorageClasses were not collected either, so its class cannot be checked." : "");
        return Optional.of(problem(Why.UNKNOWN, sc.map(c -> c.metadata().name()).orElse(""), Confidence.LOW, pvc, sc,
                detail, classEvidence(pvc, sc, last.stream().toList())));
    }

    private boolean young(PersistentVolumeClaim pvc, List<Event> events) {
        if (events.stream().anyMatch(Event::isWarning)) {
            return false;
        }
        Optional<Instant> created = pvc.metadata().creationTimestamp();
        return created.isPresent() && now.isPresent() && Duration.between(created.get(), now.get()).compareTo(GRACE) < 0;
    }

    private static Problem problem(Why why, String subject, Confidence confidence, PersistentVolumeClaim pvc,
                                   Optional<StorageClass> sc, String detail, List<Evidence> evidence) {
        return new Problem(why, subject, confidence, pvc.metadata().name(), Optional.of(pvc), sc, detail, evidence, List.of());
    }

    // ------------------------------------------------------------------ evidence and details

    private static List<Evidence> claimEvidence(PersistentVolumeClaim pvc, List<Event> events) {
        List<Evidence> out = new ArrayList<>();
        out.add(Evidence.field(pvc, "status.phase", pvc.status().phase().isEmpty() ? "(none)" : pvc.status().phase()));
        out.add(Evidence.field(pvc, "spec.storageClassName", pvc.effectiveStorageClassName()
                .map(n -> n.isEmpty() ? "\"\" (no class)" : n).orElse("(not set: the default class)")));
        if (!pvc.spec().accessModes().isEmpty()) {
            out.add(Evidence.field(pvc, "spec.accessModes", String.join(", ", pvc.spec().accessModes())));
        }
        Quantity storage = pvc.spec().requests().get("storage");
        if (storage != null) {
            out.add(Evidence.field(pvc, "spec.resources.requests.storage", storage.text()));
        }
        events.forEach(e -> out.add(Evidence.event(e)));
        return out;
    }

    private static List<Evidence> classEvidence(PersistentVolumeClaim pvc, Optional<StorageClass> sc, List<Event> events) {
        List<Evidence> out = new ArrayList<>(claimEvidence(pvc, List.of()));
        sc.ifPresent(c -> {
            out.add(Evidence.field(c, "provisioner", c.provisioner()));
            out.add(Evidence.field(c, "volumeBindingMode",
                    c.volumeBindingMode().isEmpty() ? StorageClass.IMMEDIATE + " (default)" : c.volumeBindingMode()));
        });
        events.forEach(e -> out.add(Evidence.event(e)));
        return out;
    }

    private static String existingClasses(List<StorageClass> classes, boolean collected) {
        if (!collected) {
            return "StorageClasses were not collected in this snapshot.";
        }
        if (classes.isEmpty()) {
            return "The cluster has no StorageClass at all.";
        }
        List<String> names = classes.stream()
                .map(c -> c.metadata().name() + (c.isDefault() ? " (default)" : "")).sorted().toList();
        return "StorageClasses in the cluster: " + PodVolumes.names(names, 6) + ".";
    }

    private String availableVolumes(PersistentVolumeClaim pvc, Optional<StorageClass> sc) {
        if (!snapshot.collectedKinds().contains("PersistentVolume")) {
            return "PersistentVolumes were not collected in this snapshot.";
        }
        String wanted = sc.map(c -> c.metadata().name()).orElse("");
        List<String> available = new ArrayList<>();
        for (PersistentVolume pv : snapshot.objects(PersistentVolume.class)) {
            if ("Available".equals(pv.status().phase()) && pv.effectiveStorageClassName().equals(wanted)) {
                Quantity size = pv.spec().capacity().get("storage");
                available.add(pv.metadata().name() + " (" + (size == null ? "no capacity" : size.text()) + ", "
                        + String.join(", ", pv.spec().accessModes()) + ")");
            }
        }
        String cls = wanted.isEmpty() ? "without a class" : "of class " + wanted;
        return available.isEmpty() ? "No PersistentVolume " + cls + " is Available."
                : "Available PersistentVolumes " + cls + ", none of which fits the claim's size, access modes or selector: "
                + PodVolumes.names(available.stream().sorted().toList(), 4) + ".";
    }

    private static Optional<Event> newest(List<Event> events, Predicate<Event> filter) {
        Optional<Event> out = Optional.empty();
        for (Event e : events) {
            if (filter.test(e)) {
                out = Optional.of(e);
            }
        }
        return out;
    }

    private static List<Event> latest(List<Event> events) {
        return EventQuery.last(events, 1);
    }
}

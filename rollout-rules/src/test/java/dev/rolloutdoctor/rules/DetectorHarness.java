package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.snapshot.PodLog;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one harness every detector test uses: realistic YAML inline beside the assertions, optional container logs
 * and a capture time, then the detector's findings (or a whole diagnosis, to check ranking).
 *
 * <pre>{@code
 * List<Finding> findings = DetectorHarness.of(new RolloutPaused())
 *         .yaml("""
 *               apiVersion: apps/v1
 *               kind: Deployment
 *               ...
 *               """)
 *         .capturedAt("2024-05-01T10:10:00Z")
 *         .findings();
 * }</pre>
 */
public final class DetectorHarness {

    private final Detector detector;
    private final StringBuilder yaml = new StringBuilder();
    private final List<PodLog> logs = new ArrayList<>();
    private Instant capturedAt;

    private DetectorHarness(Detector detector) {
        this.detector = detector;
    }

    public static DetectorHarness of(Detector detector) {
        return new DetectorHarness(detector);
    }

    /** Adds YAML documents (one or more, separated by {@code ---}). */
    public DetectorHarness yaml(String documents) {
        yaml.append("---\n").append(documents).append('\n');
        return this;
    }

    /** Adds a container log as a support bundle would hold it. */
    public DetectorHarness log(String namespace, String pod, String container, boolean previous, String text) {
        logs.add(new PodLog(namespace, pod, container, previous, Arrays.asList(text.split("\n")), 1, false,
                "cluster-resources/pods/logs/" + namespace + "/" + pod + "/" + container + (previous ? "-previous" : "") + ".log"));
        return this;
    }

    public DetectorHarness capturedAt(String rfc3339) {
        this.capturedAt = Instant.parse(rfc3339);
        return this;
    }

    /** The snapshot the YAML and logs make; fails the test if the YAML itself has problems. */
    public Snapshot snapshot() {
        Snapshot loaded = SnapshotLoader.create().withParallelism(1)
                .load("test.yaml", new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)));
        if (!loaded.problems().isEmpty()) {
            throw new AssertionError("the test's YAML has problems: " + loaded.problems());
        }
        Snapshot.Builder b = Snapshot.builder();
        java.util.Map<dev.rolloutdoctor.model.ObjectRef, List<String>> redacted = new java.util.HashMap<>();
        loaded.redactedFields().forEach(r -> redacted.computeIfAbsent(r.object(), k -> new ArrayList<>()).add(r.fieldPath()));
        for (KubeObject o : loaded.objects()) {
            b.add(o, redacted.getOrDefault(o.ref(), List.of()));
        }
        loaded.collectedKinds().forEach(b::collectedKind);
        loaded.gaps().forEach(b::gap);
        loaded.referenceChecks().forEach(b::referenceCheck);
        loaded.skipped().forEach(b::skipped);
        logs.forEach(b::log);
        b.source("test.yaml");
        if (capturedAt != null) {
            b.capturedAt(capturedAt);
        }
        return b.build();
    }

    /** What the detector alone finds. */
    public List<Finding> findings() {
        Snapshot snapshot = snapshot();
        RuleEngine engine = RuleEngine.create();
        Diagnosis diagnosis = engine.diagnose(snapshot);
        DetectionContext context = new DetectionContext(snapshot,
                diagnosis.rollouts().stream().map(RolloutDiagnosis::status).toList());
        return detector.detect(context);
    }

    /** The whole engine's diagnosis (built-in detectors, plus this one when it is not built in). */
    public Diagnosis diagnose() {
        Snapshot snapshot = snapshot();
        DetectorRegistry registry = DetectorRegistry.builtIn();
        String id = RuleInfo.of(detector.getClass()).id();
        if (registry.rule(id).isEmpty()) {
            registry = registry.with(List.of(detector));
        }
        return RuleEngine.of(registry).diagnose(snapshot);
    }
}

package dev.rolloutdoctor.rules;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a detector found: the rule, how bad and how sure, the workload whose rollout it blocks, the objects at fault,
 * a title that reads as a sentence with real names and numbers, an explanation, the evidence it rests on, and
 * what to do, step by step.
 */
public record Finding(
        String ruleId,
        Severity severity,
        Confidence confidence,
        ObjectRef workload,
        List<ObjectRef> culprits,
        String title,
        String explanation,
        List<Evidence> evidence,
        List<RemediationStep> remediation) {

    public Finding {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(confidence, "confidence");
        Objects.requireNonNull(workload, "workload");
        culprits = List.copyOf(culprits);
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(explanation, "explanation");
        evidence = List.copyOf(evidence);
        remediation = List.copyOf(remediation);
    }

    /** Starts a finding of the rule declared on {@code detector}'s class, with its default severity. */
    public static Builder of(Class<? extends Detector> detector) {
        RuleInfo info = RuleInfo.of(detector);
        return new Builder(info.id(), info.severity());
    }

    /** Starts a finding of a rule by id, for rules that are not detectors (the engine's own). */
    public static Builder of(String ruleId, Severity severity) {
        return new Builder(ruleId, severity);
    }

    /** Builds a {@link Finding}; title and workload are required. */
    public static final class Builder {
        private final String ruleId;
        private Severity severity;
        private Confidence confidence = Confidence.HIGH;
        private ObjectRef workload;
        private final LinkedHashSet<ObjectRef> culprits = new LinkedHashSet<>();
        private String title;
        private String explanation = "";
        private final List<Evidence> evidence = new ArrayList<>();
        private final List<RemediationStep> remediation = new ArrayList<>();

        private Builder(String ruleId, Severity severity) {
            this.ruleId = ruleId;
            this.severity = severity;
        }

        public Builder severity(Severity value) {
            this.severity = value;
            return this;
        }

        public Builder confidence(Confidence value) {
            this.confidence = value;
            return this;
        }

        public Builder workload(KubeObject value) {
            this.workload = value.ref();
            return this;
        }

        public Builder workload(ObjectRef value) {
            this.workload = value;
            return this;
        }

        public Builder culprit(KubeObject value) {
            culprits.add(value.ref());
            return this;
        }

        public Builder culprit(ObjectRef value) {
            culprits.add(value);
            return this;
        }

        public Builder title(String value) {
            this.title = value;
            return this;
        }

        public Builder explanation(String value) {
            this.explanation = value;
            return this;
        }

        public Builder evidence(Evidence value) {
            evidence.add(value);
            return this;
        }

        public Builder evidence(List<Evidence> values) {
            evidence.addAll(values);
            return this;
        }

        public Builder step(String text) {
            remediation.add(RemediationStep.of(text));
            return this;
        }

        public Builder step(String text, String command) {
            remediation.add(RemediationStep.of(text, command));
            return this;
        }

        public Finding build() {
            if (workload == null) {
                throw new IllegalStateException("finding of " + ruleId + " needs the workload it blocks");
            }
            if (title == null || title.isBlank()) {
                throw new IllegalStateException("finding of " + ruleId + " needs a title");
            }
            return new Finding(ruleId, severity, confidence, workload, new ArrayList<>(culprits), title, explanation,
                    evidence, remediation);
        }
    }
}

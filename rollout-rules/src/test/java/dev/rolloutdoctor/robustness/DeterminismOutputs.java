package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.report.JsonReport;
import dev.rolloutdoctor.report.MarkdownReport;
import dev.rolloutdoctor.report.Style;
import dev.rolloutdoctor.report.TextReport;
import dev.rolloutdoctor.rollout.KubectlStatus;
import dev.rolloutdoctor.rollout.RolloutOptions;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.rules.RuleEngine;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every output of the CLI for one snapshot, rendered as {@code cli.Main} renders it (engine options of a run without
 * flags, no {@code --now}: ages are measured against the capture time the snapshot carries, never the wall clock).
 */
record DeterminismOutputs(String json, String markdown, String text, String textAll, String textColor, String status) {

    /** The engine the CLI builds for a run without {@code --revision}. */
    static final RuleEngine CLI_ENGINE = RuleEngine.create().withOptions(RolloutOptions.DEFAULTS.withRevision(0));

    static DeterminismOutputs of(Snapshot snapshot) {
        return of(CLI_ENGINE.diagnose(snapshot, w -> true));
    }

    static DeterminismOutputs of(Diagnosis d) {
        return new DeterminismOutputs(JsonReport.render(d), MarkdownReport.render(d), TextReport.render(d, Style.PLAIN, false),
                TextReport.render(d, Style.PLAIN, true), TextReport.render(d, Style.COLOR, true), status(d));
    }

    /** What {@code rollout-doctor status} prints. */
    static String status(Diagnosis diagnosis) {
        StringBuilder b = new StringBuilder();
        for (RolloutDiagnosis r : diagnosis.rollouts()) {
            ObjectRef ref = r.workload();
            b.append(KubectlStatus.commandLine(r.status().kubectl()).strip()).append("\t# ").append(r.status().state().name())
                    .append(' ').append(ref.kind()).append(' ').append(ref.namespace()).append('/').append(ref.name()).append('\n');
        }
        return b.toString();
    }

    /** Each output by name, in a fixed order. */
    Map<String, String> byName() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("json", json);
        m.put("markdown", markdown);
        m.put("text", text);
        m.put("text --all", textAll);
        m.put("text (colour)", textColor);
        m.put("status", status);
        return m;
    }
}

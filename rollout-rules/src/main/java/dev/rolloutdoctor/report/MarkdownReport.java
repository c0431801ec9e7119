package dev.rolloutdoctor.report;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.rollout.KubectlStatus;
import dev.rolloutdoctor.rollout.Timeline;
import dev.rolloutdoctor.rollout.TimelineEntry;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A postmortem draft in Markdown for each stuck rollout: summary, impact, timeline, root cause with its evidence,
 * remediation, what changed in the revision, other findings, and follow-up prevention items.
 */
public final class MarkdownReport {

    /** Timeline rows per rollout; the JSON report and {@code Timeline} have them all. */
    static final int MAX_TIMELINE_ROWS = 60;

    private MarkdownReport() {
    }

    public static String render(Diagnosis diagnosis) {
        StringBuilder md = new StringBuilder();
        Snapshot s = diagnosis.snapshot();
        List<RolloutDiagnosis> stuck = diagnosis.stuck();
        md.append("# Postmortem draft: ").append(stuck.isEmpty() ? "no stuck rollout" : titleOf(stuck)).append("\n\n");
        md.append("_Drafted by rollout-doctor from ").append(String.join(", ", s.sources().stream().map(MarkdownReport::code).toList()))
                .append(", captured ").append(s.capturedAt().map(Instant::toString).orElse("at an unknown time"))
                .append(". Check every statement against the evidence before sharing._\n\n");
        if (stuck.isEmpty()) {
            md.append("Every rollout in the snapshot (").append(diagnosis.rollouts().size())
                    .append(") is complete or in progress; nothing to write up.\n");
        }
        for (RolloutDiagnosis r : stuck) {
            rollout(md, s, r, stuck.size() > 1);
        }
        if (!s.problems().isEmpty() || !s.gaps().isEmpty()) {
            md.append("## About the data\n\n");
            if (!s.gaps().isEmpty()) {
                md.append("The capture is incomplete:\n\n");
                s.gaps().stream().limit(20).forEach(g -> md.append("- ").append(g.kind().isEmpty() ? "" : g.kind() + ": ")
                        .append(escape(g.reason())).append(" (").append(code(g.source())).append(")\n"));
                md.append('\n');
            }
            if (!s.problems().isEmpty()) {
                md.append(s.problems().size()).append(" part(s) of the input could not be read:\n\n");
                s.problems().stream().limit(20).forEach(p -> md.append("- ").append(code(p.location())).append(": ")
                        .append(escape(p.message())).append('\n'));
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static String titleOf(List<RolloutDiagnosis> stuck) {
        return stuck.size() == 1 ? "rollout of " + stuck.get(0).workload() : stuck.size() + " stuck rollouts";
    }

    private static void rollout(StringBuilder md, Snapshot s, RolloutDiagnosis r, boolean several) {
        String h = several ? "### " : "## ";
        if (several) {
            md.append("## ").append(r.workload()).append("\n\n");
        }
        Optional<RankedFinding> root = r.rootCause();
        md.append(h).append("Summary\n\n");
        md.append("The rollout of ").append(r.workload()).append(" is **").append(r.status().state().name()).append("**: ")
                .append(escape(r.status().reason())).append('\n');
        root.ifPresent(f -> md.append(f.rule().role() == dev.rolloutdoctor.rules.Role.INCONCLUSIVE ? "No cause could be established: " : "Root cause: ")
                .append(escape(f.finding().title())).append(".\n"));
        md.append("\n`kubectl rollout status` would print: `").append(KubectlStatus.commandLine(r.status().kubectl()).strip()).append("`\n\n");

        md.append(h).append("Impact\n\n");
        var counted = r.status().structure().counted();
        md.append("- Desired: ").append(counted.desired()).append(" pods; at capture ").append(counted.available())
                .append(" available, ").append(counted.updated()).append(" on the new template, ").append(counted.unavailable())
                .append(" unavailable.\n");
        if (counted.available() >= counted.desired() && counted.updated() < counted.desired()) {
            md.append("- The old revision still serves: no capacity was lost, but the new version is not live.\n");
        }
        unavailableSince(s, r).ifPresent(line -> md.append("- ").append(line).append('\n'));
        r.status().sinceProgress().ifPresent(d -> md.append("- No progress for ").append(Durations.format(d)).append(" before the capture.\n"));
        md.append('\n');

        md.append(h).append("Timeline\n\n");
        List<TimelineEntry> all = Timeline.of(s, r.status().workload());
        // the postmortem is about this rollout: what happened before its new ReplicaSet appeared is history
        Optional<Instant> began = r.status().structure().newReplicaSet().flatMap(rs -> rs.metadata().creationTimestamp())
                .map(t -> t.minus(Duration.ofMinutes(1)));
        List<TimelineEntry> timeline = began.map(b -> all.stream().filter(e -> !e.at().isBefore(b)).toList()).orElse(all);
        if (timeline.size() < all.size()) {
            md.append("From the start of this rollout; ").append(all.size() - timeline.size())
                    .append(" earlier entries, from before the new ReplicaSet was created, are left out.\n\n");
        }
        if (timeline.isEmpty()) {
            md.append("No timestamps in the snapshot to build a timeline from.\n\n");
        } else {
            md.append("| time (UTC) | before capture | object | what happened |\n|---|---|---|---|\n");
            List<TimelineEntry> rows = timeline.size() > MAX_TIMELINE_ROWS
                    ? timeline.subList(timeline.size() - MAX_TIMELINE_ROWS, timeline.size()) : timeline;
            if (rows.size() < timeline.size()) {
                md.append("| ... | | | ").append(timeline.size() - rows.size()).append(" earlier entries left out |\n");
            }
            for (TimelineEntry e : rows) {
                md.append("| ").append(e.at()).append(" | ").append(e.beforeCapture().map(MarkdownReport::ago).orElse(""))
                        .append(" | ").append(cell(e.object().toString())).append(" | ").append(cell(e.what())).append(" |\n");
            }
            md.append('\n');
        }

        md.append(h).append("Root cause\n\n");
        if (root.isEmpty()) {
            md.append("Nothing found.\n\n");
        } else {
            finding(md, root.get().finding(), root.get());
            md.append(h).append("Remediation\n\n");
            int n = 1;
            for (RemediationStep step : root.get().finding().remediation()) {
                md.append(n++).append(". ").append(escape(step.text())).append('\n');
                step.command().ifPresent(c -> md.append("   ```sh\n   ").append(c).append("\n   ```\n"));
            }
            md.append('\n');
        }

        md.append(h).append("What changed in this revision\n\n");
        Optional<RankedFinding> changed = r.findings().stream().filter(f -> f.finding().ruleId().equals("template-changed")).findFirst();
        if (changed.isPresent()) {
            md.append(escape(changed.get().finding().title())).append("\n\n");
            for (Evidence e : changed.get().finding().evidence()) {
                md.append("- `").append(e.path()).append("`: ").append(escape(e.text())).append('\n');
            }
            md.append('\n');
        } else {
            md.append("The snapshot holds no previous revision to compare with.\n\n");
        }

        List<RankedFinding> others = r.findings().stream()
                .filter(f -> root.map(rt -> rt != f).orElse(true) && !f.finding().ruleId().equals("template-changed")).toList();
        if (!others.isEmpty()) {
            md.append(h).append("Other findings\n\n");
            for (RankedFinding f : others) {
                md.append("- **").append(escape(f.finding().title())).append("** (`").append(f.finding().ruleId()).append("`, ")
                        .append(f.finding().severity().label())
                        .append(f.explainedBy().isEmpty() ? "" : ", explained by the root cause").append(")\n");
            }
            md.append('\n');
        }

        md.append(h).append("Follow-up: prevention\n\n");
        for (String item : Prevention.items(s, r)) {
            md.append("- [ ] ").append(item).append('\n');
        }
        md.append('\n');
    }

    private static void finding(StringBuilder md, Finding f, RankedFinding ranked) {
        md.append("**").append(escape(f.title())).append("**  \n");
        md.append("_Rule `").append(f.ruleId()).append("`, severity ").append(f.severity().label()).append(", confidence ")
                .append(f.confidence().label()).append("._\n\n");
        if (!f.explanation().isEmpty()) {
            md.append(escape(f.explanation())).append("\n\n");
        }
        if (!f.evidence().isEmpty()) {
            md.append("Evidence:\n\n");
            for (Evidence e : f.evidence()) {
                md.append("- ").append(switch (e.type()) {
                    case EVENT -> "event on " + e.object();
                    case FIELD -> e.object() + " `" + e.path() + "`";
                    case LOG -> "log of " + e.object() + " (" + e.path() + ")";
                }).append(": ").append(escape(e.text())).append(e.at().map(t -> " (" + t + ")").orElse(""))
                        .append(" — ").append(code(e.source())).append('\n');
            }
            md.append('\n');
        }
    }

    /** When the workload went unavailable, from its Available condition, and for how long before the capture. */
    private static Optional<String> unavailableSince(Snapshot s, RolloutDiagnosis r) {
        if (!(r.status().workload() instanceof Deployment d)) {
            return Optional.empty();
        }
        Optional<Condition> available = d.status().condition("Available");
        if (available.isEmpty() || !available.get().isFalse() || available.get().lastTransitionTime().isEmpty()) {
            return Optional.empty();
        }
        Instant since = available.get().lastTransitionTime().get();
        String line = "Below minimum availability (Available=False) since " + since;
        if (s.capturedAt().isPresent()) {
            line += ", " + Durations.format(Duration.between(since, s.capturedAt().get())) + " before the capture";
        }
        return Optional.of(line + ".");
    }

    private static String ago(Duration d) {
        return d.isNegative() ? "in " + Durations.format(d.negated()) : Durations.format(d);
    }

    private static String cell(String text) {
        return escape(text).replace("|", "\\|").replace("\n", " ");
    }

    private static String code(String text) {
        return "`" + text.replace("`", "'") + "`";
    }

    /** Keeps text from being read as Markdown markup (emphasis, HTML). */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;");
    }
}

package dev.rolloutdoctor.report;

import dev.rolloutdoctor.rollout.KubectlStatus;
import dev.rolloutdoctor.rollout.RolloutState;
import dev.rolloutdoctor.rollout.RolloutStatus;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.rules.Finding;
import dev.rolloutdoctor.rules.RankedFinding;
import dev.rolloutdoctor.rules.RemediationStep;
import dev.rolloutdoctor.rules.RolloutDiagnosis;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.snapshot.LoadProblem;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.List;

/**
 * The report for a terminal: for each stuck rollout, kubectl's line and our state, then the root cause first with
 * its evidence and the commands to run, then the symptoms it explains and anything else found; load problems at the end.
 */
public final class TextReport {

    /** Evidence lines shown per finding; the JSON report has them all. */
    static final int MAX_EVIDENCE = 6;

    private final Style style;
    private final boolean all;

    private TextReport(Style style, boolean all) {
        this.style = style;
        this.all = all;
    }

    /** {@code all} shows healthy rollouts too (as one line each). */
    public static String render(Diagnosis diagnosis, Style style, boolean all) {
        return new TextReport(style, all).render(diagnosis);
    }

    private String render(Diagnosis diagnosis) {
        StringBuilder out = new StringBuilder();
        Snapshot s = diagnosis.snapshot();
        header(out, diagnosis);
        int healthy = 0;
        for (RolloutDiagnosis r : diagnosis.rollouts()) {
            boolean interesting = r.isStuck() || r.status().state() != RolloutState.COMPLETE
                    || r.findings().stream().anyMatch(f -> f.finding().severity().compareTo(Severity.WARNING) <= 0);
            if (interesting) {
                rollout(out, r, r.isStuck() || diagnosis.rollouts().size() == 1);
            } else if (all) {
                out.append(style.green("✓ ")).append(r.workload()).append("  ")
                        .append(style.dim(oneLine(r.status()))).append('\n');
            } else {
                healthy++;
            }
        }
        if (healthy > 0) {
            out.append(style.dim(healthy + " other rollout" + (healthy == 1 ? " is" : "s are") + " complete (--all shows them)"))
                    .append('\n');
        }
        if (diagnosis.rollouts().isEmpty()) {
            out.append("No Deployment, StatefulSet or DaemonSet in the input.\n");
        }
        footer(out, diagnosis, s);
        return out.toString();
    }

    private void header(StringBuilder out, Diagnosis d) {
        Snapshot s = d.snapshot();
        out.append(style.bold("rollout-doctor")).append(": ")
                .append(d.rollouts().size()).append(" rollout").append(d.rollouts().size() == 1 ? "" : "s")
                .append(", ").append(d.stuck().size()).append(" stuck or failed");
        out.append(style.dim(" (captured " + s.capturedAt().map(Object::toString).orElse("at an unknown time")
                + switch (s.captureTime().origin()) {
                    case OVERRIDE -> ", as given";
                    case BUNDLE -> ", per the bundle";
                    case NEWEST_TIMESTAMP -> ", estimated from the newest timestamp";
                    case UNKNOWN -> "";
                } + ")")).append("\n\n");
    }

    private void rollout(StringBuilder out, RolloutDiagnosis r, boolean detailed) {
        RolloutStatus status = r.status();
        String mark = r.isStuck() ? style.red("✗ ") : style.yellow("! ");
        out.append(mark).append(style.bold(r.workload().toString())).append("  ").append(stateLabel(status.state())).append('\n');
        out.append("  kubectl: ").append(KubectlStatus.commandLine(status.kubectl()).strip()).append('\n');
        out.append("  state:   ").append(status.reason()).append('\n');
        List<RankedFinding> findings = r.findings();
        if (findings.isEmpty()) {
            out.append("  ").append(style.dim("no findings")).append("\n\n");
            return;
        }
        if (!detailed) {
            // a rollout that is not stuck: one line per finding, details with --workload or --format json
            for (RankedFinding f : findings) {
                out.append("  ").append(severityColor(f.finding().severity(), f.finding().severity().label()))
                        .append(": ").append(f.finding().title()).append(style.dim("  [" + f.finding().ruleId() + "]")).append('\n');
            }
            out.append('\n');
            return;
        }
        RankedFinding root = findings.get(0);
        out.append('\n');
        finding(out, root, r.isStuck());
        List<RankedFinding> explained = findings.stream().filter(f -> root.explains().contains(f.id())).toList();
        if (!explained.isEmpty()) {
            out.append("  ").append(style.bold("Explains")).append(":\n");
            for (RankedFinding f : explained) {
                out.append("    - ").append(f.finding().title()).append(style.dim("  [" + f.finding().ruleId() + "]")).append('\n');
            }
        }
        List<RankedFinding> others = findings.stream().filter(f -> f != root && !root.explains().contains(f.id())).toList();
        for (RankedFinding f : others) {
            out.append('\n');
            finding(out, f, false);
        }
        out.append('\n');
    }

    private void finding(StringBuilder out, RankedFinding ranked, boolean root) {
        Finding f = ranked.finding();
        String label = root && ranked.rule().role() == dev.rolloutdoctor.rules.Role.CAUSE ? "Root cause" : roleLabel(ranked);
        out.append("  ").append(style.bold(label)).append(" ")
                .append(style.dim("[" + f.ruleId() + ", " + f.severity().label() + ", " + f.confidence().label() + " confidence]"))
                .append('\n');
        out.append("    ").append(severityColor(f.severity(), f.title())).append('\n');
        if (!f.explanation().isEmpty()) {
            wrap(out, f.explanation(), "    ", 100);
        }
        if (!f.evidence().isEmpty()) {
            out.append("    ").append(style.bold("Evidence")).append(":\n");
            int shown = 0;
            for (Evidence e : f.evidence()) {
                if (shown++ == MAX_EVIDENCE) {
                    out.append("      ").append(style.dim("... " + (f.evidence().size() - MAX_EVIDENCE) + " more (see --format json)")).append('\n');
                    break;
                }
                out.append("      ").append(evidence(e)).append('\n');
            }
        }
        if (!f.remediation().isEmpty() && (root || ranked.isRoot())) {
            out.append("    ").append(style.bold("What to do")).append(":\n");
            int n = 1;
            for (RemediationStep step : f.remediation()) {
                out.append("      ").append(n++).append(". ").append(step.text()).append('\n');
                step.command().ifPresent(c -> out.append("         ").append(style.cyan("$ " + c)).append('\n'));
            }
        }
    }

    private String evidence(Evidence e) {
        String what = switch (e.type()) {
            case EVENT -> "event " + e.object() + ": " + e.text();
            case FIELD -> e.object() + " " + e.path() + " = " + e.text();
            case LOG -> e.object() + " " + e.path() + ": " + e.text();
        };
        String at = e.at().map(t -> " at " + t).orElse("");
        return what + style.dim(at + "  (" + e.source() + ")");
    }

    private String roleLabel(RankedFinding f) {
        if (!f.explainedBy().isEmpty()) {
            return "Symptom";
        }
        return switch (f.rule().role()) {
            case CAUSE -> "Also found";
            case INCONCLUSIVE -> "Inconclusive";
            case SYMPTOM -> "Symptom";
            case CONTEXT -> f.finding().severity() == Severity.INFO ? "Context" : "Warning";
        };
    }

    private String severityColor(Severity severity, String text) {
        return switch (severity) {
            case CRITICAL, ERROR -> style.red(text);
            case WARNING -> style.yellow(text);
            case INFO -> text;
        };
    }

    private String stateLabel(RolloutState state) {
        return switch (state) {
            case COMPLETE -> style.green(state.name());
            case FAILED -> style.red(state.name());
            case STALLED, PAUSED, NOT_OBSERVED, COMPLETE_OLD_PODS_TERMINATING -> style.yellow(state.name());
            case PROGRESSING -> state.name();
        };
    }

    private static String oneLine(RolloutStatus status) {
        return status.state().name() + " — " + status.reason();
    }

    private void footer(StringBuilder out, Diagnosis d, Snapshot s) {
        if (!d.detectorErrors().isEmpty()) {
            out.append(style.red("Detector errors (please report them):")).append('\n');
            d.detectorErrors().forEach(e -> out.append("  ").append(e.ruleId()).append(": ").append(e.message()).append('\n'));
        }
        if (!s.gaps().isEmpty()) {
            out.append(style.bold("Gaps in the input")).append(" (").append(s.gaps().size()).append("):\n");
            s.gaps().stream().limit(10).forEach(g -> out.append("  ").append(g.source()).append(": ")
                    .append(g.kind().isEmpty() ? "" : g.kind() + ": ").append(g.reason()).append('\n'));
            if (s.gaps().size() > 10) {
                out.append("  ").append(style.dim("... and " + (s.gaps().size() - 10) + " more")).append('\n');
            }
        }
        if (!s.problems().isEmpty()) {
            out.append(style.bold("Load problems")).append(" (").append(s.problems().size()).append("):\n");
            for (LoadProblem p : s.problems().stream().limit(20).toList()) {
                out.append("  ").append(p).append('\n');
            }
            if (s.problems().size() > 20) {
                out.append("  ").append(style.dim("... and " + (s.problems().size() - 20) + " more (see --format json)")).append('\n');
            }
        }
    }

    private static void wrap(StringBuilder out, String text, String indent, int width) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > indent.length()) {
            out.append(line).append('\n');
        }
    }
}

package dev.rolloutdoctor.cli;

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
import dev.rolloutdoctor.rules.RuleInfo;
import dev.rolloutdoctor.snapshot.LoadProgress;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * {@code java -jar rollout-doctor.jar diagnose|status|rules ...}. Exit codes: 0 nothing wrong, 1 at least one rollout
 * failed or is stuck, 2 bad usage or unreadable input (with a one-line reason on stderr, never a stack trace).
 */
public final class Main {

    static final int OK = 0;
    static final int STUCK = 1;
    static final int USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream stdin;
    private final boolean terminal;

    Main(PrintStream out, PrintStream err, InputStream stdin, boolean terminal) {
        this.out = out;
        this.err = err;
        this.stdin = stdin;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = new Main(out, err, System.in, System.console() != null).run(args);
        out.flush();
        System.exit(code);
    }

    int run(String[] args) {
        try {
            if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
                out.print(HELP);
                return OK;
            }
            if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
                out.println("rollout-doctor " + version());
                return OK;
            }
            Arguments a = Arguments.parse(args);
            return switch (a.command()) {
                case "diagnose" -> diagnose(a);
                case "status" -> status(a);
                case "rules" -> rules(a);
                default -> throw new UsageException("unknown command \"" + a.command() + "\"; try: rollout-doctor --help");
            };
        } catch (UsageException e) {
            err.println("rollout-doctor: " + e.getMessage());
            return USAGE;
        } catch (OutOfMemoryError e) {
            // a bundle too large for the heap is the user's to fix, with one flag
            err.println("rollout-doctor: ran out of memory: the Java heap of " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB is too small for this input; run with a larger heap, e.g. java -Xmx4g -jar rollout-doctor.jar ...");
            return USAGE;
        } catch (RuntimeException | StackOverflowError e) {
            err.println("rollout-doctor: internal error, please report it: " + e);
            return USAGE;
        }
    }

    private int diagnose(Arguments a) throws UsageException {
        Snapshot snapshot = load(a);
        Diagnosis diagnosis = RuleEngine.create().withOptions(options(a)).diagnose(snapshot, filter(a));
        checkFilterMatched(a, diagnosis.rollouts().size());
        String report = switch (a.format()) {
            case "json" -> JsonReport.render(diagnosis);
            case "markdown" -> MarkdownReport.render(diagnosis);
            default -> TextReport.render(diagnosis, terminal ? Style.forTerminal() : Style.PLAIN, a.all());
        };
        out.print(report);
        out.flush();
        return diagnosis.rollouts().stream().anyMatch(RolloutDiagnosis::isStuck) ? STUCK : OK;
    }

    private int status(Arguments a) throws UsageException {
        Snapshot snapshot = load(a);
        Diagnosis diagnosis = RuleEngine.create().withOptions(options(a)).diagnose(snapshot, filter(a));
        checkFilterMatched(a, diagnosis.rollouts().size());
        for (RolloutDiagnosis r : diagnosis.rollouts()) {
            ObjectRef ref = r.workload();
            out.println(KubectlStatus.commandLine(r.status().kubectl()).strip()
                    + "\t# " + r.status().state().name() + " " + ref.kind() + " " + ref.namespace() + "/" + ref.name());
        }
        return diagnosis.rollouts().stream().anyMatch(RolloutDiagnosis::isStuck) ? STUCK : OK;
    }

    private int rules(Arguments a) {
        List<RuleInfo> rules = RuleEngine.create().registry().rules();
        int idWidth = rules.stream().mapToInt(r -> r.id().length()).max().orElse(10);
        out.println(pad("ID", idWidth) + "  " + pad("SEVERITY", 8) + "  " + pad("LAYER", 11) + "  TITLE");
        for (RuleInfo r : rules) {
            out.println(pad(r.id(), idWidth) + "  " + pad(r.severity().label(), 8) + "  " + pad(r.layer().label(), 11) + "  " + r.title());
        }
        return OK;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private Snapshot load(Arguments a) throws UsageException {
        if (a.paths().isEmpty()) {
            throw new UsageException(a.command() + " needs at least one PATH (a file, directory, archive, or - for stdin)");
        }
        List<SnapshotLoader.Input> inputs = new ArrayList<>();
        for (String p : a.paths()) {
            if (p.equals("-")) {
                inputs.add(SnapshotLoader.Input.of("-", stdin));
            } else {
                Path path = Path.of(p);
                if (!Files.exists(path)) {
                    throw new UsageException("cannot read " + p + ": no such file or directory");
                }
                if (!Files.isReadable(path)) {
                    throw new UsageException("cannot read " + p + ": permission denied");
                }
                inputs.add(SnapshotLoader.Input.of(path));
            }
        }
        SnapshotLoader loader = SnapshotLoader.create();
        if (a.now().isPresent()) {
            loader = loader.withCapturedAt(a.now().get());
        }
        if (terminal) {
            loader = loader.withProgress(this::progress);
        }
        Snapshot snapshot = loader.loadInputs(inputs);
        if (snapshot.objects().isEmpty()) {
            String why = snapshot.problems().isEmpty()
                    ? snapshot.skipped().isEmpty() ? "no Kubernetes objects in the input"
                    : "no Kubernetes objects in the input (" + snapshot.skipped().get(0).source() + ": " + snapshot.skipped().get(0).reason() + ")"
                    : "nothing could be read from the input: " + snapshot.problems().get(0);
            throw new UsageException(why);
        }
        return snapshot;
    }

    private void progress(LoadProgress p) {
        if (p.done()) {
            err.print("\r\u001b[2K");
        } else {
            err.print("\rreading: " + p.entriesRead() + " files, " + (p.bytesRead() >> 20) + " MiB, " + p.objectsLoaded() + " objects");
        }
        err.flush();
    }

    private static RolloutOptions options(Arguments a) {
        return RolloutOptions.DEFAULTS.withRevision(a.revision());
    }

    private static Predicate<ObjectRef> filter(Arguments a) {
        return ref -> a.namespace().map(ns -> ns.equals(ref.namespace())).orElse(true)
                && a.workload().map(w -> w.kind().equals(ref.kind()) && w.name().equals(ref.name())).orElse(true);
    }

    private static void checkFilterMatched(Arguments a, int matched) throws UsageException {
        if (matched == 0 && (a.namespace().isPresent() || a.workload().isPresent())) {
            throw new UsageException("no " + a.workload().map(w -> w.kind() + " " + w.name()).orElse("Deployment, StatefulSet or DaemonSet")
                    + a.namespace().map(ns -> " in namespace " + ns).orElse("") + " in the input");
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final String HELP = """
            rollout-doctor: why did this Kubernetes rollout get stuck, and what do I do about it?
            Diagnoses stuck rollouts offline, from kubectl dumps, support bundles, cluster-info dumps and must-gathers.

            Usage:
              rollout-doctor diagnose PATH... [options]   ranked root causes, evidence and commands to run
              rollout-doctor status PATH... [options]     one line per workload, as `kubectl rollout status --watch=false`
                                                          prints it, with rollout-doctor's state beside it
              rollout-doctor rules                        the rule catalogue
              rollout-doctor --help | --version

            PATH is a file (YAML or JSON, one object, a List, several documents), a directory, an archive
            (.tar.gz, .tgz, .tar, .zip), or - for stdin. Several PATHs merge into one snapshot.

            Options:
              -n, --namespace NS        only rollouts in this namespace
              -w, --workload KIND/NAME  only this workload (deployment/web, sts/db, ds/agent)
              -o, --format FORMAT       text (default), json, or markdown (a postmortem draft)
                  --now RFC3339         measure ages and deadlines against this time instead of the capture time
              -A, --all                 text: list complete rollouts too
                  --revision N          status: check that the Deployment runs revision N, as kubectl's --revision

            Exit codes:
              0  nothing wrong
              1  at least one rollout failed or is stuck
              2  bad usage or unreadable input (the reason is printed on stderr)

            Colour is used only on a terminal and never when NO_COLOR is set.
            """;
}

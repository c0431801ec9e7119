package dev.rolloutdoctor.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The parsed command line. Options may come before or after paths; {@code --opt=value} and {@code --opt value} both work. */
record Arguments(
        String command,
        List<String> paths,
        Optional<String> namespace,
        Optional<WorkloadFilter> workload,
        String format,
        Optional<Instant> now,
        boolean all,
        long revision) {

    /** {@code --workload KIND/NAME}: kind as kubectl takes it (deployment, deploy, statefulset, sts, daemonset, ds). */
    record WorkloadFilter(String kind, String name) {

        static WorkloadFilter parse(String text) throws UsageException {
            int slash = text.indexOf('/');
            if (slash <= 0 || slash == text.length() - 1) {
                throw new UsageException("--workload takes KIND/NAME, like deployment/web; got \"" + text + "\"");
            }
            String kind = switch (text.substring(0, slash).toLowerCase(Locale.ROOT)) {
                case "deployment", "deployments", "deploy" -> "Deployment";
                case "statefulset", "statefulsets", "sts" -> "StatefulSet";
                case "daemonset", "daemonsets", "ds" -> "DaemonSet";
                default -> throw new UsageException("--workload kind must be deployment, statefulset or daemonset; got \""
                        + text.substring(0, slash) + "\"");
            };
            return new WorkloadFilter(kind, text.substring(slash + 1));
        }
    }

    static Arguments parse(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given; try: rollout-doctor --help");
        }
        String command = args[0];
        List<String> paths = new ArrayList<>();
        Optional<String> namespace = Optional.empty();
        Optional<WorkloadFilter> workload = Optional.empty();
        String format = "text";
        Optional<Instant> now = Optional.empty();
        boolean all = false;
        long revision = 0;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            String name = arg;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--namespace", "-n" -> namespace = Optional.of(value != null ? value : next(args, ++i, name));
                case "--workload", "-w" -> workload = Optional.of(WorkloadFilter.parse(value != null ? value : next(args, ++i, name)));
                case "--format", "-o" -> format = format(value != null ? value : next(args, ++i, name));
                case "--now" -> now = Optional.of(instant(value != null ? value : next(args, ++i, name)));
                case "--revision" -> revision = revision(value != null ? value : next(args, ++i, name));
                case "--all", "-A" -> all = true;
                case "-" -> paths.add("-");
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg + " for " + command + "; try: rollout-doctor --help");
                    }
                    paths.add(arg);
                }
            }
        }
        return new Arguments(command, List.copyOf(paths), namespace, workload, format, now, all, revision);
    }

    private static String next(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static String format(String value) throws UsageException {
        return switch (value) {
            case "text", "json", "markdown" -> value;
            case "md" -> "markdown";
            default -> throw new UsageException("--format must be text, json or markdown; got \"" + value + "\"");
        };
    }

    private static Instant instant(String value) throws UsageException {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("--now takes an RFC 3339 time like 2024-05-01T10:15:00Z; got \"" + value + "\"");
        }
    }

    private static long revision(String value) throws UsageException {
        try {
            long r = Long.parseLong(value);
            if (r < 0) {
                throw new UsageException("revision must be a positive integer: " + value);
            }
            return r;
        } catch (NumberFormatException e) {
            throw new UsageException("--revision takes a number; got \"" + value + "\"");
        }
    }
}

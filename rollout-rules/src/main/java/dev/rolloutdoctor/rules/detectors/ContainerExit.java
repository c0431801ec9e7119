package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.ContainerState.Terminated;
import dev.rolloutdoctor.rules.Durations;
import dev.rolloutdoctor.rules.detectors.NewPodContainers.Instance;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a container's exit tells: the exit code's meaning by shell and signal convention (128 + n is "killed by signal
 * n"), the runtime's reasons for a process that never started, and how long the container ran.
 */
final class ContainerExit {

    private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"),
            Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"),
            Map.entry(15, "SIGTERM"));

    private ContainerExit() {
    }

    /** The last termination of a container: the current state when it is terminated, else its lastState. */
    static Optional<Terminated> last(Instance i) {
        return i.state().terminated().or(() -> i.lastState().terminated());
    }

    /** The instance whose last termination is the newest (finishedAt), for the most telling example. */
    static Optional<Instance> newest(List<Instance> instances) {
        return instances.stream().filter(i -> last(i).isPresent())
                .max(Comparator.comparing((Instance i) -> last(i).flatMap(Terminated::finishedAt).orElse(Instant.EPOCH))
                        .thenComparing(i -> i.pod().metadata().name(), Comparator.reverseOrder()));
    }

    /** True when the runtime could not start the process at all (no exit of the program itself). */
    static boolean couldNotStart(Terminated t) {
        return t.reason().equals("ContainerCannotRun") || t.reason().equals("StartError");
    }

    /** A few words for a title: "code 1 (application error)". */
    static String brief(Terminated t) {
        return "code " + t.exitCode() + " (" + shortMeaning(t.exitCode(), t.reason(), t.message()) + ")";
    }

    static String shortMeaning(int code, String reason, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (reason.equals("OOMKilled")) {
            return "killed for exceeding its memory limit";
        }
        if (lower.contains("executable file not found") || lower.contains("no such file or directory") && code == 127) {
            return "command not found";
        }
        if (lower.contains("permission denied") && (code == 126 || code == 128)) {
            return "command not executable";
        }
        return switch (code) {
            case 0 -> "exited normally";
            case 1 -> "application error";
            case 2 -> "usage error";
            case 126 -> "command not executable";
            case 127 -> "command not found";
            case 128 -> "could not be started";
            case 134 -> "aborted (SIGABRT)";
            case 137 -> "killed (SIGKILL)";
            case 139 -> "segmentation fault (SIGSEGV)";
            case 143 -> "terminated (SIGTERM)";
            case 255 -> "fatal error (exit status -1)";
            default -> code > 128 && code <= 192 ? "killed by signal " + signalName(code - 128) : "application-specific error";
        };
    }

    /** A sentence on what the exit code means and what usually causes it. */
    static String meaning(int code, String reason, String message) {
        String shortMeaning = shortMeaning(code, reason, message);
        return switch (shortMeaning) {
            case "command not found" -> "The command to run is not in the image (exit code 127 is the shell's \"command "
                    + "not found\"): check command and args in the template against the image's entrypoint and $PATH.";
            case "command not executable" -> "The command exists but cannot be executed (exit code 126: permission denied, "
                    + "or a binary for another platform).";
            case "exited normally" -> "The process exits successfully, but a Deployment's pods restart every container that "
                    + "stops (restartPolicy Always): its main process must keep running, and one-shot work belongs in a Job.";
            case "application error" -> "Exit code 1 is the program's own general error: the reason is in its log (a "
                    + "missing setting, a dependency it cannot reach, a failed migration).";
            case "usage error" -> "Exit code 2 usually means wrong arguments or a shell usage error.";
            case "could not be started" -> "The runtime could not start the process (exit code 128).";
            case "aborted (SIGABRT)" -> "The process aborted itself (SIGABRT: an assertion, a runtime or JVM crash).";
            case "killed (SIGKILL)" -> "Exit code 137 is 128 + 9: SIGKILL from outside, by the kernel's OOM killer or by "
                    + "kubelet after a failed liveness probe and the grace period.";
            case "segmentation fault (SIGSEGV)" -> "Exit code 139 is 128 + 11: the process crashed with a segmentation fault "
                    + "(a native crash, often a library built for another platform).";
            case "terminated (SIGTERM)" -> "Exit code 143 is 128 + 15: the process stopped on SIGTERM, which kubelet sends "
                    + "when a liveness probe fails or the pod is deleted.";
            case "fatal error (exit status -1)" -> "Exit code 255 is an exit status of -1: a fatal error with no standard "
                    + "meaning, often at startup; the log tells which.";
            case "killed for exceeding its memory limit" -> "The kernel killed it for exceeding its memory limit (OOMKilled).";
            default -> code > 128 && code <= 192
                    ? "Exit code " + code + " is 128 + " + (code - 128) + ": the process was killed by " + signalName(code - 128) + "."
                    : "Exit code " + code + " has a meaning only the program defines: its log tells.";
        };
    }

    static String signalName(int n) {
        return SIGNALS.getOrDefault(n, "signal " + n);
    }

    /** "exit code 1 (Error) at 00:59:01Z, 2m before the capture, after running 0s". */
    static String when(Terminated t, Optional<Instant> now) {
        StringBuilder s = new StringBuilder("exit code ").append(t.exitCode());
        if (!t.reason().isEmpty()) {
            s.append(" (").append(t.reason()).append(')');
        }
        t.signal().ifPresent(sig -> s.append(", signal ").append(signalName(sig)));
        t.finishedAt().ifPresent(at -> {
            s.append(" at ").append(at);
            String ago = NewPodContainers.ago(Optional.of(at), now);
            if (!ago.isEmpty()) {
                s.append(", ").append(ago);
            }
        });
        if (t.startedAt().isPresent() && t.finishedAt().isPresent() && !t.finishedAt().get().isBefore(t.startedAt().get())) {
            Duration ran = Duration.between(t.startedAt().get(), t.finishedAt().get());
            s.append(ran.getSeconds() < 1 ? ", right after it started" : ", after running " + Durations.format(ran));
        }
        return s.toString();
    }

    /** The field evidence text of a termination: "exit code 1, reason Error, finished 2022-04-12T00:59:01Z". */
    static String fieldText(Terminated t) {
        return "exitCode " + t.exitCode() + (t.reason().isEmpty() ? "" : ", reason " + t.reason())
                + t.signal().stream().mapToObj(s -> ", signal " + s).findFirst().orElse("")
                + t.startedAt().map(a -> ", startedAt " + a).orElse("")
                + t.finishedAt().map(a -> ", finishedAt " + a).orElse("");
    }
}

package dev.rolloutdoctor.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The state of a container as kubelet reports it ({@code state} or {@code lastState} of a container status): at most
 * one of waiting, running and terminated is set; none is set for an empty {@code lastState}.
 */
public record ContainerState(Optional<Waiting> waiting, Optional<Running> running, Optional<Terminated> terminated) {

    /** No state reported. */
    public static final ContainerState EMPTY = new ContainerState(Optional.empty(), Optional.empty(), Optional.empty());

    public ContainerState {
        Objects.requireNonNull(waiting, "waiting");
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(terminated, "terminated");
    }

    public boolean isWaiting() {
        return waiting.isPresent();
    }

    public boolean isRunning() {
        return running.isPresent();
    }

    public boolean isTerminated() {
        return terminated.isPresent();
    }

    public boolean isEmpty() {
        return waiting.isEmpty() && running.isEmpty() && terminated.isEmpty();
    }

    /** The waiting or terminated reason ({@code CrashLoopBackOff}, {@code OOMKilled}); "" when running or none. */
    public String reason() {
        if (waiting.isPresent()) {
            return waiting.get().reason();
        }
        return terminated.map(Terminated::reason).orElse("");
    }

    /**
     * Not yet running: {@code reason} such as {@code ContainerCreating}, {@code ImagePullBackOff},
     * {@code CrashLoopBackOff}, {@code CreateContainerConfigError}.
     */
    public record Waiting(String reason, String message) {
        public Waiting {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Running since {@code startedAt}. */
    public record Running(Optional<Instant> startedAt) {
        public Running {
            Objects.requireNonNull(startedAt, "startedAt");
        }
    }

    /**
     * Exited: {@code reason} such as {@code Completed}, {@code Error}, {@code OOMKilled}, {@code ContainerStatusUnknown}.
     *
     * @param signal the signal that ended it, when the runtime reports one
     */
    public record Terminated(int exitCode, OptionalInt signal, String reason, String message,
                             Optional<Instant> startedAt, Optional<Instant> finishedAt) {
        public Terminated {
            Objects.requireNonNull(signal, "signal");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(finishedAt, "finishedAt");
        }
    }
}

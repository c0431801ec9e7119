package dev.rolloutdoctor.snapshot;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.snapshot.io.InputEntry;
import dev.rolloutdoctor.snapshot.io.InputLink;
import dev.rolloutdoctor.snapshot.io.InputReader;
import dev.rolloutdoctor.snapshot.io.InputVisitor;
import dev.rolloutdoctor.snapshot.load.BundleTimes;
import dev.rolloutdoctor.snapshot.load.DocumentParser;
import dev.rolloutdoctor.snapshot.load.Layouts;
import dev.rolloutdoctor.snapshot.load.LoadSink;
import dev.rolloutdoctor.snapshot.load.PathHint;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Loads files, directories, archives and streams into one {@link Snapshot}. Bad input never throws (unless
 * {@linkplain #strict(boolean) strict}): each thing that could not be read becomes a {@link LoadProblem} and
 * everything else still loads. Entries are parsed in parallel; the result does not depend on the order of
 * inputs or entries.
 *
 * <pre>{@code
 * Snapshot snapshot = SnapshotLoader.create().load(Path.of("support-bundle.tar.gz"));
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; the {@code with...} methods return adjusted copies.
 */
public final class SnapshotLoader {

    /** One thing to read: a path (file, directory or archive) or a stream (stdin). */
    public record Input(Optional<Path> path, String name, Optional<InputStream> stream) {

        public Input {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(stream, "stream");
        }

        public static Input of(Path path) {
            return new Input(Optional.of(path), path.toString(), Optional.empty());
        }

        /** A stream read once, shown as {@code name} (stdin is {@code -}); it is not closed. */
        public static Input of(String name, InputStream stream) {
            return new Input(Optional.empty(), name, Optional.of(stream));
        }
    }

    /**
     * Bytes of entries handed to workers and not yet parsed: bounds memory while the reader runs ahead. 256 MiB, or a
     * quarter of the Java heap when that is less, since each entry in flight is parsed into a tree several times its size.
     */
    private static final int IN_FLIGHT_BYTES = (int) Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);

    private final LoadLimits limits;
    private final boolean strict;
    private final int parallelism;
    private final Optional<Instant> capturedAt;
    private final Optional<Consumer<LoadProgress>> progress;

    private SnapshotLoader(LoadLimits limits, boolean strict, int parallelism, Optional<Instant> capturedAt,
                           Optional<Consumer<LoadProgress>> progress) {
        this.limits = limits;
        this.strict = strict;
        this.parallelism = parallelism;
        this.capturedAt = capturedAt;
        this.progress = progress;
    }

    /** A lenient loader with the default limits, parsing on every available core. */
    public static SnapshotLoader create() {
        return new SnapshotLoader(LoadLimits.DEFAULTS, false, Runtime.getRuntime().availableProcessors(), Optional.empty(), Optional.empty());
    }

    public SnapshotLoader withLimits(LoadLimits value) {
        return new SnapshotLoader(Objects.requireNonNull(value, "limits"), strict, parallelism, capturedAt, progress);
    }

    /** A strict loader throws {@link LoadException} listing every problem instead of returning a partial snapshot. */
    public SnapshotLoader strict(boolean value) {
        return new SnapshotLoader(limits, value, parallelism, capturedAt, progress);
    }

    /** Threads that parse entries; 1 parses on the calling thread. */
    public SnapshotLoader withParallelism(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + value);
        }
        return new SnapshotLoader(limits, strict, value, capturedAt, progress);
    }

    /** Fixes the capture time, whatever the input says. */
    public SnapshotLoader withCapturedAt(Instant value) {
        return new SnapshotLoader(limits, strict, parallelism, Optional.of(value), progress);
    }

    /** Receives progress now and then while loading, and once at the end. */
    public SnapshotLoader withProgress(Consumer<LoadProgress> listener) {
        return new SnapshotLoader(limits, strict, parallelism, capturedAt, Optional.of(listener));
    }

    public Snapshot load(Path... paths) {
        return load(List.of(paths));
    }

    public Snapshot load(List<Path> paths) {
        List<Input> inputs = new ArrayList<>();
        paths.forEach(p -> inputs.add(Input.of(p)));
        return loadInputs(inputs);
    }

    public Snapshot load(String name, InputStream stream) {
        return loadInputs(List.of(Input.of(name, stream)));
    }

    /** Loads every input into one snapshot, as if they were one dump. */
    public Snapshot loadInputs(List<Input> inputs) {
        Snapshot.Builder builder = Snapshot.builder();
        capturedAt.ifPresent(builder::capturedAt);
        Run run = new Run(builder);
        InputReader reader = new InputReader(limits);
        try {
            for (Input input : inputs) {
                builder.source(input.name());
                if (input.path().isPresent()) {
                    reader.read(input.path().get(), run);
                } else {
                    reader.read(input.name(), input.stream().orElseThrow(), run);
                }
            }
        } finally {
            run.finish();
        }
        Snapshot snapshot = builder.build();
        progress.ifPresent(p -> p.accept(new LoadProgress(run.entries.get(), run.bytes.get(), snapshot.objects().size(), true)));
        if (strict && !snapshot.problems().isEmpty()) {
            throw new LoadException(snapshot.problems());
        }
        return snapshot;
    }

    /** One load in progress: receives entries from the reader and hands them to parser threads. */
    private final class Run implements InputVisitor, LoadSink {
        private final Snapshot.Builder builder;
        private final DocumentParser parser = new DocumentParser(limits);
        private final ExecutorService workers;
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES);
        private final List<InputLink> links = new ArrayList<>();
        private final Set<String> entryPaths = new HashSet<>();
        private final Map<String, int[]> statusless = new TreeMap<>();
        private final AtomicInteger entries = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicInteger objects = new AtomicInteger();
        private long lastProgress = System.nanoTime();

        Run(Snapshot.Builder builder) {
            this.builder = builder;
            this.workers = parallelism > 1 ? Executors.newFixedThreadPool(parallelism, r -> {
                Thread t = new Thread(r, "rollout-doctor-loader");
                t.setDaemon(true);
                return t;
            }) : null;
        }

        @Override
        public void entry(InputEntry entry) {
            entries.incrementAndGet();
            bytes.addAndGet(entry.content().length);
            synchronized (entryPaths) {
                entryPaths.add(entry.displayPath());
            }
            BundleTimes.of(entry.path(), entry.displayPath(), entry.content()).ifPresent(t -> builder.bundleTime(t.instant(), t.detail()));
            PathHint hint = Layouts.hint(entry.path());
            if (hint.layout() != Layout.PLAIN) {
                builder.layout(hint.layout());
            }
            if (workers == null || entry.content().length < 4096) {
                parse(entry);
            } else {
                int permits = (int) Math.min(IN_FLIGHT_BYTES, Math.max(1, entry.content().length));
                inFlight.acquireUninterruptibly(permits);
                workers.execute(() -> {
                    try {
                        parse(entry);
                    } finally {
                        inFlight.release(permits);
                    }
                });
            }
            reportProgress();
        }

        private void parse(InputEntry entry) {
            try {
                parser.parse(entry.displayPath(), entry.path(), entry.content(), this);
            } catch (RuntimeException | StackOverflowError bug) {
                builder.problem(LoadProblem.of(entry.displayPath(),
                        "could not be parsed (" + bug + "); please report this with the input"));
            }
        }

        private void reportProgress() {
            if (progress.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastProgress > TimeUnit.MILLISECONDS.toNanos(200)) {
                lastProgress = now;
                progress.get().accept(new LoadProgress(entries.get(), bytes.get(), objects.get(), false));
            }
        }

        @Override
        public void link(InputLink link) {
            synchronized (links) {
                links.add(link);
            }
        }

        @Override
        public void problem(LoadProblem problem) {
            builder.problem(problem);
        }

        void finish() {
            if (workers != null) {
                workers.shutdown();
                try {
                    while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                        // keep waiting: every task is bounded by the input limits
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    workers.shutdownNow();
                }
            }
            for (InputLink link : links) {
                String target = link.displayPath().substring(0, link.displayPath().length() - link.path().length()) + link.targetPath();
                if (!link.targetInside()) {
                    builder.skipped(new SkippedInput(link.displayPath(), "a link to " + link.targetPath() + ", outside the input: not followed"));
                } else if (!entryPaths.contains(target)) {
                    builder.skipped(new SkippedInput(link.displayPath(), "a link to " + link.targetPath() + ", which is not in the input"));
                }
            }
            statusless.forEach((key, count) -> {
                String[] parts = key.split("\u0000", 3);
                builder.gap(new DataGap(parts[0], parts[1], count[0] + " " + parts[0] + (count[0] == 1 ? "" : "s")
                        + " without any status: the dump was stripped of it (kubectl-neat, or manifests rather than a capture),"
                        + " so rollout state cannot be judged from them", parts[2]));
            });
        }

        // ---------------------------------------------------------------- LoadSink

        @Override
        public void object(KubeObject object, List<String> redactedPaths) {
            objects.incrementAndGet();
            builder.add(object, redactedPaths);
        }

        @Override
        public void skipped(SkippedInput skipped) {
            builder.skipped(skipped);
        }

        @Override
        public void log(PodLog log) {
            builder.log(log);
        }

        @Override
        public void gap(DataGap gap) {
            builder.gap(gap);
        }

        @Override
        public void referenceCheck(ReferenceCheck check) {
            builder.referenceCheck(check);
        }

        @Override
        public void collectedKind(String kind) {
            builder.collectedKind(kind);
        }

        @Override
        public void statusMissing(String kind, String namespace, String source) {
            synchronized (statusless) {
                statusless.computeIfAbsent(kind + "\u0000" + namespace + "\u0000" + source, k -> new int[1])[0]++;
            }
        }
    }
}

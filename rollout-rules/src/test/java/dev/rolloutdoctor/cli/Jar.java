package dev.rolloutdoctor.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the executable jar as a user would, in a separate process, and captures what it prints. */
final class Jar {

    /** What one run of the jar did. */
    record Run(int exitCode, String stdout, String stderr) {
    }

    private Jar() {
    }

    static Path path() {
        String jar = System.getProperty("rolloutdoctor.jar", "target/rollout-doctor.jar");
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the executable jar is not built at " + path.toAbsolutePath() + ": run mvn package first");
        }
        return path;
    }

    static Run run(String... args) {
        return run(null, Map.of(), args);
    }

    static Run run(byte[] stdin, Map<String, String> env, String... args) {
        return start(List.of(), Path.of("").toAbsolutePath(), stdin, env, args);
    }

    /**
     * Runs the jar with {@code jvmOptions} before {@code -jar} (a small heap, say), from {@code workingDirectory},
     * with nothing on stdin.
     */
    static Run runWithJvm(Path workingDirectory, List<String> jvmOptions, String... args) {
        return start(jvmOptions, workingDirectory, null, Map.of(), args);
    }

    private static Run start(List<String> jvmOptions, Path workingDirectory, byte[] stdin, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(path().toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("rollout-doctor did not finish within 120 s: " + command);
            }
            return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

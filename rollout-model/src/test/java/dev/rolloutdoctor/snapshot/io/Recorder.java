package dev.rolloutdoctor.snapshot.io;

import dev.rolloutdoctor.snapshot.LoadLimits;
import dev.rolloutdoctor.snapshot.LoadProblem;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records what a reader reports, in order, for assertions. */
final class Recorder implements InputVisitor {

    final List<InputEntry> entries = new ArrayList<>();
    final List<InputLink> links = new ArrayList<>();
    final List<LoadProblem> problems = new ArrayList<>();

    static Recorder read(LoadLimits limits, Path path) {
        Recorder recorder = new Recorder();
        new InputReader(limits).read(path, recorder);
        return recorder;
    }

    /** Reads as if the Java heap were {@code heapBytes} large. */
    static Recorder read(LoadLimits limits, long heapBytes, Path path) {
        Recorder recorder = new Recorder();
        new InputReader(limits, heapBytes).read(path, recorder);
        return recorder;
    }

    static Recorder read(LoadLimits limits, String name, byte[] stdin) {
        Recorder recorder = new Recorder();
        new InputReader(limits).read(name, new ByteArrayInputStream(stdin), recorder);
        return recorder;
    }

    @Override
    public void entry(InputEntry entry) {
        entries.add(entry);
    }

    @Override
    public void link(InputLink link) {
        links.add(link);
    }

    @Override
    public void problem(LoadProblem problem) {
        problems.add(problem);
    }

    List<String> displayPaths() {
        return entries.stream().map(InputEntry::displayPath).toList();
    }

    List<String> paths() {
        return entries.stream().map(InputEntry::path).toList();
    }

    List<String> messages() {
        return problems.stream().map(LoadProblem::message).toList();
    }

    /** Entry path to its content as text. */
    Map<String, String> texts() {
        Map<String, String> texts = new TreeMap<>();
        entries.forEach(e -> texts.put(e.path(), new String(e.content(), StandardCharsets.UTF_8)));
        return texts;
    }
}

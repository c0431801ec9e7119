package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.ObjectRef;
import dev.rolloutdoctor.snapshot.LoadProblem;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The invariants every load of damaged input must keep, as assertions shared by the fuzz properties. */
final class FuzzChecks {

    /** A hang guard, not a speed target: a sound dump of these sizes loads in well under a second. */
    static final Duration HANG_GUARD = Duration.ofSeconds(20);

    /** Problem messages that say the loader caught its own exception: a bug, reported instead of thrown. */
    static final String CAUGHT_BUG = "please report this";

    /**
     * Problems that come from a parser or a decoder at a place in a text: they must say the line. Problems with a
     * field path come from the decoder and must too.
     */
    private static final List<String> LOCATED = List.of("invalid JSON", "invalid YAML", "duplicate key", "YAML alias",
            "a value of ", "the document is nested deeper", "a key longer than");

    private FuzzChecks() {
    }

    /** Loads within the hang guard; an exception from the loader fails the try with it. */
    static Snapshot loadWithin(Supplier<Snapshot> load, String what) {
        return assertTimeoutPreemptively(HANG_GUARD, load::get, () -> "loading " + what + " took longer than " + HANG_GUARD);
    }

    /** Every problem the damage added names a damaged source, and none is a bug the loader caught. */
    static void newProblemsName(Snapshot before, Snapshot after, Predicate<String> damagedSource, String what) {
        Set<LoadProblem> old = new HashSet<>(before.problems());
        assertThat(before.problems()).as("problems of the sound dump").noneMatch(p -> p.message().contains(CAUGHT_BUG));
        for (LoadProblem p : after.problems()) {
            assertThat(p.message()).as("%s: a problem that is a caught bug: %s", what, p).doesNotContain(CAUGHT_BUG);
            if (!old.contains(p)) {
                assertThat(p.source()).as("%s: the source of %s", what, p).isNotEmpty().matches(damagedSource);
            }
        }
    }

    /**
     * Problems and objects of a text say lines that the text has, and problems located by the parser or the
     * decoder say one.
     */
    static void locationsAreInTheText(Snapshot after, String source, byte[] text, String what) {
        int lines = lineBreaks(text) + 1;
        for (LoadProblem p : after.problems()) {
            if (p.source().equals(source)) {
                assertThat(p.line()).as("%s: the line of %s, in a text of %d lines", what, p, lines).isBetween(0, lines);
            }
        }
        for (KubeObject o : after.objects()) {
            if (o.source().path().equals(source)) {
                assertThat(o.source().line()).as("%s: the line of %s, in a text of %d lines", what, o.ref(), lines).isBetween(1, lines);
            }
        }
        locatedProblemsHaveALine(after, what);
    }

    /** Problems located by the parser or the decoder say their line. */
    static void locatedProblemsHaveALine(Snapshot after, String what) {
        for (LoadProblem p : after.problems()) {
            if (LOCATED.stream().anyMatch(p.message()::startsWith) || !p.fieldPath().isEmpty()) {
                assertThat(p.line()).as("%s: the line of %s", what, p).isGreaterThanOrEqualTo(1);
            }
        }
    }

    /**
     * Every object the sound dump had from a source that was not damaged is still there; it may now come from a
     * damaged source, when damage there made a copy of it look newer.
     */
    static void objectsOfSoundSourcesStay(Snapshot before, Snapshot after, Predicate<String> damagedSource, String what) {
        Map<ObjectRef, String> missing = new TreeMap<>();
        for (KubeObject o : before.objects()) {
            String source = o.source().path();
            if (damagedSource.test(source)) {
                continue;
            }
            Optional<KubeObject> now = after.get(o.ref());
            if (now.isEmpty() || !(now.get().source().path().equals(source) || damagedSource.test(now.get().source().path()))) {
                missing.put(o.ref(), source + now.map(n -> ", now from " + n.source()).orElse(""));
            }
        }
        assertThat(missing).as("%s: objects of untouched files lost (with their file); problems: %s", what, after.problems()).isEmpty();
    }

    /** Every object of the sound dump is still there, from wherever. */
    static void everyObjectStays(Snapshot before, Snapshot after, String what) {
        Map<ObjectRef, String> missing = new TreeMap<>();
        for (KubeObject o : before.objects()) {
            if (after.get(o.ref()).isEmpty()) {
                missing.put(o.ref(), o.source().toString());
            }
        }
        assertThat(missing).as("%s: objects lost although the file stayed readable; problems: %s", what, after.problems()).isEmpty();
    }

    /** A key repeated in a mapping is reported on the line of its second occurrence. */
    static void duplicateReported(Snapshot after, String source, java.util.OptionalInt line, String what) {
        if (line.isPresent()) {
            assertThat(after.problems()).as("%s: problems", what).anyMatch(p -> p.source().equals(source)
                    && p.message().startsWith("duplicate key") && p.line() == line.getAsInt());
        }
    }

    /** Only a document nested past the limit is reported as one. */
    static void nestingProblemOnlyWhenNested(Snapshot after, boolean nestedPastTheLimit, String what) {
        if (!nestedPastTheLimit) {
            assertThat(after.problems()).as("%s: problems", what).noneMatch(p -> p.message().startsWith("the document is nested deeper"));
        }
    }

    /** Line breaks as JSON and YAML parsers count them: LF, CR, CRLF, and YAML 1.1's NEL, LS and PS. */
    static int lineBreaks(byte[] text) {
        int breaks = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.length || text[i + 1] != '\n'))) {
                breaks++;
            }
        }
        String decoded = new String(text, StandardCharsets.UTF_8);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '\u0085' || c == '\u2028' || c == '\u2029') {
                breaks++;
            }
        }
        return breaks;
    }
}

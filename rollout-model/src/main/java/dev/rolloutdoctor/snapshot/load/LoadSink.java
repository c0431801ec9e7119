package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.snapshot.DataGap;
import dev.rolloutdoctor.snapshot.LoadProblem;
import dev.rolloutdoctor.snapshot.PodLog;
import dev.rolloutdoctor.snapshot.ReferenceCheck;
import dev.rolloutdoctor.snapshot.SkippedInput;

import java.util.List;

/** Where the parsing of one entry delivers what it found. Implementations used from several threads must be safe for it. */
public interface LoadSink {

    void object(KubeObject object, List<String> redactedPaths);

    void problem(LoadProblem problem);

    void skipped(SkippedInput skipped);

    void log(PodLog log);

    void gap(DataGap gap);

    void referenceCheck(ReferenceCheck check);

    /** A file or list meant to hold objects of this kind was read, even if it held none. */
    default void collectedKind(String kind) {
    }

    /** An object of a kind whose status a diagnosis needs came without any status. */
    default void statusMissing(String kind, String namespace, String source) {
    }
}

package dev.rolloutdoctor.snapshot;

import java.util.List;

/** Thrown by a strict {@link SnapshotLoader} when the input had problems; the lenient default never throws. */
public final class LoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<LoadProblem> problems;

    public LoadException(List<LoadProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<LoadProblem> problems() {
        return problems;
    }

    private static String summary(List<LoadProblem> problems) {
        if (problems.isEmpty()) {
            return "the input could not be loaded";
        }
        String first = problems.get(0).toString();
        return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more problems)";
    }
}

package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.model.Pod;
import dev.rolloutdoctor.rules.Evidence;
import dev.rolloutdoctor.snapshot.PodLog;
import dev.rolloutdoctor.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The few log lines of a crashed container worth showing: the last words before it died, and the newest lines that say
 * error, exception, fatal or panic, when there are any. Prefers the previous (crashed) instance's log, as
 * {@code kubectl logs --previous} does.
 *
 * @param log     the log the lines come from
 * @param indexes the chosen lines' positions in {@code log.lines()}, in order
 */
record ContainerLogTail(PodLog log, List<Integer> indexes) {

    static final int MAX_LINES = 5;
    private static final int LOOK_BACK = 50;
    private static final Pattern TELLING = Pattern.compile(
            "(?i)\\b(error|err|exception|fatal|panic|panicked|traceback|caused by|failed|failure|critical|killed)\\b");

    ContainerLogTail {
        indexes = List.copyOf(indexes);
    }

    /**
     * The lines of a container's log: the previous instance's, else the current one's, else (for a pod of one container)
     * a log that mixes the pod's containers.
     */
    static Optional<ContainerLogTail> of(Snapshot snapshot, Pod pod, String container) {
        Optional<PodLog> log = snapshot.log(pod, container, true).filter(ContainerLogTail::hasText)
                .or(() -> snapshot.log(pod, container, false).filter(ContainerLogTail::hasText));
        if (log.isEmpty() && pod.spec().allContainers().size() <= 1) {
            log = snapshot.log(pod, "", true).filter(ContainerLogTail::hasText)
                    .or(() -> snapshot.log(pod, "", false).filter(ContainerLogTail::hasText));
        }
        return log.map(l -> new ContainerLogTail(l, choose(l.lines())));
    }

    private static boolean hasText(PodLog log) {
        return log.lines().stream().anyMatch(l -> !l.isBlank());
    }

    /** Up to four of the newest telling lines and the very last line; else the last five lines. */
    static List<Integer> choose(List<String> lines) {
        int from = Math.max(0, lines.size() - LOOK_BACK);
        List<Integer> nonBlank = new ArrayList<>();
        List<Integer> telling = new ArrayList<>();
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                nonBlank.add(i);
                if (TELLING.matcher(lines.get(i)).find()) {
                    telling.add(i);
                }
            }
        }
        if (nonBlank.isEmpty()) {
            return List.of();
        }
        if (telling.isEmpty()) {
            return nonBlank.subList(Math.max(0, nonBlank.size() - MAX_LINES), nonBlank.size());
        }
        TreeSet<Integer> chosen = new TreeSet<>(EventQuery.last(telling, MAX_LINES - 1));
        chosen.add(nonBlank.get(nonBlank.size() - 1));
        return List.copyOf(chosen);
    }

    List<Evidence> evidence(Pod pod) {
        return indexes.stream().map(i -> Evidence.log(pod.ref(), log, i)).toList();
    }

    /** "the previous instance's log" or "the current log", for explanations. */
    String which() {
        return log.previous() ? "the crashed instance's log (--previous)" : "the current log";
    }
}

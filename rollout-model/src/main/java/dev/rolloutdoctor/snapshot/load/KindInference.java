package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.decode.MapNode;

import java.util.Optional;

/** The kind of an object that names none, judged from fields only that kind has. Used last, after list kind and path. */
final class KindInference {

    private KindInference() {
    }

    static Optional<String> infer(MapNode root) {
        if (root.has("involvedObject") || root.has("regarding")) {
            return Optional.of("Event");
        }
        if (root.get("spec") instanceof MapNode spec && spec.has("containers")) {
            return Optional.of("Pod");
        }
        return Optional.empty();
    }
}

package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.Layout;

import java.util.Optional;

/**
 * What an entry's path says about its content: the layout it belongs to, the kind and namespace of objects that
 * leave them out, whether it is a pod log (and whose), or a record of data the collector could not get.
 */
public record PathHint(
        Layout layout,
        Optional<String> kind,
        Optional<String> namespace,
        Optional<LogTarget> log,
        boolean collectionErrors,
        boolean ignored) {

    /** The pod and container a log file belongs to; {@code container} is "" when the file holds every container's log. */
    public record LogTarget(String namespace, String pod, String container, boolean previous) {
    }

    static PathHint plain() {
        return new PathHint(Layout.PLAIN, Optional.empty(), Optional.empty(), Optional.empty(), false, false);
    }

    static PathHint objects(Layout layout, String kind, String namespace) {
        return new PathHint(layout, Optional.ofNullable(kind), Optional.ofNullable(namespace), Optional.empty(), false, false);
    }

    static PathHint log(Layout layout, String namespace, String pod, String container, boolean previous) {
        return new PathHint(layout, Optional.of("Pod"), Optional.of(namespace), Optional.of(new LogTarget(namespace, pod, container, previous)),
                false, false);
    }

    static PathHint errors(Layout layout, String kind, String namespace) {
        return new PathHint(layout, Optional.ofNullable(kind), Optional.ofNullable(namespace), Optional.empty(), true, false);
    }

    static PathHint ignore(Layout layout) {
        return new PathHint(layout, Optional.empty(), Optional.empty(), Optional.empty(), false, true);
    }
}

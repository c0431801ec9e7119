package dev.rolloutdoctor.model;

import java.util.OptionalInt;

/** Reads the {@code deployment.kubernetes.io/revision} annotation. */
final class Revisions {

    private Revisions() {
    }

    static OptionalInt parse(String text) {
        if (text == null || text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}

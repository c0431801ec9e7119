package dev.rolloutdoctor.snapshot;

import dev.rolloutdoctor.model.KubeObject;

import java.math.BigInteger;

/** Chooses between two copies of one object read from different files. */
final class Versions {

    private Versions() {
    }

    /**
     * True when {@code candidate} should replace {@code current}: a higher resourceVersion (compared as numbers,
     * as etcd issues them), else, for equal or unordered versions, the copy read from the earlier source, so that
     * the choice does not depend on the order files were read in.
     */
    static boolean newer(KubeObject candidate, KubeObject current) {
        int byVersion = compareVersions(candidate.metadata().resourceVersion(), current.metadata().resourceVersion());
        if (byVersion != 0) {
            return byVersion > 0;
        }
        return Snapshot.ORDER.compare(candidate, current) < 0;
    }

    private static int compareVersions(String a, String b) {
        boolean numericA = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
        boolean numericB = !b.isEmpty() && b.chars().allMatch(Character::isDigit);
        if (numericA && numericB) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (numericA != numericB) {
            return numericA ? 1 : -1;
        }
        return 0;
    }
}

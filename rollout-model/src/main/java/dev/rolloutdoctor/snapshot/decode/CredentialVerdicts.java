package dev.rolloutdoctor.snapshot.decode;

import java.util.List;

/**
 * Remembers recent {@link CredentialHeuristics} verdicts per loader thread. The heuristics run a dozen regular
 * expressions per value, and a large bundle repeats the same environment and arguments in every pod of a
 * ReplicaSet: without this, screening cost a quarter of the whole load. A fixed, direct-mapped table per thread:
 * bounded memory, and a miss only costs the screening that would have run anyway, so answers never change. Only
 * values found harmless are remembered: a credential is never held here, not even for the life of a thread.
 */
final class CredentialVerdicts {

    private static final int SLOTS = 1 << 10;
    private static final int MAX_REMEMBERED_LENGTH = 4096;
    private static final ThreadLocal<CredentialVerdicts> PER_THREAD = ThreadLocal.withInitial(CredentialVerdicts::new);

    private final String[] harmlessEnv = new String[SLOTS];
    private final List<?>[] harmlessArgs = new List<?>[SLOTS];

    private CredentialVerdicts() {
    }

    /** {@link CredentialHeuristics#looksLikeCredential}, remembered. */
    static boolean looksLikeCredential(String name, String value) {
        if (name.length() + value.length() > MAX_REMEMBERED_LENGTH) {
            return CredentialHeuristics.looksLikeCredential(name, value);
        }
        CredentialVerdicts v = PER_THREAD.get();
        // the NUL cannot occur in a variable name, so distinct (name, value) pairs make distinct keys
        String key = name + '\0' + value;
        int slot = slot(key.hashCode());
        if (key.equals(v.harmlessEnv[slot])) {
            return false;
        }
        boolean verdict = CredentialHeuristics.looksLikeCredential(name, value);
        if (!verdict) {
            v.harmlessEnv[slot] = key;
        }
        return verdict;
    }

    /** {@link CredentialHeuristics#screenArguments}, remembered. */
    @SuppressWarnings("unchecked")
    static List<String> screenArguments(List<String> args) {
        if (args.isEmpty()) {
            return List.of();
        }
        CredentialVerdicts v = PER_THREAD.get();
        int slot = slot(args.hashCode());
        List<?> remembered = v.harmlessArgs[slot];
        if (args.equals(remembered)) {
            return (List<String>) remembered;
        }
        List<String> screened = CredentialHeuristics.screenArguments(args);
        if (screened.equals(args)) {
            v.harmlessArgs[slot] = screened;
        }
        return screened;
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }
}

package dev.rolloutdoctor.snapshot.decode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialVerdictsTest {

    private static final List<String[]> VARIABLES = List.of(
            new String[] {"LOG_LEVEL", "info"},
            new String[] {"DB_PASSWORD", "hunter2"},
            new String[] {"DATABASE_URL", "postgres://app:s3cret@db:5432/app"},
            new String[] {"PORT", "8080"},
            new String[] {"API_TOKEN_URL", "https://auth.example.com/token"},
            new String[] {"GREETING", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"});

    @Test
    void remembered_verdicts_are_the_heuristics_verdicts_on_every_repeat() {
        for (int round = 0; round < 3; round++) {
            for (String[] v : VARIABLES) {
                assertThat(CredentialVerdicts.looksLikeCredential(v[0], v[1]))
                        .as("%s=%s, round %d", v[0], v[1], round)
                        .isEqualTo(CredentialHeuristics.looksLikeCredential(v[0], v[1]));
            }
        }
    }

    @Test
    void a_value_harmless_under_one_name_is_still_withheld_under_a_sensitive_name() {
        assertThat(CredentialVerdicts.looksLikeCredential("MODE", "hunter2")).isFalse();
        assertThat(CredentialVerdicts.looksLikeCredential("PASSWORD", "hunter2")).isTrue();
        assertThat(CredentialVerdicts.looksLikeCredential("MODE", "hunter2")).isFalse();
    }

    @Test
    void screened_arguments_are_the_same_on_every_repeat() {
        List<String> harmless = List.of("--port=8080", "--log-level", "debug");
        List<String> secret = List.of("--db-password=hunter2", "--token", "abc123def456");
        for (int round = 0; round < 3; round++) {
            assertThat(CredentialVerdicts.screenArguments(harmless)).isEqualTo(harmless);
            assertThat(CredentialVerdicts.screenArguments(secret))
                    .isEqualTo(CredentialHeuristics.screenArguments(secret))
                    .doesNotContain("--db-password=hunter2", "abc123def456");
        }
    }
}

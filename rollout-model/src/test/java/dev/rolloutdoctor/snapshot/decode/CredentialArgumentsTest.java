package dev.rolloutdoctor.snapshot.decode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rolloutdoctor.snapshot.decode.CredentialHeuristics.WITHHELD;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialArgumentsTest {

    @Test
    void aFlagWithAnInlineCredentialKeepsTheFlagAndLosesTheValue() {
        assertThat(CredentialHeuristics.screenArguments(List.of("--db-password=s3cr3t!", "--port=8080")))
                .containsExactly("--db-password=" + WITHHELD, "--port=8080");
    }

    @Test
    void theValueAfterASensitiveFlagIsWithheld() {
        assertThat(CredentialHeuristics.screenArguments(List.of("server", "--token", "abc123", "--verbose")))
                .containsExactly("server", "--token", WITHHELD, "--verbose");
    }

    @Test
    void argumentsShapedLikeSecretsAreWithheldWhole() {
        assertThat(CredentialHeuristics.screenArguments(List.of("sh", "-c",
                "curl -u admin:hunter2 https://admin:hunter2@db.internal/ && run")))
                .containsExactly("sh", "-c", WITHHELD);
    }

    @Test
    void ordinaryCommandsAreKeptAsWritten() {
        List<String> command = List.of("java", "-Xmx512m", "-jar", "/app/app.jar", "--spring.profiles.active=prod", "--key-prefix", "app");
        assertThat(CredentialHeuristics.screenArguments(command)).isEqualTo(command);
    }
}

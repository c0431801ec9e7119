package dev.rolloutdoctor.snapshot.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.rolloutdoctor.snapshot.decode.CredentialHeuristics.WITHHELD;
import static dev.rolloutdoctor.snapshot.decode.CredentialHeuristics.screenLogLine;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialLogLinesTest {

    @Test
    void theValueOfAPasswordAssignmentIsWithheldAndTheRestOfTheLineKept() {
        assertThat(screenLogLine("2024-05-02T10:28:59Z connecting as app with password=hunter2 to db:5432"))
                .isEqualTo("2024-05-02T10:28:59Z connecting as app with password=" + WITHHELD + " to db:5432");
    }

    @Test
    void colonAssignmentsAndJsonFieldsAreScreened() {
        assertThat(screenLogLine("db_password: s3cr3t-Value")).isEqualTo("db_password: " + WITHHELD);
        assertThat(screenLogLine("{\"level\":\"info\",\"apiKey\":\"k-81Hq2\",\"msg\":\"ready\"}"))
                .isEqualTo("{\"level\":\"info\",\"apiKey\":\"" + WITHHELD + "\",\"msg\":\"ready\"}");
    }

    @Test
    void javaSystemPropertiesAndFlagsAreScreened() {
        assertThat(screenLogLine("exec java -Ddb.password=pa55 --token=abc123 -jar app.jar"))
                .isEqualTo("exec java -Ddb.password=" + WITHHELD + " --token=" + WITHHELD + " -jar app.jar");
    }

    @Test
    void theCredentialOfAnAuthorizationHeaderIsWithheld() {
        assertThat(screenLogLine("GET /internal Authorization: Bearer abcDEF123456 took 3ms"))
                .isEqualTo("GET /internal Authorization: Bearer " + WITHHELD + " took 3ms");
        assertThat(screenLogLine("headers={\"Authorization\": \"Basic YWRtaW46aHVudGVyMg==\"}"))
                .isEqualTo("headers={\"Authorization\": \"Basic " + WITHHELD + "\"}");
    }

    @Test
    void aBearerTokenWithoutAHeaderNameIsWithheld() {
        assertThat(screenLogLine("calling upstream with Bearer Zx9Cv8Bn7Qw")).isEqualTo("calling upstream with Bearer " + WITHHELD);
    }

    @Test
    void thePasswordOfAUrlIsWithheldAndTheErrorKept() {
        assertThat(screenLogLine("dial postgres://app:pgPass77@db.shop:5432/app: connection refused"))
                .isEqualTo("dial postgres://app:" + WITHHELD + "@db.shop:5432/app: connection refused");
    }

    @Test
    void tokensShapedLikeSecretsAreWithheldWherever_theyStand() {
        assertThat(screenLogLine("session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl expired"))
                .isEqualTo("session " + WITHHELD + " expired");
        assertThat(screenLogLine("using key AKIAIOSFODNN7EXAMPLE for s3")).isEqualTo("using key " + WITHHELD + " for s3");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "password reset failed for user app",
            "FATAL: password authentication failed for user \"app\"",
            "Error: secret \"db-creds\" not found",
            "invalid secret: not found in vault",
            "java.lang.OutOfMemoryError: Java heap space",
            "dial tcp 10.0.0.7:5432: connect: connection refused",
            "2024-05-02T10:28:59.123Z INFO token refresh scheduled in 300s",
            "token_ttl=3600 password_length=12 secret_name=db-creds",
            "retries=3 tokens=5 auth=true",
            "Basic authentication failed for user app",
            "open /etc/app/config.yaml: no such file or directory",
            "pulling ghcr.io/example/web@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "PWD=/app HOME=/root",
            "I0502 10:28:59.123 controller.go:114] Reconciling key=shop/web",
            "{\"level\":\"info\",\"msg\":\"Reconciler error\",\"key\":\"shop/web\"}",
    })
    void linesWithoutACredentialAreKeptAsTheyAre(String line) {
        assertThat(screenLogLine(line)).isEqualTo(line);
    }

    @Test
    void aLineIsScreenedOnlyOnce() {
        String once = screenLogLine("password=x1 Authorization: Bearer abcDEF123456 postgres://u:p4ss@h/db");
        assertThat(screenLogLine(once)).isEqualTo(once);
    }
}

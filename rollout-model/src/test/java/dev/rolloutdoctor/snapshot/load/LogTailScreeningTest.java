package dev.rolloutdoctor.snapshot.load;

import dev.rolloutdoctor.snapshot.PodLog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.rolloutdoctor.snapshot.decode.CredentialHeuristics.WITHHELD;
import static org.assertj.core.api.Assertions.assertThat;

class LogTailScreeningTest {

    private static PodLog read(String text) {
        return LogTail.read(new PathHint.LogTarget("shop", "web-7d9f8-abcde", "web", false),
                text.getBytes(StandardCharsets.UTF_8), 1 << 20, "logs/web.log");
    }

    @Test
    void keptLinesLoseTheirCredentialsButNotWhatExplainsTheCrash() {
        PodLog log = read("""
                starting web 1.1.0
                connecting with password=LogPw-Qw7Er5
                dial postgres://app:LogUrlPw-3Kd8@db.shop:5432/app: connection refused
                """);

        assertThat(log.lines()).containsExactly("starting web 1.1.0", "connecting with password=" + WITHHELD,
                "dial postgres://app:" + WITHHELD + "@db.shop:5432/app: connection refused");
    }

    @Test
    void aPrivateKeyPrintedToTheLogIsWithheldLineByLine() {
        PodLog log = read("""
                loaded key:
                -----BEGIN RSA PRIVATE KEY-----
                MIIEowIBAAKCAQEA1c2h8Qk3zV0cYl1o0r9jJk2Qm6sZf0wz3Q9b8n7kP0aZ1x2y
                c2VjcmV0LWtleS1tYXRlcmlhbC1mb3ItdGVzdHMtb25seQ==
                -----END RSA PRIVATE KEY-----
                listening on :8080
                """);

        assertThat(log.lines()).containsExactly("loaded key:", "-----BEGIN RSA PRIVATE KEY-----", WITHHELD, WITHHELD,
                "-----END RSA PRIVATE KEY-----", "listening on :8080");
    }

    @Test
    void aLineThatIsNothingButAnOpaqueTokenIsWithheld() {
        assertThat(read("token follows\nghx9Kq2Lm8Np4Rt6Vw1Yz3Ab5Cd7Ef9Gh0Jk\n").lines())
                .containsExactly("token follows", WITHHELD);
    }

    @Test
    void screeningKeepsTheLineCountAndNumbering() {
        PodLog log = read("a\npassword=x1\nb\n");

        assertThat(log.lines()).hasSize(3);
        assertThat(log.firstLine()).isEqualTo(1);
    }
}

package dev.rolloutdoctor.snapshot.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which environment values are kept and which are withheld as credentials. */
class CredentialHeuristicsTest {

    @ParameterizedTest(name = "{0}={1} is kept")
    @CsvSource(delimiter = '|', textBlock = """
            LOG_LEVEL                      | debug
            PORT                           | 8080
            JAVA_OPTS                      | -Xmx512m
            KEY_PREFIX                     | app
            KEYCLOAK_URL                   | https://keycloak.example.com/auth
            DB_HOST                        | postgres.shop.svc.cluster.local
            TOKEN_URL                      | https://auth.example.com/oauth/token
            SECRET_NAME                    | checkout-tls
            PASSWORD_MIN_LENGTH            | 12
            AUTH_ENABLED                   | true
            OAUTH_CLIENT_ID                | checkout
            CACHE_KEY                      | sessions
            PUBLIC_KEY                     | ssh-ed25519 AAAAC3NzaC1lZDI1NTE5
            GIT_AUTHOR_NAME                | Ada Lovelace
            AWS_SHARED_CREDENTIALS_FILE    | /credentials/cloud
            GOOGLE_APPLICATION_CREDENTIALS | /credentials/cloud
            TLS_CERT_FILE                  | /etc/tls/tls.crt
            PWD                            | /app
            POD_UID                        | 9fe99b70-5c14-46e9-b0cd-12ee1c3ca05c
            SERVICE_NAME                   | payments-service-v2-production-eu-west-1-canary
            IMAGE                          | registry.example.com/shop/checkout@sha256:9b2d3c4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff001
            PATH                           | /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            TZ                             | Europe/Berlin
            MOTTO                          | Bearer of good news
            MAX_CONN_STRATEGY              | lifo
            SPRING_PROFILES_ACTIVE         | prod,metrics
            UPSTREAM                       | https://user@upstream.example.com/api
            FEATURE_FLAGS_JSON             | {"tokenTtl": 30}
            """)
    void ordinaryConfigurationIsKept(String name, String value) {
        assertThat(CredentialHeuristics.looksLikeCredential(name, value)).isFalse();
    }

    @ParameterizedTest(name = "{0} is sensitive by name")
    @CsvSource(delimiter = '|', textBlock = """
            DB_PASSWORD                | hunter2
            MYSQL_ROOT_PASSWORD        | root
            dbPassword                 | hunter2
            db-password                | hunter2
            SMTP_PASSWD                | hunter2
            REDIS_PASS                 | hunter2
            ADMIN_PWD                  | hunter2
            CLIENT_SECRET              | abc
            OAUTH2_PROXY_COOKIE_SECRET | abc
            GITHUB_TOKEN               | abc
            API_KEY                    | abc
            apiKey                     | abc
            STRIPE_APIKEY              | abc
            AWS_SECRET_ACCESS_KEY      | abc
            AWS_ACCESS_KEY             | abc
            JWT_PRIVATE_KEY            | abc
            GCP_CREDENTIALS            | abc
            BASIC_AUTH                 | admin:admin
            SENTRY_DSN                 | https://abc@o1.ingest.sentry.io/1
            CONNECTION_STRING          | Server=db;Database=shop
            DATABASE_URL               | postgres://db.shop.svc/shop
            SESSION_KEY                | abc
            SIGNING_KEY                | abc
            ENCRYPTION_KEY             | abc
            SSH_KEY                    | abc
            LICENSE_KEY                | abc
            TLS_CERT                   | abc
            PASSWORD_SALT              | abc
            SECRET_KEY_BASE            | abc
            PASSWORD_FILE              | hunter2
            """)
    void credentialNamesAreWithheld(String name, String value) {
        assertThat(CredentialHeuristics.nameLooksSensitive(name, value)).isTrue();
        assertThat(CredentialHeuristics.looksLikeCredential(name, value)).isTrue();
    }

    @ParameterizedTest(name = "{0} is a credential by its shape")
    @CsvSource(delimiter = '|', textBlock = """
            URL with a password     | postgres://shop:s3cr3t@db.shop.svc:5432/shop
            URL with only a password| redis://:s3cr3t@redis:6379/0
            PEM key                 | -----BEGIN RSA PRIVATE KEY-----
            JWT                     | eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U
            AWS access key id       | AKIAIOSFODNN7EXAMPLE
            AWS session key id      | ASIAY34FZKBOKMUTVV7A
            GitHub token            | ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz
            GitHub fine-grained PAT | github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz
            Slack bot token         | xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp
            Slack webhook           | https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
            Bearer header           | Bearer 8f14e45fceea167a5a36dedd4bea2543
            Basic header            | Basic dXNlcjpwYXNzd29yZA==
            base64 blob             | dGhpcyBpcyBhIHZlcnkgc2VjcmV0IHZhbHVlMTIz
            base64url blob          | Xk9_r2Lm-Qp7Zt3Vw8Ny1Hs6Jd0Fa4Gb
            hex key                 | 0f3c9e8a7b6d5c4e3f2a1b0c9d8e7f6a
            lower-case api key      | abcdefghijklmnop1234567890qrstuvwx
            password in JVM flags   | -Xmx1g -Dspring.datasource.password=hunter2
            password in conn string | Server=db;User Id=sa;Password=hunter2;
            token in a query        | https://api.example.com/v1?token=abc123
            """)
    void credentialShapedValuesAreWithheldWhateverTheName(String what, String value) {
        assertThat(CredentialHeuristics.valueLooksLikeCredential(value)).as(what).isTrue();
        assertThat(CredentialHeuristics.looksLikeCredential("SOMETHING", value)).as(what).isTrue();
    }

    @Test
    void theWordsOfANameIgnoreCaseStyle() {
        assertThat(CredentialHeuristics.words("dbPassword")).containsExactly("DB", "PASSWORD");
        assertThat(CredentialHeuristics.words("db-password")).containsExactly("DB", "PASSWORD");
        assertThat(CredentialHeuristics.words("DB_PASSWORD")).containsExactly("DB", "PASSWORD");
        assertThat(CredentialHeuristics.words("OAuth2Token")).containsExactly("OAUTH2", "TOKEN");
    }

    @Test
    void shortOrSingleCaseIdentifiersAreNotOpaqueTokens() {
        assertThat(CredentialHeuristics.isOpaqueToken("abc123")).isFalse();
        assertThat(CredentialHeuristics.isOpaqueToken("123456789012345678901234567890123")).isFalse();
        assertThat(CredentialHeuristics.isOpaqueToken("checkout-7d9c8b6f5-x2x7q-and-more-words-1")).isFalse();
        assertThat(CredentialHeuristics.isOpaqueToken("/var/lib/kubelet/pods/0b7e6d5c/volumes")).isFalse();
    }

    @Test
    void aPathLocationNameStillWithholdsAValueThatIsNotAPath() {
        assertThat(CredentialHeuristics.looksLikeCredential("DB_PASSWORD_FILE", "/run/secrets/db")).isFalse();
        assertThat(CredentialHeuristics.looksLikeCredential("DB_PASSWORD_FILE", "hunter2")).isTrue();
    }
}

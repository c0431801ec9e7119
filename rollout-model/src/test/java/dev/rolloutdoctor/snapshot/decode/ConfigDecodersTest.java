package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.ConfigMap;
import dev.rolloutdoctor.model.Secret;
import dev.rolloutdoctor.snapshot.LoadProblem;
import org.junit.jupiter.api.Test;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decode;
import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class ConfigDecodersTest {

    /** The plain text of a password in the YAML below; it must never reach the model or a problem. */
    private static final String PASSWORD = "s3cr3t-Pa55w0rd!";
    /** The same password base64-encoded, as {@code data} holds it. */
    private static final String PASSWORD_BASE64 = "czNjcjN0LVBhNTV3MHJkIQ==";

    @Test
    void aConfigMapKeepsTheSortedKeysOfDataAndBinaryDataButNoValues() {
        ConfigMap cm = decodeClean("""
                apiVersion: v1
                binaryData:
                  logo.png: iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
                data:
                  application.yaml: |
                    server:
                      port: 8080
                  LOG_LEVEL: info
                kind: ConfigMap
                metadata:
                  creationTimestamp: "2024-05-01T09:00:00Z"
                  name: web-config
                  namespace: shop
                  resourceVersion: "917500"
                  uid: 2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f
                """, ConfigDecoders::configMap);

        assertThat(cm.kind()).isEqualTo("ConfigMap");
        assertThat(cm.keys()).containsExactly("LOG_LEVEL", "application.yaml", "logo.png");
        assertThat(cm.hasKey("LOG_LEVEL")).isTrue();
        assertThat(cm.hasKey("missing")).isFalse();
        assertThat(cm.toString()).doesNotContain("8080").doesNotContain("info");
    }

    @Test
    void aConfigMapWithoutDataHasNoKeys() {
        ConfigMap cm = decodeClean("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: empty, namespace: shop}
                """, ConfigDecoders::configMap);

        assertThat(cm.keys()).isEmpty();
    }

    @Test
    void configMapDataOfTheWrongTypeIsAProblem() {
        var decoded = decode("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: broken, namespace: shop}
                data: [LOG_LEVEL]
                """, ConfigDecoders::configMap);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line()).containsExactly("data@4");
        assertThat(decoded.value().metadata().name()).isEqualTo("broken");
    }

    @Test
    void aSecretKeepsItsTypeAndTheSortedKeysOfDataAndStringData() {
        Secret secret = decodeClean("""
                apiVersion: v1
                data:
                  password: %s
                  username: YWRtaW4=
                kind: Secret
                metadata:
                  name: db-credentials
                  namespace: shop
                stringData:
                  api-token: tok-123
                  password: %s
                type: kubernetes.io/basic-auth
                """.formatted(PASSWORD_BASE64, PASSWORD), ConfigDecoders::secret);

        assertThat(secret.kind()).isEqualTo("Secret");
        assertThat(secret.type()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(secret.keys()).containsExactly("api-token", "password", "username");
        assertThat(secret.hasKey("username")).isTrue();
    }

    @Test
    void aSecretWithoutTypeIsOpaque() {
        Secret secret = decodeClean("""
                apiVersion: v1
                kind: Secret
                metadata: {name: plain, namespace: shop}
                data: {token: dG9rZW4=}
                """, ConfigDecoders::secret);

        assertThat(secret.type()).isEqualTo("Opaque");
    }

    @Test
    void noSecretValueAppearsInTheRecordOrInProblems() {
        var decoded = decode("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db-credentials
                  namespace: shop
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: |
                      {"apiVersion":"v1","kind":"Secret","stringData":{"password":"%1$s"}}
                data:
                  password: %2$s
                  nested: {oops: %2$s}
                stringData: %1$s
                type: Opaque
                """.formatted(PASSWORD, PASSWORD_BASE64), ConfigDecoders::secret);

        assertThat(decoded.value().keys()).containsExactly("nested", "password");
        assertThat(decoded.problems()).extracting(LoadProblem::fieldPath).containsExactly("stringData");
        String everything = decoded.value() + " " + decoded.problems();
        assertThat(everything).doesNotContain(PASSWORD).doesNotContain(PASSWORD_BASE64);
    }

    @Test
    void secretDataThatIsAListIsAProblemNamingOnlyItsShape() {
        var decoded = decode("""
                apiVersion: v1
                kind: Secret
                metadata: {name: broken, namespace: shop}
                data:
                - %s
                """.formatted(PASSWORD_BASE64), ConfigDecoders::secret);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line()).containsExactly("data@5");
        assertThat(decoded.problems().get(0).message()).contains("a list").doesNotContain(PASSWORD_BASE64);
        assertThat(decoded.value().keys()).isEmpty();
    }
}

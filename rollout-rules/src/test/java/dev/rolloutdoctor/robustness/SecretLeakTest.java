package dev.rolloutdoctor.robustness;

import dev.rolloutdoctor.fixtures.dump.Cluster;
import dev.rolloutdoctor.fixtures.dump.DumpForm;
import dev.rolloutdoctor.fixtures.dump.Kube;
import dev.rolloutdoctor.fixtures.dump.PodState;
import dev.rolloutdoctor.fixtures.dump.ProbeBuilder;
import dev.rolloutdoctor.rules.Diagnosis;
import dev.rolloutdoctor.rules.Severity;
import dev.rolloutdoctor.snapshot.Snapshot;
import dev.rolloutdoctor.snapshot.SnapshotLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret value that a capture holds (Secret data, credential-looking env values, arguments and probe commands,
 * troubleshoot's secret collector output, last-applied annotations, credentials in logs) reaches the model's public
 * API or any output rollout-doctor renders.
 */
class SecretLeakTest {

    static final String SECRET_DATA = "DataVal-Tr0ub4dor-5f2c9a";
    static final String STRING_DATA = "StringDataVal-Zq8x7Kp2";
    static final String DB_PASSWORD = "EnvPw-Kx93LmQ7zz";
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLEAKKEY";
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrLXRlc3QifQ.c2lnbmF0dXJlLWxlYWstdGVzdA";
    static final String URL_PASSWORD = "UrlPw-77QxZm";
    static final String ARG_PASSWORD = "ArgPw-Vm3Q9t";
    static final String COMMAND_PASSWORD = "CmdPw-Ha8Pq2";
    static final String PROBE_TOKEN = "ProbeTok9Xq2LmN8";
    static final String COLLECTOR_VALUE = "CollectorVal-Pp4Z7w";
    static final String LAST_APPLIED_DATA = "LastApplied-Jj6Ty3";
    static final String LOG_PASSWORD = "LogPw-Qw7Er5";
    static final String LOG_TOKEN = "LogTok-Zx9Cv8Bn7";
    static final String LOG_URL_PASSWORD = "LogUrlPw-3Kd8";

    static final String HIDDEN = "***HIDDEN***";

    static final List<String> SECRETS = List.of(SECRET_DATA, STRING_DATA, DB_PASSWORD, AWS_SECRET, JWT, URL_PASSWORD,
            ARG_PASSWORD, COMMAND_PASSWORD, PROBE_TOKEN, COLLECTOR_VALUE, LAST_APPLIED_DATA, LOG_PASSWORD, LOG_TOKEN,
            LOG_URL_PASSWORD);

    /** A crash-looping rollout of {@code shop/web} whose template, Secret and logs carry every kind of secret. */
    static Cluster leakyCluster() {
        String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db-creds\",\"namespace\":\"shop\"},"
                + "\"data\":{\"password\":\"" + base64(LAST_APPLIED_DATA) + "\"}}\n";
        var template = Kube.podTemplate().label("app", "web")
                .container(Kube.container("web").image("ghcr.io/example/web:1.1.0").port("http", 8080)
                        .command("/app/server", "--db-password", COMMAND_PASSWORD)
                        .args("--password=" + ARG_PASSWORD, "--listen=:8080")
                        .env("DB_PASSWORD", DB_PASSWORD)
                        .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
                        .env("UPSTREAM_HEADER", JWT)
                        .env("DATABASE_URL", "postgres://app:" + URL_PASSWORD + "@db.shop:5432/app")
                        .env("LOG_LEVEL", "info")
                        .envFromSecret("API_KEY", "db-creds", "password")
                        .livenessProbe(ProbeBuilder.exec("sh", "-c",
                                "curl -fsS -H 'Authorization: Bearer " + PROBE_TOKEN + "' localhost:8080/healthz")));
        String crash = """
                2024-05-02T10:28:58Z starting web 1.1.0
                2024-05-02T10:28:59Z connecting with password=%s
                2024-05-02T10:28:59Z GET /internal Authorization: Bearer %s
                2024-05-02T10:29:00Z dial postgres://app:%s@db.shop:5432/app: connection refused
                2024-05-02T10:29:00Z fatal: could not reach the database
                """.formatted(LOG_PASSWORD, LOG_TOKEN, LOG_URL_PASSWORD);
        return Cluster.of(
                Kube.namespace("shop"),
                Kube.secret("shop", "db-creds").data("password", SECRET_DATA)
                        .set("stringData", Map.of("extra", STRING_DATA))
                        .annotation("kubectl.kubernetes.io/last-applied-configuration", lastApplied),
                Kube.rollout("shop", "web").newTemplate(template)
                        .newPodState(PodState.crashLoopBackOff(1, 6)).crashLog(crash).deadlineExceeded().build());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DumpForm.class)
    void noSecretValueReachesTheModelOrAnyReport(DumpForm form) {
        SortedMap<String, byte[]> files = withCollectorValue(form, form.render(leakyCluster()));
        Snapshot snapshot = SecretLeaks.load(files);
        assertThat(snapshot.objects()).as("objects loaded from %s", form).isNotEmpty();

        SecretLeaks.assertNoSecretIn(snapshot, SECRETS);
    }

    @Test
    void theSupportBundleArchiveWithASecretCollectorValueLeaksNothing() {
        SortedMap<String, byte[]> directory = withCollectorValue(DumpForm.SUPPORT_BUNDLE,
                DumpForm.SUPPORT_BUNDLE.render(leakyCluster()));
        String root = directory.firstKey().substring(0, directory.firstKey().indexOf('/'));
        byte[] archive = SecretLeaks.tarGz(directory);
        Snapshot snapshot = SnapshotLoader.create().load(root + ".tar.gz", new ByteArrayInputStream(archive));

        assertThat(snapshot.referenceChecks()).as("the collector's check is read").isNotEmpty();
        assertThat(snapshot.logs()).as("the crash log is read").isNotEmpty();
        SecretLeaks.assertNoSecretIn(snapshot, SECRETS);
    }

    @Test
    void theCrashLogStillExplainsTheCrashOnceCredentialsAreWithheld() {
        Snapshot snapshot = SecretLeaks.load(DumpForm.SUPPORT_BUNDLE.render(leakyCluster()));

        assertThat(snapshot.logs()).flatMap(l -> l.lines())
                .anySatisfy(line -> assertThat(line).contains("connection refused"))
                .anySatisfy(line -> assertThat(line).contains("connecting with password="));
    }

    @Test
    void inlineYamlSecretsWithStringDataLeakNothing() {
        String yaml = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Secret
                  metadata:
                    name: api
                    namespace: shop
                  type: Opaque
                  data:
                    token: %s
                  stringData:
                    plain: %s
                - apiVersion: v1
                  kind: ConfigMap
                  metadata:
                    name: settings
                    namespace: shop
                    annotations:
                      kubectl.kubernetes.io/last-applied-configuration: |
                        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"api","namespace":"shop"},"stringData":{"plain":"%s"}}
                  data:
                    LOG_LEVEL: debug
                """.formatted(base64(SECRET_DATA), STRING_DATA, LAST_APPLIED_DATA);
        Snapshot snapshot = SecretLeaks.load(new TreeMap<>(Map.of("secrets.yaml", yaml.getBytes(StandardCharsets.UTF_8))));

        assertThat(snapshot.objects()).hasSize(2);
        SecretLeaks.assertNoSecretIn(snapshot, SECRETS);
    }

    @Test
    void theDiagnosisOfTheLeakyRolloutStillNamesTheCrash() {
        Diagnosis diagnosis = SecretLeaks.diagnose(SecretLeaks.load(DumpForm.SUPPORT_BUNDLE.render(leakyCluster())));

        assertThat(diagnosis.stuck()).isNotEmpty();
        assertThat(diagnosis.stuck().get(0).rootCause()).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DumpForm.class, names = {"LIST_YAML", "SUPPORT_BUNDLE", "MUST_GATHER"})
    void redactedValuesAreNeverReportedAsMisconfigurations(DumpForm form) {
        var template = Kube.podTemplate().label("app", "api")
                .container(Kube.container("api").image(HIDDEN).port("http", 8080)
                        .env("DATABASE_URL", HIDDEN)
                        .env("LOG_LEVEL", HIDDEN)
                        .envFromConfigMap("FEATURES", "api-settings", "features")
                        .readinessProbe(ProbeBuilder.httpGet("/healthz", "http")));
        Cluster cluster = Cluster.of(
                Kube.namespace("shop"),
                Kube.configMap("shop", "api-settings").data("features", HIDDEN).data("endpoint", HIDDEN),
                Kube.rollout("shop", "api").oldTemplate(template).newTemplate(template.copy().annotation("rev", "2"))
                        .complete().build());
        Snapshot snapshot = SecretLeaks.load(form.render(cluster));
        Diagnosis diagnosis = SecretLeaks.diagnose(snapshot);

        assertThat(snapshot.redactedFields()).as("the redactions are noted").isNotEmpty();
        assertThat(diagnosis.rollouts()).singleElement().satisfies(r -> {
            assertThat(r.isStuck()).as("stuck").isFalse();
            assertThat(r.findings()).as("findings of a healthy rollout whose values were redacted")
                    .allSatisfy(f -> assertThat(f.finding().severity()).isIn(Severity.INFO));
        });
        assertThat(diagnosis.rollouts().get(0).findings()).flatMap(f -> f.finding().evidence())
                .noneSatisfy(e -> assertThat(e.text()).contains(HIDDEN));
    }

    /** Adds troubleshoot's secret collector output with {@code includeValue: true} to the forms that have secrets. */
    private static SortedMap<String, byte[]> withCollectorValue(DumpForm form, SortedMap<String, byte[]> files) {
        if (form != DumpForm.SUPPORT_BUNDLE) {
            return files;
        }
        String root = files.firstKey().substring(0, files.firstKey().indexOf('/'));
        String output = """
                {
                  "namespace": "shop",
                  "name": "db-creds",
                  "key": "password",
                  "secretExists": true,
                  "keyExists": true,
                  "value": "%s"
                }
                """.formatted(COLLECTOR_VALUE);
        SortedMap<String, byte[]> copy = new TreeMap<>(files);
        copy.put(root + "/secrets/shop/db-creds/password.json", output.getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    static String base64(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}

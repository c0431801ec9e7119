package dev.rolloutdoctor.cli;

import dev.rolloutdoctor.report.SchemaValidator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The executable jar, run as a process on inputs of every form: exit codes, text, JSON and Markdown as a user sees them. */
class CommandLineIT {

    @TempDir
    static Path dir;

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              uid: d-1
              generation: 4
              annotations: {deployment.kubernetes.io/revision: "3"}
            spec:
              paused: true
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: app, image: "shop/web:1.3"}]
            status:
              observedGeneration: 4
              replicas: 3
              updatedReplicas: 0
              readyReplicas: 3
              availableReplicas: 3
              conditions:
              - {type: Progressing, status: Unknown, reason: DeploymentPaused, message: Deployment is paused,
                 lastTransitionTime: "2024-05-01T10:00:00Z", lastUpdateTime: "2024-05-01T10:00:00Z"}
            """;

    static final String HEALTHY = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop, uid: d-2, generation: 1}
            spec:
              replicas: 1
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: api, image: "shop/api:2.0", resources: {requests: {cpu: 100m}}}]
            status:
              observedGeneration: 1
              replicas: 1
              updatedReplicas: 1
              readyReplicas: 1
              availableReplicas: 1
              conditions:
              - {type: Available, status: "True", reason: MinimumReplicasAvailable, lastTransitionTime: "2024-05-01T09:00:00Z"}
            """;

    @BeforeAll
    static void inputs() throws IOException {
        Files.writeString(dir.resolve("paused.yaml"), DEPLOYMENT);
        Files.writeString(dir.resolve("healthy.yaml"), HEALTHY);
        Path bundle = Files.createDirectories(dir.resolve("bundle/cluster-resources/deployments"));
        Files.writeString(bundle.resolve("shop.yaml"), DEPLOYMENT);
        try (OutputStream file = Files.newOutputStream(dir.resolve("bundle.tar.gz"));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            byte[] bytes = DEPLOYMENT.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("support-bundle/cluster-resources/deployments/shop.yaml");
            entry.setSize(bytes.length);
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(dir.resolve("dump.zip"))) {
            zip.putArchiveEntry(new ZipArchiveEntry("dump/paused.yaml"));
            zip.write(DEPLOYMENT.getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        Files.writeString(dir.resolve("garbage.json"), "{\"kind\": \"Deployment\", \"metadata\": {\"name\": ");
    }

    static void assertNoStackTrace(Jar.Run run) {
        assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aPausedRolloutInEveryInputFormExitsOneAndNamesTheCause() {
        for (String input : new String[]{"paused.yaml", "bundle", "bundle.tar.gz", "dump.zip"}) {
            Jar.Run run = Jar.run("diagnose", dir.resolve(input).toString());

            assertThat(run.exitCode()).as("exit code for %s", input).isEqualTo(1);
            assertThat(run.stdout()).as("report for %s", input)
                    .contains("Deployment shop/web  PAUSED")
                    .contains("Root cause [rollout-paused, error, high confidence]")
                    .contains("$ kubectl rollout resume deployment/web -n shop");
            assertThat(run.stdout()).doesNotContain("\u001b[");
            assertNoStackTrace(run);
        }
    }

    @Test
    void stdinIsReadWithADash() throws IOException {
        Jar.Run run = Jar.run(Files.readAllBytes(dir.resolve("paused.yaml")), Map.of(), "diagnose", "-");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("Deployment shop/web  PAUSED");
    }

    @Test
    void aHealthyRolloutExitsZero() {
        Jar.Run run = Jar.run("diagnose", dir.resolve("healthy.yaml").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("1 rollout, 0 stuck or failed").contains("1 other rollout is complete");
    }

    @Test
    void severalPathsMergeIntoOneSnapshotAndFiltersNarrowIt() {
        Jar.Run both = Jar.run("diagnose", dir.resolve("paused.yaml").toString(), dir.resolve("healthy.yaml").toString(), "--all");
        Jar.Run onlyApi = Jar.run("diagnose", dir.resolve("paused.yaml").toString(), dir.resolve("healthy.yaml").toString(),
                "--workload", "deployment/api");

        assertThat(both.stdout()).contains("2 rollouts, 1 stuck or failed").contains("✓ Deployment shop/api");
        assertThat(onlyApi.exitCode()).isZero();
        assertThat(onlyApi.stdout()).doesNotContain("shop/web");
    }

    @Test
    void theJsonReportValidatesAgainstTheSchema() {
        Jar.Run run = Jar.run("diagnose", dir.resolve("bundle.tar.gz").toString(), "--format", "json");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(SchemaValidator.reportSchema().validate(run.stdout())).isEmpty();
        assertThat(run.stdout()).contains("\"ruleId\" : \"rollout-paused\"").contains("\"SUPPORT_BUNDLE\"");
    }

    @Test
    void theMarkdownReportIsAPostmortemDraft() {
        Jar.Run run = Jar.run("diagnose", dir.resolve("paused.yaml").toString(), "--format", "markdown", "--now", "2024-05-01T11:00:00Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).startsWith("# Postmortem draft: rollout of Deployment shop/web")
                .contains("## Summary", "## Impact", "## Timeline", "## Root cause", "## Remediation",
                        "## What changed in this revision", "## Follow-up: prevention", "- [ ] ");
    }

    @Test
    void statusPrintsKubectlsLineWithOurStateBeside() {
        Jar.Run run = Jar.run("status", dir.resolve("paused.yaml").toString(), dir.resolve("healthy.yaml").toString());

        assertThat(run.stdout().lines()).containsExactly(
                "deployment \"api\" successfully rolled out\t# COMPLETE Deployment shop/api",
                "Waiting for deployment \"web\" rollout to finish: 0 out of 3 new replicas have been updated...\t# PAUSED Deployment shop/web");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void rulesListsTheCatalogue() {
        Jar.Run run = Jar.run("rules");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("ID").contains("rollout-paused", "rollout-stalled-unexplained");
    }

    @Test
    void helpAndVersion() {
        assertThat(Jar.run("--help").stdout()).contains("Usage:").contains("Exit codes:");
        assertThat(Jar.run("--version").stdout()).matches("rollout-doctor \\S+\\n");
    }

    @Test
    void badUsageAndUnreadableInputExitTwoWithOneLineAndNoStackTrace() {
        Jar.Run[] runs = {
                Jar.run(),
                Jar.run("frobnicate"),
                Jar.run("diagnose"),
                Jar.run("diagnose", dir.resolve("nope.yaml").toString()),
                Jar.run("diagnose", dir.resolve("garbage.json").toString()),
                Jar.run("diagnose", dir.resolve("paused.yaml").toString(), "--format", "xml"),
                Jar.run("diagnose", dir.resolve("paused.yaml").toString(), "--now", "yesterday"),
                Jar.run("diagnose", dir.resolve("paused.yaml").toString(), "--workload", "deployment/missing"),
        };
        for (Jar.Run run : runs) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.stderr().lines()).as(run.stderr()).hasSize(1);
            assertThat(run.stderr()).startsWith("rollout-doctor: ");
            assertNoStackTrace(run);
        }
        assertThat(runs[3].stderr()).contains("no such file or directory");
        assertThat(runs[4].stderr()).contains("nothing could be read from the input").contains("garbage.json:1");
    }

    @Test
    void theReadmesFirstCommandPrintsWhatTheReadmeShows() throws IOException {
        Path sample = Path.of("src/test/resources/samples/support-bundle-2024-05-02T10_30_00.tar.gz");
        // the README runs it from the repository root; the paths in the report are as given
        Jar.Run here = Jar.run("diagnose", sample.toString());

        assertThat(here.exitCode()).isEqualTo(1);
        assertThat(here.stdout()).contains("Root cause [image-pull-failed, error, high confidence]");
        String readme = Files.readString(Path.of("..", "README.md"));
        String shown = readme.substring(readme.indexOf("The first prints"));
        shown = shown.substring(shown.indexOf("```\n") + 4, shown.indexOf("\n```", shown.indexOf("```\n") + 4));
        assertThat(here.stdout().replace("(" + sample, "(rollout-rules/" + sample).stripTrailing())
                .as("the README's output of its first command is stale: run it and paste the output")
                .isEqualTo(shown.stripTrailing());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(dev.rolloutdoctor.fixtures.dump.DumpForm.class)
    void theSampleRolloutInEveryDumpFormGivesTheSameRootCause(dev.rolloutdoctor.fixtures.dump.DumpForm form) throws IOException {
        Path out = Files.createDirectories(dir.resolve("forms").resolve(form.name()));
        Path written = form.write(dev.rolloutdoctor.samples.SampleBundle.cluster(), out);

        Jar.Run run = Jar.run("diagnose", written.toString(), "--format", "json");

        assertThat(run.exitCode()).as("%s: %s", form, run.stderr()).isEqualTo(1);
        assertThat(SchemaValidator.reportSchema().validate(run.stdout())).isEmpty();
        assertThat(run.stdout()).contains("\"ruleId\" : \"image-pull-failed\"");
        assertNoStackTrace(run);
    }
}

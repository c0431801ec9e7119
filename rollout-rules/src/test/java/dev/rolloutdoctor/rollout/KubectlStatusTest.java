package dev.rolloutdoctor.rollout;

import dev.rolloutdoctor.model.DaemonSet;
import dev.rolloutdoctor.model.Deployment;
import dev.rolloutdoctor.model.KubeObject;
import dev.rolloutdoctor.model.StatefulSet;
import dev.rolloutdoctor.snapshot.Snapshot;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** kubectl's viewers on details the conformance cases do not pin down. */
class KubectlStatusTest {

    private static Deployment deploymentWithRevision(String annotationLine) {
        Snapshot snapshot = InlineYaml.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: shop
                  generation: 1
                  annotations:
                %s
                spec:
                  replicas: 1
                status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
                """.formatted(annotationLine.indent(4)));
        return snapshot.objects(Deployment.class).get(0);
    }

    @Nested
    class Revision {

        @ParameterizedTest(name = "annotation {0}")
        @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
                "'\"abc\"'                  | strconv.ParseInt: parsing \"abc\": invalid syntax",
                "'\"\"'                     | strconv.ParseInt: parsing \"\": invalid syntax",
                "'\" 2\"'                   | strconv.ParseInt: parsing \" 2\": invalid syntax",
                "'\"2.0\"'                  | strconv.ParseInt: parsing \"2.0\": invalid syntax",
                "'\"-\"'                    | strconv.ParseInt: parsing \"-\": invalid syntax",
                "'\"9223372036854775808\"'  | strconv.ParseInt: parsing \"9223372036854775808\": value out of range",
                "'\"99999999999999999999x\"'| strconv.ParseInt: parsing \"99999999999999999999x\": value out of range",
                "'\"9999999999999999999x\"' | strconv.ParseInt: parsing \"9999999999999999999x\": invalid syntax",
                "'\"２\"'                   | strconv.ParseInt: parsing \"２\": invalid syntax",
                "'\"2\\t\"'                 | strconv.ParseInt: parsing \"2\\t\": invalid syntax",
        })
        void reproducesGosParseErrorForAnUnreadableAnnotation(String value, String goError) {
            Deployment deployment = deploymentWithRevision("deployment.kubernetes.io/revision: " + value);

            KubectlVerdict verdict = KubectlStatus.of(deployment, 2);

            assertThat(verdict.error()).contains("cannot get the revision of deployment \"web\": " + goError);
            assertThat(verdict.done()).isFalse();
            assertThat(verdict.message()).isEmpty();
        }

        @Test
        void acceptsASignedRevisionAsGoDoes() {
            Deployment deployment = deploymentWithRevision("deployment.kubernetes.io/revision: \"+2\"");

            assertThat(KubectlStatus.of(deployment, 2).succeeded()).isTrue();
        }

        @Test
        void theLowestNegativeRevisionIsInRange() {
            Deployment deployment = deploymentWithRevision("deployment.kubernetes.io/revision: \"-9223372036854775808\"");

            assertThat(KubectlStatus.of(deployment, 2).error())
                    .contains("desired revision (2) is different from the running revision (-9223372036854775808)");
        }

        @Test
        void ignoresTheAnnotationWhenNoRevisionIsAskedFor() {
            Deployment deployment = deploymentWithRevision("deployment.kubernetes.io/revision: \"abc\"");

            assertThat(KubectlStatus.of(deployment, 0).message()).isEqualTo("deployment \"web\" successfully rolled out\n");
        }
    }

    @Nested
    class CommandLine {

        @Test
        void printsTheMessageAsIs() {
            KubectlVerdict verdict = new KubectlVerdict("Waiting for 1 pods to be ready...\n", false, java.util.Optional.empty());

            assertThat(KubectlStatus.commandLine(verdict)).isEqualTo("Waiting for 1 pods to be ready...\n");
            assertThat(KubectlStatus.exitCode(verdict)).isZero();
        }

        @Test
        void printsErrorsAfterErrorColon() {
            KubectlVerdict verdict = KubectlStatus.of(daemonSet("OnDelete"));

            assertThat(KubectlStatus.commandLine(verdict))
                    .isEqualTo("error: rollout status is only available for RollingUpdate strategy type\n");
            assertThat(KubectlStatus.exitCode(verdict)).isEqualTo(1);
            assertThat(verdict.done()).isTrue();
            assertThat(verdict.succeeded()).isFalse();
        }
    }

    @Nested
    class Kinds {

        @Test
        void otherKindsHaveNoStatusViewer() {
            Snapshot snapshot = InlineYaml.load("""
                    apiVersion: apps/v1
                    kind: ReplicaSet
                    metadata: {name: web-7d9c6b5f4, namespace: shop}
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: web-7d9c6b5f4-x2x4q, namespace: shop}
                    """);
            KubeObject replicaSet = snapshot.objectsOfKind("ReplicaSet").get(0);
            KubeObject pod = snapshot.objectsOfKind("Pod").get(0);

            assertThat(KubectlStatus.of(replicaSet, 0).error())
                    .contains("no status viewer has been implemented for ReplicaSet.apps");
            assertThat(KubectlStatus.of(pod, 0).error()).contains("no status viewer has been implemented for Pod");
        }

        @Test
        void anAbsentStrategyTypeIsTheApiDefaultRollingUpdate() {
            assertThat(KubectlStatus.of(daemonSet("")).message())
                    .isEqualTo("daemon set \"agent\" successfully rolled out\n");
        }

        @Test
        void quotesNamesAsGoDoes() {
            Snapshot snapshot = InlineYaml.load("""
                    apiVersion: apps/v1
                    kind: StatefulSet
                    metadata: {name: "db\\"1", namespace: shop, generation: 1}
                    spec: {replicas: 1, updateStrategy: {type: RollingUpdate}}
                    status: {observedGeneration: 1, replicas: 1, readyReplicas: 1}
                    ---
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: "wéb\\t", namespace: shop, generation: 1}
                    spec: {replicas: 1}
                    status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
                    """);

            assertThat(KubectlStatus.of(snapshot.objects(Deployment.class).get(0)).message())
                    .isEqualTo("deployment \"wéb\\t\" successfully rolled out\n");
            assertThat(KubectlStatus.of(snapshot.objects(StatefulSet.class).get(0)).message())
                    .isEqualTo("statefulset rolling update complete 0 pods at revision ...\n");
        }

        private DaemonSet daemonSet(String type) {
            return KubectlStatusTest.daemonSet(type);
        }
    }

    static DaemonSet daemonSet(String strategyType) {
        Snapshot snapshot = InlineYaml.load("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: kube-system, generation: 3}
                spec:
                  updateStrategy: {type: "%s"}
                status: {observedGeneration: 3, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2}
                """.formatted(strategyType));
        return snapshot.objects(DaemonSet.class).get(0);
    }
}

package dev.rolloutdoctor.snapshot.decode;

import dev.rolloutdoctor.model.Condition;
import dev.rolloutdoctor.model.GenericObject;
import dev.rolloutdoctor.model.ObjectRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.SOURCE;
import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decode;
import static dev.rolloutdoctor.snapshot.decode.KindsTestSupport.decodeClean;
import static org.assertj.core.api.Assertions.assertThat;

class GenericDecoderTest {

    @Test
    void keepsMetadataAndConditionsOfAJob() {
        GenericObject job = decodeClean("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  labels:
                    batch.kubernetes.io/job-name: migrate-42
                  name: migrate-42
                  namespace: shop
                  ownerReferences:
                  - apiVersion: batch/v1
                    blockOwnerDeletion: true
                    controller: true
                    kind: CronJob
                    name: migrate
                    uid: 8f7e6d5c-4b3a-4291-8e7f-6d5c4b3a2918
                  uid: 1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b
                spec:
                  backoffLimit: 6
                  completions: 1
                  template:
                    spec:
                      containers:
                      - name: migrate
                        image: registry.example.com/shop/migrate:1.4.2
                      restartPolicy: Never
                status:
                  conditions:
                  - lastProbeTime: "2024-05-02T10:20:00Z"
                    lastTransitionTime: "2024-05-02T10:20:00Z"
                    message: Job has reached the specified backoff limit
                    reason: BackoffLimitExceeded
                    status: "True"
                    type: Failed
                  failed: 7
                  startTime: "2024-05-02T10:00:00Z"
                """, GenericDecoder::decode);

        assertThat(job.kind()).isEqualTo("Job");
        assertThat(job.apiVersion()).isEqualTo("batch/v1");
        assertThat(job.group()).isEqualTo("batch");
        assertThat(job.ref()).isEqualTo(ObjectRef.of("Job", "shop", "migrate-42"));
        assertThat(job.metadata().controllerRef().map(o -> o.kind() + "/" + o.name())).contains("CronJob/migrate");
        assertThat(job.conditions()).hasSize(1);
        Condition failed = job.condition("Failed").orElseThrow();
        assertThat(failed.isTrue()).isTrue();
        assertThat(failed.reason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failed.lastTransitionTime()).contains(Instant.parse("2024-05-02T10:20:00Z"));
        assertThat(job.source()).isEqualTo(SOURCE);
    }

    @Test
    void aCustomResourceWithConditionsOfItsOwnShapeHasNoConditionsAndNoProblems() {
        var decoded = decode("""
                apiVersion: example.com/v1alpha1
                kind: Widget
                metadata: {name: w, namespace: shop}
                spec: [1, 2, 3]
                status:
                  conditions:
                    ready: true
                """, GenericDecoder::decode);

        assertThat(decoded.problems()).isEmpty();
        assertThat(decoded.value().conditions()).isEmpty();
        assertThat(decoded.value().group()).isEqualTo("example.com");
    }

    @Test
    void aConditionListWithAnItemThatIsNotConditionShapedGivesNoConditions() {
        var decoded = decode("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                status:
                  conditions:
                  - {type: Ready, status: "True"}
                  - {phase: Running}
                """, GenericDecoder::decode);

        assertThat(decoded.problems()).isEmpty();
        assertThat(decoded.value().conditions()).isEmpty();
    }

    @Test
    void wrongTypesInsideConditionsAreReadAsEmptySilently() {
        var decoded = decode("""
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web, namespace: shop}
                status:
                  conditions:
                  - type: DisruptionAllowed
                    status: "False"
                    reason: InsufficientPods
                    lastTransitionTime: not-a-time
                    message: {text: no}
                  currentHealthy: 1
                  desiredHealthy: 2
                  disruptionsAllowed: 0
                """, GenericDecoder::decode);

        assertThat(decoded.problems()).isEmpty();
        Condition c = decoded.value().condition("DisruptionAllowed").orElseThrow();
        assertThat(c.isFalse()).isTrue();
        assertThat(c.reason()).isEqualTo("InsufficientPods");
        assertThat(c.lastTransitionTime()).isEmpty();
        assertThat(c.message()).isEmpty();
    }

    @Test
    void aNamespaceWithoutConditionsIsClusterScoped() {
        GenericObject ns = decodeClean("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  labels: {kubernetes.io/metadata.name: shop}
                  name: shop
                spec:
                  finalizers: [kubernetes]
                status:
                  phase: Active
                """, GenericDecoder::decode);

        assertThat(ns.conditions()).isEmpty();
        assertThat(ns.ref()).isEqualTo(ObjectRef.cluster("Namespace", "shop"));
        assertThat(ns.group()).isEmpty();
    }

    @Test
    void theInferredKindIsUsedWhenTheDocumentNamesNone() {
        GenericObject sa = decodeClean("""
                metadata: {name: default, namespace: shop}
                secrets: [{name: default-token-abcde}]
                """, (root, source) -> GenericDecoder.decode(root, "ServiceAccount", source));
        GenericObject named = decodeClean("""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: default, namespace: shop}
                """, (root, source) -> GenericDecoder.decode(root, "Ignored", source));

        assertThat(sa.kind()).isEqualTo("ServiceAccount");
        assertThat(sa.apiVersion()).isEmpty();
        assertThat(named.kind()).isEqualTo("ServiceAccount");
    }

    @Test
    void metadataOfTheWrongTypeIsStillAProblem() {
        var decoded = decode("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: default
                  labels: [a, b]
                """, GenericDecoder::decode);

        assertThat(decoded.problems()).extracting(p -> p.fieldPath() + "@" + p.line()).containsExactly("metadata.labels@5");
        assertThat(decoded.value().metadata().name()).isEqualTo("default");
    }
}

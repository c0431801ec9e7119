package dev.rolloutdoctor.model;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Toleration#tolerates} follows Kubernetes' {@code ToleratesTaint}. */
class TolerationTest {

    private static Toleration toleration(String key, Toleration.Operator op, String value, String effect) {
        return new Toleration(key, op, value, effect, OptionalLong.empty());
    }

    @Test
    void anEmptyKeyWithExistsToleratesEveryTaint() {
        Toleration all = toleration("", Toleration.Operator.EXISTS, "", "");
        assertThat(all.tolerates("node-role.kubernetes.io/control-plane", "", "NoSchedule")).isTrue();
        assertThat(all.tolerates("dedicated", "gpu", "NoExecute")).isTrue();
        assertThat(all.tolerates("anything", "at-all", "PreferNoSchedule")).isTrue();
    }

    @Test
    void anEmptyKeyWithExistsAndAnEffectToleratesOnlyThatEffect() {
        Toleration noSchedule = toleration("", Toleration.Operator.EXISTS, "", "NoSchedule");
        assertThat(noSchedule.tolerates("dedicated", "gpu", "NoSchedule")).isTrue();
        assertThat(noSchedule.tolerates("dedicated", "gpu", "NoExecute")).isFalse();
    }

    @Test
    void anEmptyEffectMatchesEveryEffect() {
        Toleration t = toleration("dedicated", Toleration.Operator.EQUAL, "gpu", "");
        assertThat(t.tolerates("dedicated", "gpu", "NoSchedule")).isTrue();
        assertThat(t.tolerates("dedicated", "gpu", "NoExecute")).isTrue();
        assertThat(t.tolerates("dedicated", "gpu", "PreferNoSchedule")).isTrue();
    }

    @Test
    void equalNeedsTheSameKeyValueAndEffect() {
        Toleration t = toleration("dedicated", Toleration.Operator.EQUAL, "gpu", "NoSchedule");
        assertThat(t.tolerates("dedicated", "gpu", "NoSchedule")).isTrue();
        assertThat(t.tolerates("dedicated", "cpu", "NoSchedule")).isFalse();
        assertThat(t.tolerates("team", "gpu", "NoSchedule")).isFalse();
        assertThat(t.tolerates("dedicated", "gpu", "NoExecute")).isFalse();
    }

    @Test
    void equalWithoutAValueToleratesOnlyATaintWithoutAValue() {
        Toleration t = toleration("node-role.kubernetes.io/control-plane", Toleration.Operator.EQUAL, "", "NoSchedule");
        assertThat(t.tolerates("node-role.kubernetes.io/control-plane", "", "NoSchedule")).isTrue();
        assertThat(t.tolerates("node-role.kubernetes.io/control-plane", "true", "NoSchedule")).isFalse();
    }

    @Test
    void existsIgnoresTheValue() {
        Toleration t = toleration("node.kubernetes.io/not-ready", Toleration.Operator.EXISTS, "ignored", "NoExecute");
        assertThat(t.tolerates("node.kubernetes.io/not-ready", "", "NoExecute")).isTrue();
        assertThat(t.tolerates("node.kubernetes.io/not-ready", "whatever", "NoExecute")).isTrue();
        assertThat(t.tolerates("node.kubernetes.io/unreachable", "", "NoExecute")).isFalse();
    }

    @Test
    void anEmptyKeyWithEqualMatchesAnyKeyWithThatValue() {
        Toleration t = toleration("", Toleration.Operator.EQUAL, "gpu", "");
        assertThat(t.tolerates("dedicated", "gpu", "NoSchedule")).isTrue();
        assertThat(t.tolerates("dedicated", "cpu", "NoSchedule")).isFalse();
    }

    @Test
    void ltAndGtCompareTaintValueToTolerationValueAsIntegers() {
        Toleration lt = toleration("node.example.com/load", Toleration.Operator.LT, "50", "NoSchedule");
        assertThat(lt.tolerates("node.example.com/load", "49", "NoSchedule")).isTrue();
        assertThat(lt.tolerates("node.example.com/load", "50", "NoSchedule")).isFalse();
        assertThat(lt.tolerates("node.example.com/load", "-3", "NoSchedule")).isTrue();
        Toleration gt = toleration("node.example.com/load", Toleration.Operator.GT, "50", "NoSchedule");
        assertThat(gt.tolerates("node.example.com/load", "51", "NoSchedule")).isTrue();
        assertThat(gt.tolerates("node.example.com/load", "50", "NoSchedule")).isFalse();
    }

    @Test
    void ltAndGtTolerateNothingUnlessBothValuesAreCanonicalIntegers() {
        Toleration gt = toleration("load", Toleration.Operator.GT, "50", "");
        assertThat(gt.tolerates("load", "070", "NoSchedule")).isFalse();
        assertThat(gt.tolerates("load", "+70", "NoSchedule")).isFalse();
        assertThat(gt.tolerates("load", "high", "NoSchedule")).isFalse();
        assertThat(gt.tolerates("load", "99999999999999999999", "NoSchedule")).isFalse();
        assertThat(toleration("load", Toleration.Operator.GT, "-0", "").tolerates("load", "1", "NoSchedule")).isFalse();
    }

    @Test
    void operatorsAreReadAsKubernetesWritesThem() {
        assertThat(Toleration.Operator.fromKubernetes("")).contains(Toleration.Operator.EQUAL);
        assertThat(Toleration.Operator.fromKubernetes("Exists")).contains(Toleration.Operator.EXISTS);
        assertThat(Toleration.Operator.fromKubernetes("exists")).isEmpty();
        assertThat(Toleration.Operator.GT.toString()).isEqualTo("Gt");
    }
}

package dev.rolloutdoctor.model;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompactSortedMapTest {

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("pod-template-hash", "7d4b9c");
        LABELS.put("app", "web");
        LABELS.put("app.kubernetes.io/version", "2.0.1");
    }

    @Test
    void iteratesInKeyOrderAndEqualsATreeMapOfTheSameEntries() {
        SortedMap<String, String> copy = Collections2.sortedCopy(LABELS);

        assertThat(copy).isInstanceOf(CompactSortedMap.class);
        assertThat(copy.keySet()).containsExactly("app", "app.kubernetes.io/version", "pod-template-hash");
        assertThat(copy).isEqualTo(new TreeMap<>(LABELS)).hasSameHashCodeAs(new TreeMap<>(LABELS));
        assertThat(new TreeMap<>(LABELS)).isEqualTo(copy);
        assertThat(copy.toString()).isEqualTo(new TreeMap<>(LABELS).toString());
    }

    @Test
    void looksUpByKeyAndAnswersNullForAnythingElse() {
        SortedMap<String, String> copy = Collections2.sortedCopy(LABELS);

        assertThat(copy.get("app")).isEqualTo("web");
        assertThat(copy.get("missing")).isNull();
        assertThat(copy.get(42)).isNull();
        assertThat(copy.containsKey("pod-template-hash")).isTrue();
        assertThat(copy.containsKey(null)).isFalse();
        assertThat(copy.firstKey()).isEqualTo("app");
        assertThat(copy.lastKey()).isEqualTo("pod-template-hash");
        assertThat(copy.headMap("b")).containsOnlyKeys("app", "app.kubernetes.io/version");
        assertThat(copy.tailMap("b")).containsOnlyKeys("pod-template-hash");
        assertThat(copy.subMap("app.", "q")).containsOnlyKeys("app.kubernetes.io/version", "pod-template-hash");
    }

    @Test
    void cannotBeChangedThroughAnyView() {
        SortedMap<String, String> copy = Collections2.sortedCopy(LABELS);

        assertThatThrownBy(() -> copy.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.remove("app")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(copy::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.keySet().remove("app")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.entrySet().iterator().next().setValue("z")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.headMap("b").clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(copy).hasSize(3);
    }

    @Test
    void isACopyThatLaterChangesToTheSourceDoNotReach() {
        Map<String, String> source = new TreeMap<>(LABELS);
        SortedMap<String, String> copy = Collections2.sortedCopy(source);
        source.put("zone", "a");

        assertThat(copy).hasSize(3).doesNotContainKey("zone");
        assertThat(Collections2.sortedCopy(copy)).isSameAs(copy);
        assertThat(Collections2.sortedCopy(Map.of())).isEmpty();
    }
}

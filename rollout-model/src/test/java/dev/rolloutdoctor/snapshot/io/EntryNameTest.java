package dev.rolloutdoctor.snapshot.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EntryNameTest {

    @Test
    void dropsDotSegmentsAndRepeatedSlashes() {
        assertThat(EntryName.normalise("./a//b/./c.json", false)).isEqualTo(new EntryName.Accepted("a/b/c.json"));
        assertThat(EntryName.normalise("./", false)).isEqualTo(new EntryName.Accepted(""));
        assertThat(EntryName.normalise("dir/", false)).isEqualTo(new EntryName.Accepted("dir"));
    }

    @Test
    void refusesDotDotAnywhereEvenWhenItWouldStayInside() {
        assertThat(EntryName.normalise("../evil", false)).isInstanceOf(EntryName.Refused.class);
        assertThat(EntryName.normalise("a/../b", false)).isInstanceOf(EntryName.Refused.class);
        assertThat(EntryName.normalise("a/..", false)).isInstanceOf(EntryName.Refused.class);
    }

    @Test
    void keepsNamesThatOnlyLookLikeDotDot() {
        assertThat(EntryName.normalise("a/..b/...", false)).isEqualTo(new EntryName.Accepted("a/..b/..."));
    }

    @Test
    void refusesAbsoluteAndNulNames() {
        assertThat(EntryName.normalise("/etc/passwd", false)).isInstanceOf(EntryName.Refused.class);
        assertThat(EntryName.normalise("a\0b", false)).isInstanceOf(EntryName.Refused.class);
    }

    @Test
    void treatsBackslashAsASeparatorOnlyWhenAsked() {
        assertThat(EntryName.normalise("..\\evil", true)).isInstanceOf(EntryName.Refused.class);
        assertThat(EntryName.normalise("C:\\evil", true)).isInstanceOf(EntryName.Refused.class);
        assertThat(EntryName.normalise("..\\evil", false)).isEqualTo(new EntryName.Accepted("..\\evil"));
    }

    @Test
    void resolvesLinkTargetsAgainstTheLinkFolder() {
        assertThat(EntryName.resolve("sb/all-logs/web", "../../cluster-resources/x.log"))
                .contains("sb/cluster-resources/x.log");
        assertThat(EntryName.resolve("sb", "./cluster-resources//x.log")).contains("sb/cluster-resources/x.log");
        assertThat(EntryName.resolve("", "x.log")).contains("x.log");
    }

    @Test
    void findsNoTargetInsideForAbsoluteOrClimbingTargets() {
        assertThat(EntryName.resolve("sb", "/etc/passwd")).isEmpty();
        assertThat(EntryName.resolve("sb", "../../x")).isEmpty();
        assertThat(EntryName.resolve("", "..")).isEmpty();
    }
}

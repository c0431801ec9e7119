package dev.rolloutdoctor.rules.detectors;

import dev.rolloutdoctor.rules.Finding;
import org.junit.jupiter.api.Test;

class ZzContainersScratchTest {
    static void print(Finding f) {
        System.out.println("=== " + f.ruleId() + " [" + f.severity() + "/" + f.confidence() + "] " + f.title());
        System.out.println("    culprits: " + f.culprits());
        System.out.println("    " + f.explanation());
        f.evidence().forEach(e -> System.out.println("    - " + e.type() + " " + e.object() + " " + e.path() + " = " + e.text() + " @" + e.at().map(Object::toString).orElse("") + " (" + e.source() + ")"));
        f.remediation().forEach(s -> System.out.println("    > " + s.text() + s.command().map(c -> "\n        $ " + c).orElse("")));
    }

    @Test
    void show() {
        String status = ImagePullFailedTest.waiting("shop/web:1.3", "ErrImagePull", ImagePullFailedTest.NOT_FOUND);
        String yaml = ContainerRollouts.rollout(ImagePullFailedTest.OLD_SPEC, ImagePullFailedTest.NEW_SPEC, status,
                ImagePullFailedTest.waiting("shop/web:1.3", "ImagePullBackOff", "Back-off pulling image \"shop/web:1.3\""))
                + ContainerRollouts.event(ContainerRollouts.NEW_POD_A, "Warning", "Failed", "Failed to pull image \"shop/web:1.3\": " + ImagePullFailedTest.NOT_FOUND, 4,
                "2024-05-01T10:00:05Z", "2024-05-01T10:01:40Z");
        ImagePullFailedTest.findings(yaml).forEach(ZzContainersScratchTest::print);
    }
}

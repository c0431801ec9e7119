package dev.rolloutdoctor.bench;

import dev.rolloutdoctor.rules.Detector;
import dev.rolloutdoctor.rules.DetectorRegistry;
import dev.rolloutdoctor.rules.Rule;
import dev.rolloutdoctor.rules.detectors.RolloutPaused;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The detectors to diagnose with: the built-in registry, plus every {@link Rule}-annotated detector of
 * {@code dev.rolloutdoctor.rules.detectors} it does not list yet, so that detectors still being registered are
 * measured too.
 */
final class Detectors {

    private static final String PACKAGE = RolloutPaused.class.getPackageName();

    private Detectors() {
    }

    static DetectorRegistry all() {
        DetectorRegistry builtIn = DetectorRegistry.builtIn();
        List<Detector> more = new ArrayList<>();
        for (String name : classNames()) {
            try {
                Class<?> type = Class.forName(name);
                Rule rule = type.getAnnotation(Rule.class);
                if (rule != null && Detector.class.isAssignableFrom(type) && !builtIn.ids().contains(rule.id())) {
                    more.add((Detector) type.getDeclaredConstructor().newInstance());
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                System.out.println("  (detector " + name + " left out: " + e + ")");
            }
        }
        return more.isEmpty() ? builtIn : builtIn.with(more);
    }

    private static List<String> classNames() {
        try {
            Path where = Path.of(RolloutPaused.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String folder = PACKAGE.replace('.', '/');
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(where)) {
                try (Stream<Path> files = Files.list(where.resolve(folder))) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.contains("$"))
                            .sorted().forEach(n -> names.add(PACKAGE + "." + n.substring(0, n.length() - 6)));
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile())) {
                    jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(folder + "/") && n.endsWith(".class") && !n.contains("$")
                                    && n.indexOf('/', folder.length() + 1) < 0)
                            .sorted().forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')));
                }
            }
            return names;
        } catch (IOException | URISyntaxException e) {
            return List.of();
        }
    }
}

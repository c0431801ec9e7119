package dev.rolloutdoctor.snapshot.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One file-like thing found in the input: a file, an archive member, or what came on stdin, with all its bytes.
 *
 * <p>The content array is handed over, not copied (it may be hundreds of MiB); nobody writes to it.
 *
 * @param displayPath what users see in problems and evidence: {@code pods.yaml}, {@code dump/shop/pods.json},
 *                    {@code bundle.tar.gz!/support-bundle/cluster-resources/pods/shop.json},
 *                    {@code outer.tar.gz!/collectd/archive.tar!/x.json}, {@code -} for stdin
 * @param path        the path relative to the input root, {@code /}-separated and normalised; an archive inside
 *                    the input counts as a folder of its own name; a file given directly is its file name, with
 *                    {@code .gz} stripped when it was gzipped. Layout detection works on this.
 * @param content     the whole entry, at most {@code LoadLimits.maxEntryBytes} long
 */
public record InputEntry(String displayPath, String path, byte[] content) {

    public InputEntry {
        Objects.requireNonNull(displayPath, "displayPath");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InputEntry that
                && displayPath.equals(that.displayPath)
                && path.equals(that.path)
                && Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(displayPath, path, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "InputEntry[" + displayPath + " (" + path + "), " + content.length + " bytes]";
    }
}

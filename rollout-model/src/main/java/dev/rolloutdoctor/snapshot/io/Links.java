package dev.rolloutdoctor.snapshot.io;

import java.util.Optional;

/** Reports a link found in an archive, judging its target lexically; the target is never opened. */
final class Links {

    private Links() {
    }

    /**
     * @param folder the folder the target is relative to, inside the archive: the link's own folder for a symbolic
     *               link, the archive root ({@code ""}) for a tar hard link
     */
    static void report(InputVisitor visitor, ContentReader content, Item link, Item archive, String folder,
            String target) {
        if (target.length() > content.limits().maxPathLength()) {
            content.problem(link.displayPath(), "link skipped: its target is " + target.length()
                    + " characters long, over the limit of " + content.limits().maxPathLength()
                    + " (LoadLimits.maxPathLength)");
            return;
        }
        Optional<String> inside = EntryName.resolve(folder, target);
        visitor.link(inside
                .map(path -> new InputLink(link.displayPath(), link.path(),
                        EntryName.join(archive.memberPrefix(), path), true))
                .orElseGet(() -> new InputLink(link.displayPath(), link.path(), target, false)));
    }
}

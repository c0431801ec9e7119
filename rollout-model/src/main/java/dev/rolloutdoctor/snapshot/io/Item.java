package dev.rolloutdoctor.snapshot.io;

/**
 * Where something being read sits: how users see it, its path, the path its members get if it turns out to be an
 * archive, and how many archives enclose it.
 */
record Item(String displayPath, String path, String memberPrefix, int archivesAround) {

    /** A file or stdin given directly: an archive's members sit at the root. */
    static Item given(String displayPath, String path) {
        return new Item(displayPath, path, "", 0);
    }

    /** A file found in a directory given directly: an archive's members sit under the file's own path. */
    static Item inDirectory(String rootDisplay, String relativePath) {
        return new Item(rootDisplay + "/" + relativePath, relativePath, relativePath, 0);
    }

    /** A member of this archive, by its normalised name. */
    Item member(String name) {
        String path = EntryName.join(memberPrefix, name);
        return new Item(displayPath + "!/" + name, path, path, archivesAround + 1);
    }

    /** How a member refused by its raw name is shown. */
    String memberDisplay(String rawName) {
        return displayPath + "!/" + Describe.name(rawName);
    }

    /** The same item with {@code .gz} (or {@code .tgz}'s {@code gz}) taken off its path, once it is unpacked. */
    Item gunzipped() {
        return new Item(displayPath, gunzippedName(path), memberPrefix, archivesAround);
    }

    static String gunzippedName(String name) {
        if (name.endsWith(".tgz")) {
            return name.substring(0, name.length() - 4) + ".tar";
        }
        if (name.endsWith(".gz") && name.length() > 3) {
            return name.substring(0, name.length() - 3);
        }
        return name;
    }
}

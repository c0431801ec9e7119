/**
 * Internal: turns what the user points at (a file, a directory, an archive, stdin) into a sequence of file-like
 * entries, within the bounds of {@link dev.rolloutdoctor.snapshot.LoadLimits}. Not API: names and signatures here
 * change without notice; the loader in {@code dev.rolloutdoctor.snapshot} is the only intended caller.
 *
 * <p>Safety rules the package keeps, whatever the input:
 * <ul>
 *   <li>Nothing is ever written to disk, and entry names are logical keys, never file paths. Names with {@code ..}
 *       segments, absolute names and names longer than {@code maxPathLength} are refused.</li>
 *   <li>Symbolic and hard links are reported with {@link dev.rolloutdoctor.snapshot.io.InputLink}, never followed,
 *       neither in archives nor in directories; so nothing outside the input root is ever read.</li>
 *   <li>Archives are recognised by their first bytes (gzip, zip, tar's {@code ustar}), and by the name only for
 *       old tars without magic. {@code .tar.gz} counts as one archive; an archive or {@code .gz} inside an archive
 *       is opened only up to {@code maxArchiveDepth} levels.</li>
 *   <li>Memory stays bounded: an entry is read into memory only up to {@code maxEntryBytes + 1}, and never past a quarter of the heap; tar headers
 *       (PAX, GNU long names) and gzip headers larger than 1 MiB stop the archive before commons-compress
 *       buffers them.</li>
 *   <li>{@code maxTotalBytes} counts the bytes read from plain files and stdin plus every byte that comes out of
 *       a decompressor (including data skipped over); {@code maxEntries} counts every file, directory, link and
 *       archive member looked at. Both hold across all reads made with one
 *       {@link dev.rolloutdoctor.snapshot.io.InputReader}.</li>
 *   <li>Bad input never throws: it becomes a {@link dev.rolloutdoctor.snapshot.LoadProblem} and the rest is read.</li>
 * </ul>
 *
 * <p>Known limit: ZIP archives are read as a stream, which carries no file modes, so a symbolic link stored in a
 * ZIP arrives as a small entry holding its target text.
 */
package dev.rolloutdoctor.snapshot.io;

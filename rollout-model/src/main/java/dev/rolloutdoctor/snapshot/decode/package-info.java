/**
 * Internal: the document tree the loader builds for one object at a time, and the decoders that turn it into the
 * records of {@code dev.rolloutdoctor.model}. Not API: names and signatures here change without notice.
 *
 * <p>Why a tree of our own rather than Jackson's {@code JsonNode}: every node keeps the text of its scalar exactly
 * as written (YAML 1.1 would read {@code 1.10}, {@code yes} or {@code 0644} as other values) and the line and
 * column it was read at, so a field of the wrong type becomes a problem that names file, line and field path.
 */
package dev.rolloutdoctor.snapshot.decode;

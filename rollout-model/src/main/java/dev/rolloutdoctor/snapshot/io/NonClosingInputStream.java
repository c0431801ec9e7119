package dev.rolloutdoctor.snapshot.io;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Lets a reader close what it wrapped (a gzip inflater, say) without closing the archive or stdin underneath. */
final class NonClosingInputStream extends FilterInputStream {

    NonClosingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
        // the owner of the underlying stream closes it
    }
}

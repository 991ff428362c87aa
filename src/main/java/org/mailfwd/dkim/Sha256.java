package org.mailfwd.dkim;

import java.io.IOException;
import java.io.OutputStream;

/** A SHA-256 digest being computed: write the data to {@link #stream()}, then finish. */
interface Sha256 extends AutoCloseable {
    /** Where the data goes; closing it is not needed and not done. */
    OutputStream stream();

    /** The 32-byte digest of everything written. */
    byte[] finish() throws IOException;

    /** Gives up a digest that was not finished. */
    @Override
    default void close() {
    }
}

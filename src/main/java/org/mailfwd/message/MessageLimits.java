package org.mailfwd.message;

/**
 * Bounds on what the reader keeps in memory.
 *
 * @param maxHeaderBytes the header section kept and parsed in memory, From_ line included;
 *     what follows a longer header is passed on untouched as part of the body, as Postfix
 *     does past header_size_limit, so the message is still delivered byte for byte (a
 *     From_ line longer than this fails with {@link MessageTooLargeException})
 * @param bodyMemoryBytes the part of the body kept in memory; the rest goes to a
 *     temporary file, so a 100 MB message needs no 100 MB heap
 * @param maxMessageBytes a message larger than this fails permanently (5.3.4); 0 means
 *     no limit
 */
public record MessageLimits(int maxHeaderBytes, int bodyMemoryBytes, long maxMessageBytes) {
    /** 1 MiB of header is far beyond any real message (Postfix keeps 100 KB by default). */
    public static final MessageLimits DEFAULT = new MessageLimits(1 << 20, 1 << 20, 0);

    public MessageLimits {
        if (maxHeaderBytes < 0 || bodyMemoryBytes < 0 || maxMessageBytes < 0) {
            throw new IllegalArgumentException("negative message limit");
        }
    }
}

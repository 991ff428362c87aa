package org.mailfwd.journal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;

/**
 * Names one message the same way on every delivery attempt: SHA-256 over its header fields
 * and body as received, leaving out what the MTA writes afresh per attempt.
 *
 * <p>Left out: the mbox From_ line (its date is the time of this attempt under procmail-style
 * setups and Postfix pipe(8) with the F flag), and the run of trace fields at the very top
 * that local delivery agents prepend: Exim's Delivery-date (the time of this attempt),
 * Envelope-to and Return-Path, Postfix local(8)'s Delivered-To and X-Original-To. qmail
 * passes the message unchanged and puts its lines in RPLINE/DTLINE instead. Only the
 * leading run is skipped: the same names lower down were written by earlier hops, once,
 * and belong to the message. Everything else, Received fields and Message-ID included, is
 * fixed when the message enters the queue, so two different messages never share a print
 * unless their bytes from the first hop on are the same.
 */
public final class Fingerprint {
    private static final Set<String> PER_ATTEMPT = Set.of("delivery-date", "envelope-to",
            "return-path", "delivered-to", "x-original-to");

    private Fingerprint() {
    }

    /** The print as 64 hex digits; reads the body once. */
    public static String of(Message message) throws IOException {
        MessageDigest digest = sha256();
        List<HeaderField> fields = message.fields();
        int first = 0;
        while (first < fields.size()
                && PER_ATTEMPT.contains(fields.get(first).name().toLowerCase(Locale.ROOT))) {
            first++;
        }
        for (HeaderField field : fields.subList(first, fields.size())) {
            digest.update(field.raw());
        }
        try (InputStream body = message.body().openStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's own contract).
            throw new IllegalStateException(e);
        }
    }
}

package org.mailfwd.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.jdkim.api.Headers;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.tagvalue.SignatureRecordTemplate;
import org.mailfwd.message.HeaderField;

/**
 * Makes DKIM-Signature fields with jDKIM for a header section and a body, one or more
 * signatures in one pass over the body (dual RSA + Ed25519 signing reads the body once).
 *
 * <p>This class and its helpers are the only ones that touch jDKIM, and nothing on the
 * delivery path refers to them unless a message is signed: loading jDKIM costs start-up
 * time that every other message would pay for nothing. From jDKIM it uses the signature
 * record and the header canonicalization, fed into a {@link HeaderSignature}; the body
 * streams through our own {@link BodyCanonicalizer}, which keeps memory flat for large
 * bodies; the hashing and signing are {@link Crypto}'s. It works around jDKIM's bugs: 8-bit
 * header bytes ({@link HeaderText}), header names lowercased with the default locale (our
 * h= names are lowercase ASCII already, so a Turkish locale has nothing to change) and the
 * unfolded result ({@link SignatureFolder}).
 */
public final class MessageSigner {
    /**
     * The fields signed when present: those a reader sees or that decide how the body is
     * shown. Trace and list fields are left out, since relays add to them on the way.
     */
    static final List<String> SIGNED_FIELDS = List.of("from", "reply-to", "subject", "date",
            "message-id", "to", "cc", "in-reply-to", "references", "mime-version",
            "content-type", "content-transfer-encoding", "content-disposition");

    private MessageSigner() {
    }

    /** A signature that could not be made; the message says why, in plain words. */
    public static final class SigningException extends Exception {
        private static final long serialVersionUID = 1L;

        SigningException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One signature ready to sign with: its spec and its checked key file. */
    public record Signing(SignatureSpec spec, SigningKey key) {
    }

    /**
     * Signs; returns the value of each new DKIM-Signature field (the text after the colon,
     * folded with CRLF), in the order of {@code signings}.
     *
     * @param header the header fields exactly as they will be handed off
     * @param body the body, read once
     * @param now seconds since the epoch, for t=
     * @param crypto who hashes and signs
     * @throws SigningKeyException when the JDK cannot use a key
     * @throws IOException on reading the body, or an {@link OpensslCrypto.Failure}
     */
    static List<String> sign(List<HeaderField> header, InputStream body,
            List<Signing> signings, long now, Crypto crypto)
            throws SigningException, SigningKeyException, IOException {
        FieldList fields = new FieldList(header);
        String h = String.join(":", signedNames(fields));
        List<SignatureRecord> records = new ArrayList<>();
        List<BodyHash> hashes = new ArrayList<>();
        List<Crypto.Signer> signers = new ArrayList<>();
        try {
            for (Signing signing : signings) {
                SignatureSpec spec = signing.spec();
                SignatureRecord record = new SignatureRecordTemplate("v=1; a="
                        + spec.algorithm().tag() + "; c=" + spec.canonicalization() + "; d="
                        + spec.domain() + "; s=" + spec.selector() + "; t=" + now + "; h=" + h
                        + "; bh=; b=;");
                records.add(record);
                hashes.add(new BodyHash(SignatureRecord.RELAXED.equals(
                        record.getBodyCanonicalisationMethod()), crypto.sha256()));
                // Started before the body is read, so the key is ready when the hash is.
                signers.add(crypto.signer(spec.algorithm(), signing.key()));
            }
            hashBody(body, hashes);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < signings.size(); i++) {
                SignatureSpec spec = signings.get(i).spec();
                SignatureRecord record = records.get(i);
                record.setBodyHash(hashes.get(i).finish());
                HeaderSignature signature = new HeaderSignature(spec.algorithm(),
                        signers.get(i));
                HeaderHash.update(signature, fields, record);
                record.setSignature(signature.signData());
                boolean simpleHeader = spec.canonicalization().startsWith("simple");
                values.add(SignatureFolder.fold(record.toString(), simpleHeader));
            }
            return values;
        } catch (GeneralSecurityException | PermFailException | IllegalStateException e) {
            throw new SigningException("could not sign: " + e.getMessage(), e);
        } finally {
            // Whatever was not finished (a failure on the way) is given up, openssl killed.
            hashes.forEach(BodyHash::close);
            signers.forEach(Crypto.Signer::close);
        }
    }

    /**
     * Every instance of each signed name, and From once more than it occurs: an extra,
     * absent From in h= makes any From added later break the signature (oversigning).
     */
    private static List<String> signedNames(FieldList fields) throws SigningException {
        int froms = fields.getFields("from").size();
        if (froms != 1) {
            throw new SigningException(froms == 0 ? "message has no From field"
                    : "message has " + froms + " From fields", null);
        }
        List<String> names = new ArrayList<>();
        for (String name : SIGNED_FIELDS) {
            int count = fields.getFields(name).size() + (name.equals("from") ? 1 : 0);
            for (int i = 0; i < count; i++) {
                names.add(name);
            }
        }
        return names;
    }

    /** Writes the body once to every hash. */
    private static void hashBody(InputStream body, List<BodyHash> hashes) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = body.read(buffer)) >= 0) {
            for (BodyHash hash : hashes) {
                hash.write(buffer, 0, n);
            }
        }
    }

    /** The header as jDKIM reads it: the fields in order, each in {@link HeaderText}. */
    static final class FieldList implements Headers {
        private final List<String> names = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();

        FieldList(List<HeaderField> header) {
            for (HeaderField field : header) {
                byte[] raw = field.raw();
                names.add(field.name().toLowerCase(Locale.ROOT));
                texts.add(HeaderText.escape(raw, 0, raw.length));
            }
        }

        @Override
        public List<String> getFields() {
            return List.copyOf(texts);
        }

        @Override
        public List<String> getFields(String name) {
            List<String> found = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    found.add(texts.get(i));
                }
            }
            return found;
        }
    }
}

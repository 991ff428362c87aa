package org.mailfwd.dkim;

import java.security.Signature;
import java.security.SignatureException;
import org.apache.james.jdkim.DKIMCommon;
import org.apache.james.jdkim.api.Headers;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.PermFailException;

/**
 * jDKIM's header canonicalization, fed into a signature we made ourselves. jDKIM's
 * {@code DKIMSigner} would look the signature up through the JCA provider list; its
 * canonicalization is reachable only from a subclass of {@code DKIMCommon}, hence this one.
 */
final class HeaderHash extends DKIMCommon {
    private HeaderHash() {
    }

    /**
     * Writes the fields named in the record's h= tag, bottom-up per name as RFC 6376 section
     * 5.4.2 says, then the DKIM-Signature field with an empty b=, into {@code signature}.
     */
    static void update(Signature signature, Headers fields, SignatureRecord record)
            throws SignatureException, PermFailException {
        signatureCheck(fields, record, record.getHeaders(), signature);
    }
}

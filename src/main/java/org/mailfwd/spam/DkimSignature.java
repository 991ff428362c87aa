package org.mailfwd.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;

/**
 * The parts of a DKIM-Signature field that say what a header edit would break: the signing
 * domain (d=), the selector (s=) and the signed header list (h=, names lowercased, repeats
 * kept). Nothing is verified here; a signature that already fails is still listed, because
 * telling a valid signature from a broken one needs DNS, and a tag must not decide on that.
 */
public record DkimSignature(String signingDomain, String selector, List<String> signedHeaders) {

    public DkimSignature {
        signedHeaders = List.copyOf(signedHeaders);
    }

    /**
     * Every DKIM-Signature of the message that has an h= list, top to bottom.
     * TODO(#4): ARC-Message-Signature covers the Subject too; a tag breaks it unreported.
     */
    public static List<DkimSignature> of(Message message) {
        List<DkimSignature> signatures = new ArrayList<>();
        for (HeaderField field : message.fields("DKIM-Signature")) {
            Optional<DkimSignature> signature = parse(field.value());
            if (signature.isPresent()) {
                signatures.add(signature.get());
            }
        }
        return signatures;
    }

    /** Reads the tag list of RFC 6376 section 3.2; empty without an h= tag. */
    static Optional<DkimSignature> parse(String value) {
        String domain = "";
        String selector = "";
        List<String> headers = null;
        for (String tag : value.split(";")) {
            int equals = tag.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = tag.substring(0, equals).strip();
            String tagValue = tag.substring(equals + 1).replaceAll("[ \t\r\n]", "");
            switch (name) {
                case "d" -> domain = tagValue;
                case "s" -> selector = tagValue;
                case "h" -> headers = names(tagValue);
                default -> { }
            }
        }
        return headers == null ? Optional.empty()
                : Optional.of(new DkimSignature(domain, selector, headers));
    }

    private static List<String> names(String list) {
        List<String> names = new ArrayList<>();
        for (String name : list.split(":")) {
            if (!name.isEmpty()) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /**
     * Whether changing the field that is {@code fromTop}-th (0 = topmost) of {@code count}
     * fields with this name changes what this signature hashed. RFC 6376 section 5.4.2: h=
     * takes instances from the bottom up, one per listing, so with k listings the bottom k
     * instances are signed; listings beyond the instances present sign "no such field"
     * (oversigning), which adding one breaks: pass {@code fromTop} = -1 for a field added
     * on top.
     */
    public boolean covers(String name, int fromTop, int count) {
        int listed = 0;
        for (String signed : signedHeaders) {
            if (signed.equalsIgnoreCase(name)) {
                listed++;
            }
        }
        int fromBottom = fromTop < 0 ? count : count - 1 - fromTop;
        return listed > fromBottom;
    }

    /** "d=example.com s=sel", for the log and the dry run. */
    public String display() {
        return "d=" + signingDomain + " s=" + selector;
    }
}

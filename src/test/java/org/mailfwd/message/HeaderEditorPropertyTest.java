package org.mailfwd.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The header editor writes only valid fields: whatever name and value it is given (qmail's
 * DTLINE comes from the environment, which qmail-command(8) calls untrusted), it either
 * refuses with IllegalArgumentException and leaves the message as it was, or adds exactly
 * one field of that name, which reads back as one field on top of the unchanged rest.
 */
class HeaderEditorPropertyTest {
    private static final byte[] MESSAGE = "Subject: s\nFrom: a@example.org\n\nbody\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Property(tries = 2000)
    void aPrependedLineIsOneValidFieldOrRefused(@ForAll("hostileLine") String line)
            throws IOException {
        try (Message message = read(MESSAGE)) {
            ForwardedMessage forwarded = new ForwardedMessage(message);
            try {
                forwarded.prependLine("Delivered-To", line);
            } catch (IllegalArgumentException refused) {
                assertThat(forwarded.added()).isEmpty();
                assertThat(bytes(forwarded)).isEqualTo(MESSAGE);
                return;
            }
            byte[] out = bytes(forwarded);
            try (Message again = read(out)) {
                assertThat(again.fields()).hasSize(3);
                assertThat(again.fields().get(0).name()).isEqualToIgnoringCase("Delivered-To");
                assertThat(again.fields().get(0).raw()).isEqualTo(forwarded.added().get(0).raw());
            }
            String rest = new String(out, StandardCharsets.ISO_8859_1)
                    .substring(forwarded.added().get(0).raw().length);
            assertThat(rest.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(MESSAGE);
        }
    }

    @Provide
    Arbitrary<String> hostileLine() {
        Arbitrary<String> tokens = Arbitraries.of("Delivered-To: ", "delivered-to:", "X: ",
                "alice@example.org", "\n", "\r\n", "\r", "\0", " ", "\t", ":", "\u00e9",
                "\u2028", "\u001f", "\u007f", "a".repeat(990), "\n ", "\n\n", "Bcc: x@y\n");
        return tokens.list().ofMaxSize(8).map(list -> String.join("", list));
    }

    private static Message read(byte[] bytes) throws IOException {
        return new MessageReader(MessageLimits.DEFAULT).read(new ByteArrayInputStream(bytes));
    }

    private static byte[] bytes(ForwardedMessage forwarded) throws IOException {
        try (InputStream in = forwarded.openStream()) {
            return in.readAllBytes();
        }
    }
}

package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mailfwd.handoff.SmtpTestSupport.message;
import static org.mailfwd.handoff.SmtpTestSupport.recipient;
import static org.mailfwd.handoff.SmtpTestSupport.sender;
import static org.mailfwd.handoff.SmtpTestSupport.settings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailfwd.handoff.SmtpSettings.TlsMode;

/**
 * A DKIM signature that verifies before the hand-off still verifies as the SMTP server
 * received it. The verifier is Debian's python3-dkim (dkimpy), with keys from a file, never
 * DNS. The input is given with LF line ends, as an MTA's pipe hands it to us, so the test
 * also covers the LF to CRLF conversion and dot-stuffing.
 */
class SmtpDkimTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path CORPUS = Path.of(System.getProperty("mailfwd.corpus",
            "../shared/corpus")).resolve("mail-dkim");

    private static Boolean dkimpy;

    /** Verifies the first DKIM signature of argv[1] with the TXT records of argv[2]. */
    private static final String VERIFY = """
            import sys, dkim
            records = {}
            for line in open(sys.argv[2], encoding='utf-8'):
                line = line.strip()
                if line and not line.startswith('#'):
                    name, _, value = line.partition(' ')
                    records[name.rstrip('.').lower()] = value.strip().encode()
            def dns(name, timeout=5):
                name = name.decode() if isinstance(name, bytes) else name
                return records.get(name.rstrip('.').lower())
            message = open(sys.argv[1], 'rb').read()
            print('pass' if dkim.DKIM(message, minkey=512).verify(dnsfunc=dns) else 'fail')
            """;

    /** Signs argv[1] with the PEM key argv[2] as s=test d=example.test; writes argv[3]. */
    private static final String SIGN = """
            import sys, dkim
            message = open(sys.argv[1], 'rb').read()
            key = open(sys.argv[2], 'rb').read()
            signature = dkim.sign(message, b'test', b'example.test', key,
                                  include_headers=[b'from', b'to', b'subject'])
            open(sys.argv[3], 'wb').write(signature + message)
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"good_1878523.txt", "good_qp_1.txt", "good_rfc4871_3.txt",
            "good_rfc4871_4.txt", "goodkey_1.txt", "goodkey_3.txt", "goodkey_4.txt",
            "goodkey_ed25519.txt"})
    void corpusSignatureStillVerifiesAsReceived(String name, @TempDir Path dir)
            throws Exception {
        requireTools(true);
        Path original = CORPUS.resolve(name);
        Path dns = CORPUS.resolve("FAKE_DNS.dat");
        assertThat(verify(original, dns)).as("verdict before hand-off").isEqualTo("pass");

        byte[] received = handOff(lf(Files.readAllBytes(original)));

        Path file = dir.resolve("received.eml");
        Files.write(file, received);
        assertThat(verify(file, dns)).as("verdict as received").isEqualTo("pass");
    }

    @Test
    void signedMessageWithDotsAndEightBitStillVerifies(@TempDir Path dir) throws Exception {
        requireTools(false);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pkcs1(keys.getPrivate().getEncoded()))
                + "\n-----END RSA PRIVATE KEY-----\n");
        Path dns = dir.resolve("dns.txt");
        Files.writeString(dns, "test._domainkey.example.test v=DKIM1; k=rsa; p="
                + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n");
        Path unsigned = dir.resolve("unsigned.eml");
        Files.writeString(unsigned, "From: a@example.test\r\nTo: b@example.net\r\n"
                + "Subject: dots\r\n\r\n.\r\n..two dots\r\n.one dot\r\ncaf\u00e9\r\n"
                + "no final line end", StandardCharsets.UTF_8);
        Path signed = dir.resolve("signed.eml");
        python(SIGN, unsigned.toString(), key.toString(), signed.toString());
        assertThat(verify(signed, dns)).as("verdict before hand-off").isEqualTo("pass");

        byte[] received = handOff(lf(Files.readAllBytes(signed)));

        Path file = dir.resolve("received.eml");
        Files.write(file, received);
        assertThat(verify(file, dns)).as("verdict as received").isEqualTo("pass");
    }

    /**
     * dkimpy reads PKCS#1 keys only; the JDK writes PKCS#8, which for RSA is a fixed 26-byte
     * header (version, algorithm rsaEncryption, octet string) around the PKCS#1 key.
     */
    private static byte[] pkcs1(byte[] pkcs8) {
        byte[] header = {0x30, (byte) 0x82, 0, 0, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09,
            0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05,
            0x00, 0x04, (byte) 0x82};
        for (int i = 0; i < header.length; i++) {
            assertThat(i == 2 || i == 3 || pkcs8[i] == header[i]).as("PKCS#8 byte " + i)
                    .isTrue();
        }
        return Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    }

    /** Hands off through SMTP and returns the message as the server has it (dots undone). */
    private static byte[] handOff(byte[] input) throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            new SmtpHandoff(settings(server.port(), TlsMode.OFF)).handOff(
                    sender("s@example.org"), List.of(recipient("a@example.net")),
                    message(input));
            server.awaitEnd();
            return undoDotStuffing(server.data());
        }
    }

    private static byte[] undoDotStuffing(byte[] wire) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (byte b : wire) {
            if (!(lineStart && b == '.')) {
                out.write(b);
            }
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    private static byte[] lf(byte[] crlf) {
        return new String(crlf, StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String verify(Path message, Path dns) throws Exception {
        return python(VERIFY, message.toString(), dns.toString()).strip();
    }

    private static String python(String script, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(List.of(arguments));
        return new String(run(command), StandardCharsets.UTF_8);
    }

    private static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect
                .DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed: " + new String(output,
                    StandardCharsets.UTF_8));
        }
        return output;
    }

    /** Starting Python costs most of a second on this machine: ask once per run. */
    private static synchronized boolean dkimpyPresent() throws Exception {
        if (dkimpy == null) {
            dkimpy = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
                    "import dkim").start().waitFor() == 0;
        }
        return dkimpy;
    }

    /** Skips with the reason when a tool is missing locally; on CI (CI=true) that fails. */
    private static void requireTools(boolean corpus) throws Exception {
        List<String> missing = new ArrayList<>();
        if (!dkimpyPresent()) {
            missing.add("python3-dkim (apt-get install python3-dkim) for /usr/bin/python3");
        }
        if (corpus && !Files.isRegularFile(CORPUS.resolve("FAKE_DNS.dat"))) {
            missing.add("the corpus at " + CORPUS.toAbsolutePath());
        }
        if (missing.isEmpty()) {
            return;
        }
        String reason = "DKIM check needs " + String.join(" and ", missing);
        if ("true".equals(System.getenv("CI"))) {
            fail(reason);
        }
        Assumptions.abort(reason);
    }
}

package org.mailfwd.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mailfwd.text.Printable;

/**
 * Signing with openssl(1): the body hash streams into {@code openssl dgst -sha256}, and an
 * RSA signature is {@code openssl dgst -sha256 -sign KEY} over the header data.
 *
 * <p>Why a program and not the JDK: every message starts a new JVM, and in a fresh one the
 * JDK's crypto is slow for reasons that have nothing to do with the message. Its provider
 * set-up costs about 11 ms, reading the key 3-5 ms, and the first RSA-2048 signature about
 * 20 ms, because the launcher's JIT (C1 only, chosen for start-up) compiles the big-number
 * arithmetic late and without the intrinsics C2 has; SHA-256 runs at about a tenth of
 * sha256sum's speed for the same reason. openssl does each in a few milliseconds, starting
 * included (docs/performance.md has the measurements).
 *
 * <p>openssl is an accelerator, never a second source of truth: its RSA signatures are the
 * JDK's byte for byte (PKCS#1 v1.5 has no randomness), and {@link Signatures} signs again
 * with the JDK when anything here fails. The key file is named to openssl, never passed in
 * its environment or arguments; openssl runs with an empty environment, so nothing from
 * the MTA's can change what it does, and {@code -passin pass:} makes an encrypted key fail
 * at once instead of asking for a passphrase. Ed25519 stays with the JDK.
 */
final class OpensslCrypto implements Crypto {
    /** Where Debian's openssl package puts it. */
    static final Path DEFAULT = Path.of("/usr/bin/openssl");
    private static final int SHA256_BYTES = 32;
    /** An RSA-16384 signature; anything longer is not a signature. */
    private static final int MAX_SIGNATURE_BYTES = 2048;
    private static final long TIMEOUT_SECONDS = 30;

    private final Path program;
    private final JdkCrypto jdk = new JdkCrypto();

    OpensslCrypto(Path program) {
        this.program = program;
    }

    /** openssl at its Debian place, when it is there and may be run. */
    static Optional<Crypto> installed() {
        return Files.isExecutable(DEFAULT) ? Optional.of(new OpensslCrypto(DEFAULT))
                : Optional.empty();
    }

    /** openssl could not do its part; the caller signs with the JDK instead. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Sha256 sha256() throws Failure {
        Process process = start(List.of("dgst", "-sha256", "-binary"));
        OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws Failure {
                try {
                    process.getOutputStream().write(b, off, len);
                } catch (IOException e) {
                    process.destroyForcibly();
                    throw new Failure("openssl dgst stopped reading: " + e.getMessage(), e);
                }
            }
        };
        return new Sha256() {
            @Override
            public OutputStream stream() {
                return stream;
            }

            @Override
            public void close() {
                process.destroyForcibly(); // nothing once it has ended
            }

            @Override
            public byte[] finish() throws Failure {
                byte[] digest = OpensslCrypto.finish(process, "openssl dgst");
                if (digest.length != SHA256_BYTES) {
                    throw new Failure("openssl dgst gave " + digest.length
                            + " bytes, not a SHA-256 digest", null);
                }
                return digest;
            }
        };
    }

    @Override
    public Signer signer(DkimAlgorithm algorithm, SigningKey key) throws Failure {
        if (algorithm != DkimAlgorithm.RSA_SHA256) {
            return jdk.signer(algorithm, key);
        }
        // rsa_padding_mode makes openssl refuse a key that is not RSA (an EC key would
        // otherwise give an ECDSA signature under a=rsa-sha256).
        Process process = start(List.of("dgst", "-sha256", "-sign",
                key.file().toAbsolutePath().toString(), "-sigopt", "rsa_padding_mode:pkcs1",
                "-passin", "pass:"));
        return new Signer() {
            @Override
            public byte[] sign(byte[] data) throws Failure {
                return OpensslCrypto.sign(process, data);
            }

            @Override
            public void close() {
                process.destroyForcibly(); // nothing once it has ended
            }
        };
    }

    private static byte[] sign(Process process, byte[] data) throws Failure {
        IOException unread = null;
        try {
            process.getOutputStream().write(data);
        } catch (IOException e) {
            unread = e; // openssl ended early; its exit status tells why, and says it better
        }
        byte[] signature = finish(process, "openssl dgst -sign");
        if (unread != null) {
            // It exited 0 without reading all of the data: whatever it signed is not ours.
            throw new Failure("openssl dgst -sign stopped reading: " + unread.getMessage(),
                    unread);
        }
        if (signature.length == 0 || signature.length > MAX_SIGNATURE_BYTES) {
            throw new Failure("openssl dgst -sign gave " + signature.length
                    + " bytes, not an RSA signature", null);
        }
        return signature;
    }

    private Process start(List<String> arguments) throws Failure {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        try {
            return builder.start();
        } catch (IOException e) {
            throw new Failure("cannot run " + program + ": " + e.getMessage(), e);
        }
    }

    /** Closes openssl's input and returns its output, which must follow a zero exit. */
    private static byte[] finish(Process process, String what) throws Failure {
        try {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // openssl has ended already (the JDK then closes the pipe itself); its exit
                // status below says how.
            }
            // Binary output on success, error text otherwise (stderr is merged); both small.
            byte[] output = process.getInputStream().readNBytes(MAX_SIGNATURE_BYTES + 1);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new Failure(what + " did not end in " + TIMEOUT_SECONDS + " s", null);
            }
            if (process.exitValue() != 0) {
                String text = new String(output, StandardCharsets.ISO_8859_1).strip();
                int line = text.indexOf('\n');
                throw new Failure(what + " exited " + process.exitValue() + ": "
                        + Printable.of(line < 0 ? text : text.substring(0, line), 120), null);
            }
            return output;
        } catch (Failure e) {
            throw e;
        } catch (IOException e) {
            process.destroyForcibly();
            throw new Failure(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failure(what + ": interrupted", e);
        }
    }
}

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
 * with the JDK when anything here fails. openssl reads the key file itself, and might read
 * another key from it than the JDK (a file with two keys, a stray character the JDK's
 * base64 decoder skips), so each of its signatures must open with the public half of the
 * key as the JDK reads the file ({@link RsaPublicPart}) before it is used; a file we cannot
 * read that way is not given to openssl at all. Its standard output is taken as the result
 * only after a zero exit, and its error text is read apart. A watchdog kills an openssl
 * that makes no progress for 30 seconds, so a hung one costs a fallback, not the delivery.
 * openssl runs with an empty environment, so nothing from the MTA's can change what it
 * does, and {@code -passin pass:} makes an encrypted key fail at once instead of asking
 * for a passphrase. Ed25519 stays with the JDK.
 */
final class OpensslCrypto implements Crypto {
    /** Where Debian's openssl package puts it. */
    static final Path DEFAULT = Path.of("/usr/bin/openssl");
    private static final int SHA256_BYTES = 32;
    /** An RSA-16384 signature; anything longer is not a signature. */
    private static final int MAX_SIGNATURE_BYTES = 2048;
    private static final long DEFAULT_TIMEOUT_SECONDS = 30;
    private static final int MAX_ERROR_BYTES = 4096;

    private final Path program;
    private final long timeoutSeconds;
    private final JdkCrypto jdk = new JdkCrypto();

    OpensslCrypto(Path program) {
        this(program, DEFAULT_TIMEOUT_SECONDS);
    }

    /** @param timeoutSeconds how long openssl may make no progress before it is killed */
    OpensslCrypto(Path program, long timeoutSeconds) {
        this.program = program;
        this.timeoutSeconds = timeoutSeconds;
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
        Run run = start(List.of("dgst", "-sha256", "-binary"), "openssl dgst");
        run.progress();
        OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws Failure {
                try {
                    run.process.getOutputStream().write(b, off, len);
                    run.progress();
                } catch (IOException e) {
                    run.process.destroyForcibly();
                    throw new Failure(run.what + " stopped reading: " + run.why(e), e);
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
                run.process.destroyForcibly(); // nothing once it has ended
            }

            @Override
            public byte[] finish() throws Failure {
                byte[] digest = run.finish();
                if (digest.length != SHA256_BYTES) {
                    throw new Failure(run.what + " gave " + digest.length
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
        RsaPublicPart publicPart = key.rsaPublicPart().orElseThrow(() -> new Failure(
                "key file " + key.file() + " is not RSA as the JDK reads it; openssl might"
                        + " read it otherwise", null));
        // rsa_padding_mode makes openssl refuse a key that is not RSA (an EC key would
        // otherwise give an ECDSA signature under a=rsa-sha256).
        Run run = start(List.of("dgst", "-sha256", "-sign",
                key.file().toAbsolutePath().toString(), "-sigopt", "rsa_padding_mode:pkcs1",
                "-passin", "pass:"), "openssl dgst -sign");
        return new Signer() {
            @Override
            public byte[] sign(byte[] data) throws Failure {
                byte[] signature = run.sign(data);
                if (!publicPart.opens(signature)) {
                    throw new Failure(run.what + " signed with another key than the file's"
                            + " as the JDK reads it (" + signature.length + " bytes)", null);
                }
                return signature;
            }

            @Override
            public void close() {
                run.process.destroyForcibly(); // nothing once it has ended
            }
        };
    }

    private Run start(List<String> arguments, String what) throws Failure {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        try {
            return new Run(builder.start(), what, timeoutSeconds);
        } catch (IOException e) {
            throw new Failure("cannot run " + program + ": " + e.getMessage(), e);
        }
    }

    /**
     * One openssl process and its watchdog. The watchdog kills it once it has made no
     * progress for the timeout: taken no input while some was waiting, or not ended after
     * its input was closed. A signer waiting for its data while the body is hashed is not
     * counted as stuck, however long the body.
     */
    private static final class Run {
        /** No clock running: nothing is asked of openssl yet. */
        private static final long IDLE = Long.MAX_VALUE;

        final Process process;
        final String what;
        private final long timeoutSeconds;
        private volatile long quietSince = IDLE;
        private volatile boolean killed;

        Run(Process process, String what, long timeoutSeconds) {
            this.process = process;
            this.what = what;
            this.timeoutSeconds = timeoutSeconds;
            Thread watchdog = new Thread(this::watch, "openssl-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        void progress() {
            quietSince = System.nanoTime();
        }

        private void watch() {
            long limit = TimeUnit.SECONDS.toNanos(timeoutSeconds);
            try {
                while (!process.waitFor(1, TimeUnit.SECONDS)) {
                    long since = quietSince;
                    if (since != IDLE && System.nanoTime() - since > limit) {
                        killed = true;
                        process.destroyForcibly();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }

        String why(IOException e) {
            return killed ? "no progress in " + timeoutSeconds + " s, killed" : e.getMessage();
        }

        byte[] sign(byte[] data) throws Failure {
            progress();
            IOException unread = null;
            try {
                process.getOutputStream().write(data);
            } catch (IOException e) {
                unread = e; // openssl ended early; its exit status tells why, and better
            }
            byte[] signature = finish();
            if (unread != null) {
                // It exited 0 without reading all of the data: what it signed is not ours.
                throw new Failure(what + " stopped reading: " + why(unread), unread);
            }
            if (signature.length == 0 || signature.length > MAX_SIGNATURE_BYTES) {
                throw new Failure(what + " gave " + signature.length
                        + " bytes, not an RSA signature", null);
            }
            return signature;
        }

        /** Closes openssl's input; returns its output, which must follow a zero exit. */
        byte[] finish() throws Failure {
            progress();
            try {
                try {
                    process.getOutputStream().close();
                } catch (IOException e) {
                    // openssl has ended already (the JDK then closes the pipe itself); its
                    // exit status below says how.
                }
                // stdout holds the result only: error text goes to stderr, read after it.
                byte[] output = process.getInputStream().readNBytes(MAX_SIGNATURE_BYTES + 1);
                byte[] errors = process.getErrorStream().readNBytes(MAX_ERROR_BYTES);
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new Failure(what + " did not end in " + timeoutSeconds + " s", null);
                }
                if (killed) {
                    throw new Failure(what + ": no progress in " + timeoutSeconds
                            + " s, killed", null);
                }
                if (process.exitValue() != 0) {
                    String text = new String(errors, StandardCharsets.ISO_8859_1).strip();
                    int line = text.indexOf('\n');
                    throw new Failure(what + " exited " + process.exitValue() + ": "
                            + Printable.of(line < 0 ? text : text.substring(0, line)), null);
                }
                return output;
            } catch (Failure e) {
                throw e;
            } catch (IOException e) {
                process.destroyForcibly();
                throw new Failure(what + ": " + why(e), e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new Failure(what + ": interrupted", e);
            }
        }
    }
}

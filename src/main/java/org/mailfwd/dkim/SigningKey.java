package org.mailfwd.dkim;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Optional;

/**
 * A signing key as a delivery holds it: the file, checked the way ssh checks a key (private
 * to its owner, not too large, not encrypted), and the JDK's form of it only when the JDK
 * signs. openssl reads the file itself, so a delivery that signs with openssl never pays
 * for the JDK's key parsing (see {@link OpensslCrypto}).
 */
public final class SigningKey {
    private final Path file;
    private final DkimAlgorithm algorithm;
    private final byte[] der;
    private PrivateKey jdkKey;

    private SigningKey(Path file, DkimAlgorithm algorithm, byte[] der) {
        this.file = file;
        this.algorithm = algorithm;
        this.der = der;
    }

    /**
     * Checks the file without parsing the key.
     *
     * @throws SigningKeyException with a message that names the file and the fault
     */
    public static SigningKey open(Path file, DkimAlgorithm algorithm)
            throws SigningKeyException {
        return new SigningKey(file, algorithm, KeyFiles.check(file));
    }

    public Path file() {
        return file;
    }

    /** The RSA key's public half as the JDK would read the file; empty if not RSA to us. */
    Optional<RsaPublicPart> rsaPublicPart() {
        return algorithm == DkimAlgorithm.RSA_SHA256 ? RsaPublicPart.of(der) : Optional.empty();
    }

    /**
     * The key parsed by the JDK, which is also where a file that holds no usable key of
     * the algorithm is found out.
     */
    PrivateKey jdkKey() throws SigningKeyException {
        if (jdkKey == null) {
            jdkKey = KeyFiles.load(file, algorithm);
        }
        return jdkKey;
    }
}

package org.mailfwd.dkim;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
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
    private final List<byte[]> pkcs8;
    private PrivateKey jdkKey;

    private SigningKey(Path file, DkimAlgorithm algorithm, List<byte[]> pkcs8) {
        this.file = file;
        this.algorithm = algorithm;
        this.pkcs8 = pkcs8;
    }

    /**
     * Checks the file without parsing the key.
     *
     * @throws SigningKeyException with a message that names the file and the fault
     */
    public static SigningKey open(Path file, DkimAlgorithm algorithm)
            throws SigningKeyException {
        return new SigningKey(file, algorithm, KeyFiles.check(file, algorithm));
    }

    public Path file() {
        return file;
    }

    /**
     * The RSA key's public half, from what the JDK would be given for the file; empty when
     * that is not, strictly read, one RSA key of at least 1024 bits.
     */
    Optional<RsaPublicPart> rsaPublicPart() {
        if (algorithm != DkimAlgorithm.RSA_SHA256) {
            return Optional.empty();
        }
        for (byte[] der : pkcs8) {
            Optional<RsaPublicPart> part = RsaPublicPart.of(der);
            if (part.isPresent()) {
                return part;
            }
        }
        return Optional.empty();
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

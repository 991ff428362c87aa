package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The public half of a key file opens exactly the signatures its private key made. */
class RsaPublicPartTest {
    private static final byte[] DATA = "dkim-signature:v=1; b=".getBytes();

    @Test
    void opensTheJdksSignatureFromPkcs8AndPkcs1() throws Exception {
        byte[] pkcs8 = TestKeys.RSA.getPrivate().getEncoded();
        byte[] signature = sign(TestKeys.RSA, DATA);
        assertThat(RsaPublicPart.of(pkcs8)).hasValueSatisfying(part ->
                assertThat(part.opens(signature)).isTrue());
        byte[] pkcs1 = pkcs1Of(pkcs8);
        assertThat(RsaPublicPart.of(KeyFiles.pkcs1ToPkcs8(pkcs1))).hasValueSatisfying(part ->
                assertThat(part.opens(signature)).isTrue());
        assertThat(KeyFiles.pkcs1ToPkcs8(pkcs1)).isEqualTo(pkcs8);
    }

    /** Strict: what it reads, the JDK reads alike; anything more is left to the JDK. */
    @Test
    void readsOnlyExactlyOneTwoPrimeKeyOfAtLeast1024Bits() throws Exception {
        byte[] pkcs8 = TestKeys.RSA.getPrivate().getEncoded();
        byte[] trailing = Arrays.copyOf(pkcs8, pkcs8.length + 3);
        assertThat(RsaPublicPart.of(trailing)).as("bytes after the key").isEmpty();
        assertThat(RsaPublicPart.of(pkcs1Of(pkcs8))).as("PKCS#1 not wrapped").isEmpty();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(512);
        assertThat(RsaPublicPart.of(generator.generateKeyPair().getPrivate().getEncoded()))
                .as("512 bits").isEmpty();
    }

    @Test
    void refusesAnotherKeysSignatureAndNoise() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair other = generator.generateKeyPair();
        RsaPublicPart part = RsaPublicPart.of(TestKeys.RSA.getPrivate().getEncoded())
                .orElseThrow();
        assertThat(part.opens(sign(other, DATA))).isFalse();
        byte[] noise = new byte[256];
        new Random(1).nextBytes(noise);
        assertThat(part.opens(noise)).isFalse();
        assertThat(part.opens(new byte[256])).isFalse();
        byte[] good = sign(TestKeys.RSA, DATA);
        assertThat(part.opens(Arrays.copyOf(good, 255))).isFalse();
    }

    @Test
    void readsNothingButAnRsaPrivateKey() {
        assertThat(RsaPublicPart.of(TestKeys.ED25519.getPrivate().getEncoded())).isEmpty();
        assertThat(RsaPublicPart.of(new byte[] {0x30, 0x03, 0x02, 0x01})).isEmpty();
        assertThat(RsaPublicPart.of(new byte[0])).isEmpty();
        assertThat(RsaPublicPart.of("not a key".getBytes())).isEmpty();
    }

    private static byte[] sign(KeyPair pair, byte[] data) throws Exception {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(pair.getPrivate());
        rsa.update(data);
        return rsa.sign();
    }

    /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: the last OCTET STRING's body. */
    private static byte[] pkcs1Of(byte[] pkcs8) {
        // PrivateKeyInfo: 30 82 LL LL 02 01 00 30 0d <alg> 04 82 LL LL <pkcs1>
        int at = 4 + 3 + 15;
        int length = (pkcs8[at + 2] & 0xff) << 8 | pkcs8[at + 3] & 0xff;
        return Arrays.copyOfRange(pkcs8, at + 4, at + 4 + length);
    }
}

package io.voxgate.sip.signaling;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * Builds the PKCS#12 key store jain-sip's TLS layer reads (it takes a key store path, not PEM) from a PEM
 * certificate chain and a PEM private key: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC) or PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}), the key checked to be the certificate's. The file is written owner-readable only
 * and deleted on exit; a reload ({@link #keyStore}) keeps the store in memory.
 *
 * <p>Stateless; called at startup and on each reload.
 */
public final class TlsKeyStore {
    private TlsKeyStore() {
    }

    /**
     * Writes a key store holding the key and chain under alias {@code voxgate}.
     *
     * @return the key store file
     * @throws IllegalArgumentException naming the option whose file is unreadable, not the expected PEM, or not of the
     *                                  other's pair
     */
    public static Path buildPkcs12(final Path certificatePem, final Path privateKeyPem, final char[] password) {
        final KeyStore store = keyStore(certificatePem, privateKeyPem, password);
        try {
            final Path file = Files.createTempFile("voxgate-sip-tls", ".p12");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (final UnsupportedOperationException ex) {
                // Non-POSIX file systems keep their default permissions.
            }
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (final IOException | GeneralSecurityException ex) {
            throw new IllegalArgumentException("--sip-tls-key " + privateKeyPem + " cannot be stored with --sip-tls-cert "
                + certificatePem + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * A key store in memory holding the key and chain under alias {@code voxgate}, once the key is shown to be the
     * certificate's (a signature made with it verifies with the certificate's public key).
     *
     * @throws IllegalArgumentException naming the option whose file is unreadable, not the expected PEM, or not of the
     *                                  other's pair
     */
    static KeyStore keyStore(final Path certificatePem, final Path privateKeyPem, final char[] password) {
        final Collection<? extends Certificate> chain;
        try {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(Files.readAllBytes(certificatePem)));
        } catch (final IOException | GeneralSecurityException ex) {
            throw new IllegalArgumentException("--sip-tls-cert " + certificatePem + " is not a readable PEM certificate: "
                + ex.getMessage(), ex);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--sip-tls-cert " + certificatePem + " holds no certificate");
        }
        final PrivateKey key = readKey(privateKeyPem);
        final Certificate leaf = chain.iterator().next();
        if (!pair(key, leaf)) {
            throw new IllegalArgumentException("--sip-tls-key " + privateKeyPem + " is not the key of the certificate in --sip-tls-cert "
                + certificatePem);
        }
        try {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("voxgate", key, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (final IOException | GeneralSecurityException ex) {
            throw new IllegalArgumentException("--sip-tls-key " + privateKeyPem + " does not match --sip-tls-cert "
                + certificatePem + ": " + ex.getMessage(), ex);
        }
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    private static boolean pair(final PrivateKey key, final Certificate certificate) {
        final String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            case "EdDSA":
            case "Ed25519":
                algorithm = "Ed25519";
                break;
            default:
                return false;
        }
        final byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (final GeneralSecurityException ex) {
            return false;
        }
    }

    private static PrivateKey readKey(final Path privateKeyPem) {
        final String pem;
        try {
            pem = Files.readString(privateKeyPem, StandardCharsets.US_ASCII);
        } catch (final IOException ex) {
            throw new IllegalArgumentException("--sip-tls-key " + privateKeyPem + " is not readable: " + ex.getMessage(), ex);
        }
        final byte[] der;
        if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
            der = base64Body(pem, "PRIVATE KEY");
        } else if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            der = pkcs1ToPkcs8(base64Body(pem, "RSA PRIVATE KEY"));
        } else {
            throw new IllegalArgumentException("--sip-tls-key " + privateKeyPem + " must be an unencrypted PEM key "
                + "(BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY); convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        for (final String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (final GeneralSecurityException ex) {
                // Try the next algorithm.
            }
        }
        throw new IllegalArgumentException("--sip-tls-key " + privateKeyPem + " is not an RSA, EC or Ed25519 key");
    }

    private static byte[] base64Body(final String pem, final String label) {
        final String begin = "-----BEGIN " + label + "-----";
        final int start = pem.indexOf(begin) + begin.length();
        final int end = pem.indexOf("-----END " + label + "-----", start);
        if (end < 0) {
            throw new IllegalArgumentException("--sip-tls-key PEM block " + label + " is not terminated");
        }
        return Base64.getMimeDecoder().decode(pem.substring(start, end));
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (RFC 5208) so the JDK can read it. */
    private static byte[] pkcs1ToPkcs8(final byte[] pkcs1) {
        final byte[] algorithm = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01,
            0x01, 0x05, 0x00};
        final byte[] version = {0x02, 0x01, 0x00};
        final byte[] octetString = derTlv(0x04, pkcs1);
        final byte[] body = new byte[version.length + algorithm.length + octetString.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octetString, 0, body, version.length + algorithm.length, octetString.length);
        return derTlv(0x30, body);
    }

    private static byte[] derTlv(final int tag, final byte[] value) {
        final int length = value.length;
        final byte[] lengthBytes;
        if (length < 0x80) {
            lengthBytes = new byte[] {(byte) length};
        } else if (length < 0x100) {
            lengthBytes = new byte[] {(byte) 0x81, (byte) length};
        } else if (length < 0x10000) {
            lengthBytes = new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        } else {
            lengthBytes = new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
        }
        final byte[] out = new byte[1 + lengthBytes.length + length];
        out[0] = (byte) tag;
        System.arraycopy(lengthBytes, 0, out, 1, lengthBytes.length);
        System.arraycopy(value, 0, out, 1 + lengthBytes.length, length);
        return out;
    }
}

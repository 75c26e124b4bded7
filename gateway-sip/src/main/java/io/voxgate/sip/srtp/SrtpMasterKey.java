package io.voxgate.sip.srtp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An SRTP master key and master salt (RFC 3711 §3.2.1), as SDES carries them concatenated in base64
 * ({@code inline:}, RFC 4568 §6.1): 16 octets of key, then a salt of 14 octets (AES_CM suites) or 12 (AES-GCM,
 * RFC 7714 §8.2). It never prints its bytes: {@link #toString} is redacted so a key cannot reach a log by accident.
 *
 * <p>Threading: immutable after construction (it holds copies of the caller's arrays).
 */
public final class SrtpMasterKey {
    /** Length of the key and salt together for the AES_CM suites, as the base64 {@code inline:} value decodes. */
    public static final int LENGTH = SrtpCryptoSuite.MASTER_KEY_LENGTH + SrtpCryptoSuite.MASTER_SALT_LENGTH;
    /** Length of the key and salt together for AEAD_AES_128_GCM. */
    public static final int GCM_LENGTH = SrtpCryptoSuite.AEAD_AES_128_GCM.keyAndSaltLength();

    private final byte[] keyAndSalt;

    private SrtpMasterKey(final byte[] keyAndSalt) {
        this.keyAndSalt = keyAndSalt;
    }

    /**
     * A master key from its 30 octets (16 of key, then 14 of salt) or 28 (16 of key, then 12 of salt: AES-GCM).
     *
     * @throws IllegalArgumentException when the length is neither {@link #LENGTH} nor {@link #GCM_LENGTH}
     */
    public static SrtpMasterKey of(final byte[] keyAndSalt) {
        if (keyAndSalt.length != LENGTH && keyAndSalt.length != GCM_LENGTH) {
            throw new IllegalArgumentException("an SRTP master key and salt are " + LENGTH + " or " + GCM_LENGTH
                + " octets, not " + keyAndSalt.length);
        }
        return new SrtpMasterKey(keyAndSalt.clone());
    }

    /**
     * A fresh random master key and salt for our side of a call, long enough for every suite: {@link #forSuite}
     * gives the one the negotiated suite takes.
     */
    public static SrtpMasterKey generate(final SecureRandom random) {
        final byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new SrtpMasterKey(bytes);
    }

    /** The key and salt in base64, as an {@code inline:} value carries them. */
    public String base64() {
        return Base64.getEncoder().encodeToString(keyAndSalt);
    }

    /**
     * This key as {@code suite} takes it: itself when its length fits, else its first
     * {@link SrtpCryptoSuite#keyAndSaltLength} octets (a generated key cut to AES-GCM's 12-octet salt).
     *
     * @throws IllegalArgumentException when the key is shorter than the suite needs
     */
    public SrtpMasterKey forSuite(final SrtpCryptoSuite suite) {
        final int length = suite.keyAndSaltLength();
        if (keyAndSalt.length == length) {
            return this;
        }
        if (keyAndSalt.length < length) {
            throw new IllegalArgumentException(suite.sdesName() + " needs a " + length + "-octet key and salt");
        }
        return new SrtpMasterKey(Arrays.copyOf(keyAndSalt, length));
    }

    /** Octets of key and salt together. */
    public int length() {
        return keyAndSalt.length;
    }

    /** A copy of the 16-octet master key. */
    byte[] key() {
        return Arrays.copyOfRange(keyAndSalt, 0, SrtpCryptoSuite.MASTER_KEY_LENGTH);
    }

    /** A copy of the master salt: 14 octets, or 12 for AES-GCM. */
    byte[] salt() {
        return Arrays.copyOfRange(keyAndSalt, SrtpCryptoSuite.MASTER_KEY_LENGTH, keyAndSalt.length);
    }

    /** Whether both hold the same bytes, compared in constant time. */
    public boolean sameAs(final SrtpMasterKey other) {
        return java.security.MessageDigest.isEqual(keyAndSalt, other.keyAndSalt);
    }

    @Override
    public String toString() {
        return "SrtpMasterKey[redacted]";
    }
}

package io.voxgate.sip.srtp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An SRTP master key and master salt (RFC 3711 §3.2.1), as SDES carries them concatenated in base64
 * ({@code inline:}, RFC 4568 §6.1). It never prints its bytes: {@link #toString} is redacted so a key cannot reach
 * a log by accident.
 *
 * <p>Threading: immutable after construction (it holds copies of the caller's arrays).
 */
public final class SrtpMasterKey {
    /** Length of the key and salt together, as the base64 {@code inline:} value decodes. */
    public static final int LENGTH = SrtpCryptoSuite.MASTER_KEY_LENGTH + SrtpCryptoSuite.MASTER_SALT_LENGTH;

    private final byte[] keyAndSalt;

    private SrtpMasterKey(final byte[] keyAndSalt) {
        this.keyAndSalt = keyAndSalt;
    }

    /**
     * A master key from its 30 octets (16 of key, then 14 of salt).
     *
     * @throws IllegalArgumentException when the length is not {@link #LENGTH}
     */
    public static SrtpMasterKey of(final byte[] keyAndSalt) {
        if (keyAndSalt.length != LENGTH) {
            throw new IllegalArgumentException("an SRTP master key and salt are " + LENGTH + " octets, not "
                + keyAndSalt.length);
        }
        return new SrtpMasterKey(keyAndSalt.clone());
    }

    /** A fresh random master key and salt for our side of a call. */
    public static SrtpMasterKey generate(final SecureRandom random) {
        final byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new SrtpMasterKey(bytes);
    }

    /** The key and salt in base64, as an {@code inline:} value carries them. */
    public String base64() {
        return Base64.getEncoder().encodeToString(keyAndSalt);
    }

    /** A copy of the 16-octet master key. */
    byte[] key() {
        return Arrays.copyOfRange(keyAndSalt, 0, SrtpCryptoSuite.MASTER_KEY_LENGTH);
    }

    /** A copy of the 14-octet master salt. */
    byte[] salt() {
        return Arrays.copyOfRange(keyAndSalt, SrtpCryptoSuite.MASTER_KEY_LENGTH, LENGTH);
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

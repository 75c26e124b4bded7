package io.voxgate.sip.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over two preallocated SHA-1 digests, for SRTP's authentication tag (RFC 3711 §4.2).
 * Written here because the JDK's {@code Mac} allocates its result array on every {@code doFinal}, even the variant
 * that writes into a caller's array; {@code MessageDigest.digest(byte[], int, int)} does not, and keeps the SHA-1
 * intrinsics.
 *
 * <p>Threading: confined to one thread. Holds key material; never printed.
 */
final class HmacSha1 {
    /** Length of the full HMAC-SHA1 output. */
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerDigest = new byte[LENGTH];

    /** An HMAC keyed with {@code key}, which SRTP keeps at 20 octets (shorter than the SHA-1 block). */
    HmacSha1(final byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("HMAC keys longer than one SHA-1 block are not used by SRTP");
        }
        try {
            inner = MessageDigest.getInstance("SHA-1");
            outer = MessageDigest.getInstance("SHA-1");
        } catch (final NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JDK has no SHA-1", ex);
        }
        for (int i = 0; i < BLOCK; i++) {
            final byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /** Starts a new message. */
    void start() {
        inner.reset();
        inner.update(innerPad);
    }

    /** Adds message octets. */
    void update(final byte[] bytes, final int offset, final int length) {
        inner.update(bytes, offset, length);
    }

    /** Finishes the message and writes the 20-octet HMAC into {@code out} at {@code offset}. */
    void finish(final byte[] out, final int offset) {
        try {
            inner.digest(innerDigest, 0, LENGTH);
            outer.reset();
            outer.update(outerPad);
            outer.update(innerDigest);
            outer.digest(out, offset, LENGTH);
        } catch (final DigestException ex) {
            throw new IllegalStateException("HMAC output array too short", ex);
        }
    }

    @Override
    public String toString() {
        return "HmacSha1[redacted]";
    }
}

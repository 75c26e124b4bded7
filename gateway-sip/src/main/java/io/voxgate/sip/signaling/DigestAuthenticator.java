package io.voxgate.sip.signaling;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP digest authentication of SIP requests (RFC 3261 §22.4 with RFC 2617 {@code qop=auth}), applied to every
 * source when configured (an allowed address alone proves little: Twilio's ranges carry every customer's trunk).
 *
 * <p>Nonces are the issue time in hex plus an HMAC-SHA256 over it with a key generated at startup, so any nonce the
 * gateway did not issue, or issued more than {@link #NONCE_LIFETIME_MS} ago, is refused (a stale one with
 * {@code stale=TRUE}, RFC 2617 §3.2.1, so the client retries without asking its user). Each nonce's highest
 * nonce-count is remembered for its lifetime: a request whose {@code nc} is not above it (or a second use of a nonce
 * without {@code qop}) is a replay ({@link Verdict#REPLAY}). The table is bounded by {@link #MAX_TRACKED_NONCES};
 * when full, expired nonces go first, and if none has expired new nonces are refused until one does. The password
 * never leaves this object and is never logged.
 *
 * <p>Thread-safe. Time is an argument (wall-clock ms).
 */
final class DigestAuthenticator {
    /** How long an issued nonce stays valid. */
    static final long NONCE_LIFETIME_MS = 300_000;
    /** Nonces whose nonce-count is tracked at once: far above the INVITEs of five minutes at the per-source rate limit. */
    static final int MAX_TRACKED_NONCES = 100_000;

    /** Outcome of a check. */
    enum Verdict {
        /** The credentials are right. */
        OK,
        /** The response digest, user or realm is wrong, or the nonce was never issued here. */
        BAD,
        /** Right credentials over an expired nonce: challenge again with {@code stale=TRUE}. */
        STALE,
        /** Right credentials, but this nonce-count was already used with this nonce: challenge again. */
        REPLAY
    }

    /** The fields of an Authorization header that the check uses. */
    static final class Credentials {
        final String username;
        final String realm;
        final String nonce;
        final String uri;
        final String response;
        final String cnonce;
        final String qop;
        final String nonceCount;

        Credentials(final String username, final String realm, final String nonce, final String uri, final String response,
                    final String cnonce, final String qop, final String nonceCount) {
            this.username = username;
            this.realm = realm;
            this.nonce = nonce;
            this.uri = uri;
            this.response = response;
            this.cnonce = cnonce;
            this.qop = qop;
            this.nonceCount = nonceCount;
        }
    }

    private final String realm;
    private final String username;
    private final String ha1;
    private final SecretKeySpec nonceKey;
    /** Per nonce: the highest nonce-count seen, the issue time, and 1 once it was used without qop. */
    private final Map<String, long[]> nonceCounts = new ConcurrentHashMap<>();

    DigestAuthenticator(final String realm, final String username, final String password, final byte[] nonceKey) {
        this.realm = realm;
        this.username = username;
        this.ha1 = md5Hex(username + ":" + realm + ":" + password);
        this.nonceKey = new SecretKeySpec(nonceKey.clone(), "HmacSHA256");
    }

    /** The realm challenged with. */
    String realm() {
        return realm;
    }

    /** A fresh nonce issued at {@code nowMs}. */
    String nonce(final long nowMs) {
        final String issued = Long.toHexString(nowMs);
        return issued + "." + mac(issued);
    }

    /** Checks credentials sent with a request of {@code method}. */
    Verdict verify(final String method, final Credentials c, final long nowMs) {
        if (c.username == null || c.nonce == null || c.uri == null || c.response == null
            || !username.equals(c.username) || !realm.equals(c.realm)) {
            return Verdict.BAD;
        }
        final int dot = c.nonce.indexOf('.');
        if (dot <= 0 || !constantTimeEquals(mac(c.nonce.substring(0, dot)), c.nonce.substring(dot + 1))) {
            return Verdict.BAD;
        }
        final long issuedMs;
        try {
            issuedMs = Long.parseUnsignedLong(c.nonce.substring(0, dot), 16);
        } catch (final NumberFormatException ex) {
            return Verdict.BAD;
        }
        final String ha2 = md5Hex(method + ":" + c.uri);
        final String expected;
        if (c.qop == null) {
            expected = md5Hex(ha1 + ":" + c.nonce + ":" + ha2);
        } else if ("auth".equalsIgnoreCase(c.qop) && c.cnonce != null && c.nonceCount != null) {
            expected = md5Hex(ha1 + ":" + c.nonce + ":" + c.nonceCount + ":" + c.cnonce + ":" + c.qop + ":" + ha2);
        } else {
            return Verdict.BAD;
        }
        if (!constantTimeEquals(expected, c.response.toLowerCase(Locale.ROOT))) {
            return Verdict.BAD;
        }
        if (nowMs - issuedMs > NONCE_LIFETIME_MS || issuedMs - nowMs > NONCE_LIFETIME_MS) {
            return Verdict.STALE;
        }
        return fresh(c.nonce, issuedMs, c.qop == null ? -1 : parseCount(c.nonceCount), nowMs) ? Verdict.OK : Verdict.REPLAY;
    }

    /**
     * Records a use of {@code nonce}: with qop, {@code count} must exceed the highest seen; without qop ({@code count}
     * -1) the nonce may be used once. False for a replay.
     */
    private boolean fresh(final String nonce, final long issuedMs, final long count, final long nowMs) {
        if (count < -1) {
            return false;
        }
        if (!nonceCounts.containsKey(nonce) && nonceCounts.size() >= MAX_TRACKED_NONCES) {
            nonceCounts.values().removeIf(e -> nowMs - e[1] > NONCE_LIFETIME_MS);
            if (nonceCounts.size() >= MAX_TRACKED_NONCES) {
                return false;
            }
        }
        final boolean[] accepted = new boolean[1];
        nonceCounts.compute(nonce, (k, seen) -> {
            final long[] entry = seen != null ? seen : new long[] {0, issuedMs, 0};
            if (count == -1 && entry[2] == 0) {
                accepted[0] = true;
                entry[2] = 1;
            } else if (count > entry[0]) {
                accepted[0] = true;
                entry[0] = count;
            }
            return entry;
        });
        return accepted[0];
    }

    private static long parseCount(final String nonceCount) {
        try {
            return nonceCount == null ? -2 : Long.parseLong(nonceCount, 16);
        } catch (final NumberFormatException ex) {
            return -2;
        }
    }

    private String mac(final String text) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(nonceKey);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)), 0, 16);
        } catch (final NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", ex);
        }
    }

    static String md5Hex(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException ex) {
            throw new IllegalStateException("MD5 is required of every JDK", ex);
        }
    }

    private static boolean constantTimeEquals(final String a, final String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}

package io.voxgate.websocket.twilio.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies the short-lived per-call token the webhook puts in the TwiML as {@code <Parameter
 * name="callToken">}, which Twilio hands back in the stream's {@code start.customParameters}: proof that the stream
 * belongs to a call this gateway answered, for streams whose upgrade carried no valid signature.
 *
 * <p>Format: {@code v1.<expiryEpochSeconds>.<base64url(HMAC-SHA256(secret, "v1." + callSid + "." + expiry))>},
 * without padding. The MAC binds the token to one CallSid and its expiry; verification recomputes it and compares in
 * constant time ({@link MessageDigest#isEqual}). The token is a secret of the call: never log it.
 *
 * <p>Threading: safe on any thread (a {@link Mac} per call to {@link #mac}; webhooks and stream starts are rare).
 */
public final class CallTokens {
    /** How a presented token fared. */
    public enum Verdict {
        /** Well-formed, for this call, not expired. */
        VALID,
        /** Absent. */
        MISSING,
        /** Not of the token format. */
        MALFORMED,
        /** Well-formed and authentic, but past its expiry. */
        EXPIRED,
        /** The MAC does not match: forged, for another call, or issued with another secret. */
        FORGED
    }

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final long ttlSeconds;

    /**
     * @param secret     the HMAC key (copied)
     * @param ttlSeconds how long a token stays valid
     * @throws IllegalArgumentException when the secret is shorter than 16 bytes or the TTL not positive
     */
    public CallTokens(final byte[] secret, final long ttlSeconds) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("call token secret must be at least 16 bytes, was " + secret.length);
        }
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("call token TTL must be positive, was " + ttlSeconds + " s");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.ttlSeconds = ttlSeconds;
    }

    /** A token for {@code callSid} that expires {@code ttlSeconds} after {@code nowEpochSeconds}. */
    public String issue(final String callSid, final long nowEpochSeconds) {
        final long expiry = nowEpochSeconds + ttlSeconds;
        return VERSION + "." + expiry + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(callSid, expiry));
    }

    /** Checks {@code token} for {@code callSid} at {@code nowEpochSeconds}. */
    public Verdict verify(final String callSid, final String token, final long nowEpochSeconds) {
        if (token == null || token.isEmpty()) {
            return Verdict.MISSING;
        }
        final int first = token.indexOf('.');
        final int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || !VERSION.equals(token.substring(0, first))) {
            return Verdict.MALFORMED;
        }
        final long expiry;
        final byte[] presented;
        try {
            expiry = Long.parseLong(token.substring(first + 1, second));
            presented = Base64.getUrlDecoder().decode(token.substring(second + 1));
        } catch (final IllegalArgumentException ex) {
            return Verdict.MALFORMED;
        }
        if (!MessageDigest.isEqual(mac(callSid, expiry), presented)) {
            return Verdict.FORGED;
        }
        return nowEpochSeconds <= expiry ? Verdict.VALID : Verdict.EXPIRED;
    }

    private byte[] mac(final String callSid, final long expiry) {
        try {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((VERSION + "." + callSid + "." + expiry).getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException | InvalidKeyException ex) {
            // HmacSHA256 is mandatory in every Java SE implementation; reaching this is a broken JVM.
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }
}

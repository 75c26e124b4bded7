package io.voxgate.websocket.vapi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook request comes from Vapi (protocols.md §5.6). Every comparison of a credential is
 * constant-time ({@link MessageDigest#isEqual}); bearer and header secrets are compared as SHA-256 digests, so
 * not even their length leaks. HMAC requests must carry a timestamp inside the replay window and a signature
 * not seen before. The window is one-sided: up to the configured age in the past, at most
 * {@value #MAX_FORWARD_SKEW_MS} ms in the future (clock skew), so a signature made for a later time cannot be held
 * back and replayed once the cache forgot it. The cache never forgets a signature before its window closes; when
 * it is full of live ones, requests are refused ({@link Verdict#CACHE_FULL}) rather than let a replay through.
 *
 * <p>Threading: safe on any thread; the replay cache is guarded by its own monitor (a few map operations per
 * request, off the media path). Units: epoch milliseconds for {@code nowEpochMs}.
 */
final class VapiWebhookAuthenticator {
    /** The outcome of a check. */
    enum Verdict {
        /** Authentic. */
        OK,
        /** No credential, or not in the expected shape. */
        MISSING,
        /** A credential that does not match. */
        FORGED,
        /** A valid signature with a timestamp outside the replay window. */
        STALE,
        /** A valid signature already accepted once. */
        REPLAYED,
        /** A valid signature refused because the replay cache is full of signatures still inside their window. */
        CACHE_FULL
    }

    /** Timestamps above this are read as milliseconds: Vapi does not document the unit (protocols.md §8 item 13). */
    private static final long MILLISECOND_TIMESTAMPS_FROM = 100_000_000_000L;
    /** How far ahead of our clock a timestamp may be: a few seconds of skew between Vapi's clock and ours. */
    static final long MAX_FORWARD_SKEW_MS = 5_000;

    private final VapiWebhookConfig config;
    private final byte[] secretDigest;
    private final Map<String, Long> seenSignatures = new LinkedHashMap<>();

    VapiWebhookAuthenticator(final VapiWebhookConfig config) {
        this.config = config;
        this.secretDigest = sha256(config.secret());
    }

    Verdict check(final Function<String, String> header, final byte[] body, final long nowEpochMs) {
        final String value = header.apply(config.headerName());
        if (value == null || value.isEmpty()) {
            return Verdict.MISSING;
        }
        switch (config.mode()) {
            case BEARER:
                if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                    return Verdict.MISSING;
                }
                return matchesSecret(value.substring(7).trim()) ? Verdict.OK : Verdict.FORGED;
            case SECRET_HEADER:
                return matchesSecret(value.trim()) ? Verdict.OK : Verdict.FORGED;
            default:
                return checkHmac(value.trim(), header, body, nowEpochMs);
        }
    }

    private Verdict checkHmac(final String signature, final Function<String, String> header, final byte[] body, final long nowEpochMs) {
        final String timestamp = config.includeTimestamp() ? header.apply(config.timestampHeader()) : "";
        if (timestamp == null || config.includeTimestamp() && timestamp.isBlank()) {
            return Verdict.MISSING;
        }
        final byte[] expected = (config.signaturePrefix() + encode(mac(timestamp.trim(), body))).getBytes(StandardCharsets.US_ASCII);
        final byte[] given = config.base64Signature() ? signature.getBytes(StandardCharsets.US_ASCII)
            : signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            return Verdict.FORGED;
        }
        final long windowMs = config.replayWindowS() * 1_000L;
        // Without a signed timestamp nothing bounds a replay in time; the signature is refused again for one window.
        long expiresAtMs = nowEpochMs + windowMs;
        if (config.includeTimestamp()) {
            final long sentAtMs = epochMs(timestamp.trim());
            if (sentAtMs < 0 || sentAtMs < nowEpochMs - windowMs || sentAtMs > nowEpochMs + MAX_FORWARD_SKEW_MS) {
                return Verdict.STALE;
            }
            expiresAtMs = sentAtMs + windowMs;
        }
        return remember(new String(given, StandardCharsets.US_ASCII), expiresAtMs, nowEpochMs);
    }

    /** Records a signature: OK when new, REPLAYED when known and unexpired, CACHE_FULL when there is no room. */
    private synchronized Verdict remember(final String signature, final long expiresAtMs, final long nowEpochMs) {
        final Long known = seenSignatures.get(signature);
        if (known != null && known >= nowEpochMs) {
            return Verdict.REPLAYED;
        }
        if (seenSignatures.size() >= config.replayCacheSize()) {
            // Only expired entries go; an unexpired one would let its replay through.
            final Iterator<Long> it = seenSignatures.values().iterator();
            while (it.hasNext()) {
                if (it.next() < nowEpochMs) {
                    it.remove();
                }
            }
            if (seenSignatures.size() >= config.replayCacheSize()) {
                return Verdict.CACHE_FULL;
            }
        }
        seenSignatures.put(signature, expiresAtMs);
        return Verdict.OK;
    }

    private boolean matchesSecret(final String given) {
        return MessageDigest.isEqual(secretDigest, sha256(given));
    }

    private byte[] mac(final String timestamp, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance(config.hmacAlgorithm());
            mac.init(new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), config.hmacAlgorithm()));
            if (config.includeTimestamp()) {
                mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
                mac.update((byte) '.');
            }
            return mac.doFinal(body);
        } catch (final GeneralSecurityException ex) {
            throw new IllegalStateException("every JDK provides " + config.hmacAlgorithm(), ex);
        }
    }

    private String encode(final byte[] mac) {
        if (config.base64Signature()) {
            return Base64.getEncoder().encodeToString(mac);
        }
        final StringBuilder hex = new StringBuilder(mac.length * 2);
        for (final byte b : mac) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    private static long epochMs(final String timestamp) {
        final long value;
        try {
            value = Long.parseLong(timestamp);
        } catch (final NumberFormatException ex) {
            return -1;
        }
        if (value < 0) {
            return -1;
        }
        return value >= MILLISECOND_TIMESTAMPS_FROM ? value : value * 1_000L;
    }

    private static byte[] sha256(final String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (final GeneralSecurityException ex) {
            throw new IllegalStateException("every JDK provides SHA-256", ex);
        }
    }
}

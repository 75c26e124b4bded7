package io.voxgate.testkit.twilio;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes {@code X-Twilio-Signature} as Twilio does (protocols.md §2.1): HMAC-SHA1, keyed with the auth token,
 * over the full URL followed by every POST parameter's name and value, sorted by name in byte order, Base64-encoded.
 * For a WebSocket upgrade the URL is the {@code wss://} one and there are no parameters (§2.5).
 *
 * <p>Immutable; safe on any thread. Holds the auth token; never logs it.
 */
public final class TwilioRequestSigner {
    private final SecretKeySpec key;

    /** A signer keyed with {@code authToken}. */
    public TwilioRequestSigner(final String authToken) {
        if (authToken == null || authToken.isEmpty()) {
            throw new IllegalArgumentException("auth token must not be empty");
        }
        this.key = new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    }

    /** The signature of a request to {@code url} with form {@code params} (empty for GET and upgrades). */
    public String sign(final String url, final Map<String, String> params) {
        final StringBuilder data = new StringBuilder(url);
        final List<String> names = new ArrayList<>(params.keySet());
        Collections.sort(names);
        for (final String name : names) {
            data.append(name).append(params.get(name));
        }
        try {
            final Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HmacSHA1 unavailable", ex);
        }
    }
}

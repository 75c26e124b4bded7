package io.voxgate.app.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin API's credential: checks an {@code Authorization: Bearer ...} header against the configured token in
 * constant time. Without a configured token nothing authenticates, so a loopback node without
 * {@code VOXGATE_ADMIN_TOKEN} refuses every calls API request rather than serving it to any local process.
 *
 * <p>Immutable; safe on any thread.
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";
    /** Longer headers are refused unread: no token of ours is that long. */
    private static final int MAX_HEADER_CHARS = 1_024;

    private final byte[] token;

    /** A check against {@code token}, or one that refuses everything when it is {@code null}. */
    public BearerToken(final String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code authorization} (the header's value, or {@code null}) carries the configured token. */
    public boolean accepts(final String authorization) {
        if (token == null || authorization == null || authorization.length() > MAX_HEADER_CHARS
            || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        final byte[] presented = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, presented);
    }
}

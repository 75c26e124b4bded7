package io.voxgate.websocket.vapi;

import java.util.Locale;

/**
 * How {@code POST /webhook/vapi} authenticates Vapi (protocols.md §5.6): a bearer token, the legacy
 * {@code X-Vapi-Secret} header, or an HMAC signature over the timestamp and the raw body, with a replay
 * window and a cache of signatures already seen.
 *
 * <p>Built once with {@link #bearer}, {@link #secretHeader} or {@link #hmac} plus {@code with...} modifiers;
 * every value is validated there and errors name the option. Immutable; safe on any thread;
 * {@link #toString()} never prints the secret.
 */
public final class VapiWebhookConfig {
    /** Environment variable holding the webhook secret (token, header value or HMAC key). */
    public static final String ENV_WEBHOOK_SECRET = "VAPI_WEBHOOK_SECRET";
    /** Config key of the authentication mode: {@code bearer}, {@code secret-header} or {@code hmac}. */
    public static final String OPTION_AUTH = "vapi.webhook-auth";
    /** Config key of the HMAC replay window, s. */
    public static final String OPTION_REPLAY_WINDOW_S = "vapi.webhook-replay-window-s";
    /** Default replay window: Vapi documents none (protocols.md §8 item 13); five minutes tolerates clock skew. */
    public static final int DEFAULT_REPLAY_WINDOW_S = 300;
    /** Default number of HMAC signatures remembered to refuse replays. */
    public static final int DEFAULT_REPLAY_CACHE_SIZE = 10_000;

    /** How requests are authenticated. */
    public enum Mode {
        /** {@code Authorization: Bearer <token>} (Vapi's Bearer credential, default header and prefix). */
        BEARER,
        /** {@code X-Vapi-Secret: <secret>} (the legacy inline {@code server.secret}). */
        SECRET_HEADER,
        /** {@code x-signature} = hex HMAC over {@code {timestamp}.{body}} with {@code x-timestamp} (Vapi's HMAC credential defaults). */
        HMAC
    }

    private final Mode mode;
    private final String secret;
    private final String headerName;
    private final String hmacAlgorithm;
    private final String timestampHeader;
    private final String signaturePrefix;
    private final boolean base64Signature;
    private final boolean includeTimestamp;
    private final int replayWindowS;
    private final int replayCacheSize;

    private VapiWebhookConfig(final Mode mode, final String secret, final String headerName, final String hmacAlgorithm,
                              final String timestampHeader, final String signaturePrefix, final boolean base64Signature,
                              final boolean includeTimestamp, final int replayWindowS, final int replayCacheSize) {
        this.mode = mode;
        this.secret = secret;
        this.headerName = headerName;
        this.hmacAlgorithm = hmacAlgorithm;
        this.timestampHeader = timestampHeader;
        this.signaturePrefix = signaturePrefix;
        this.base64Signature = base64Signature;
        this.includeTimestamp = includeTimestamp;
        this.replayWindowS = replayWindowS;
        this.replayCacheSize = replayCacheSize;
    }

    /** Bearer-token authentication with {@code token} in {@code Authorization}. */
    public static VapiWebhookConfig bearer(final String token) {
        return new VapiWebhookConfig(Mode.BEARER, requireSecret(token), "authorization", "", "", "", false, false,
            DEFAULT_REPLAY_WINDOW_S, DEFAULT_REPLAY_CACHE_SIZE);
    }

    /** Legacy {@code X-Vapi-Secret} authentication. */
    public static VapiWebhookConfig secretHeader(final String secret) {
        return new VapiWebhookConfig(Mode.SECRET_HEADER, requireSecret(secret), "x-vapi-secret", "", "", "", false, false,
            DEFAULT_REPLAY_WINDOW_S, DEFAULT_REPLAY_CACHE_SIZE);
    }

    /** HMAC-SHA256 authentication with Vapi's defaults: {@code x-signature}, {@code x-timestamp}, hex, {@code {timestamp}.{body}}. */
    public static VapiWebhookConfig hmac(final String secretKey) {
        return new VapiWebhookConfig(Mode.HMAC, requireSecret(secretKey), "x-signature", "HmacSHA256", "x-timestamp", "", false, true,
            DEFAULT_REPLAY_WINDOW_S, DEFAULT_REPLAY_CACHE_SIZE);
    }

    /** Builds from the config-file spelling of {@link #OPTION_AUTH} and the secret from {@link #ENV_WEBHOOK_SECRET}. */
    public static VapiWebhookConfig of(final String mode, final String secret) {
        switch (mode == null ? "" : mode.toLowerCase(Locale.ROOT)) {
            case "bearer":
                return bearer(secret);
            case "secret-header":
                return secretHeader(secret);
            case "hmac":
                return hmac(secret);
            default:
                throw new IllegalArgumentException(OPTION_AUTH + " '" + mode + "' must be bearer, secret-header or hmac");
        }
    }

    /** The header carrying the token, secret or signature (matched case-insensitively). */
    public VapiWebhookConfig withHeaderName(final String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("vapi.webhook-header must not be empty");
        }
        return new VapiWebhookConfig(mode, secret, name.toLowerCase(Locale.ROOT), hmacAlgorithm, timestampHeader, signaturePrefix,
            base64Signature, includeTimestamp, replayWindowS, replayCacheSize);
    }

    /** HMAC algorithm: {@code sha256} (default), {@code sha512} or {@code sha1}. */
    public VapiWebhookConfig withHmacAlgorithm(final String algorithm) {
        final String javaName;
        switch (algorithm == null ? "" : algorithm.toLowerCase(Locale.ROOT)) {
            case "sha256":
                javaName = "HmacSHA256";
                break;
            case "sha512":
                javaName = "HmacSHA512";
                break;
            case "sha1":
                javaName = "HmacSHA1";
                break;
            default:
                throw new IllegalArgumentException("vapi.webhook-hmac-algorithm '" + algorithm + "' must be sha256, sha512 or sha1");
        }
        return new VapiWebhookConfig(mode, secret, headerName, javaName, timestampHeader, signaturePrefix, base64Signature,
            includeTimestamp, replayWindowS, replayCacheSize);
    }

    /** A prefix before the encoded signature, e.g. {@code sha256=}. */
    public VapiWebhookConfig withSignaturePrefix(final String prefix) {
        return new VapiWebhookConfig(mode, secret, headerName, hmacAlgorithm, timestampHeader, prefix == null ? "" : prefix,
            base64Signature, includeTimestamp, replayWindowS, replayCacheSize);
    }

    /** Signature encoding: base64 instead of hex. */
    public VapiWebhookConfig withBase64Signature(final boolean base64) {
        return new VapiWebhookConfig(mode, secret, headerName, hmacAlgorithm, timestampHeader, signaturePrefix, base64,
            includeTimestamp, replayWindowS, replayCacheSize);
    }

    /** Whether the signed payload is {@code {timestamp}.{body}} (default) or the body alone (then no replay window applies). */
    public VapiWebhookConfig withIncludeTimestamp(final boolean include) {
        return new VapiWebhookConfig(mode, secret, headerName, hmacAlgorithm, timestampHeader, signaturePrefix, base64Signature,
            include, replayWindowS, replayCacheSize);
    }

    /** The replay window ({@link #OPTION_REPLAY_WINDOW_S}), s, in [1, 86400]. */
    public VapiWebhookConfig withReplayWindowS(final int seconds) {
        if (seconds < 1 || seconds > 86_400) {
            throw new IllegalArgumentException(OPTION_REPLAY_WINDOW_S + " must be in [1, 86400], was " + seconds);
        }
        return new VapiWebhookConfig(mode, secret, headerName, hmacAlgorithm, timestampHeader, signaturePrefix, base64Signature,
            includeTimestamp, seconds, replayCacheSize);
    }

    /** How many signatures the replay cache remembers, in [1, 1000000]. */
    public VapiWebhookConfig withReplayCacheSize(final int size) {
        if (size < 1 || size > 1_000_000) {
            throw new IllegalArgumentException("vapi.webhook-replay-cache-size must be in [1, 1000000], was " + size);
        }
        return new VapiWebhookConfig(mode, secret, headerName, hmacAlgorithm, timestampHeader, signaturePrefix, base64Signature,
            includeTimestamp, replayWindowS, size);
    }

    /** The authentication mode. */
    public Mode mode() {
        return mode;
    }

    String secret() {
        return secret;
    }

    /** The header carrying the credential, lower case. */
    public String headerName() {
        return headerName;
    }

    String hmacAlgorithm() {
        return hmacAlgorithm;
    }

    /** The header carrying the HMAC timestamp, lower case. */
    public String timestampHeader() {
        return timestampHeader;
    }

    String signaturePrefix() {
        return signaturePrefix;
    }

    boolean base64Signature() {
        return base64Signature;
    }

    boolean includeTimestamp() {
        return includeTimestamp;
    }

    /** The replay window, s. */
    public int replayWindowS() {
        return replayWindowS;
    }

    /** The replay cache size. */
    public int replayCacheSize() {
        return replayCacheSize;
    }

    @Override
    public String toString() {
        return "VapiWebhookConfig{" + mode + ", header=" + headerName + ", secret=" + VapiRedaction.REDACTED
            + (mode == Mode.HMAC ? ", " + hmacAlgorithm + ", replayWindowS=" + replayWindowS + ", replayCacheSize=" + replayCacheSize : "")
            + "}";
    }

    private static String requireSecret(final String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(ENV_WEBHOOK_SECRET + " must be set in the environment for POST /webhook/vapi");
        }
        return secret;
    }
}

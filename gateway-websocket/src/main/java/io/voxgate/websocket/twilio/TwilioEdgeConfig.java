package io.voxgate.websocket.twilio;

import io.voxgate.websocket.twilio.stream.StreamAuthentication;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the Twilio edge needs to know, validated once in {@link Builder#build()}.
 *
 * <p>Paths are fixed: the voice webhook {@value #VOICE_INBOUND_PATH}, the stream status callback
 * {@value #STREAM_STATUS_PATH} and the media streams under {@value #MEDIA_PATH_PREFIX}{@code {CallSid}}.
 *
 * <p>Immutable; safe on any thread. Holds secrets (the auth token, the call token secret): its {@link #toString()}
 * never shows them.
 */
public final class TwilioEdgeConfig {
    /** The voice webhook Twilio posts to when a call comes in. */
    public static final String VOICE_INBOUND_PATH = "/voice/inbound";
    /** Where Twilio reports {@code stream-started}, {@code stream-stopped}, {@code stream-error}. */
    public static final String STREAM_STATUS_PATH = "/voice/stream-status";
    /** Media stream WebSocket paths: this prefix plus the CallSid. */
    public static final String MEDIA_PATH_PREFIX = "/media/";

    /**
     * Default limit of the webhook's record of admitted calls
     * ({@link io.voxgate.websocket.twilio.webhook.AdmittedCalls}): ten times the default call limit; a record lasts
     * minutes, so only a flood of webhooks (which must be signed) can fill it.
     */
    public static final int DEFAULT_MAX_ADMITTED_CALLS = 10_000;
    /** Default token lifetime: Twilio opens the stream within seconds of fetching the TwiML; two minutes is ample. */
    public static final long DEFAULT_CALL_TOKEN_TTL_SECONDS = 120;
    /** Default mark spacing: 100 ms of audio, the middle ground of protocols.md §1.5 (one per chunk is too many). */
    public static final int DEFAULT_MARK_INTERVAL_MS = 100;
    /** Default largest decoded media payload: 4096 bytes (512 ms of mu-law); Twilio sends 160 bytes per message. */
    public static final int DEFAULT_MAX_MEDIA_PAYLOAD_BYTES = 4096;
    /** Default error budget of a stream: past 50 rejected messages it is closed with 1008. */
    public static final int DEFAULT_MAX_REJECTED_MESSAGES = 50;
    /** Default wait for {@code start} after the upgrade: Twilio sends it right after {@code connected}. */
    public static final long DEFAULT_START_TIMEOUT_MS = 10_000;
    /** Default silence after which a started stream is ended: Twilio sends media every 20 ms, even in silence. */
    public static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 30_000;

    private final URI publicUrl;
    private final String authToken;
    private final boolean signatureValidation;
    private final boolean trustForwardedHeaders;
    private final StreamAuthentication streamAuthentication;
    private final byte[] callTokenSecret;
    private final long callTokenTtlSeconds;
    private final int maxAdmittedCalls;
    private final boolean statusCallback;
    private final int markIntervalMs;
    private final int maxMediaPayloadBytes;
    private final int maxRejectedMessages;
    private final long startTimeoutMs;
    private final long streamIdleTimeoutMs;
    private final Clock clock;

    private TwilioEdgeConfig(final Builder b) {
        this.publicUrl = b.publicUrl;
        this.authToken = b.authToken;
        this.signatureValidation = b.signatureValidation;
        this.trustForwardedHeaders = b.trustForwardedHeaders;
        this.streamAuthentication = b.streamAuthentication;
        this.callTokenSecret = b.callTokenSecret.clone();
        this.callTokenTtlSeconds = b.callTokenTtlSeconds;
        this.maxAdmittedCalls = b.maxAdmittedCalls;
        this.statusCallback = b.statusCallback;
        this.markIntervalMs = b.markIntervalMs;
        this.maxMediaPayloadBytes = b.maxMediaPayloadBytes;
        this.maxRejectedMessages = b.maxRejectedMessages;
        this.startTimeoutMs = b.startTimeoutMs;
        this.streamIdleTimeoutMs = b.streamIdleTimeoutMs;
        this.clock = b.clock;
    }

    /** A builder; {@link Builder#publicUrl} and {@link Builder#authToken} (or disabled checks) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The public base URL Twilio reaches, {@code https://host[:port]}, without a trailing slash. */
    public URI publicUrl() {
        return publicUrl;
    }

    /** Whether {@code X-Twilio-Signature} is checked (off only with {@code --insecure-no-signature}). */
    public boolean signatureValidation() {
        return signatureValidation;
    }

    /** Whether {@code X-Forwarded-Proto}/{@code X-Forwarded-Host} rebuild the URL Twilio signed. */
    public boolean trustForwardedHeaders() {
        return trustForwardedHeaders;
    }

    /** What a media stream must prove. */
    public StreamAuthentication streamAuthentication() {
        return streamAuthentication;
    }

    /** Lifetime of a per-call token. */
    public long callTokenTtlSeconds() {
        return callTokenTtlSeconds;
    }

    /** Calls the webhook's record holds at most; beyond, new calls get 503. */
    public int maxAdmittedCalls() {
        return maxAdmittedCalls;
    }

    /** Whether the TwiML asks Twilio for stream status callbacks. */
    public boolean statusCallback() {
        return statusCallback;
    }

    /** Audio between two marks. */
    public int markIntervalMs() {
        return markIntervalMs;
    }

    /** Largest decoded media payload accepted in one message. */
    public int maxMediaPayloadBytes() {
        return maxMediaPayloadBytes;
    }

    /** Rejected messages after which a stream is closed. */
    public int maxRejectedMessages() {
        return maxRejectedMessages;
    }

    /** Wait for {@code start} after the upgrade. */
    public long startTimeoutMs() {
        return startTimeoutMs;
    }

    /** Inbound silence (no message at all) after which a started stream is ended. */
    public long streamIdleTimeoutMs() {
        return streamIdleTimeoutMs;
    }

    /** Wall clock for token expiry. */
    public Clock clock() {
        return clock;
    }

    String authToken() {
        return authToken;
    }

    byte[] callTokenSecret() {
        return callTokenSecret.clone();
    }

    /** The {@code wss://} base of the stream URL, from the public URL's host and port. */
    public String mediaUrlBase() {
        return "wss://" + publicUrl.getRawAuthority();
    }

    @Override
    public String toString() {
        return "TwilioEdgeConfig{publicUrl=" + publicUrl + ", signatureValidation=" + signatureValidation
            + ", trustForwardedHeaders=" + trustForwardedHeaders + ", streamAuthentication=" + streamAuthentication
            + ", callTokenTtlSeconds=" + callTokenTtlSeconds + ", markIntervalMs=" + markIntervalMs + "}";
    }

    /** Configures a {@link TwilioEdgeConfig}; not thread-safe. */
    public static final class Builder {
        private URI publicUrl;
        private String authToken;
        private boolean signatureValidation = true;
        private boolean trustForwardedHeaders;
        private StreamAuthentication streamAuthentication = StreamAuthentication.BOTH;
        private byte[] callTokenSecret;
        private long callTokenTtlSeconds = DEFAULT_CALL_TOKEN_TTL_SECONDS;
        private int maxAdmittedCalls = DEFAULT_MAX_ADMITTED_CALLS;
        private boolean statusCallback = true;
        private int markIntervalMs = DEFAULT_MARK_INTERVAL_MS;
        private int maxMediaPayloadBytes = DEFAULT_MAX_MEDIA_PAYLOAD_BYTES;
        private int maxRejectedMessages = DEFAULT_MAX_REJECTED_MESSAGES;
        private long startTimeoutMs = DEFAULT_START_TIMEOUT_MS;
        private long streamIdleTimeoutMs = DEFAULT_STREAM_IDLE_TIMEOUT_MS;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The public {@code https://host[:port]} (or {@code http://} for local experiments) Twilio reaches.
         *
         * @throws IllegalArgumentException naming the value when it is not such a URL (no path, query or user info)
         */
        public Builder publicUrl(final String url) {
            final URI uri;
            try {
                uri = new URI(Objects.requireNonNull(url, "publicUrl"));
            } catch (final URISyntaxException ex) {
                throw new IllegalArgumentException("public URL '" + url + "' is not a URL: " + ex.getMessage(), ex);
            }
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException("public URL '" + url + "' must start with https:// (or http://)");
            }
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("public URL '" + url + "' must be scheme://host[:port] only");
            }
            final String path = uri.getRawPath();
            if (path != null && !path.isEmpty() && !path.equals("/")) {
                throw new IllegalArgumentException("public URL '" + url + "' must not have a path");
            }
            this.publicUrl = URI.create(scheme + "://" + uri.getRawAuthority());
            return this;
        }

        /** The account's primary Auth Token, the key of Twilio's signatures; a secret. */
        public Builder authToken(final String token) {
            this.authToken = token;
            return this;
        }

        /** Turns signature checks off ({@code --insecure-no-signature}): an upgrade then counts as signed. */
        public Builder signatureValidation(final boolean enabled) {
            this.signatureValidation = enabled;
            return this;
        }

        /** Rebuilds the signed URL from {@code X-Forwarded-Proto}/{@code X-Forwarded-Host} ({@code --trust-proxy}). */
        public Builder trustForwardedHeaders(final boolean trust) {
            this.trustForwardedHeaders = trust;
            return this;
        }

        /** What a media stream must prove ({@code --stream-auth}); {@link StreamAuthentication#BOTH} by default. */
        public Builder streamAuthentication(final StreamAuthentication mode) {
            this.streamAuthentication = Objects.requireNonNull(mode, "streamAuthentication");
            return this;
        }

        /**
         * The HMAC key of the per-call tokens, at least 16 bytes; by default 32 random bytes per process (share one
         * between nodes behind one public URL).
         */
        public Builder callTokenSecret(final byte[] secret) {
            this.callTokenSecret = Objects.requireNonNull(secret, "callTokenSecret").clone();
            return this;
        }

        /** Lifetime of a per-call token, seconds. */
        public Builder callTokenTtlSeconds(final long seconds) {
            this.callTokenTtlSeconds = seconds;
            return this;
        }

        /** Calls the webhook's record holds at most, 1-1,000,000. */
        public Builder maxAdmittedCalls(final int calls) {
            this.maxAdmittedCalls = calls;
            return this;
        }

        /** Whether the TwiML asks for stream status callbacks (default on). */
        public Builder statusCallback(final boolean enabled) {
            this.statusCallback = enabled;
            return this;
        }

        /** Audio between two marks, 20-1000 ms. */
        public Builder markIntervalMs(final int ms) {
            this.markIntervalMs = ms;
            return this;
        }

        /** Largest decoded media payload accepted, 160-65536 bytes. */
        public Builder maxMediaPayloadBytes(final int bytes) {
            this.maxMediaPayloadBytes = bytes;
            return this;
        }

        /** Rejected messages after which a stream is closed with 1008, at least 1. */
        public Builder maxRejectedMessages(final int count) {
            this.maxRejectedMessages = count;
            return this;
        }

        /** Wait for {@code start} after the upgrade, positive. */
        public Builder startTimeoutMs(final long ms) {
            this.startTimeoutMs = ms;
            return this;
        }

        /** Inbound silence after which a started stream is ended, positive. */
        public Builder streamIdleTimeoutMs(final long ms) {
            this.streamIdleTimeoutMs = ms;
            return this;
        }

        /** The wall clock for token expiry (tests pass a fixed one). */
        public Builder clock(final Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first bad value
         */
        public TwilioEdgeConfig build() {
            if (publicUrl == null) {
                throw new IllegalArgumentException("public URL is required (--public-url or VOXGATE_PUBLIC_URL)");
            }
            if (signatureValidation && (authToken == null || authToken.isBlank())) {
                throw new IllegalArgumentException("Twilio auth token is required (TWILIO_AUTH_TOKEN) unless signature checks are off");
            }
            if (callTokenSecret == null) {
                callTokenSecret = new byte[32];
                new SecureRandom().nextBytes(callTokenSecret);
            }
            if (callTokenSecret.length < 16) {
                throw new IllegalArgumentException("call token secret must be at least 16 bytes, was " + callTokenSecret.length);
            }
            requireRange("callTokenTtlSeconds", callTokenTtlSeconds, 1, 86_400);
            requireRange("maxAdmittedCalls", maxAdmittedCalls, 1, 1_000_000);
            requireRange("markIntervalMs", markIntervalMs, 20, 1_000);
            requireRange("maxMediaPayloadBytes", maxMediaPayloadBytes, 160, 65_536);
            requireRange("maxRejectedMessages", maxRejectedMessages, 1, 1_000_000);
            requireRange("startTimeoutMs", startTimeoutMs, 1, 600_000);
            requireRange("streamIdleTimeoutMs", streamIdleTimeoutMs, 1, 3_600_000);
            return new TwilioEdgeConfig(this);
        }

        private static void requireRange(final String name, final long value, final long min, final long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
            }
        }
    }
}

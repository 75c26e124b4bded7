package io.voxgate.sip.signaling;

import io.voxgate.sip.sdp.CodecPreferences;
import io.voxgate.sip.sdp.SrtpPolicy;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The signalling edge's stance towards a hostile network, beyond the allow list: readiness for OPTIONS, headers an
 * INVITE must carry, per-source rate limits, TCP/TLS connection limits, the TLS client's trust anchors and whether
 * media must be SRTP. Every
 * default is a named constant with the reason for its value.
 *
 * <p>Immutable; safe on any thread (the readiness supplier must be too). Holds required header values, which may be
 * shared secrets: {@link #toString()} prints their names only.
 */
public final class SignalingPolicy {
    /**
     * New INVITEs per second from one source, sustained. One carrier signalling address rarely exceeds a few calls a
     * second (1000 calls of three minutes are 5.6 setups/s); 100/s is the setup rate this node was measured to
     * sustain (docs/performance.md), so a single source can use the node's whole capacity but never queue more.
     */
    public static final double DEFAULT_INVITES_PER_SECOND = 100;
    /** Burst of new INVITEs from one source: two seconds at the sustained rate absorb a carrier's retry wave. */
    public static final double DEFAULT_INVITE_BURST = 200;
    /**
     * Error answers (4xx/5xx but 487 and 503) per second one source may earn, sustained. A healthy trunk earns almost
     * none; a password cracker earns one per guess, so one a second caps it at 3,600 guesses an hour.
     */
    public static final double DEFAULT_ERRORS_PER_SECOND = 1;
    /** Error answers one source may earn at once before it is ignored: room for a misconfigured peer to be told why. */
    public static final double DEFAULT_ERROR_BURST = 20;
    /** TCP/TLS connections at once, all sources together: far above the few a carrier keeps per edge. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** TCP/TLS connections at once from one address: a carrier opens one or a few per edge. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 32;
    /** How long a message may take to arrive whole once its first byte came (a Content-Length lie holds no socket longer). */
    public static final long DEFAULT_READ_DEADLINE_MS = 10_000;
    /** Idle TCP/TLS connections close after this; RFC 5626 keep-alives (CRLF) count as activity. */
    public static final long DEFAULT_IDLE_CLOSE_MS = 120_000;
    /**
     * RFC 3261 T1, the round-trip estimate behind every retransmission and Timer H (64*T1: an INVITE whose 200 is
     * never ACKed is given up after it). 500 ms is the RFC's value for the public Internet; a shorter one only on a
     * network whose round trips are known to be short.
     */
    public static final int DEFAULT_TIMER_T1_MS = 500;

    private final BooleanSupplier ready;
    private final Map<String, String> requiredHeaders;
    private final double invitesPerSecond;
    private final double inviteBurst;
    private final double errorsPerSecond;
    private final double errorBurst;
    private final int maxConnections;
    private final int maxConnectionsPerSource;
    private final long readDeadlineMs;
    private final long idleCloseMs;
    private final Path tlsCa;
    private final int timerT1Ms;
    private final SrtpPolicy srtp;
    private final CodecPreferences codecs;

    private SignalingPolicy(final Builder b) {
        this.ready = b.ready;
        this.requiredHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.requiredHeaders));
        this.invitesPerSecond = b.invitesPerSecond;
        this.inviteBurst = b.inviteBurst;
        this.errorsPerSecond = b.errorsPerSecond;
        this.errorBurst = b.errorBurst;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerSource = b.maxConnectionsPerSource;
        this.readDeadlineMs = b.readDeadlineMs;
        this.idleCloseMs = b.idleCloseMs;
        this.tlsCa = b.tlsCa;
        this.timerT1Ms = b.timerT1Ms;
        this.srtp = b.srtp;
        this.codecs = b.codecs;
    }

    /** Every default. */
    public static SignalingPolicy defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the node takes calls now (OPTIONS answers 503 when not); the same answer as {@code /readyz}. */
    public BooleanSupplier ready() {
        return ready;
    }

    /** Headers every INVITE must carry, by lower-case name, with their exact values. */
    public Map<String, String> requiredHeaders() {
        return requiredHeaders;
    }

    /** Sustained new INVITEs per second per source. */
    public double invitesPerSecond() {
        return invitesPerSecond;
    }

    /** Burst of new INVITEs per source. */
    public double inviteBurst() {
        return inviteBurst;
    }

    /** Sustained error answers per second per source. */
    public double errorsPerSecond() {
        return errorsPerSecond;
    }

    /** Burst of error answers per source. */
    public double errorBurst() {
        return errorBurst;
    }

    /** TCP/TLS connections at once, all sources. */
    public int maxConnections() {
        return maxConnections;
    }

    /** TCP/TLS connections at once per source address. */
    public int maxConnectionsPerSource() {
        return maxConnectionsPerSource;
    }

    /** Deadline for an incomplete message on a TCP/TLS connection, in ms. */
    public long readDeadlineMs() {
        return readDeadlineMs;
    }

    /** Idle TCP/TLS connections close after this many ms. */
    public long idleCloseMs() {
        return idleCloseMs;
    }

    /** PEM file of CA certificates the TLS client trusts, or null for the JDK's trust store. */
    public Path tlsCa() {
        return tlsCa;
    }

    /** RFC 3261 T1 for the INVITE transactions (their 200's retransmissions and Timer H), in ms. */
    public int timerT1Ms() {
        return timerT1Ms;
    }

    /** {@code --srtp}: whether SAVP offers get SRTP and whether plain RTP offers are refused (488). */
    public SrtpPolicy srtp() {
        return srtp;
    }

    /** Which codecs calls are answered with, in which order ({@code --codecs}), and Opus' PCM rate. */
    public CodecPreferences codecs() {
        return codecs;
    }

    @Override
    public String toString() {
        return "required headers " + requiredHeaders.keySet() + ", invites " + invitesPerSecond + "/s (burst " + inviteBurst
            + "), errors " + errorsPerSecond + "/s (burst " + errorBurst + "), connections " + maxConnections + " ("
            + maxConnectionsPerSource + " per source), read deadline " + readDeadlineMs + " ms, idle close " + idleCloseMs
            + " ms, T1 " + timerT1Ms + " ms, tls ca " + (tlsCa == null ? "JDK" : tlsCa) + ", srtp " + srtp.optionValue();
    }

    /** Collects the policy; {@link #build()} validates it. Not thread-safe. */
    public static final class Builder {
        private BooleanSupplier ready = () -> true;
        private final Map<String, String> requiredHeaders = new LinkedHashMap<>();
        private double invitesPerSecond = DEFAULT_INVITES_PER_SECOND;
        private double inviteBurst = DEFAULT_INVITE_BURST;
        private double errorsPerSecond = DEFAULT_ERRORS_PER_SECOND;
        private double errorBurst = DEFAULT_ERROR_BURST;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerSource = DEFAULT_MAX_CONNECTIONS_PER_SOURCE;
        private long readDeadlineMs = DEFAULT_READ_DEADLINE_MS;
        private long idleCloseMs = DEFAULT_IDLE_CLOSE_MS;
        private Path tlsCa;
        private int timerT1Ms = DEFAULT_TIMER_T1_MS;
        private SrtpPolicy srtp = SrtpPolicy.DEFAULT;
        private CodecPreferences codecs = CodecPreferences.defaults();

        private Builder() {
        }

        /** The node's readiness (the launcher passes what {@code /readyz} uses). */
        public Builder ready(final BooleanSupplier value) {
            this.ready = value;
            return this;
        }

        /** {@code --sip-require-header NAME=VALUE}: INVITEs without this header and value get 403. */
        public Builder requireHeader(final String name, final String value) {
            if (name == null || name.isBlank() || value == null || value.isEmpty()) {
                throw new IllegalArgumentException("--sip-require-header needs NAME=VALUE with both parts non-empty");
            }
            for (int i = 0; i < name.length(); i++) {
                final char c = name.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.')) {
                    throw new IllegalArgumentException("--sip-require-header name '" + name + "' is not a SIP header name");
                }
            }
            requiredHeaders.put(name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        /** Per-source token bucket for new INVITEs. */
        public Builder inviteRate(final double perSecond, final double burst) {
            this.invitesPerSecond = perSecond;
            this.inviteBurst = burst;
            return this;
        }

        /** Per-source token bucket for error answers. */
        public Builder errorRate(final double perSecond, final double burst) {
            this.errorsPerSecond = perSecond;
            this.errorBurst = burst;
            return this;
        }

        /** TCP/TLS connection caps. */
        public Builder connections(final int total, final int perSource) {
            this.maxConnections = total;
            this.maxConnectionsPerSource = perSource;
            return this;
        }

        /** Read deadline for an incomplete message and idle close, both in ms. */
        public Builder connectionTimeouts(final long readDeadline, final long idleClose) {
            this.readDeadlineMs = readDeadline;
            this.idleCloseMs = idleClose;
            return this;
        }

        /** {@code --sip-tls-ca FILE}, or null for the JDK's trust store. */
        public Builder tlsCa(final Path value) {
            this.tlsCa = value;
            return this;
        }

        /** Codecs to answer with, in the operator's order; {@link CodecPreferences#defaults()} unless set. */
        public Builder codecs(final CodecPreferences value) {
            this.codecs = Objects.requireNonNull(value, "codecs");
            return this;
        }

        /** RFC 3261 T1 in ms (Timer H is 64 times it). */
        public Builder timerT1Ms(final int value) {
            this.timerT1Ms = value;
            return this;
        }

        /** {@code --srtp optional|required|off}. */
        public Builder srtp(final SrtpPolicy value) {
            this.srtp = value;
            return this;
        }

        /**
         * Validates the policy.
         *
         * @throws IllegalArgumentException naming the setting out of range
         */
        public SignalingPolicy build() {
            if (ready == null || srtp == null) {
                throw new IllegalArgumentException("readiness supplier and SRTP policy must not be null");
            }
            if (!(invitesPerSecond > 0) || inviteBurst < 1 || !(errorsPerSecond > 0) || errorBurst < 1) {
                throw new IllegalArgumentException("SIP rate limits need a positive rate and a burst of at least 1");
            }
            if (maxConnections < 1 || maxConnectionsPerSource < 1 || maxConnectionsPerSource > maxConnections) {
                throw new IllegalArgumentException("SIP connection caps must be positive, per source <= total");
            }
            if (readDeadlineMs < 100 || readDeadlineMs > 30_000) {
                throw new IllegalArgumentException("SIP read deadline must be 100-30000 ms, was " + readDeadlineMs);
            }
            if (idleCloseMs < 1_000 || idleCloseMs > 120_000) {
                throw new IllegalArgumentException("SIP idle close must be 1000-120000 ms, was " + idleCloseMs);
            }
            if (timerT1Ms < 10 || timerT1Ms > 2_000) {
                throw new IllegalArgumentException("SIP timer T1 must be 10-2000 ms, was " + timerT1Ms);
            }
            return new SignalingPolicy(this);
        }
    }
}

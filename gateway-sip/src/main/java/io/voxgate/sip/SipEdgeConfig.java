package io.voxgate.sip;

import io.voxgate.sip.rtp.RtpSendStage;
import io.voxgate.sip.signaling.SignalingPolicy;
import io.voxgate.sip.signaling.SipMessageMirror;
import io.voxgate.sip.signaling.SourceAllowList;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The SIP edge's settings, validated once by {@link Builder#build()}: every error names the command-line option
 * it comes from (CLI.md) and the allowed values.
 *
 * <p>Immutable; safe on any thread. Holds the digest password: {@link #toString()} never prints it.
 */
public final class SipEdgeConfig {
    /** {@code --bind} default: every interface. */
    public static final String DEFAULT_BIND = "0.0.0.0";
    /** {@code --sip-transport} default: what Twilio trunks use (protocols.md §4.1). */
    public static final String DEFAULT_TRANSPORTS = "udp,tcp";
    /** {@code --sip-tls-port} default: the RFC 3261 §26.2 port for SIP over TLS. */
    public static final int DEFAULT_TLS_PORT = 5061;
    /** {@code --rtp-ports} default low end. */
    public static final int DEFAULT_RTP_PORT_LOW = 10_000;
    /** {@code --rtp-ports} default high end: 5000 calls' worth of pairs. */
    public static final int DEFAULT_RTP_PORT_HIGH = 20_000;
    /** {@code --media-timeout} default: rides out hold-music gaps yet frees dead calls. */
    public static final int DEFAULT_MEDIA_TIMEOUT_S = 30;
    /** Retry-After on 503: long enough for a call to end, short enough for a carrier's retry. */
    public static final int DEFAULT_RETRY_AFTER_S = 5;
    /** How long a released RTP port rests: longer than any late packet of the ended call survives. */
    public static final long DEFAULT_PORT_QUARANTINE_MS = 10_000;
    /** jain-sip message processing threads. */
    public static final int DEFAULT_SIP_THREADS = 4;
    /** How often the TLS certificate and key files are looked at for a renewal (two stats per look). */
    public static final long DEFAULT_TLS_WATCH_INTERVAL_MS = 10_000;

    private final String bindAddress;
    private final int sipPort;
    private final List<String> transports;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;
    private final int tlsPort;
    private final long tlsWatchIntervalMs;
    private final int rtpPortLow;
    private final int rtpPortHigh;
    private final String externalIp;
    private final SourceAllowList allowList;
    private final int mediaTimeoutSeconds;
    private final String digestRealm;
    private final String digestUser;
    private final String digestPassword;
    private final long answerDelayMs;
    private final int retryAfterSeconds;
    private final long portQuarantineMs;
    private final boolean symmetricRtp;
    private final RtpSendStage.IdlePolicy idlePolicy;
    private final int sipThreads;
    private final SignalingPolicy policy;
    private final SipMessageMirror messageMirror;

    private SipEdgeConfig(final Builder b, final List<String> transports, final SourceAllowList allowList) {
        this.bindAddress = b.bindAddress;
        this.sipPort = b.sipPort;
        this.transports = List.copyOf(transports);
        this.tlsCertificate = b.tlsCertificate;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.tlsPort = b.tlsPort;
        this.tlsWatchIntervalMs = b.tlsWatchIntervalMs;
        this.rtpPortLow = b.rtpPortLow;
        this.rtpPortHigh = b.rtpPortHigh;
        this.externalIp = b.externalIp;
        this.allowList = allowList;
        this.mediaTimeoutSeconds = b.mediaTimeoutSeconds;
        this.digestRealm = b.digestRealm;
        this.digestUser = b.digestUser;
        this.digestPassword = b.digestPassword;
        this.answerDelayMs = b.answerDelayMs;
        this.retryAfterSeconds = b.retryAfterSeconds;
        this.portQuarantineMs = b.portQuarantineMs;
        this.symmetricRtp = b.symmetricRtp;
        this.idlePolicy = b.idlePolicy;
        this.sipThreads = b.sipThreads;
        this.policy = b.policy;
        this.messageMirror = b.messageMirror;
    }

    /** A builder with every default set; only {@link Builder#sipPort} must be given. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code --bind}: address the SIP listeners and RTP sockets bind to. */
    public String bindAddress() {
        return bindAddress;
    }

    /** {@code --sip-port}: UDP and TCP port. */
    public int sipPort() {
        return sipPort;
    }

    /** {@code --sip-transport}: {@code udp}, {@code tcp}, {@code tls} in the order given. */
    public List<String> transports() {
        return transports;
    }

    /** {@code --sip-tls-cert}, or {@code null}. */
    public Path tlsCertificate() {
        return tlsCertificate;
    }

    /** {@code --sip-tls-key}, or {@code null}. */
    public Path tlsPrivateKey() {
        return tlsPrivateKey;
    }

    /** {@code --sip-tls-port}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** How often the TLS certificate and key files are looked at for a renewal; 0: only SIGHUP reloads them. */
    public long tlsWatchIntervalMs() {
        return tlsWatchIntervalMs;
    }

    /** {@code --rtp-ports} low end (inclusive). */
    public int rtpPortLow() {
        return rtpPortLow;
    }

    /** {@code --rtp-ports} high end (inclusive). */
    public int rtpPortHigh() {
        return rtpPortHigh;
    }

    /** {@code --external-ip}, or {@code null} to use the local address that received the INVITE. */
    public String externalIp() {
        return externalIp;
    }

    /** {@code --sip-allow}, parsed. */
    public SourceAllowList allowList() {
        return allowList;
    }

    /** {@code --media-timeout}: seconds without RTP before the call is ended with BYE. */
    public int mediaTimeoutSeconds() {
        return mediaTimeoutSeconds;
    }

    /** Digest realm, or {@code null} when digest authentication is off. */
    public String digestRealm() {
        return digestRealm;
    }

    /** Digest user name, or {@code null}. */
    public String digestUser() {
        return digestUser;
    }

    /** Digest password (secret; never log it), or {@code null}. */
    public String digestPassword() {
        return digestPassword;
    }

    /** Ringing time before the 200 OK (180 Ringing is sent when positive). */
    public long answerDelayMs() {
        return answerDelayMs;
    }

    /** Retry-After seconds on 503. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** How long a released RTP port pair rests before reuse. */
    public long portQuarantineMs() {
        return portQuarantineMs;
    }

    /** Whether RTP is sent to where the caller's RTP comes from rather than to its SDP address. */
    public boolean symmetricRtp() {
        return symmetricRtp;
    }

    /** What outbound RTP carries between agent turns. */
    public RtpSendStage.IdlePolicy idlePolicy() {
        return idlePolicy;
    }

    /** jain-sip message processing threads. */
    public int sipThreads() {
        return sipThreads;
    }

    /** Readiness, required headers, rate limits, connection limits and TLS trust of the signalling edge. */
    public SignalingPolicy policy() {
        return policy;
    }

    /** Where every SIP message sent or received is copied (HEP capture); {@link SipMessageMirror#NONE} by default. */
    public SipMessageMirror messageMirror() {
        return messageMirror;
    }

    @Override
    public String toString() {
        return "sip " + bindAddress + ":" + sipPort + " " + transports + (transports.contains("tls") ? " tls:" + tlsPort : "")
            + " rtp " + rtpPortLow + "-" + rtpPortHigh + " external " + (externalIp == null ? "-" : externalIp) + " allow "
            + allowList + " media-timeout " + mediaTimeoutSeconds + "s digest " + (digestRealm == null ? "off" : "on") + " " + policy;
    }

    /** Collects settings; {@link #build()} validates them all. Not thread-safe. */
    public static final class Builder {
        private String bindAddress = DEFAULT_BIND;
        private int sipPort = -1;
        private String transports = DEFAULT_TRANSPORTS;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private int tlsPort = DEFAULT_TLS_PORT;
        private long tlsWatchIntervalMs = DEFAULT_TLS_WATCH_INTERVAL_MS;
        private int rtpPortLow = DEFAULT_RTP_PORT_LOW;
        private int rtpPortHigh = DEFAULT_RTP_PORT_HIGH;
        private String externalIp;
        private String allowList = SourceAllowList.DEFAULT;
        private int mediaTimeoutSeconds = DEFAULT_MEDIA_TIMEOUT_S;
        private String digestRealm;
        private String digestUser;
        private String digestPassword;
        private long answerDelayMs;
        private int retryAfterSeconds = DEFAULT_RETRY_AFTER_S;
        private long portQuarantineMs = DEFAULT_PORT_QUARANTINE_MS;
        private boolean symmetricRtp;
        private RtpSendStage.IdlePolicy idlePolicy = RtpSendStage.IdlePolicy.SEND_SILENCE;
        private int sipThreads = DEFAULT_SIP_THREADS;
        private SignalingPolicy policy = SignalingPolicy.defaults();
        private SipMessageMirror messageMirror = SipMessageMirror.NONE;

        private Builder() {
        }

        /** {@code --bind}. */
        public Builder bindAddress(final String value) {
            this.bindAddress = value;
            return this;
        }

        /** {@code --sip-port}. */
        public Builder sipPort(final int value) {
            this.sipPort = value;
            return this;
        }

        /** {@code --sip-transport}, e.g. {@code udp,tcp,tls}. */
        public Builder transports(final String value) {
            this.transports = value;
            return this;
        }

        /** {@code --sip-tls-cert} and {@code --sip-tls-key}. */
        public Builder tls(final Path certificatePem, final Path privateKeyPem) {
            this.tlsCertificate = certificatePem;
            this.tlsPrivateKey = privateKeyPem;
            return this;
        }

        /** {@code --sip-tls-port}. */
        public Builder tlsPort(final int value) {
            this.tlsPort = value;
            return this;
        }

        /** How often the TLS files are looked at for a renewal (tests shorten it); 0 turns the watch off. */
        public Builder tlsWatchIntervalMs(final long value) {
            this.tlsWatchIntervalMs = value;
            return this;
        }

        /** {@code --rtp-ports} as two numbers. */
        public Builder rtpPorts(final int low, final int high) {
            this.rtpPortLow = low;
            this.rtpPortHigh = high;
            return this;
        }

        /**
         * {@code --rtp-ports A-B}.
         *
         * @throws IllegalArgumentException naming the option when the text is not {@code A-B}
         */
        public Builder rtpPorts(final String range) {
            final int dash = range == null ? -1 : range.indexOf('-');
            if (dash <= 0 || dash == range.length() - 1) {
                throw new IllegalArgumentException("--rtp-ports '" + range + "' is not a range A-B, e.g. 10000-20000");
            }
            try {
                return rtpPorts(Integer.parseInt(range.substring(0, dash).trim()), Integer.parseInt(range.substring(dash + 1).trim()));
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("--rtp-ports '" + range + "' is not a range A-B, e.g. 10000-20000", ex);
            }
        }

        /** {@code --external-ip}, or {@code null}. */
        public Builder externalIp(final String value) {
            this.externalIp = value;
            return this;
        }

        /** {@code --sip-allow}: comma list of CIDRs and the preset {@code twilio}. */
        public Builder allowList(final String value) {
            this.allowList = value;
            return this;
        }

        /** {@code --media-timeout} in seconds. */
        public Builder mediaTimeoutSeconds(final int value) {
            this.mediaTimeoutSeconds = value;
            return this;
        }

        /** Digest authentication for every source: realm, user and password (all three, or none). */
        public Builder digest(final String realm, final String user, final String password) {
            this.digestRealm = realm;
            this.digestUser = user;
            this.digestPassword = password;
            return this;
        }

        /** Ringing time before answering, in ms (0 answers at once). */
        public Builder answerDelayMs(final long value) {
            this.answerDelayMs = value;
            return this;
        }

        /** Retry-After seconds on 503. */
        public Builder retryAfterSeconds(final int value) {
            this.retryAfterSeconds = value;
            return this;
        }

        /** RTP port quarantine after hang-up, in ms. */
        public Builder portQuarantineMs(final long value) {
            this.portQuarantineMs = value;
            return this;
        }

        /** Symmetric RTP latching (off by default, as Twilio recommends, protocols.md §4.5). */
        public Builder symmetricRtp(final boolean value) {
            this.symmetricRtp = value;
            return this;
        }

        /** What idle ticks send. */
        public Builder idlePolicy(final RtpSendStage.IdlePolicy value) {
            this.idlePolicy = value;
            return this;
        }

        /** jain-sip message threads. */
        public Builder sipThreads(final int value) {
            this.sipThreads = value;
            return this;
        }

        /** Copies every SIP message sent or received to {@code mirror} ({@code --hep-url}). */
        public Builder messageMirror(final SipMessageMirror mirror) {
            this.messageMirror = Objects.requireNonNull(mirror, "mirror");
            return this;
        }

        /** The signalling policy (already validated by its own builder). */
        public Builder policy(final SignalingPolicy value) {
            this.policy = value;
            return this;
        }

        /**
         * Validates everything.
         *
         * @throws IllegalArgumentException naming the option and its allowed values
         */
        public SipEdgeConfig build() {
            requireLiteral("--bind", bindAddress);
            port("--sip-port", sipPort);
            port("--sip-tls-port", tlsPort);
            final List<String> parsedTransports = new ArrayList<>();
            for (final String part : (transports == null ? "" : transports).split(",")) {
                final String t = part.trim().toLowerCase(Locale.ROOT);
                if (!t.equals("udp") && !t.equals("tcp") && !t.equals("tls")) {
                    throw new IllegalArgumentException("--sip-transport '" + part.trim() + "' is not one of udp, tcp, tls");
                }
                if (!parsedTransports.contains(t)) {
                    parsedTransports.add(t);
                }
            }
            final boolean tls = parsedTransports.contains("tls");
            if (tls && (tlsCertificate == null || tlsPrivateKey == null)) {
                throw new IllegalArgumentException("--sip-transport tls needs --sip-tls-cert FILE and --sip-tls-key FILE");
            }
            if (tls) {
                readable("--sip-tls-cert", tlsCertificate);
                readable("--sip-tls-key", tlsPrivateKey);
                if (tlsPort == sipPort && parsedTransports.contains("tcp")) {
                    throw new IllegalArgumentException("--sip-tls-port " + tlsPort + " must differ from --sip-port with tcp");
                }
            }
            if (tlsWatchIntervalMs < 0) {
                throw new IllegalArgumentException("the TLS file watch interval must be 0 (off) or positive, not " + tlsWatchIntervalMs);
            }
            if (rtpPortLow < 1024 || rtpPortHigh > 65535 || rtpPortLow >= rtpPortHigh) {
                throw new IllegalArgumentException("--rtp-ports " + rtpPortLow + "-" + rtpPortHigh
                    + " must lie within 1024-65535 with A < B");
            }
            if ((rtpPortHigh - (rtpPortLow + (rtpPortLow & 1))) < 1) {
                throw new IllegalArgumentException("--rtp-ports " + rtpPortLow + "-" + rtpPortHigh
                    + " holds no even RTP port with its odd RTCP port");
            }
            if (externalIp != null) {
                requireLiteral("--external-ip", externalIp);
            }
            final SourceAllowList allow = SourceAllowList.parse(allowList);
            if (mediaTimeoutSeconds < 1 || mediaTimeoutSeconds > 3600) {
                throw new IllegalArgumentException("--media-timeout must be 1-3600 seconds, was " + mediaTimeoutSeconds);
            }
            final int digestParts = (digestRealm == null ? 0 : 1) + (digestUser == null ? 0 : 1) + (digestPassword == null ? 0 : 1);
            if (digestParts != 0 && digestParts != 3) {
                throw new IllegalArgumentException("digest authentication needs a realm, a user and a password together");
            }
            if (digestParts == 3 && (digestRealm.isBlank() || digestUser.isBlank() || digestPassword.isEmpty()
                || digestRealm.indexOf('"') >= 0)) {
                throw new IllegalArgumentException("digest realm and user must be non-blank (realm without quotes), "
                    + "password non-empty");
            }
            if (answerDelayMs < 0 || answerDelayMs > 60_000) {
                throw new IllegalArgumentException("answerDelayMs must be 0-60000, was " + answerDelayMs);
            }
            if (retryAfterSeconds < 1 || retryAfterSeconds > 3600) {
                throw new IllegalArgumentException("retryAfterSeconds must be 1-3600, was " + retryAfterSeconds);
            }
            if (portQuarantineMs < 0 || portQuarantineMs > 300_000) {
                throw new IllegalArgumentException("portQuarantineMs must be 0-300000, was " + portQuarantineMs);
            }
            if (idlePolicy == null) {
                throw new IllegalArgumentException("idlePolicy must not be null");
            }
            if (sipThreads < 1 || sipThreads > 64) {
                throw new IllegalArgumentException("sipThreads must be 1-64, was " + sipThreads);
            }
            return new SipEdgeConfig(this, parsedTransports, allow);
        }

        private static void port(final String option, final int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException(option + " must be 1-65535, was " + value);
            }
        }

        private static void readable(final String option, final Path file) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(option + " " + file + " is not a readable file");
            }
        }

        private static void requireLiteral(final String option, final String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(option + " must be an IP address");
            }
            boolean ok = value.indexOf(':') >= 0 || value.chars().filter(c -> c == '.').count() == 3;
            for (int i = 0; i < value.length() && ok; i++) {
                final char ch = value.charAt(i);
                ok = ch >= '0' && ch <= '9' || ch == '.' || ch == ':' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F';
            }
            if (ok && value.indexOf(':') < 0) {
                ok = value.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.');
            }
            if (!ok) {
                throw new IllegalArgumentException(option + " '" + value + "' is not an IP address");
            }
            try {
                InetAddress.getByName(value);
            } catch (final UnknownHostException ex) {
                throw new IllegalArgumentException(option + " '" + value + "' is not an IP address", ex);
            }
        }
    }
}

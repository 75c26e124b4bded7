package io.voxgate.app.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Every option an operator can set. One table drives the command-line flags ({@code --name}), the config-file
 * keys ({@code name = value}) and the environment ({@code VOXGATE_NAME}), so the three can never disagree.
 *
 * <p>Secrets are deliberately absent: they come from the environment only (see {@link Secrets}).
 * Immutable; safe on any thread.
 */
public enum GatewayOption {
    /** HTTP + WebSocket port: webhook, media streams, health, metrics, Vapi webhook. 8080 is the usual app port behind a proxy. */
    HTTP_PORT("http-port", OptionKind.INTEGER, "8080", "HTTP and WebSocket port", 0, 65_535),
    /** Admin listener port (/metrics, health); apart from the public port so call volume and capacity stay private. */
    ADMIN_PORT("admin-port", OptionKind.INTEGER, "9090", "admin listener port (/metrics, /healthz, /readyz, /calls); 0 picks a free one",
        0, 65_535),
    /** Admin listener address; loopback by default so only the host (or a local scraper) reads it. */
    ADMIN_BIND("admin-bind", OptionKind.TEXT, "127.0.0.1",
        "address the admin listener binds to; an address other than loopback needs VOXGATE_ADMIN_TOKEN"),
    /** Listener address; all interfaces by default because Twilio reaches the host from outside. */
    BIND("bind", OptionKind.TEXT, "0.0.0.0", "address the listeners bind to"),
    /** The https://host[:port] Twilio reaches; required for run because signatures are computed over it. */
    PUBLIC_URL("public-url", OptionKind.TEXT, null, "public https://host[:port] Twilio reaches (env VOXGATE_PUBLIC_URL)"),
    /** The proxies whose X-Forwarded-Proto/Host are believed; none by default because only a known proxy may set them. */
    TRUST_PROXY("trust-proxy", OptionKind.TEXT, null,
        "comma list of CIDRs of trusted proxies, whose X-Forwarded-Proto/Host rebuild the public URL"),
    /** The agent; parrot by default because it needs no account and shows barge-in. */
    AGENT("agent", OptionKind.CHOICE, "parrot", "voice agent", "echo", "parrot", "vapi"),
    /** The agent's audio format; mu-law 8 kHz by default because it passes through with no transcoding. */
    AGENT_FORMAT("agent-format", OptionKind.CHOICE, "mulaw/8000", "audio format the agent speaks",
        "mulaw/8000", "pcm16/16000", "pcm16/24000"),
    /**
     * How long a call whose agent connection failed mid-call tries to get a new agent, the caller hearing a hold beep
     * meanwhile; 6 s covers a new Vapi call (5 s create deadline with a retry inside) before many callers give up.
     */
    AGENT_RECONNECT_MS("agent-reconnect-ms", OptionKind.INTEGER, "6000",
        "ms a call tries to replace a failed agent connection (hold beep meanwhile); 0: end the call", 0, 60_000),
    /** What a call does when no agent came back; hang up by default, the one choice that needs nothing else. */
    AGENT_FALLBACK("agent-fallback", OptionKind.TEXT, "hangup",
        "after a failed reconnect: hangup, transfer:<sip:|tel: URI>, or agent:echo|parrot|vapi:<assistantId>"),
    /** Calls at once over both edges; 1000 fits comfortably in the default heap (about 100 KiB per call). */
    MAX_CALLS("max-calls", OptionKind.INTEGER, "1000", "concurrent calls, both edges together", 1, 100_000),
    /** SIP port; the SIP edge starts only when it is given. */
    SIP_PORT("sip-port", OptionKind.INTEGER, null, "SIP port; the SIP edge starts when it is given", 1, 65_535),
    /** SIP transports; UDP and TCP by default, as Twilio's trunks use. */
    SIP_TRANSPORT("sip-transport", OptionKind.TEXT, "udp,tcp", "SIP transports: udp,tcp[,tls]"),
    /** PEM certificate for SIP over TLS. */
    SIP_TLS_CERT("sip-tls-cert", OptionKind.TEXT, null, "PEM certificate file for SIP over TLS"),
    /** PEM private key for SIP over TLS. */
    SIP_TLS_KEY("sip-tls-key", OptionKind.TEXT, null, "PEM private key file for SIP over TLS"),
    /** SIP TLS port; 5061 is the RFC 3261 default for sips. */
    SIP_TLS_PORT("sip-tls-port", OptionKind.INTEGER, "5061", "SIP over TLS port", 1, 65_535),
    /** RTP port range; wide enough for 5000 calls, inside Twilio's documented media port span. */
    RTP_PORTS("rtp-ports", OptionKind.TEXT, "10000-20000", "inclusive RTP/RTCP port range A-B"),
    /** Address put in SDP c= and Contact, for hosts behind NAT. */
    EXTERNAL_IP("external-ip", OptionKind.TEXT, null, "address put in SDP c= and Contact"),
    /** Who may send SIP; loopback only by default so a fresh install is not an open relay. */
    SIP_ALLOW("sip-allow", OptionKind.TEXT, "127.0.0.0/8,::1/128", "comma list of CIDRs and the preset 'twilio'; "
        + "others get no answer"),
    /** Headers every INVITE must carry (NAME=VALUE, repeatable or comma-separated); none by default, as a trunk may send none. */
    SIP_REQUIRE_HEADER("sip-require-header", OptionKind.TEXT, null, "INVITEs without this NAME=VALUE header get 403 (repeatable)"),
    /** SIP digest user for every source; off by default (password from VOXGATE_SIP_DIGEST_PASSWORD). */
    SIP_DIGEST_USER("sip-digest-user", OptionKind.TEXT, null, "SIP digest user for every source (password: env "
        + "VOXGATE_SIP_DIGEST_PASSWORD)"),
    /** CA certificates the SIP TLS client trusts; the JDK trust store by default. */
    SIP_TLS_CA("sip-tls-ca", OptionKind.TEXT, null, "PEM file of CA certificates trusted for outgoing SIP TLS"),
    /** SRTP (SDES) on SIP calls; optional by default: encrypted whenever the peer offers it, plain RTP peers still served. */
    SRTP("srtp", OptionKind.CHOICE, "optional", "SRTP for SIP media: optional (SAVP offers get SRTP), required (plain RTP "
        + "offers get 488), off", "optional", "required", "off"),
    /**
     * SIP audio codecs in the order calls are answered with; G.711 first because it passes through to the default
     * mu-law agent with no transcoding, then the wideband codecs for trunks that offer no G.711.
     */
    CODECS("codecs", OptionKind.TEXT, "pcmu,pcma,g722,opus", "SIP audio codecs in order of preference: pcmu, pcma, "
        + "g722, opus (Opus is decoded at the agent's rate)"),
    /** Seconds without RTP before a SIP call is ended; 30 s rides out hold music gaps yet frees dead calls. */
    MEDIA_TIMEOUT("media-timeout", OptionKind.INTEGER, "30", "seconds without RTP before BYE", 1, 3_600),
    /** Twilio REST base URL for transfers (the Calls API); the SDK's own by default, a local stand-in in tests. */
    TWILIO_API_URL("twilio-api-url", OptionKind.TEXT, "https://api.twilio.com",
        "Twilio REST base URL for transfers (needs env TWILIO_ACCOUNT_SID)"),
    /** Vapi REST base URL. */
    VAPI_API_URL("vapi-api-url", OptionKind.TEXT, "https://api.vapi.ai", "Vapi REST base URL"),
    /** An inline assistant (Vapi's CreateAssistantDTO JSON) for calls, used when VAPI_ASSISTANT_ID is not set. */
    VAPI_ASSISTANT_FILE("vapi-assistant-file", OptionKind.TEXT, null, "JSON file with an inline Vapi assistant"),
    /** What the caller's DTMF becomes for Vapi: a control-message template with {digit}; empty turns it off. */
    VAPI_DTMF_MESSAGE("vapi-dtmf-message", OptionKind.TEXT, null,
        "JSON control message sent to Vapi per caller digit ({digit} is replaced); empty: off"),
    /** How Vapi's webhook requests prove themselves; bearer by default, Vapi's recommended credential type. */
    VAPI_WEBHOOK_AUTH("vapi-webhook-auth", OptionKind.CHOICE, "bearer", "authentication of POST /webhook/vapi (secret in "
        + "VAPI_WEBHOOK_SECRET)", "bearer", "secret-header", "hmac"),
    /** Disables Twilio signature checks; for local experiments only, and logged loudly. */
    INSECURE_NO_SIGNATURE("insecure-no-signature", OptionKind.BOOLEAN, "false", "disable Twilio signature checks (unsafe)"),
    /**
     * How a media stream proves it is Twilio's; both by default (Twilio signs the upgrade and carries our token): a
     * replayed signed upgrade has no token, a leaked token no signature. {@code signature} is for {@code <Start><Stream>}.
     */
    STREAM_AUTH("stream-auth", OptionKind.CHOICE, "both", "media stream authentication", "signature", "token", "either",
        "both"),
    /** Seconds active calls get to finish on SIGTERM; 30 s matches common orchestrator grace periods. */
    DRAIN_TIMEOUT("drain-timeout", OptionKind.INTEGER, "30", "seconds active calls may run on after SIGTERM", 0, 3_600),
    /** How far agent audio may run ahead of what the caller hears; 80 ms absorbs scheduling jitter yet keeps barge-in crisp. */
    OUTBOUND_LEAD_MS("outbound-lead-ms", OptionKind.INTEGER, "80", "ms of agent audio sent ahead of playout", 20, 1_000),
    /** Local VAD barge-in for every agent, on by default because not every agent signals interruptions. */
    BARGE_IN_VAD("barge-in-vad", OptionKind.BOOLEAN, "true", "detect barge-in with the gateway's own VAD"),
    /**
     * How long a turn paused on a VAD onset waits, after the caller's sound ends, for the agent to confirm the
     * interruption before it resumes from the first unheard sample; 0 flushes at the onset (no pause). 300 ms: longer
     * than the gaps between words, short enough that a backchannel costs about half a second (docs/architecture.md).
     */
    BARGE_IN_CONFIRM_MS("barge-in-confirm-ms", OptionKind.INTEGER, "300",
        "ms an unconfirmed barge-in pause waits after the caller's sound before playout resumes; 0 flushes at once", 0,
        2_000),
    /** Seconds a request may take to arrive whole (headers and body); webhook clients send theirs at once. */
    REQUEST_TIMEOUT("request-timeout", OptionKind.INTEGER, "10", "seconds for a request's headers and body to arrive", 1, 600),
    /** Connections at once on the public listener; four per call at the default call limit. */
    MAX_CONNECTIONS("max-connections", OptionKind.INTEGER, "4096", "connections at once on the public listener", 1, 1_000_000),
    /** Connections at once from one source address (trusted proxies exempt); far more than one Twilio media server holds. */
    MAX_CONNECTIONS_PER_SOURCE("max-connections-per-source", OptionKind.INTEGER, "256",
        "connections at once from one source address (trusted proxies exempt)", 1, 1_000_000),
    /** Call detail records: one JSON line per ended call; off by default because the operator chooses the disk. */
    CDR_FILE("cdr-file", OptionKind.TEXT, null, "file that gets one JSON line per ended call (reopened on SIGHUP)"),
    /**
     * The I/O transport of every event loop; auto is native epoll where it loads (NIO otherwise). io_uring only when
     * asked for: it needs kernel 5.9+ and a seccomp profile that allows it, and a node never falls back silently.
     */
    IO_TRANSPORT("io-transport", OptionKind.CHOICE, "auto", "event loop I/O: auto (epoll where available, else nio), "
        + "epoll, io_uring or nio; an unavailable choice is a config error", "auto", "epoll", "io_uring", "nio"),
    /** Where each call detail record is also POSTed, HMAC-signed with VOXGATE_CDR_SECRET; off by default. */
    CDR_URL("cdr-url", OptionKind.TEXT, null, "https URL each call detail record is POSTed to, signed with VOXGATE_CDR_SECRET "
        + "(http only to loopback)"),
    /** HEP3 capture node (Homer, heplify-server) every SIP message is mirrored to; off by default. */
    HEP_URL("hep-url", OptionKind.TEXT, null, "udp://HOST:PORT of a HEP3 capture node (Homer) that gets a copy of every SIP message"),
    /** Where call recordings go; no default because the operator chooses the disk (and its retention). */
    RECORDING_DIR("recording-dir", OptionKind.TEXT, null,
        "directory that gets one stereo WAV per recorded call (caller left, agent right)"),
    /** Off by default: recording a call is the operator's decision (consent, PCI), never a surprise. */
    RECORD("record", OptionKind.CHOICE, "none", "which calls are recorded (on-request: when the admin API or the agent asks)",
        "none", "all", "on-request"),
    /** Redis holding the cluster's shared control state; none by default: a single node needs no Redis. */
    REDIS_URL("redis-url", OptionKind.TEXT, null, "redis://[user@]host:port[/db] of the cluster's shared state, "
        + "rediss:// for TLS; password in VOXGATE_REDIS_PASSWORD; unset: a single node"),
    /** The JVM's trust store by default, as for any TLS client; a private CA for a Redis on the private network. */
    REDIS_TLS_CA("redis-tls-ca", OptionKind.TEXT, null, "PEM file of CA certificates trusted for a rediss:// Redis "
        + "(default: the JVM's trust store)"),
    /** This node's name in the cluster; the host name by default, unique per host. */
    NODE_ID("node-id", OptionKind.TEXT, null, "this node's name in the cluster (A-Z a-z 0-9 . _ -); default: the host name"),
    /** Calls at once over every node of the cluster; 0 (off) by default, each node then keeps only its --max-calls. */
    MAX_CALLS_CLUSTER("max-calls-cluster", OptionKind.INTEGER, "0", "concurrent calls over the whole cluster (needs "
        + "--redis-url); 0: no cluster limit", 0, 10_000_000),
    /** Log line format. */
    LOG_FORMAT("log-format", OptionKind.CHOICE, "text", "log format", "text", "json");

    private final String key;
    private final OptionKind kind;
    private final String defaultValue;
    private final String description;
    private final long min;
    private final long max;
    private final List<String> choices;

    GatewayOption(final String key, final OptionKind kind, final String defaultValue, final String description) {
        this(key, kind, defaultValue, description, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    GatewayOption(final String key, final OptionKind kind, final String defaultValue, final String description,
                  final long min, final long max) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
        this.min = min;
        this.max = max;
        this.choices = Collections.emptyList();
    }

    GatewayOption(final String key, final OptionKind kind, final String defaultValue, final String description,
                  final String... choices) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
        this.min = Long.MIN_VALUE;
        this.max = Long.MAX_VALUE;
        this.choices = Collections.unmodifiableList(Arrays.asList(choices));
    }

    /** The config-file key and flag name without dashes, e.g. {@code http-port}. */
    public String key() {
        return key;
    }

    /** The flag, e.g. {@code --http-port}. */
    public String flag() {
        return "--" + key;
    }

    /** The environment variable, e.g. {@code VOXGATE_HTTP_PORT}. */
    public String environmentVariable() {
        return "VOXGATE_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The default as text, or {@code null} when the option is off or required by default. */
    public String defaultValue() {
        return defaultValue;
    }

    /** One line for help output. */
    public String description() {
        return description;
    }

    OptionKind kind() {
        return kind;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    /** The allowed words of a choice option; empty for other kinds. */
    public List<String> choices() {
        return choices;
    }

    /** The option whose key is {@code key}, or {@code null}. */
    public static GatewayOption byKey(final String key) {
        for (final GatewayOption option : values()) {
            if (option.key.equals(key)) {
                return option;
            }
        }
        return null;
    }
}

package io.voxgate.app.config;

import io.voxgate.app.cdr.CdrPoster;
import io.voxgate.app.cluster.RedisEndpoint;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.record.RecordMode;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.sip.sdp.RtpAudioCodec;
import io.voxgate.sip.sdp.SrtpPolicy;
import io.voxgate.websocket.http.EventLoopTransport;
import io.voxgate.websocket.http.TrustedProxies;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's whole configuration, read once and validated in one place.
 *
 * <p>Layers, later ones winning: defaults, then the environment ({@code VOXGATE_*}), then the config file
 * ({@code --config FILE}, Java properties with the flag names as keys), then the flags. Every error is an
 * {@link IllegalArgumentException} whose message starts with the option's flag and says what is allowed, so an
 * operator can fix it without reading code. Immutable; safe on any thread.
 */
public final class GatewayConfig {
    private static final Pattern RTP_RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final Map<GatewayOption, String> values;
    private final Map<GatewayOption, String> sources;
    private final Secrets secrets;

    private GatewayConfig(final Map<GatewayOption, String> values, final Map<GatewayOption, String> sources,
                          final Secrets secrets) {
        this.values = values;
        this.sources = sources;
        this.secrets = secrets;
    }

    /**
     * Merges the layers and validates every option.
     *
     * @param flags      options given on the command line (already split into option and text)
     * @param configFile the {@code --config} file, or {@code null}
     * @param env        the process environment
     * @throws IllegalArgumentException naming the option when a value is invalid or the file unreadable
     */
    public static GatewayConfig load(final Map<GatewayOption, String> flags, final Path configFile,
                                     final Map<String, String> env) {
        final Map<GatewayOption, String> values = new EnumMap<>(GatewayOption.class);
        final Map<GatewayOption, String> sources = new EnumMap<>(GatewayOption.class);
        for (final GatewayOption option : GatewayOption.values()) {
            if (option.defaultValue() != null) {
                values.put(option, option.defaultValue());
                sources.put(option, "default");
            }
            final String fromEnv = env.get(option.environmentVariable());
            if (fromEnv != null && !fromEnv.isBlank()) {
                values.put(option, fromEnv.trim());
                sources.put(option, "env " + option.environmentVariable());
            }
        }
        if (configFile != null) {
            for (final Map.Entry<GatewayOption, String> e : readFile(configFile).entrySet()) {
                values.put(e.getKey(), e.getValue());
                sources.put(e.getKey(), "file " + configFile);
            }
        }
        for (final Map.Entry<GatewayOption, String> e : flags.entrySet()) {
            values.put(e.getKey(), e.getValue());
            sources.put(e.getKey(), "flag " + e.getKey().flag());
        }
        for (final Map.Entry<GatewayOption, String> e : values.entrySet()) {
            validate(e.getKey(), e.getValue());
        }
        final GatewayConfig config = new GatewayConfig(values, sources, Secrets.fromEnvironment(env));
        config.validateTogether();
        return config;
    }

    private static Map<GatewayOption, String> readFile(final Path file) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (final IOException ex) {
            throw new IllegalArgumentException("--config: cannot read " + file + ": " + ex.getMessage(), ex);
        }
        final Map<GatewayOption, String> out = new EnumMap<>(GatewayOption.class);
        for (final String key : properties.stringPropertyNames()) {
            final GatewayOption option = GatewayOption.byKey(key.trim());
            if (option == null) {
                throw new IllegalArgumentException("--config: " + file + " has unknown key '" + key
                    + "' (keys are the flag names without dashes, e.g. http-port)");
            }
            out.put(option, properties.getProperty(key).trim());
        }
        return out;
    }

    private static void validate(final GatewayOption option, final String text) {
        switch (option.kind()) {
            case INTEGER:
                final long n;
                try {
                    n = Long.parseLong(text);
                } catch (final NumberFormatException ex) {
                    throw new IllegalArgumentException(option.flag() + ": '" + text + "' is not a whole number", ex);
                }
                if (n < option.min() || n > option.max()) {
                    throw new IllegalArgumentException(option.flag() + ": " + n + " is outside " + option.min() + ".."
                        + option.max());
                }
                break;
            case BOOLEAN:
                if (!"true".equals(text) && !"false".equals(text)) {
                    throw new IllegalArgumentException(option.flag() + ": '" + text + "' is not true or false");
                }
                break;
            case CHOICE:
                if (!option.choices().contains(text)) {
                    throw new IllegalArgumentException(option.flag() + ": '" + text + "' is not one of "
                        + String.join(", ", option.choices()));
                }
                break;
            case TEXT:
            default:
                validateText(option, text);
                break;
        }
    }

    private static void validateText(final GatewayOption option, final String text) {
        switch (option) {
            case BIND:
            case ADMIN_BIND:
            case EXTERNAL_IP:
                requireIpLiteral(option, text);
                break;
            case PUBLIC_URL:
                publicUri(text);
                break;
            case VAPI_API_URL:
            case TWILIO_API_URL:
                httpUri(option, text);
                break;
            case RTP_PORTS:
                rtpRange(text);
                break;
            case SIP_TRANSPORT:
                transports(text);
                break;
            case CODECS:
                RtpAudioCodec.parseList(text);
                break;
            case SIP_ALLOW:
                allowList(text);
                break;
            case TRUST_PROXY:
                trustedProxies(text);
                break;
            case SIP_REQUIRE_HEADER:
                requiredHeaders(text);
                break;
            case HEP_URL:
                hepTarget(text);
                break;
            case CDR_URL:
                cdrUri(text);
                break;
            case AGENT_FALLBACK:
                agentFallback(text);
                break;
            case NODE_ID:
                nodeIdText(text);
                break;
            default:
                break;
        }
    }

    private void validateTogether() {
        final boolean tls = sipTransports().contains("tls");
        if (tls && (!values.containsKey(GatewayOption.SIP_TLS_CERT) || !values.containsKey(GatewayOption.SIP_TLS_KEY))) {
            throw new IllegalArgumentException("--sip-transport: tls needs --sip-tls-cert FILE and --sip-tls-key FILE");
        }
        if (values.containsKey(GatewayOption.SIP_DIGEST_USER) && secrets.sipDigestPassword().isEmpty()) {
            throw new IllegalArgumentException("--sip-digest-user: " + Secrets.VOXGATE_SIP_DIGEST_PASSWORD + " is not set");
        }
        if (values.containsKey(GatewayOption.CDR_URL) && secrets.cdrSecret().isEmpty()) {
            throw new IllegalArgumentException("--cdr-url: " + Secrets.VOXGATE_CDR_SECRET + " is not set (records are signed with it)");
        }
        if (!isLoopback(adminBind()) && secrets.adminToken().isEmpty()) {
            throw new IllegalArgumentException(GatewayOption.ADMIN_BIND.flag() + ": " + adminBind()
                + " is not a loopback address and " + Secrets.VOXGATE_ADMIN_TOKEN + " is not set: set the token, or bind "
                + "the admin listener to 127.0.0.1 or ::1");
        }
        ioTransport();
        if (agentFallback()[1].startsWith("vapi:") && !"vapi".equals(agent())) {
            throw new IllegalArgumentException(GatewayOption.AGENT_FALLBACK.flag() + ": agent:vapi:<assistantId> needs --agent vapi");
        }
        if (record() != RecordMode.NONE && recordingDir().isEmpty()) {
            throw new IllegalArgumentException(GatewayOption.RECORD.flag() + " " + record().optionValue() + " needs "
                + GatewayOption.RECORDING_DIR.flag() + " DIR");
        }
        // With the password of the environment: the URL may name a user whose password is there, or carry one too.
        if (redisUrl().isEmpty() && values.containsKey(GatewayOption.REDIS_TLS_CA)) {
            throw new IllegalArgumentException(GatewayOption.REDIS_TLS_CA.flag() + ": needs " + GatewayOption.REDIS_URL.flag()
                + " rediss://...");
        }
        if (maxCallsCluster() > 0 && redisUrl().isEmpty()) {
            throw new IllegalArgumentException(GatewayOption.MAX_CALLS_CLUSTER.flag() + ": needs "
                + GatewayOption.REDIS_URL.flag() + " (the cluster's calls are counted in Redis)");
        }
        for (final GatewayOption file : new GatewayOption[] {GatewayOption.SIP_TLS_CERT, GatewayOption.SIP_TLS_KEY,
            GatewayOption.SIP_TLS_CA, GatewayOption.VAPI_ASSISTANT_FILE, GatewayOption.REDIS_TLS_CA}) {
            final String path = values.get(file);
            if (path != null && !Files.isReadable(Path.of(path))) {
                throw new IllegalArgumentException(file.flag() + ": cannot read " + path);
            }
        }
    }

    /** Whether the IP literal {@code address} (already validated) is a loopback address. */
    private static boolean isLoopback(final String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (final java.net.UnknownHostException ex) {
            return false;
        }
    }

    /**
     * Checks what {@code run} needs beyond valid values: at least one edge, and each configured edge complete. The
     * Twilio edge runs when {@code --public-url} is given and then needs {@code TWILIO_AUTH_TOKEN} (unless signature
     * checks are explicitly disabled); the SIP edge runs when {@code --sip-port} is given. A SIP-only node needs no
     * Twilio setting at all. An option that only the SIP edge uses and that would otherwise do nothing without it
     * ({@code --hep-url}) is refused on a node without {@code --sip-port}.
     *
     * @throws IllegalArgumentException naming the missing option or variable
     */
    public void requireRunnable() {
        if (publicUrl().isEmpty() && sipPort().isEmpty()) {
            throw new IllegalArgumentException(GatewayOption.PUBLIC_URL.flag() + " or " + GatewayOption.SIP_PORT.flag()
                + ": no edge configured; give --public-url https://HOST (Twilio, or VOXGATE_PUBLIC_URL) and/or --sip-port PORT (SIP)");
        }
        if (publicUrl().isEmpty() && secrets.twilioAuthToken().isPresent()) {
            throw new IllegalArgumentException(GatewayOption.PUBLIC_URL.flag() + ": " + Secrets.TWILIO_AUTH_TOKEN
                + " is set but the Twilio edge needs its public URL too, e.g. https://voice.example.com (or unset the token "
                + "for a SIP-only node)");
        }
        if (publicUrl().isPresent() && secrets.twilioAuthToken().isEmpty() && !insecureNoSignature()) {
            throw new IllegalArgumentException(Secrets.TWILIO_AUTH_TOKEN
                + " is not set: Twilio signatures cannot be checked. Set it, or pass --insecure-no-signature for a local experiment");
        }
        if (values.containsKey(GatewayOption.HEP_URL) && sipPort().isEmpty()) {
            // A capture node that silently receives nothing would be discovered only during the incident it was for.
            throw new IllegalArgumentException(GatewayOption.HEP_URL.flag() + ": mirrors SIP messages, but the SIP edge is off; "
                + "give --sip-port PORT or drop --hep-url");
        }
        if ("vapi".equals(agent())) {
            if (secrets.vapiApiKey().isEmpty()) {
                throw new IllegalArgumentException("--agent vapi: " + Secrets.VAPI_API_KEY + " is not set");
            }
            if (secrets.vapiAssistantId().isEmpty() && vapiAssistantFile().isEmpty()) {
                throw new IllegalArgumentException("--agent vapi: set " + Secrets.VAPI_ASSISTANT_ID
                    + " or --vapi-assistant-file FILE");
            }
        }
    }

    private static void requireIpLiteral(final GatewayOption option, final String text) {
        if (!IP_LITERAL.matcher(text).matches()) {
            throw new IllegalArgumentException(option.flag() + ": '" + text + "' is not an IPv4 or IPv6 address");
        }
        try {
            InetAddress.getByName(text);
        } catch (final java.net.UnknownHostException ex) {
            throw new IllegalArgumentException(option.flag() + ": '" + text + "' is not an IPv4 or IPv6 address", ex);
        }
    }

    private static URI publicUri(final String text) {
        final URI uri = httpUri(GatewayOption.PUBLIC_URL, text);
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())
            || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(GatewayOption.PUBLIC_URL.flag() + ": '" + text
                + "' must be scheme://host[:port] with no path or query");
        }
        return uri;
    }

    private static URI httpUri(final GatewayOption option, final String text) {
        final URI uri;
        try {
            uri = new URI(text);
        } catch (final URISyntaxException ex) {
            throw new IllegalArgumentException(option.flag() + ": '" + text + "' is not a URL", ex);
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException(option.flag() + ": '" + text + "' must be an http:// or https:// URL with a host");
        }
        return uri;
    }

    private static int[] rtpRange(final String text) {
        final java.util.regex.Matcher m = RTP_RANGE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--rtp-ports: '" + text + "' is not A-B, e.g. 10000-20000");
        }
        final int low = Integer.parseInt(m.group(1));
        final int high = Integer.parseInt(m.group(2));
        if (low < 1024 || high > 65_535 || high <= low) {
            throw new IllegalArgumentException("--rtp-ports: '" + text + "' must satisfy 1024 <= A < B <= 65535");
        }
        final int firstEven = (low + 1) & ~1;
        if (firstEven + 1 > high) {
            throw new IllegalArgumentException("--rtp-ports: '" + text + "' holds no even RTP port with its odd RTCP port");
        }
        return new int[] {low, high};
    }

    private static Set<String> transports(final String text) {
        final Set<String> out = new LinkedHashSet<>();
        for (final String part : text.split(",")) {
            final String t = part.trim().toLowerCase(Locale.ROOT);
            if (!"udp".equals(t) && !"tcp".equals(t) && !"tls".equals(t)) {
                throw new IllegalArgumentException("--sip-transport: '" + part.trim() + "' is not one of udp, tcp, tls");
            }
            out.add(t);
        }
        return Collections.unmodifiableSet(out);
    }

    private static List<String> allowList(final String text) {
        final List<String> out = new ArrayList<>();
        for (final String part : text.split(",")) {
            final String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (!"twilio".equals(entry)) {
                final int slash = entry.indexOf('/');
                if (slash < 0) {
                    throw new IllegalArgumentException("--sip-allow: '" + entry + "' is not a CIDR (ADDRESS/PREFIX) or 'twilio'");
                }
                requireIpLiteral(GatewayOption.SIP_ALLOW, entry.substring(0, slash));
                final int prefix;
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (final NumberFormatException ex) {
                    throw new IllegalArgumentException("--sip-allow: '" + entry + "' has a non-numeric prefix", ex);
                }
                final int maxPrefix = entry.indexOf(':') >= 0 ? 128 : 32;
                if (prefix < 0 || prefix > maxPrefix) {
                    throw new IllegalArgumentException("--sip-allow: '" + entry + "' has a prefix outside 0.." + maxPrefix);
                }
            }
            out.add(entry);
        }
        return Collections.unmodifiableList(out);
    }

    private String text(final GatewayOption option) {
        return values.get(option);
    }

    private int integer(final GatewayOption option) {
        return Integer.parseInt(values.get(option));
    }

    private boolean bool(final GatewayOption option) {
        return Boolean.parseBoolean(values.get(option));
    }

    /** Where an option's value came from ({@code default}, {@code env X}, {@code file F}, {@code flag --x}), or null if unset. */
    public String source(final GatewayOption option) {
        return sources.get(option);
    }

    /** {@code --http-port}. */
    public int httpPort() {
        return integer(GatewayOption.HTTP_PORT);
    }

    /** {@code --bind}. */
    public String bindAddress() {
        return text(GatewayOption.BIND);
    }

    /** {@code --public-url}, when set. */
    public Optional<URI> publicUrl() {
        final String text = text(GatewayOption.PUBLIC_URL);
        return text == null ? Optional.empty() : Optional.of(publicUri(text));
    }

    /** {@code --admin-port}. */
    public int adminPort() {
        return integer(GatewayOption.ADMIN_PORT);
    }

    /** {@code --admin-bind}. */
    public String adminBind() {
        return text(GatewayOption.ADMIN_BIND);
    }

    /** {@code --request-timeout}, in milliseconds. */
    public long requestTimeoutMs() {
        return integer(GatewayOption.REQUEST_TIMEOUT) * 1_000L;
    }

    /** {@code --max-connections}. */
    public int maxConnections() {
        return integer(GatewayOption.MAX_CONNECTIONS);
    }

    /** {@code --max-connections-per-source}. */
    public int maxConnectionsPerSource() {
        return integer(GatewayOption.MAX_CONNECTIONS_PER_SOURCE);
    }

    /** {@code --trust-proxy}: the trusted proxies, {@link TrustedProxies#NONE} when not given. */
    public TrustedProxies trustedProxies() {
        final String text = text(GatewayOption.TRUST_PROXY);
        return text == null ? TrustedProxies.NONE : trustedProxies(text);
    }

    private static TrustedProxies trustedProxies(final String text) {
        if ("true".equals(text) || "false".equals(text)) {
            throw new IllegalArgumentException("--trust-proxy: takes the CIDRs of the trusted proxies now (e.g. 10.0.0.0/8,"
                + "::1/128), not " + text + "; 'true' trusted forwarded headers from anyone");
        }
        try {
            return TrustedProxies.parse(text);
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException("--trust-proxy: " + ex.getMessage(), ex);
        }
    }

    /** {@code --agent}: echo, parrot or vapi. */
    public String agent() {
        return text(GatewayOption.AGENT);
    }

    /** {@code --agent-format}. */
    public AudioFormat agentFormat() {
        return AudioFormat.parse(text(GatewayOption.AGENT_FORMAT));
    }

    /** {@code --max-calls}. */
    public int maxCalls() {
        return integer(GatewayOption.MAX_CALLS);
    }

    /** {@code --sip-port}, when the SIP edge is on. */
    public OptionalInt sipPort() {
        final String text = text(GatewayOption.SIP_PORT);
        return text == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
    }

    /** {@code --sip-transport}, lower case, in the order given. */
    public Set<String> sipTransports() {
        return transports(text(GatewayOption.SIP_TRANSPORT));
    }

    /** {@code --codecs}: the SIP audio codecs in order of preference. */
    public List<RtpAudioCodec> codecs() {
        return RtpAudioCodec.parseList(text(GatewayOption.CODECS));
    }

    /** {@code --sip-tls-cert}, when set. */
    public Optional<Path> sipTlsCert() {
        return Optional.ofNullable(text(GatewayOption.SIP_TLS_CERT)).map(Path::of);
    }

    /** {@code --sip-tls-key}, when set. */
    public Optional<Path> sipTlsKey() {
        return Optional.ofNullable(text(GatewayOption.SIP_TLS_KEY)).map(Path::of);
    }

    /** {@code --sip-tls-port}. */
    public int sipTlsPort() {
        return integer(GatewayOption.SIP_TLS_PORT);
    }

    /** Lowest port of {@code --rtp-ports}. */
    public int rtpPortMin() {
        return rtpRange(text(GatewayOption.RTP_PORTS))[0];
    }

    /** Highest port of {@code --rtp-ports}. */
    public int rtpPortMax() {
        return rtpRange(text(GatewayOption.RTP_PORTS))[1];
    }

    /** {@code --external-ip}, when set. */
    public Optional<String> externalIp() {
        return Optional.ofNullable(text(GatewayOption.EXTERNAL_IP));
    }

    /** {@code --sip-require-header} entries, name to value, in the order given. */
    public Map<String, String> sipRequiredHeaders() {
        final String text = text(GatewayOption.SIP_REQUIRE_HEADER);
        return text == null ? Map.of() : requiredHeaders(text);
    }

    /** {@code --sip-digest-user}, when set. */
    public Optional<String> sipDigestUser() {
        return Optional.ofNullable(text(GatewayOption.SIP_DIGEST_USER));
    }

    /** {@code --sip-tls-ca}, when set. */
    public Optional<Path> sipTlsCa() {
        return Optional.ofNullable(text(GatewayOption.SIP_TLS_CA)).map(Path::of);
    }

    /** {@code --srtp}. */
    public SrtpPolicy srtp() {
        return SrtpPolicy.fromOption(text(GatewayOption.SRTP));
    }

    /** The SIP digest password from the environment, when set. */
    public Optional<String> sipDigestPassword() {
        return secrets.sipDigestPassword();
    }

    private static Map<String, String> requiredHeaders(final String text) {
        final Map<String, String> out = new java.util.LinkedHashMap<>();
        for (final String part : text.split(",")) {
            final String entry = part.trim();
            final int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1 || !entry.substring(0, eq).trim().matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("--sip-require-header: '" + (eq > 0 ? entry.substring(0, eq) + "=..." : entry)
                    + "' is not NAME=VALUE with a header name and a non-empty value without commas");
            }
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code --sip-allow} entries: CIDRs and presets. */
    public List<String> sipAllow() {
        return allowList(text(GatewayOption.SIP_ALLOW));
    }

    /** {@code --media-timeout} in seconds. */
    public int mediaTimeoutSeconds() {
        return integer(GatewayOption.MEDIA_TIMEOUT);
    }

    /** {@code --twilio-api-url}. */
    public URI twilioApiUrl() {
        return httpUri(GatewayOption.TWILIO_API_URL, text(GatewayOption.TWILIO_API_URL));
    }

    /** {@code --vapi-api-url}. */
    public URI vapiApiUrl() {
        return httpUri(GatewayOption.VAPI_API_URL, text(GatewayOption.VAPI_API_URL));
    }

    /**
     * {@code --redis-url}, when set: the node is one of a cluster. With the password of the URL or of
     * {@code VOXGATE_REDIS_PASSWORD}, and {@code --redis-tls-ca}; its {@code toString} hides the password.
     */
    public Optional<RedisEndpoint> redisUrl() {
        return Optional.ofNullable(text(GatewayOption.REDIS_URL)).map(url -> redisEndpoint(url,
            secrets.redisPassword().orElse(null), Optional.ofNullable(text(GatewayOption.REDIS_TLS_CA)).map(Path::of).orElse(null)));
    }

    /** {@code --node-id}, else the host name (dots and other characters cut to the allowed set). */
    public String nodeId() {
        final String configured = text(GatewayOption.NODE_ID);
        if (configured != null) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (final java.net.UnknownHostException ex) {
            host = "voxgate";
        }
        final String cleaned = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return cleaned.isEmpty() ? "voxgate" : cleaned.substring(0, Math.min(64, cleaned.length()));
    }

    /** {@code --max-calls-cluster}; 0 when there is no cluster limit. */
    public int maxCallsCluster() {
        return integer(GatewayOption.MAX_CALLS_CLUSTER);
    }

    /** The endpoint of a {@code --redis-url}; the error names the option and never quotes the URL (its password). */
    private static RedisEndpoint redisEndpoint(final String text, final String passwordFromEnv, final Path tlsCa) {
        try {
            return RedisEndpoint.parse(text, passwordFromEnv, tlsCa);
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException(GatewayOption.REDIS_URL.flag() + ": " + ex.getMessage());
        }
    }

    private static void nodeIdText(final String text) {
        if (text.isEmpty() || text.length() > 64 || !text.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(GatewayOption.NODE_ID.flag() + ": 1-64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    /** {@code --cdr-file}, when set. */
    public Optional<Path> cdrFile() {
        return Optional.ofNullable(text(GatewayOption.CDR_FILE)).map(Path::of);
    }

    /** {@code --cdr-url}, when set. */
    public Optional<URI> cdrUrl() {
        return Optional.ofNullable(text(GatewayOption.CDR_URL)).map(GatewayConfig::cdrUri);
    }

    private static URI cdrUri(final String text) {
        try {
            return CdrPoster.checkUrl(new URI(text));
        } catch (final URISyntaxException ex) {
            throw new IllegalArgumentException("--cdr-url: '" + text + "' is not a URL", ex);
        }
    }

    /** {@code --hep-url}: the capture node's address, resolved once at startup, when set. */
    public Optional<InetSocketAddress> hepUrl() {
        return Optional.ofNullable(text(GatewayOption.HEP_URL)).map(GatewayConfig::hepTarget);
    }

    private static InetSocketAddress hepTarget(final String text) {
        final URI uri;
        try {
            uri = new URI(text);
        } catch (final URISyntaxException ex) {
            throw new IllegalArgumentException("--hep-url: '" + text + "' is not a URL, e.g. udp://10.0.0.5:9060", ex);
        }
        if (!"udp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
            || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("--hep-url: '" + text + "' must be udp://HOST:PORT, e.g. udp://10.0.0.5:9060");
        }
        final String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        final InetSocketAddress target = new InetSocketAddress(host, uri.getPort());
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("--hep-url: " + host + " does not resolve");
        }
        return target;
    }

    /** {@code --recording-dir}, when set. */
    public Optional<Path> recordingDir() {
        return Optional.ofNullable(text(GatewayOption.RECORDING_DIR)).map(Path::of);
    }

    /** {@code --record}. */
    public RecordMode record() {
        return RecordMode.parse(text(GatewayOption.RECORD));
    }

    /** {@code --vapi-assistant-file}, when set. */
    public Optional<Path> vapiAssistantFile() {
        return Optional.ofNullable(text(GatewayOption.VAPI_ASSISTANT_FILE)).map(Path::of);
    }

    /** {@code --vapi-dtmf-message}, when set (empty turns digit forwarding off). */
    public Optional<String> vapiDtmfMessage() {
        return Optional.ofNullable(text(GatewayOption.VAPI_DTMF_MESSAGE));
    }

    /** {@code --vapi-webhook-auth}: bearer, secret-header or hmac. */
    public String vapiWebhookAuth() {
        return text(GatewayOption.VAPI_WEBHOOK_AUTH);
    }

    /** {@code --insecure-no-signature}. */
    public boolean insecureNoSignature() {
        return bool(GatewayOption.INSECURE_NO_SIGNATURE);
    }

    /** {@code --stream-auth}: signature, token, either or both. */
    public String streamAuth() {
        return text(GatewayOption.STREAM_AUTH);
    }

    /** {@code --drain-timeout} in seconds. */
    public int drainTimeoutSeconds() {
        return integer(GatewayOption.DRAIN_TIMEOUT);
    }

    /** {@code --outbound-lead-ms}. */
    public int outboundLeadMs() {
        return integer(GatewayOption.OUTBOUND_LEAD_MS);
    }

    /** {@code --barge-in-vad}. */
    public boolean bargeInVad() {
        return bool(GatewayOption.BARGE_IN_VAD);
    }

    /** {@code --barge-in-confirm-ms}. */
    public int bargeInConfirmMs() {
        return integer(GatewayOption.BARGE_IN_CONFIRM_MS);
    }

    /**
     * {@code --io-transport}: the transport every event loop runs.
     *
     * @throws IllegalArgumentException when a native transport was asked for and this host cannot load it
     */
    public EventLoopTransport ioTransport() {
        try {
            return EventLoopTransport.choose(text(GatewayOption.IO_TRANSPORT));
        } catch (final IllegalArgumentException ex) {
            throw new IllegalArgumentException(GatewayOption.IO_TRANSPORT.flag() + ": " + ex.getMessage(), ex);
        }
    }

    /** {@code --agent-reconnect-ms}. */
    public int agentReconnectMs() {
        return integer(GatewayOption.AGENT_RECONNECT_MS);
    }

    /**
     * {@code --agent-fallback} as {@code [kind, argument]}: {@code hangup} (no argument), {@code transfer} and its URI,
     * or {@code agent} and {@code echo}, {@code parrot} or {@code vapi:<assistantId>}.
     */
    public String[] agentFallback() {
        return agentFallback(text(GatewayOption.AGENT_FALLBACK));
    }

    private static String[] agentFallback(final String text) {
        if ("hangup".equals(text)) {
            return new String[] {"hangup", ""};
        }
        if (text.startsWith("transfer:")) {
            final String target = text.substring("transfer:".length());
            try {
                TransferRequest.of(target, null, TransferRequest.Origin.OPERATOR);
            } catch (final IllegalArgumentException ex) {
                throw new IllegalArgumentException(GatewayOption.AGENT_FALLBACK.flag() + ": transfer target: "
                    + ex.getMessage().replace("\"to\"", "the target"));
            }
            return new String[] {"transfer", target};
        }
        if (text.startsWith("agent:")) {
            final String agent = text.substring("agent:".length());
            if ("echo".equals(agent) || "parrot".equals(agent) || agent.matches("vapi:[A-Za-z0-9_-]{1,64}")) {
                return new String[] {"agent", agent};
            }
        }
        throw new IllegalArgumentException(GatewayOption.AGENT_FALLBACK.flag()
            + " must be hangup, transfer:<sip:|tel: URI> or agent:echo|parrot|vapi:<assistantId>");
    }

    /** {@code --log-format}: text or json. */
    public String logFormat() {
        return text(GatewayOption.LOG_FORMAT);
    }

    /** The secrets from the environment. */
    public Secrets secrets() {
        return secrets;
    }

    /** Every option with its value and source, secrets excluded by construction: safe to log at startup. */
    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("GatewayConfig[");
        for (final GatewayOption option : GatewayOption.values()) {
            final String value = values.get(option);
            if (value != null) {
                // A Redis URL may carry a password: it is printed as its endpoint, password hidden.
                sb.append(option.key()).append('=').append(option == GatewayOption.REDIS_URL ? redisUrl().orElseThrow() : value)
                    .append(" (").append(sources.get(option)).append("), ");
            }
        }
        return sb.append(secrets).append(']').toString();
    }
}

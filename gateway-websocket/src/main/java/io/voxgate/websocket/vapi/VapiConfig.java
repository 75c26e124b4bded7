package io.voxgate.websocket.vapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.core.audio.AudioFormat;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * The validated settings of the Vapi agent: where Vapi is, the API key, which assistant answers, the audio
 * format negotiated on the transport socket, the connect deadline and how caller digits are forwarded.
 *
 * <p>Built once by the launcher with {@link #builder()}; {@link Builder#build()} validates everything and
 * names the offending option. Immutable; safe on any thread. {@link #toString()} never prints the API key.
 */
public final class VapiConfig {
    /** CLI flag of the Vapi REST base URL. */
    public static final String OPTION_API_URL = "--vapi-api-url";
    /** Default REST base: Vapi's public API (protocols.md §5.1). */
    public static final String DEFAULT_API_URL = "https://api.vapi.ai";
    /** Environment variable holding the private API key; a secret, so it comes from the environment only. */
    public static final String ENV_API_KEY = "VAPI_API_KEY";
    /** Environment variable naming the saved assistant. */
    public static final String ENV_ASSISTANT_ID = "VAPI_ASSISTANT_ID";
    /** Config-file key of an inline (transient) assistant JSON object, used instead of an assistant id. */
    public static final String OPTION_ASSISTANT_JSON = "vapi.assistant";
    /** CLI flag of the agent's audio format. */
    public static final String OPTION_AGENT_FORMAT = "--agent-format";
    /** Default format: mu-law 8 kHz, byte-for-byte pass-through with Twilio and PCMU (protocols.md §5.2). */
    public static final AudioFormat DEFAULT_AUDIO_FORMAT = AudioFormat.MULAW_8K;
    /** Config key of the agent connect deadline, ms: from {@code connect()} to the socket being open. */
    public static final String OPTION_CONNECT_DEADLINE_MS = "vapi.connect-deadline-ms";
    /** Default deadline: long enough for a retry of {@code POST /call}, short enough that a caller is not left in silence. */
    public static final int DEFAULT_CONNECT_DEADLINE_MS = 5_000;
    /** Config key of the timeout of one {@code POST /call} attempt, ms. */
    public static final String OPTION_CREATE_ATTEMPT_TIMEOUT_MS = "vapi.create-attempt-timeout-ms";
    /** Default attempt timeout: half the default deadline, leaving room for the one retry. */
    public static final int DEFAULT_CREATE_ATTEMPT_TIMEOUT_MS = 2_500;
    /** Config key of the idle connections to the Vapi API kept per event loop; 0 opens a connection per call. */
    public static final String OPTION_API_MAX_IDLE_CONNECTIONS = "vapi.api-max-idle-connections";
    /** Default idle connections per loop: enough for bursts of call setups on one loop. */
    public static final int DEFAULT_API_MAX_IDLE_CONNECTIONS = 8;
    /** Config key of how long an idle API connection is kept, ms. */
    public static final String OPTION_API_IDLE_TIMEOUT_MS = "vapi.api-idle-timeout-ms";
    /**
     * Default idle time: well inside the idle timeouts of common load balancers (60 s and more), so the server
     * seldom closes a connection just as a request is sent on it.
     */
    public static final int DEFAULT_API_IDLE_TIMEOUT_MS = 20_000;
    /** Config key of the control message sent for a caller digit; {@code {digit}} is replaced; empty turns forwarding off. */
    public static final String OPTION_DTMF_MESSAGE = "vapi.dtmf-message";
    /**
     * Default digit message: Vapi has no DTMF input message (protocols.md §5.3), so the digit is told to the
     * model as a system message that triggers a response.
     */
    public static final String DEFAULT_DTMF_MESSAGE =
        "{\"type\":\"add-message\",\"message\":{\"role\":\"system\",\"content\":\"caller pressed {digit}\"},"
            + "\"triggerResponseEnabled\":true}";
    /** Placeholder replaced by the digit in {@link #OPTION_DTMF_MESSAGE}. */
    public static final String DIGIT_PLACEHOLDER = "{digit}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiUrl;
    private final String apiKey;
    private final VapiAssistant assistant;
    private final AudioFormat audioFormat;
    private final int connectDeadlineMs;
    private final int createAttemptTimeoutMs;
    private final int apiMaxIdleConnections;
    private final int apiIdleTimeoutMs;
    private final String dtmfMessage;

    private VapiConfig(final Builder b, final URI apiUrl, final VapiAssistant assistant) {
        this.apiUrl = apiUrl;
        this.apiKey = b.apiKey;
        this.assistant = assistant;
        this.audioFormat = b.audioFormat;
        this.connectDeadlineMs = b.connectDeadlineMs;
        this.createAttemptTimeoutMs = b.createAttemptTimeoutMs;
        this.apiMaxIdleConnections = b.apiMaxIdleConnections;
        this.apiIdleTimeoutMs = b.apiIdleTimeoutMs;
        this.dtmfMessage = b.dtmfMessage;
    }

    /** A builder with every default set; the API key and the assistant must be given. */
    public static Builder builder() {
        return new Builder();
    }

    /** The REST base URL, without a trailing slash. */
    public URI apiUrl() {
        return apiUrl;
    }

    /** The private API key (a secret: never log it). */
    public String apiKey() {
        return apiKey;
    }

    /** Which assistant takes the calls. */
    public VapiAssistant assistant() {
        return assistant;
    }

    /** The audio format asked for on the transport socket and exchanged with the gateway. */
    public AudioFormat audioFormat() {
        return audioFormat;
    }

    /** Deadline from {@code connect()} to the socket being open, ms. */
    public int connectDeadlineMs() {
        return connectDeadlineMs;
    }

    /** Timeout of one {@code POST /call} attempt, ms. */
    public int createAttemptTimeoutMs() {
        return createAttemptTimeoutMs;
    }

    /** Idle connections to the Vapi API kept per event loop; 0 opens a connection per call setup. */
    public int apiMaxIdleConnections() {
        return apiMaxIdleConnections;
    }

    /** How long an idle API connection is kept, ms. */
    public int apiIdleTimeoutMs() {
        return apiIdleTimeoutMs;
    }

    /** The digit message template with {@link #DIGIT_PLACEHOLDER}, or empty when digits are not forwarded. */
    public String dtmfMessage() {
        return dtmfMessage;
    }

    /** Vapi's name of the format ({@code mulaw} or {@code pcm_s16le}, protocols.md §5.1). */
    String vapiFormatName() {
        return vapiFormatName(audioFormat);
    }

    static String vapiFormatName(final AudioFormat format) {
        switch (format.encoding()) {
            case MULAW:
                return "mulaw";
            case PCM16:
                return "pcm_s16le";
            default:
                throw new IllegalArgumentException(OPTION_AGENT_FORMAT + " " + format + " is not spoken by Vapi (mulaw/8000, "
                    + "pcm16/16000 or pcm16/24000)");
        }
    }

    @Override
    public String toString() {
        return "VapiConfig{apiUrl=" + apiUrl + ", apiKey=" + VapiRedaction.REDACTED + ", " + assistant + ", audioFormat="
            + audioFormat + ", connectDeadlineMs=" + connectDeadlineMs + ", createAttemptTimeoutMs=" + createAttemptTimeoutMs
            + ", apiMaxIdleConnections=" + apiMaxIdleConnections + ", apiIdleTimeoutMs=" + apiIdleTimeoutMs
            + ", dtmf=" + (dtmfMessage.isEmpty() ? "off" : "on") + "}";
    }

    /**
     * Collects settings; {@link #build()} validates them. Not thread-safe; use on one thread.
     */
    public static final class Builder {
        private String apiUrl = DEFAULT_API_URL;
        private String apiKey;
        private String assistantId;
        private String assistantJson;
        private AudioFormat audioFormat = DEFAULT_AUDIO_FORMAT;
        private int connectDeadlineMs = DEFAULT_CONNECT_DEADLINE_MS;
        private int createAttemptTimeoutMs = DEFAULT_CREATE_ATTEMPT_TIMEOUT_MS;
        private int apiMaxIdleConnections = DEFAULT_API_MAX_IDLE_CONNECTIONS;
        private int apiIdleTimeoutMs = DEFAULT_API_IDLE_TIMEOUT_MS;
        private String dtmfMessage = DEFAULT_DTMF_MESSAGE;

        private Builder() {
        }

        /** Takes {@link #ENV_API_KEY} and, when present, {@link #ENV_ASSISTANT_ID} from {@code environment}. */
        public Builder environment(final Map<String, String> environment) {
            apiKey = environment.get(ENV_API_KEY);
            final String id = environment.get(ENV_ASSISTANT_ID);
            if (id != null && !id.isBlank()) {
                assistantId = id;
            }
            return this;
        }

        /** The REST base URL ({@link #OPTION_API_URL}). */
        public Builder apiUrl(final String url) {
            this.apiUrl = url;
            return this;
        }

        /** The private API key; the launcher passes {@link #ENV_API_KEY}'s value. */
        public Builder apiKey(final String key) {
            this.apiKey = key;
            return this;
        }

        /** A saved assistant ({@link #ENV_ASSISTANT_ID}). */
        public Builder assistantId(final String id) {
            this.assistantId = id;
            return this;
        }

        /** An inline assistant ({@link #OPTION_ASSISTANT_JSON}), a JSON object. */
        public Builder assistantJson(final String json) {
            this.assistantJson = json;
            return this;
        }

        /** The agent's audio format ({@link #OPTION_AGENT_FORMAT}). */
        public Builder audioFormat(final AudioFormat format) {
            this.audioFormat = format;
            return this;
        }

        /** The connect deadline ({@link #OPTION_CONNECT_DEADLINE_MS}). */
        public Builder connectDeadlineMs(final int ms) {
            this.connectDeadlineMs = ms;
            return this;
        }

        /** The {@code POST /call} attempt timeout ({@link #OPTION_CREATE_ATTEMPT_TIMEOUT_MS}). */
        public Builder createAttemptTimeoutMs(final int ms) {
            this.createAttemptTimeoutMs = ms;
            return this;
        }

        /** Idle API connections kept per event loop ({@link #OPTION_API_MAX_IDLE_CONNECTIONS}); 0 keeps none. */
        public Builder apiMaxIdleConnections(final int connections) {
            this.apiMaxIdleConnections = connections;
            return this;
        }

        /** How long an idle API connection is kept ({@link #OPTION_API_IDLE_TIMEOUT_MS}). */
        public Builder apiIdleTimeoutMs(final int ms) {
            this.apiIdleTimeoutMs = ms;
            return this;
        }

        /** The digit message ({@link #OPTION_DTMF_MESSAGE}); empty turns forwarding off. */
        public Builder dtmfMessage(final String template) {
            this.dtmfMessage = template == null ? "" : template;
            return this;
        }

        /**
         * The validated configuration.
         *
         * @throws IllegalArgumentException naming the option whose value is missing or out of range
         */
        public VapiConfig build() {
            final URI uri = parseApiUrl(apiUrl);
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException(ENV_API_KEY + " must be set in the environment for --agent vapi");
            }
            if (apiKey.chars().anyMatch(c -> c <= ' ' || c == 0x7F)) {
                throw new IllegalArgumentException(ENV_API_KEY + " contains whitespace or control characters");
            }
            final VapiAssistant assistant = assistant();
            if (audioFormat == null) {
                throw new IllegalArgumentException(OPTION_AGENT_FORMAT + " must be set");
            }
            vapiFormatName(audioFormat);
            if (connectDeadlineMs < 500 || connectDeadlineMs > 60_000) {
                throw new IllegalArgumentException(OPTION_CONNECT_DEADLINE_MS + " must be in [500, 60000], was " + connectDeadlineMs);
            }
            if (createAttemptTimeoutMs < 100 || createAttemptTimeoutMs > connectDeadlineMs) {
                throw new IllegalArgumentException(OPTION_CREATE_ATTEMPT_TIMEOUT_MS + " must be in [100, " + OPTION_CONNECT_DEADLINE_MS
                    + " = " + connectDeadlineMs + "], was " + createAttemptTimeoutMs);
            }
            if (apiMaxIdleConnections < 0 || apiMaxIdleConnections > 1_024) {
                throw new IllegalArgumentException(OPTION_API_MAX_IDLE_CONNECTIONS + " must be in [0, 1024], was " + apiMaxIdleConnections);
            }
            if (apiIdleTimeoutMs < 1_000 || apiIdleTimeoutMs > 300_000) {
                throw new IllegalArgumentException(OPTION_API_IDLE_TIMEOUT_MS + " must be in [1000, 300000], was " + apiIdleTimeoutMs);
            }
            validateDtmfMessage(dtmfMessage);
            return new VapiConfig(this, uri, assistant);
        }

        private VapiAssistant assistant() {
            final boolean hasId = assistantId != null && !assistantId.isBlank();
            final boolean hasJson = assistantJson != null && !assistantJson.isBlank();
            if (hasId && hasJson) {
                throw new IllegalArgumentException("give either " + ENV_ASSISTANT_ID + " or " + OPTION_ASSISTANT_JSON + ", not both");
            }
            if (hasJson) {
                return VapiAssistant.inline(assistantJson, OPTION_ASSISTANT_JSON);
            }
            if (!hasId) {
                throw new IllegalArgumentException(ENV_ASSISTANT_ID + " or " + OPTION_ASSISTANT_JSON + " must name the Vapi assistant");
            }
            return VapiAssistant.byId(assistantId, ENV_ASSISTANT_ID);
        }

        private static URI parseApiUrl(final String text) {
            final URI uri;
            try {
                uri = new URI(text == null ? "" : text.trim());
            } catch (final URISyntaxException ex) {
                throw new IllegalArgumentException(OPTION_API_URL + " '" + text + "' is not a URL", ex);
            }
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
                throw new IllegalArgumentException(OPTION_API_URL + " '" + text + "' must be an http:// or https:// URL with a host");
            }
            if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(OPTION_API_URL + " '" + text + "' must not carry user info, a query or a fragment");
            }
            if ("http".equals(scheme) && !loopback(uri.getHost())) {
                // The API key travels in every request: in the clear only to this host (a local stand-in or proxy).
                throw new IllegalArgumentException(OPTION_API_URL + " '" + text + "' must be https:// (http:// only to a loopback address)");
            }
            final String path = uri.getPath() == null ? "" : uri.getPath();
            final String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            try {
                return new URI(scheme, null, uri.getHost(), uri.getPort(), trimmed, null, null);
            } catch (final URISyntaxException ex) {
                throw new IllegalArgumentException(OPTION_API_URL + " '" + text + "' is not a URL", ex);
            }
        }

        private static boolean loopback(final String host) {
            final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return "localhost".equalsIgnoreCase(bare) || bare.startsWith("127.") || "::1".equals(bare) || "0:0:0:0:0:0:0:1".equals(bare);
        }

        private static void validateDtmfMessage(final String template) {
            if (template.isEmpty()) {
                return;
            }
            final JsonNode node;
            try {
                node = JSON.readTree(template.replace(DIGIT_PLACEHOLDER, "5"));
            } catch (final JsonProcessingException ex) {
                throw new IllegalArgumentException(OPTION_DTMF_MESSAGE + " is not valid JSON: " + ex.getOriginalMessage(), ex);
            }
            if (node == null || !node.isObject() || !node.path("type").isTextual()) {
                throw new IllegalArgumentException(OPTION_DTMF_MESSAGE + " must be a JSON object with a \"type\"");
            }
        }
    }
}

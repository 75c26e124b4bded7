package io.voxgate.app.config;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials read from the environment only, never from flags or files (which end up in shell history and
 * backups) and never logged: {@link #toString()} says only which are present.
 *
 * <p>Immutable; safe on any thread.
 */
public final class Secrets {
    /** Twilio's auth token: the HMAC key of {@code X-Twilio-Signature}. */
    public static final String TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
    /** The Twilio account whose calls the REST API updates (transfers); not secret, but kept beside its token. */
    public static final String TWILIO_ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
    /** Vapi private API key for {@code POST /call}. */
    public static final String VAPI_API_KEY = "VAPI_API_KEY";
    /** The saved Vapi assistant to call; not secret, but it travels with the key. */
    public static final String VAPI_ASSISTANT_ID = "VAPI_ASSISTANT_ID";
    /** Key of the per-call media-stream tokens; random per process when absent (one node needs no sharing). */
    public static final String VOXGATE_TOKEN_SECRET = "VOXGATE_TOKEN_SECRET";
    /** Credential Vapi presents on {@code POST /webhook/vapi} (bearer token, X-Vapi-Secret value or HMAC key). */
    public static final String VAPI_WEBHOOK_SECRET = "VAPI_WEBHOOK_SECRET";
    /** Password of {@code --sip-digest-user}. */
    public static final String VOXGATE_SIP_DIGEST_PASSWORD = "VOXGATE_SIP_DIGEST_PASSWORD";
    /** Bearer token of the admin listener's calls API. */
    public static final String VOXGATE_ADMIN_TOKEN = "VOXGATE_ADMIN_TOKEN";
    /** HMAC-SHA256 key that signs the call detail records POSTed to {@code --cdr-url}. */
    public static final String VOXGATE_CDR_SECRET = "VOXGATE_CDR_SECRET";
    /** Password of the cluster's Redis ({@code AUTH}, for the URL's user when it names one). */
    public static final String VOXGATE_REDIS_PASSWORD = "VOXGATE_REDIS_PASSWORD";

    /** Every variable this class reads, with what it is for: the launcher's help lists them. */
    public static final Map<String, String> VARIABLES = variables();

    private final String twilioAuthToken;
    private final String vapiApiKey;
    private final String vapiAssistantId;
    private final byte[] tokenSecret;
    private final String vapiWebhookSecret;
    private final String sipDigestPassword;
    private final String adminToken;
    private final String cdrSecret;
    private final String twilioAccountSid;
    private final String redisPassword;

    private Secrets(final String twilioAuthToken, final String vapiApiKey, final String vapiAssistantId,
                    final byte[] tokenSecret, final String vapiWebhookSecret, final String sipDigestPassword,
                    final String adminToken, final String cdrSecret, final String twilioAccountSid,
                    final String redisPassword) {
        this.cdrSecret = cdrSecret;
        this.redisPassword = redisPassword;
        this.twilioAccountSid = twilioAccountSid;
        this.sipDigestPassword = sipDigestPassword;
        this.adminToken = adminToken;
        this.twilioAuthToken = twilioAuthToken;
        this.vapiApiKey = vapiApiKey;
        this.vapiAssistantId = vapiAssistantId;
        this.tokenSecret = tokenSecret;
        this.vapiWebhookSecret = vapiWebhookSecret;
    }

    /** Reads the secrets from {@code env}; blank values count as absent. */
    public static Secrets fromEnvironment(final Map<String, String> env) {
        final String token = nonBlank(env.get(VOXGATE_TOKEN_SECRET));
        final byte[] tokenSecret;
        if (token != null) {
            tokenSecret = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            tokenSecret = new byte[32];
            new SecureRandom().nextBytes(tokenSecret);
        }
        return new Secrets(nonBlank(env.get(TWILIO_AUTH_TOKEN)), nonBlank(env.get(VAPI_API_KEY)),
            nonBlank(env.get(VAPI_ASSISTANT_ID)), tokenSecret, nonBlank(env.get(VAPI_WEBHOOK_SECRET)),
            nonBlank(env.get(VOXGATE_SIP_DIGEST_PASSWORD)), nonBlank(env.get(VOXGATE_ADMIN_TOKEN)),
            nonBlank(env.get(VOXGATE_CDR_SECRET)), nonBlank(env.get(TWILIO_ACCOUNT_SID)),
            nonBlank(env.get(VOXGATE_REDIS_PASSWORD)));
    }

    /** Secrets for a self-contained run (demo, tests): the given Twilio token and a random token key. */
    public static Secrets forLocalRun(final String twilioAuthToken) {
        final byte[] tokenSecret = new byte[32];
        new SecureRandom().nextBytes(tokenSecret);
        return new Secrets(twilioAuthToken, null, null, tokenSecret, null, null, null, null, null, null);
    }

    /** Twilio's auth token, when set. */
    public Optional<String> twilioAuthToken() {
        return Optional.ofNullable(twilioAuthToken);
    }

    /** Vapi's private API key, when set. */
    public Optional<String> vapiApiKey() {
        return Optional.ofNullable(vapiApiKey);
    }

    /** Vapi assistant id, when set. */
    public Optional<String> vapiAssistantId() {
        return Optional.ofNullable(vapiAssistantId);
    }

    /** Vapi webhook credential, when set. */
    public Optional<String> vapiWebhookSecret() {
        return Optional.ofNullable(vapiWebhookSecret);
    }

    /** The SIP digest password, when set. */
    public Optional<String> sipDigestPassword() {
        return Optional.ofNullable(sipDigestPassword);
    }

    /** {@code TWILIO_ACCOUNT_SID}, when set: with the auth token, Twilio calls can be transferred (REST API). */
    public Optional<String> twilioAccountSid() {
        return Optional.ofNullable(twilioAccountSid);
    }

    /** The calls API's bearer token, when set. */
    public Optional<String> adminToken() {
        return Optional.ofNullable(adminToken);
    }

    /** The CDR signing key, when set. */
    public Optional<String> cdrSecret() {
        return Optional.ofNullable(cdrSecret);
    }

    /** The cluster's Redis password, when set. */
    public Optional<String> redisPassword() {
        return Optional.ofNullable(redisPassword);
    }

    /** Key for per-call media-stream tokens (a copy). */
    public byte[] tokenSecret() {
        return tokenSecret.clone();
    }

    private static Map<String, String> variables() {
        final Map<String, String> out = new LinkedHashMap<>();
        out.put(TWILIO_AUTH_TOKEN, "Twilio auth token: checks X-Twilio-Signature (required when the Twilio edge runs)");
        out.put(VAPI_API_KEY, "Vapi private API key (--agent vapi)");
        out.put(VAPI_ASSISTANT_ID, "saved Vapi assistant to call (--agent vapi, or --vapi-assistant-file)");
        out.put(VAPI_WEBHOOK_SECRET, "credential Vapi presents on POST /webhook/vapi (see --vapi-webhook-auth)");
        out.put(VOXGATE_TOKEN_SECRET, "key of the per-call media-stream tokens (random per process when unset)");
        out.put(VOXGATE_SIP_DIGEST_PASSWORD, "password of --sip-digest-user");
        out.put(VOXGATE_ADMIN_TOKEN, "bearer token of the admin calls API (required for a non-loopback --admin-bind)");
        out.put(VOXGATE_CDR_SECRET, "HMAC-SHA256 key signing the records POSTed to --cdr-url");
        out.put(TWILIO_ACCOUNT_SID, "Twilio account whose live calls a transfer updates through the REST API");
        out.put(VOXGATE_REDIS_PASSWORD, "password of the cluster's Redis (--redis-url), kept off the command line");
        return Collections.unmodifiableMap(out);
    }

    private static String nonBlank(final String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "Secrets[" + TWILIO_AUTH_TOKEN + "=" + presence(twilioAuthToken) + ", " + VAPI_API_KEY + "="
            + presence(vapiApiKey) + ", " + VAPI_ASSISTANT_ID + "=" + presence(vapiAssistantId) + ", "
            + VAPI_WEBHOOK_SECRET + "=" + presence(vapiWebhookSecret) + ", " + VOXGATE_SIP_DIGEST_PASSWORD + "="
            + presence(sipDigestPassword) + ", " + VOXGATE_ADMIN_TOKEN + "=" + presence(adminToken) + ", " + VOXGATE_CDR_SECRET
            + "=" + presence(cdrSecret) + ", " + VOXGATE_REDIS_PASSWORD + "=" + presence(redisPassword) + "]";
    }

    private static String presence(final String value) {
        return value == null ? "absent" : "set";
    }
}

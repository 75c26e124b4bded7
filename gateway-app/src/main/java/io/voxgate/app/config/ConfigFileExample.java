package io.voxgate.app.config;

import java.util.List;
import java.util.Locale;

/**
 * The text of {@code etc/voxgate.properties.example}: every {@link GatewayOption} commented out with its
 * description, allowed values, default and environment variable, plus the secret variables that only the
 * environment may carry. It is rendered from the option table so the shipped example cannot drift from the code
 * (a test compares the file in the distribution sources with this text).
 *
 * <p>Stateless; safe on any thread.
 */
public final class ConfigFileExample {
    private static final List<String[]> SECRETS = List.of(
        new String[] {Secrets.TWILIO_AUTH_TOKEN, "Twilio auth token: checks X-Twilio-Signature (required with a --public-url)"},
        new String[] {Secrets.VAPI_API_KEY, "Vapi private API key (--agent vapi)"},
        new String[] {Secrets.VAPI_ASSISTANT_ID, "the saved Vapi assistant to call"},
        new String[] {Secrets.VAPI_WEBHOOK_SECRET, "credential Vapi presents on POST /webhook/vapi"},
        new String[] {Secrets.VOXGATE_TOKEN_SECRET, "key of the per-call media-stream tokens (random per process when unset)"},
        new String[] {Secrets.VOXGATE_SIP_DIGEST_PASSWORD, "password of --sip-digest-user"},
        new String[] {Secrets.VOXGATE_ADMIN_TOKEN, "bearer token of the calls API on the admin listener (required when --admin-bind "
            + "is not loopback)"},
        new String[] {Secrets.VOXGATE_REDIS_PASSWORD, "password of the cluster's Redis (--redis-url names host, port and user)"});

    private ConfigFileExample() {
    }

    /** The example file, lines ending in {@code \n}. */
    public static String render() {
        final StringBuilder out = new StringBuilder(8 * 1024);
        out.append("# Voxgate configuration (Java properties). Use it with: voxgate run --config /etc/voxgate/voxgate.properties\n")
            .append("# Rendered from the option table in the code; every option is listed, commented out, with its default.\n")
            .append("# Keys are the flag names without the dashes. Precedence: flags > this file > environment\n")
            .append("# (VOXGATE_<OPTION>) > defaults.\n")
            .append("#\n")
            .append("# Secrets are never read from this file; set them in the environment (with systemd: the\n")
            .append("# EnvironmentFile named in voxgate.service, readable by root only):\n");
        for (final String[] secret : SECRETS) {
            out.append("#   ").append(secret[0]).append(": ").append(secret[1]).append('\n');
        }
        for (final GatewayOption option : GatewayOption.values()) {
            out.append('\n').append("# ").append(option.description()).append('\n');
            final String allowed = allowed(option);
            if (!allowed.isEmpty()) {
                out.append("# Allowed: ").append(allowed).append('\n');
            }
            out.append("# Environment: ").append(option.environmentVariable())
                .append(option.defaultValue() == null ? "; no default (off)" : "").append('\n');
            out.append('#').append(option.key()).append(" =")
                .append(option.defaultValue() == null ? "" : " " + option.defaultValue()).append('\n');
        }
        return out.toString();
    }

    private static String allowed(final GatewayOption option) {
        switch (option.kind()) {
            case CHOICE:
                return String.join(", ", option.choices());
            case BOOLEAN:
                return "true, false";
            case INTEGER:
                return option.min() == Long.MIN_VALUE ? "a whole number"
                    : String.format(Locale.ROOT, "%d..%d", option.min(), option.max());
            default:
                return "";
        }
    }
}

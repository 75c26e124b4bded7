package io.voxgate.websocket.vapi;

import java.util.regex.Pattern;

/**
 * Removes Vapi secrets from text before it reaches a log or an error message: the transport socket URL (its
 * path joins the live call, protocols.md §5.1), the Vapi call id inside it, and bearer tokens.
 *
 * <p>Stateless; safe on any thread.
 */
public final class VapiRedaction {
    /** What a removed secret is replaced with. */
    public static final String REDACTED = "<redacted>";

    private static final Pattern SOCKET_URL = Pattern.compile("(?i)\\b(wss?)://([^/\\s\"'<>?#]+)[^\\s\"'<>]*");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
    private static final int CALL_ID_PREFIX_CHARS = 8;

    private VapiRedaction() {
    }

    /**
     * {@code text} with every {@code ws://} / {@code wss://} URL cut to its scheme and host, every bearer token
     * replaced, and every non-empty literal in {@code secrets} replaced.
     */
    public static String redact(final String text, final String... secrets) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (final String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, REDACTED);
            }
        }
        out = SOCKET_URL.matcher(out).replaceAll("$1://$2/" + REDACTED);
        return BEARER.matcher(out).replaceAll("$1" + REDACTED);
    }

    /**
     * A Vapi call id shortened to its first eight characters, enough to find the call in Vapi's dashboard but
     * not enough to rebuild its socket URL.
     */
    public static String callIdForLog(final String vapiCallId) {
        if (vapiCallId == null || vapiCallId.isEmpty()) {
            return "-";
        }
        return vapiCallId.length() <= CALL_ID_PREFIX_CHARS ? REDACTED : vapiCallId.substring(0, CALL_ID_PREFIX_CHARS) + "...";
    }
}

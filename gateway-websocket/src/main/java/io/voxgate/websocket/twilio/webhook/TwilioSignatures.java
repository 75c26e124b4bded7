package io.voxgate.websocket.twilio.webhook;

import com.twilio.security.RequestValidator;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Collections;
import java.util.Locale;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import java.util.Map;

/**
 * Checks {@code X-Twilio-Signature} (protocols.md §2) with the Twilio SDK's {@link RequestValidator}, over the URL
 * Twilio requested as this edge reconstructs it.
 *
 * <p>URL: the configured public URL plus the request's path and query, or, when trusting a proxy, the scheme and
 * host from {@code X-Forwarded-Proto}/{@code X-Forwarded-Host} (first value). The SDK tries each URL with and
 * without its port, because Twilio drops {@code :443} for voice over HTTPS but keeps it elsewhere (§2.3). For the
 * WebSocket upgrade Twilio signs the {@code wss://} URL (§2.5); the port question is undocumented there, and Twilio
 * hints at a trailing slash, so this tries the URL with and without {@code :443} and with and without a trailing
 * {@code /}.
 *
 * <p>Threading: safe on any thread ({@link RequestValidator} keeps only its key). Never logs the token or signatures.
 */
public final class TwilioSignatures {
    /** The header Twilio signs requests with. */
    public static final String HEADER = "X-Twilio-Signature";

    private final TwilioEdgeConfig config;
    private final RequestValidator validator;

    /**
     * The checks of one edge.
     *
     * @param authToken the account's Auth Token, the key of the signatures ({@code null} when checks are off)
     */
    public TwilioSignatures(final TwilioEdgeConfig config, final String authToken) {
        this.config = config;
        this.validator = authToken == null ? null : new RequestValidator(authToken);
    }

    /** Whether checks are on. */
    public boolean enabled() {
        return config.signatureValidation();
    }

    /** Whether a form-encoded webhook's signature is valid for {@code params} (all of them, decoded). */
    boolean validWebhook(final HttpRequest request, final Map<String, String> params) {
        final String signature = request.headers().get(HEADER);
        if (signature == null || validator == null) {
            return false;
        }
        return validator.validate(requestUrl(request, false), params, signature);
    }

    /** Whether a WebSocket upgrade's signature is valid over its {@code wss://} URL. */
    public boolean validUpgrade(final HttpRequest request, final String signature) {
        if (validator == null) {
            return false;
        }
        final String url = requestUrl(request, true);
        final String withPort = withDefaultPort(url);
        final String slashed = withPort.endsWith("/") ? withPort.substring(0, withPort.length() - 1) : withPort + "/";
        return validator.validate(withPort, Collections.emptyMap(), signature)
            || validator.validate(slashed, Collections.emptyMap(), signature);
    }

    /**
     * The URL Twilio requested: {@code https://host[:port]/path?query}, or for an upgrade {@code wss://...}. An upgrade
     * is always signed over {@code wss://}, even behind a plain-http public URL, because the TwiML's stream URL is always
     * {@code wss://} (the only scheme Twilio streams to) and that is the URL Twilio signs.
     */
    String requestUrl(final HttpRequest request, final boolean webSocket) {
        String scheme = config.publicUrl().getScheme();
        String authority = config.publicUrl().getRawAuthority();
        if (config.trustForwardedHeaders()) {
            final String host = firstValue(request.headers().get("X-Forwarded-Host"));
            final String proto = firstValue(request.headers().get("X-Forwarded-Proto"));
            if (host != null) {
                authority = host;
            }
            if (proto != null) {
                scheme = proto.toLowerCase(Locale.ROOT);
            }
        }
        if (webSocket) {
            scheme = "wss";
        }
        return scheme + "://" + authority + request.uri();
    }

    /**
     * Adds {@code :443} to a {@code wss://} URL without a port, so the SDK, which tries with and without the port (and
     * would add :80 for a non-https scheme), covers both spellings.
     */
    private static String withDefaultPort(final String url) {
        final int hostStart = url.indexOf("://") + 3;
        int pathStart = url.indexOf('/', hostStart);
        if (pathStart < 0) {
            pathStart = url.length();
        }
        final String authority = url.substring(hostStart, pathStart);
        final boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
        if (hasPort || !url.startsWith("wss://")) {
            return url;
        }
        return url.substring(0, pathStart) + ":443" + url.substring(pathStart);
    }

    private static String firstValue(final String header) {
        if (header == null) {
            return null;
        }
        final int comma = header.indexOf(',');
        final String first = (comma < 0 ? header : header.substring(0, comma)).trim();
        return first.isEmpty() ? null : first;
    }
}

package io.voxgate.websocket.vapi;

import java.nio.charset.StandardCharsets;

/**
 * What an HTTP route answers for a webhook: status code, content type and body.
 *
 * <p>Immutable; safe on any thread ({@link #body()} hands out a copy).
 */
public final class WebhookResponse {
    /** The content type of every webhook answer. */
    public static final String JSON = "application/json";

    private final int status;
    private final byte[] body;

    WebhookResponse(final int status, final String jsonBody) {
        this.status = status;
        this.body = jsonBody.getBytes(StandardCharsets.UTF_8);
    }

    /** An answer with {@code status} and the JSON text {@code jsonBody} (for {@link VapiCallControl}s). */
    public static WebhookResponse of(final int status, final String jsonBody) {
        return new WebhookResponse(status, jsonBody);
    }

    /** HTTP status code. */
    public int status() {
        return status;
    }

    /** Content type of {@link #body()}. */
    public String contentType() {
        return JSON;
    }

    /** The body bytes (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** The body as text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return status + " " + bodyText();
    }
}

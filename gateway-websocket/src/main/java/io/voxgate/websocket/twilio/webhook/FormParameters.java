package io.voxgate.websocket.twilio.webhook;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.voxgate.websocket.http.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an {@code application/x-www-form-urlencoded} webhook body into the name/value map Twilio signs
 * (protocols.md §2.1: every parameter received, decoded, untrimmed). Webhooks are rare; this allocates freely.
 */
final class FormParameters {
    private FormParameters() {
    }

    /** Every body parameter with its first value, in arrival order; empty for a body that is not a form. */
    static Map<String, String> decode(final FullHttpRequest request) {
        final QueryStringDecoder decoder = new QueryStringDecoder(HttpResponses.bodyText(request), StandardCharsets.UTF_8, false);
        final Map<String, String> params = new LinkedHashMap<>();
        for (final Map.Entry<String, List<String>> e : decoder.parameters().entrySet()) {
            params.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
        }
        return params;
    }
}

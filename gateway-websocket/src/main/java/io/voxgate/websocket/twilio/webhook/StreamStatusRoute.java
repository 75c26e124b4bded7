package io.voxgate.websocket.twilio.webhook;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.voxgate.websocket.http.HttpResponses;
import io.voxgate.websocket.http.HttpRoute;
import io.voxgate.websocket.http.PeerText;
import io.voxgate.websocket.twilio.CallLog;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /voice/stream-status}: Twilio's stream status callback ({@code stream-started},
 * {@code stream-stopped}, {@code stream-error} with {@code StreamError}, T-STREAM). Signature-checked like the
 * webhook (403); each event is logged with the CallSid and counted, errors at warning level.
 *
 * <p>Threading: sharable, on event loops.
 */
public final class StreamStatusRoute implements HttpRoute {
    private static final Logger LOG = LoggerFactory.getLogger(StreamStatusRoute.class);

    private final TwilioSignatures signatures;
    private final WebhookStats stats;

    /** The stream status callback of one edge, checked with the webhook's {@code signatures}. */
    public StreamStatusRoute(final TwilioSignatures signatures, final WebhookStats stats) {
        this.signatures = signatures;
        this.stats = stats;
    }

    @Override
    public void handle(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final Map<String, String> params = FormParameters.decode(request);
        final String callSid = PeerText.of(params.getOrDefault("CallSid", ""));
        if (signatures.enabled() && !signatures.validWebhook(request, params)) {
            stats.statusCallbacksRejectedSignature.increment();
            CallLog.warn(LOG, callSid, "stream status callback refused: bad or missing X-Twilio-Signature");
            HttpResponses.send(ctx, request, HttpResponses.status(HttpResponseStatus.FORBIDDEN));
            return;
        }
        stats.statusCallbacks.increment();
        final String event = params.getOrDefault("StreamEvent", "");
        if ("stream-error".equals(event)) {
            stats.streamErrorsReported.increment();
            CallLog.warn(LOG, callSid, "Twilio reports stream {} error: {}", PeerText.of(params.get("StreamSid")),
                PeerText.of(params.get("StreamError")));
        } else {
            CallLog.info(LOG, callSid, "Twilio reports stream {} {}", PeerText.of(params.get("StreamSid")), PeerText.of(event));
        }
        HttpResponses.send(ctx, request, HttpResponses.of(HttpResponseStatus.NO_CONTENT, HttpResponses.TEXT_PLAIN, ""));
    }
}

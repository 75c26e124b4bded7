package io.voxgate.websocket.twilio.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.websocket.http.WebSocketRoute;
import io.voxgate.websocket.http.WebSocketUpgrade;
import io.voxgate.websocket.twilio.CallLog;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import io.voxgate.websocket.twilio.rest.TwilioCallUpdates;
import io.voxgate.websocket.twilio.webhook.AdmittedCalls;
import io.voxgate.websocket.twilio.webhook.CallTokens;
import io.voxgate.websocket.twilio.webhook.TwilioSignatures;
import io.voxgate.websocket.twilio.wire.TwilioSid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /media/{CallSid}}: decides a Media Streams upgrade before the {@code 101}. 404 for a path without a
 * well-formed CallSid; 403 for a forged signature, or a missing one when {@link StreamAuthentication} requires it.
 * An unsigned upgrade allowed by the mode goes on, and its {@code start} must then carry a valid call token. 403 too
 * for a CallSid this node's webhook never admitted (when the mode needs the record) or whose stream already started.
 *
 * <p>It holds what the edge's streams share: the webhook's signatures, tokens and record of admitted calls, the
 * node's call opener and per-loop media clocks, and the stream counters.
 *
 * <p>Threading: sharable, on event loops.
 */
public final class MediaStreamRoute implements WebSocketRoute {
    private static final Logger LOG = LoggerFactory.getLogger(MediaStreamRoute.class);

    private final TwilioEdgeConfig config;
    private final TwilioSignatures signatures;
    private final AdmittedCalls admittedCalls;
    private final CallTokens callTokens;
    private final CallOpener opener;
    private final LoopTickers tickers;
    private final StreamStats stats;
    private final TwilioCallUpdates callUpdates;

    /**
     * The Media Streams endpoint of one edge.
     *
     * @param opener the edge's call opener (its calls carry the edge's name)
     */
    public MediaStreamRoute(final TwilioEdgeConfig config, final TwilioSignatures signatures, final AdmittedCalls admittedCalls,
                            final CallTokens callTokens, final CallOpener opener, final LoopTickers tickers, final StreamStats stats) {
        this(config, signatures, admittedCalls, callTokens, opener, tickers, stats, null);
    }

    /** As above, transferring calls through {@code callUpdates} (null: the streams' calls cannot be transferred). */
    public MediaStreamRoute(final TwilioEdgeConfig config, final TwilioSignatures signatures, final AdmittedCalls admittedCalls,
                            final CallTokens callTokens, final CallOpener opener, final LoopTickers tickers, final StreamStats stats,
                            final TwilioCallUpdates callUpdates) {
        this.callUpdates = callUpdates;
        this.config = config;
        this.signatures = signatures;
        this.admittedCalls = admittedCalls;
        this.callTokens = callTokens;
        this.opener = opener;
        this.tickers = tickers;
        this.stats = stats;
    }

    @Override
    public WebSocketUpgrade decide(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final String uri = request.uri();
        final int query = uri.indexOf('?');
        final String callSid = uri.substring(TwilioEdgeConfig.MEDIA_PATH_PREFIX.length(), query < 0 ? uri.length() : query);
        final String bareSid = callSid.endsWith("/") ? callSid.substring(0, callSid.length() - 1) : callSid;
        if (!TwilioSid.isValid(bareSid)) {
            stats.upgradesRejectedPath.increment();
            return WebSocketUpgrade.refuse(HttpResponseStatus.NOT_FOUND, "no such media stream");
        }
        final boolean signed;
        if (!signatures.enabled()) {
            signed = true;
        } else {
            final String signature = request.headers().get(TwilioSignatures.HEADER);
            if (signature != null && !signatures.validUpgrade(request, signature)) {
                stats.upgradesRejectedSignature.increment();
                CallLog.warn(LOG, bareSid, "media stream upgrade refused: X-Twilio-Signature does not match");
                return WebSocketUpgrade.refuse(HttpResponseStatus.FORBIDDEN, "signature does not match");
            }
            signed = signature != null;
            if (!signed && config.streamAuthentication().signatureRequired()) {
                stats.upgradesRejectedSignature.increment();
                CallLog.warn(LOG, bareSid, "media stream upgrade refused: X-Twilio-Signature missing");
                return WebSocketUpgrade.refuse(HttpResponseStatus.FORBIDDEN, "signature required");
            }
        }
        if (!admittedCalls.mayStream(bareSid, config.clock().instant().getEpochSecond())) {
            stats.upgradesRejectedNotAdmitted.increment();
            CallLog.warn(LOG, bareSid, "media stream upgrade refused: no stream expected for this call");
            return WebSocketUpgrade.refuse(HttpResponseStatus.FORBIDDEN, "no stream expected for this call");
        }
        stats.upgradesAccepted.increment();
        return WebSocketUpgrade.accept(new MediaStreamHandler(this, bareSid, signed));
    }

    TwilioEdgeConfig config() {
        return config;
    }

    AdmittedCalls admittedCalls() {
        return admittedCalls;
    }

    CallTokens callTokens() {
        return callTokens;
    }

    CallOpener opener() {
        return opener;
    }

    LoopTickers tickers() {
        return tickers;
    }

    StreamStats stats() {
        return stats;
    }

    /** How the streams' calls are transferred, or null when they cannot be (no Twilio account configured). */
    TwilioCallUpdates callUpdates() {
        return callUpdates;
    }
}

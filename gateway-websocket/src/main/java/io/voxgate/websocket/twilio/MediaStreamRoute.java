package io.voxgate.websocket.twilio;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.voxgate.websocket.http.WebSocketRoute;
import io.voxgate.websocket.http.WebSocketUpgrade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /media/{CallSid}}: decides a Media Streams upgrade before the {@code 101}. 404 for a path without a
 * well-formed CallSid; 403 for a forged signature, or a missing one when {@link StreamAuthentication} requires it.
 * An unsigned upgrade allowed by the mode goes on, and its {@code start} must then carry a valid call token. 403 too
 * for a CallSid this node's webhook never admitted (when the mode needs the record) or whose stream already started.
 *
 * <p>Threading: sharable, on event loops.
 */
final class MediaStreamRoute implements WebSocketRoute {
    private static final Logger LOG = LoggerFactory.getLogger(MediaStreamRoute.class);

    private final TwilioEdge edge;

    MediaStreamRoute(final TwilioEdge edge) {
        this.edge = edge;
    }

    @Override
    public WebSocketUpgrade decide(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final TwilioEdgeStats stats = edge.stats();
        final String uri = request.uri();
        final int query = uri.indexOf('?');
        final String callSid = uri.substring(TwilioEdgeConfig.MEDIA_PATH_PREFIX.length(), query < 0 ? uri.length() : query);
        final String bareSid = callSid.endsWith("/") ? callSid.substring(0, callSid.length() - 1) : callSid;
        if (!TwilioEdge.isSid(bareSid)) {
            stats.upgradesRejectedPath.increment();
            return WebSocketUpgrade.refuse(HttpResponseStatus.NOT_FOUND, "no such media stream");
        }
        final boolean signed;
        if (!edge.signatures().enabled()) {
            signed = true;
        } else {
            final String signature = request.headers().get(TwilioSignatures.HEADER);
            if (signature != null && !edge.signatures().validUpgrade(request, signature)) {
                stats.upgradesRejectedSignature.increment();
                CallLog.warn(LOG, bareSid, "media stream upgrade refused: X-Twilio-Signature does not match");
                return WebSocketUpgrade.refuse(HttpResponseStatus.FORBIDDEN, "signature does not match");
            }
            signed = signature != null;
            if (!signed && edge.config().streamAuthentication().signatureRequired()) {
                stats.upgradesRejectedSignature.increment();
                CallLog.warn(LOG, bareSid, "media stream upgrade refused: X-Twilio-Signature missing");
                return WebSocketUpgrade.refuse(HttpResponseStatus.FORBIDDEN, "signature required");
            }
        }
        if (!edge.admittedCalls().mayStream(bareSid, edge.config().clock().instant().getEpochSecond())) {
            stats.upgradesRejectedNotAdmitted.increment();
            CallLog.warn(LOG, bareSid, "media stream upgrade refused: no stream expected for this call");
            return WebSocketUpgrade.refuse(HttpResponseStatus.FORBIDDEN, "no stream expected for this call");
        }
        stats.upgradesAccepted.increment();
        return WebSocketUpgrade.accept(new MediaStreamHandler(edge, bareSid, signed));
    }
}

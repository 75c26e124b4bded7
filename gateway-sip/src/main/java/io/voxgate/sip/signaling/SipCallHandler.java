package io.voxgate.sip.signaling;

import io.voxgate.sip.sdp.NegotiatedMedia;

/**
 * What signalling asks of the edge, in jain-sip-free terms.
 *
 * <p>Threading: called on jain-sip and signalling timer threads, never on a call's thread; implementations
 * cross into a call only through its command ring. For every admitted call, exactly one of
 * {@link #onEnded} (the end came from the network or a signalling timer) or the edge's own
 * {@link SipSignaling#hangUp} (the end came from the edge) ends it; the edge's teardown must be idempotent.
 */
public interface SipCallHandler {

    /** Admits a new call (reserving its RTP ports) or refuses it. Must be quick: no blocking I/O. */
    Admission admit(InboundCall call);

    /** Offer/answer completed: media may flow. Called once per admitted call that got that far. */
    void onAnswered(String callId, NegotiatedMedia media);

    /** A re-INVITE or UPDATE changed the media (hold, resume, new remote address). */
    void onMediaChanged(String callId, NegotiatedMedia media);

    /**
     * The call ended on the signalling side: caller BYE, CANCEL, no ACK, session timer expiry, a refused answer,
     * or a failed admission after {@link #admit} succeeded. {@code reason} is short and safe to log.
     */
    void onEnded(String callId, String reason);
}

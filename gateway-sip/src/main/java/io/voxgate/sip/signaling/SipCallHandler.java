package io.voxgate.sip.signaling;

import io.voxgate.core.transfer.TransferState;
import io.voxgate.sip.sdp.NegotiatedMedia;
import java.util.concurrent.CompletionStage;

/**
 * What signalling asks of the edge, in jain-sip-free terms.
 *
 * <p>Threading: called on jain-sip and signalling timer threads, never on a call's thread; implementations
 * cross into a call only through its command ring. For every admitted call, exactly one of
 * {@link #onEnded} (the end came from the network or a signalling timer) or the edge's own
 * {@link SipSignaling#hangUp} (the end came from the edge) ends it; the edge's teardown must be idempotent.
 */
public interface SipCallHandler {

    /**
     * Admits a new call (reserving and binding its RTP ports, opening its session) or refuses it, asynchronously:
     * returns at once, never waiting on another thread, and completes the stage on whatever thread did the work
     * (the call's media loop), possibly before returning. Signalling stays free to take the next request
     * meanwhile, and answers the INVITE when the stage completes. An exceptional completion is answered 500.
     * A call admitted after signalling gave up on it (CANCEL, BYE, edge hang-up meanwhile) is ended with
     * {@link #onEnded}, so its resources are released.
     */
    CompletionStage<Admission> admit(InboundCall call);

    /** Offer/answer completed: media may flow. Called once per admitted call that got that far. */
    void onAnswered(String callId, NegotiatedMedia media);

    /** A re-INVITE or UPDATE changed the media (hold, resume, new remote address). */
    void onMediaChanged(String callId, NegotiatedMedia media);

    /**
     * How a transfer started with {@link SipSignaling#refer} goes: {@code ACCEPTED} (the REFER's 2xx), {@code TRYING}
     * (a 1xx sipfrag), then one final state; {@code detail} is a status line or a deadline in a few safe words.
     */
    void onTransferProgress(String callId, String transferId, TransferState state, String detail);

    /**
     * The call ended on the signalling side: caller BYE, CANCEL, no ACK, session timer expiry, a refused answer,
     * or a failed admission after {@link #admit} succeeded. {@code reason} is short and safe to log.
     */
    void onEnded(String callId, String reason);
}

package io.voxgate.sip.signaling;

import io.voxgate.sip.sdp.NegotiatedMedia;
import io.voxgate.sip.sdp.SdpNegotiator;
import java.util.concurrent.ScheduledFuture;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * Signalling state of one inbound call: its INVITE transaction, dialog, negotiator and session timer.
 *
 * <p>Threading: touched by the jain-sip listener thread and the signalling timer thread; every access is
 * made while holding the object's monitor ({@code synchronized (call)}). Never on the media path.
 */
final class DialogCall {

    /** Where the INVITE dialog stands. */
    enum State {
        /** 100 sent; the edge is still admitting the call (binding ports, opening the session). */
        ADMITTING,
        /** 100 (and perhaps 180) sent; the INVITE still awaits its final response. */
        PROCEEDING,
        /** 200 OK sent; waiting for the ACK. */
        ANSWERED,
        /** ACK received: the dialog is confirmed. */
        CONFIRMED,
        /** Over; the record is being forgotten. */
        ENDED
    }

    final String callId;
    final ServerTransaction inviteTransaction;
    final Request invite;
    final String toTag;
    final boolean offerless;
    final String transport;
    State state = State.ADMITTING;
    /** Set once admitted, with the call's RTP port. */
    SdpNegotiator negotiator;
    Dialog dialog;
    String answerSdp;
    NegotiatedMedia media;
    boolean awaitingAnswerInAck;
    boolean byeOnAck;
    String byeReason;
    int sessionIntervalS;
    boolean uasRefreshes;
    boolean peerSupportsTimer;
    ScheduledFuture<?> answerTimer;
    ScheduledFuture<?> sessionTimer;

    DialogCall(final String callId, final ServerTransaction inviteTransaction, final Request invite, final String toTag,
               final boolean offerless, final String transport) {
        this.callId = callId;
        this.inviteTransaction = inviteTransaction;
        this.invite = invite;
        this.toTag = toTag;
        this.offerless = offerless;
        this.transport = transport;
    }

    void cancelTimers() {
        if (answerTimer != null) {
            answerTimer.cancel(false);
            answerTimer = null;
        }
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
    }
}

package io.voxgate.sip.signaling;

import io.voxgate.sip.sdp.NegotiatedMedia;
import io.voxgate.sip.sdp.SdpNegotiator;
import java.net.InetAddress;
import java.util.concurrent.ScheduledFuture;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * Signalling state of one inbound call: its INVITE transaction, dialog, negotiator and session timer.
 *
 * <p>Threading: touched by the jain-sip listener thread and the signalling timer threads; every access is
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
    /** The caller's tag (From of the INVITE): with {@link #toTag} and the Call-ID, the dialog ID (RFC 3261 §12). */
    final String remoteTag;
    /** Where the INVITE came from; in-dialog requests must come from the same address. */
    final InetAddress source;
    /** The INVITE's topmost Via branch, which a CANCEL must repeat (RFC 3261 §9.2). */
    final String inviteBranch;
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
    /** A reliable provisional response (RFC 3262) awaits its PRACK; the 2xx is held until it comes. */
    boolean prackPending;
    /** The answer was ready while {@link #prackPending}: the PRACK sends it. */
    boolean answerAfterPrack;
    /** 64*T1 after the reliable provisional response: no PRACK came, the INVITE is refused. */
    ScheduledFuture<?> prackTimer;
    /** Timer H (64*T1 after the 200): the ACK never came, the dialog is given up. */
    ScheduledFuture<?> ackTimer;
    ScheduledFuture<?> sessionTimer;
    /** The transfer whose REFER is outstanding or whose NOTIFYs are awaited, or null. */
    String transferId;
    long referSentNs;
    long referCseq;
    boolean referAccepted;
    /** The transfer's deadline (no final NOTIFY by then: timed out). */
    ScheduledFuture<?> transferTimer;

    DialogCall(final String callId, final InetAddress source, final ServerTransaction inviteTransaction, final Request invite,
               final String toTag, final boolean offerless, final String transport) {
        this.callId = callId;
        this.remoteTag = SipRequests.fromTag(invite);
        this.source = source;
        this.inviteBranch = SipRequests.branch(invite);
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
        cancelAckTimer();
        cancelPrackTimer();
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
        clearTransfer();
    }

    void clearTransfer() {
        transferId = null;
        referAccepted = false;
        if (transferTimer != null) {
            transferTimer.cancel(false);
            transferTimer = null;
        }
    }

    void cancelPrackTimer() {
        if (prackTimer != null) {
            prackTimer.cancel(false);
            prackTimer = null;
        }
    }

    void cancelAckTimer() {
        if (ackTimer != null) {
            ackTimer.cancel(false);
            ackTimer = null;
        }
    }
}

package io.voxgate.sip.signaling;

import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import io.voxgate.sip.sdp.SdpNegotiation;
import io.voxgate.sip.sdp.SdpParser;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACK, BYE and CANCEL (RFC 3261 §13.2.2.4, §15, §9): each found by its dialog (or, for CANCEL, its INVITE) and
 * sender, else 481 (an ACK matching nothing is dropped).
 *
 * <p>Threading: runs on jain-sip threads; a call's state is touched under its monitor.
 */
final class DialogRequests {
    private static final Logger LOG = LoggerFactory.getLogger(DialogRequests.class);

    private final SipCallHandler handler;
    private final Dialogs dialogs;
    private final SipResponses responses;

    DialogRequests(final SipCallHandler handler, final Dialogs dialogs, final SipResponses responses) {
        this.handler = handler;
        this.dialogs = dialogs;
        this.responses = responses;
    }

    /**
     * The ACK to the 2xx confirms the dialog, and only then does media start (agent and RTP): an INVITE never ACKed
     * sends nothing. For an INVITE without SDP the ACK carries the caller's answer.
     */
    void onAck(final RequestEvent event) {
        final Request request = event.getRequest();
        final DialogCall call = dialogs.inDialog(request);
        if (call == null) {
            return;
        }
        synchronized (call) {
            final boolean confirms = call.state == DialogCall.State.ANSWERED;
            if (confirms) {
                call.state = DialogCall.State.CONFIRMED;
                call.cancelAckTimer();
                stopOkRetransmissions(call, event);
            }
            if (call.byeOnAck) {
                // The edge hung up while the 200 was unacknowledged: end the dialog without starting media.
                dialogs.sendBye(call, call.byeReason);
                dialogs.forget(call);
                return;
            }
            if (confirms && call.media != null) {
                handler.onAnswered(call.callId, call.media);
            }
            if (call.awaitingAnswerInAck) {
                call.awaitingAnswerInAck = false;
                final String body = SipRequests.body(request);
                final SdpNegotiation n = body == null ? null : call.negotiator.acceptAnswer(SdpParser.parse(body));
                if (n == null || !n.accepted()) {
                    LOG.info("SIP call {}: ACK carried no usable answer ({})", call.callId, n == null ? "no SDP" : n.reason());
                    dialogs.endFromSignalling(call, "no usable answer in ACK");
                    return;
                }
                final boolean first = call.media == null;
                call.media = n.media();
                if (first) {
                    handler.onAnswered(call.callId, call.media);
                } else {
                    handler.onMediaChanged(call.callId, call.media);
                }
            }
        }
    }

    /**
     * jain-sip sends the 200 before it starts the dialog's retransmission timer; an ACK handled in between (a fast
     * peer on a busy node) leaves that timer running and the 200 is sent again although it was ACKed. Handing the ACK
     * to the dialog once more here, after the 200 was sent (the call's monitor orders the two), cancels the timer.
     */
    private static void stopOkRetransmissions(final DialogCall call, final RequestEvent event) {
        if (call.dialog instanceof SIPDialog && event.getServerTransaction() instanceof SIPServerTransaction) {
            ((SIPDialog) call.dialog).handleAck((SIPServerTransaction) event.getServerTransaction());
        }
    }

    /** The caller hangs up: 200, the call ends (RFC 3261 §15.1.2); 481 outside a dialog. */
    void onBye(final RequestEvent event) {
        final DialogCall call = dialogs.inDialog(event.getRequest());
        final ServerTransaction st = responses.transactionFor(event);
        if (call == null) {
            responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        responses.respond(st, Response.OK, call.toTag, null);
        synchronized (call) {
            if (call.state == DialogCall.State.ENDED) {
                return;
            }
            final boolean admitting = call.state == DialogCall.State.ADMITTING;
            dialogs.forget(call);
            if (admitting) {
                // Not the edge's call yet: the admission's completion releases what it took.
                LOG.info("SIP call {}: caller hung up during admission", call.callId);
                return;
            }
        }
        LOG.info("SIP call {}: caller hung up", call.callId);
        handler.onEnded(call.callId, "caller hung up");
    }

    /** CANCEL before the final response: 200 to it, 487 to the INVITE (RFC 3261 §9.2); 481 when nothing matches. */
    void onCancel(final RequestEvent event) {
        final Request cancel = event.getRequest();
        final DialogCall call = dialogs.cancelled(cancel);
        final ServerTransaction st = responses.transactionFor(event);
        if (call == null) {
            responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        // The CANCEL's 200 carries the INVITE's To tag (RFC 3261 §9.2: same To tag as the response to the INVITE).
        responses.respond(st, Response.OK, call.toTag, null);
        synchronized (call) {
            if (call.state == DialogCall.State.ADMITTING) {
                // The edge is still admitting it: answer now; the admission's completion releases what it took.
                responses.respond(call.inviteTransaction, Response.REQUEST_TERMINATED, call.toTag, null);
                dialogs.forget(call);
                LOG.info("SIP call {}: cancelled during admission", call.callId);
                return;
            }
            if (call.state != DialogCall.State.PROCEEDING) {
                // RFC 3261 §9.2: a CANCEL after the final response has no effect.
                return;
            }
            responses.respond(call.inviteTransaction, Response.REQUEST_TERMINATED, call.toTag, null);
            dialogs.forget(call);
        }
        LOG.info("SIP call {}: cancelled before answer", call.callId);
        handler.onEnded(call.callId, "caller cancelled");
    }
}

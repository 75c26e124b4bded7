package io.voxgate.sip.signaling;

import io.voxgate.sip.sdp.SdpNegotiation;
import io.voxgate.sip.sdp.SdpParser;
import java.text.ParseException;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changing an established session: the caller's re-INVITE (RFC 3261 §14) and UPDATE (RFC 3311), answered keeping
 * codec and port with the direction mirrored (hold and resume, RFC 3264 §8.4), and the gateway's own refreshing
 * re-INVITE when it is the RFC 4028 refresher, with the answers to it.
 *
 * <p>Threading: jain-sip threads and the signalling timer threads; a call's state is touched under its monitor.
 */
final class SessionModification {
    private static final Logger LOG = LoggerFactory.getLogger(SessionModification.class);

    private final SipCallHandler handler;
    private final Dialogs dialogs;
    private final SipResponses responses;
    private final AdvertisedAddress advertised;
    private final SipProvider provider;
    private SessionTimer sessionTimer;

    SessionModification(final SipCallHandler handler, final Dialogs dialogs, final SipResponses responses,
                        final AdvertisedAddress advertised, final SipProvider provider) {
        this.handler = handler;
        this.dialogs = dialogs;
        this.responses = responses;
        this.advertised = advertised;
        this.provider = provider;
    }

    /** The session timer, which in turn calls {@link #refresh}; set once before the first request. */
    void sessionTimer(final SessionTimer timer) {
        this.sessionTimer = timer;
    }

    /** A re-INVITE: 481 outside a dialog, 491 while an offer is outstanding, else the answer (or a new offer). */
    void onReInvite(final RequestEvent event) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = responses.transactionFor(event);
        if (st == null) {
            return;
        }
        final DialogCall call = dialogs.inDialog(request);
        if (call == null) {
            responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        synchronized (call) {
            if (call.state != DialogCall.State.CONFIRMED || call.awaitingAnswerInAck) {
                // RFC 3261 §14.2: an offer while ours is outstanding collides.
                responses.respond(st, Response.REQUEST_PENDING, call.toTag, null);
                return;
            }
            final String body = SipRequests.body(request);
            final String sdp;
            if (body == null) {
                sdp = call.negotiator.reoffer(call.media);
                call.awaitingAnswerInAck = true;
            } else {
                final SdpNegotiation n = call.negotiator.reanswer(SdpParser.parse(body), call.media);
                if (!n.accepted()) {
                    responses.respond(st, n.outcome() == SdpNegotiation.Outcome.MALFORMED ? Response.BAD_REQUEST
                        : Response.NOT_ACCEPTABLE_HERE, call.toTag, null);
                    return;
                }
                sdp = n.sdp();
                call.media = n.media();
                handler.onMediaChanged(call.callId, call.media);
            }
            call.answerSdp = sdp;
            SessionTimer.refreshedBy(call, request);
            final Response ok = responses.create(request, Response.OK, call.toTag);
            ok.addHeader(advertised.contact(call.invite, call.transport));
            sessionTimer.apply(call, ok);
            ok.setContent(sdp, responses.sdpType());
            responses.send(st, request, ok);
            sessionTimer.schedule(call);
        }
    }

    /** An UPDATE (RFC 3311): refreshes the session, and with SDP changes the media like a re-INVITE. */
    void onUpdate(final RequestEvent event) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = responses.transactionFor(event);
        if (st == null) {
            return;
        }
        final DialogCall call = dialogs.inDialog(request);
        if (call == null) {
            responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        synchronized (call) {
            final String body = SipRequests.body(request);
            final Response ok;
            if (body == null) {
                ok = responses.create(request, Response.OK, call.toTag);
            } else {
                if (call.media == null || call.awaitingAnswerInAck) {
                    responses.respond(st, Response.REQUEST_PENDING, call.toTag, null);
                    return;
                }
                final SdpNegotiation n = call.negotiator.reanswer(SdpParser.parse(body), call.media);
                if (!n.accepted()) {
                    responses.respond(st, n.outcome() == SdpNegotiation.Outcome.MALFORMED ? Response.BAD_REQUEST
                        : Response.NOT_ACCEPTABLE_HERE, call.toTag, null);
                    return;
                }
                call.media = n.media();
                call.answerSdp = n.sdp();
                handler.onMediaChanged(call.callId, call.media);
                ok = responses.create(request, Response.OK, call.toTag);
                ok.setContent(n.sdp(), responses.sdpType());
            }
            SessionTimer.refreshedBy(call, request);
            ok.addHeader(advertised.contact(call.invite, call.transport));
            sessionTimer.apply(call, ok);
            responses.send(st, request, ok);
            sessionTimer.schedule(call);
        }
    }

    /** The gateway refreshes the session (it is the RFC 4028 refresher): a re-INVITE with the current SDP. */
    void refresh(final DialogCall call) {
        synchronized (call) {
            if (call.state != DialogCall.State.CONFIRMED || call.dialog == null) {
                sessionTimer.schedule(call);
                return;
            }
            try {
                final Request reinvite = call.dialog.createRequest(Request.INVITE);
                reinvite.addHeader(advertised.contact(call.invite, call.transport));
                reinvite.addHeader(responses.headers().createHeader("Session-Expires", call.sessionIntervalS + ";refresher=uas"));
                reinvite.addHeader(responses.headers().createSupportedHeader("timer"));
                reinvite.setContent(call.answerSdp, responses.sdpType());
                final ClientTransaction ct = provider.getNewClientTransaction(reinvite);
                call.dialog.sendRequest(ct);
            } catch (final ParseException | SipException | RuntimeException ex) {
                LOG.info("SIP call {}: session refresh could not be sent: {}", call.callId, ex.toString());
                dialogs.endFromSignalling(call, "session refresh failed");
                return;
            }
            sessionTimer.schedule(call);
        }
    }

    /** The session expired without a refresh from the caller (RFC 4028 §10). */
    void expire(final DialogCall call) {
        synchronized (call) {
            if (call.state != DialogCall.State.CONFIRMED && call.state != DialogCall.State.ANSWERED) {
                return;
            }
            LOG.info("SIP call {}: session expired without refresh (RFC 4028)", call.callId);
            dialogs.endFromSignalling(call, "session expired");
        }
    }

    /** The answer to a refreshing re-INVITE: ACK a 2xx; a 408 or 481 ends the session (RFC 4028 §10). */
    void onResponse(final ResponseEvent event) {
        final Response response = event.getResponse();
        final CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq == null || !Request.INVITE.equals(cseq.getMethod())) {
            return;
        }
        final DialogCall call = dialogs.byCallId(SipRequests.callId(response));
        final Dialog dialog = event.getDialog();
        try {
            if (response.getStatusCode() / 100 == 2 && dialog != null) {
                dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
            } else if (response.getStatusCode() >= 300 && call != null) {
                synchronized (call) {
                    if (response.getStatusCode() == Response.REQUEST_TIMEOUT
                        || response.getStatusCode() == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
                        dialogs.endFromSignalling(call, "session refresh refused");
                    }
                }
            }
        } catch (final SipException | InvalidArgumentException | RuntimeException ex) {
            LOG.info("SIP ACK for re-INVITE could not be sent: {}", ex.toString());
        }
    }

    /** A refreshing re-INVITE got no answer at all. */
    void onTimeout(final Request request) {
        if (!Request.INVITE.equals(request.getMethod())) {
            return;
        }
        final DialogCall call = dialogs.byCallId(SipRequests.callId(request));
        if (call != null) {
            synchronized (call) {
                dialogs.endFromSignalling(call, "session refresh timed out");
            }
        }
    }
}

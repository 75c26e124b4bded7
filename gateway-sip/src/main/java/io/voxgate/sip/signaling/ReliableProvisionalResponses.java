package io.voxgate.sip.signaling;

import java.text.ParseException;
import java.util.ListIterator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisional responses above 100 and RFC 3262 reliability: the 180 sent while the gateway rings goes reliably when
 * the INVITE names {@code 100rel} in Require or Supported (jain-sip gives it an RSeq and retransmits it from T1,
 * doubling, until the PRACK), the PRACK is answered 200, and the 2xx is held until that PRACK came (§3 demands it
 * only after a provisional answer carrying SDP; holding it always keeps one rule). A reliable 180 not PRACKed within
 * 64*T1 ends the INVITE with 500 (§3). A reliable provisional response to an INVITE without an offer would have to
 * carry the gateway's offer (§5); such an INVITE gets its 180 unreliably when 100rel is only supported, and no 180
 * when it is required.
 *
 * <p>Threading: {@link #ring} runs on a signalling timer thread and {@link #onPrack} on a jain-sip thread; both
 * hold the call's monitor while they touch it.
 */
final class ReliableProvisionalResponses {
    /** The RFC 3262 option tag. */
    static final String OPTION_TAG = "100rel";
    private static final Logger LOG = LoggerFactory.getLogger(ReliableProvisionalResponses.class);

    private final Dialogs dialogs;
    private final SipResponses responses;
    private final AdvertisedAddress advertised;
    private final SipCounters counters;
    private final ScheduledExecutorService timers;
    private final long timerT1Ms;
    private Consumer<DialogCall> answer;

    ReliableProvisionalResponses(final Dialogs dialogs, final SipResponses responses, final AdvertisedAddress advertised,
                                 final SipCounters counters, final ScheduledExecutorService timers, final long timerT1Ms) {
        this.dialogs = dialogs;
        this.responses = responses;
        this.advertised = advertised;
        this.counters = counters;
        this.timers = timers;
        this.timerT1Ms = timerT1Ms;
    }

    /** What sends a held 2xx once the PRACK came (the INVITE handler's answer); set once before the first INVITE. */
    void answerWith(final Consumer<DialogCall> value) {
        this.answer = value;
    }

    /** Whether {@code request} names 100rel in a Require header. */
    static boolean required(final Request request) {
        final ListIterator<?> it = request.getHeaders(RequireHeader.NAME);
        while (it != null && it.hasNext()) {
            final Object h = it.next();
            if (h instanceof RequireHeader && OPTION_TAG.equalsIgnoreCase(((RequireHeader) h).getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code request} names 100rel in a Require or a Supported header. */
    static boolean offered(final Request request) {
        return required(request) || SipRequests.supports(request, OPTION_TAG);
    }

    /** Sends 180 Ringing for {@code call}, reliably where the caller asked for it. The caller holds the call's monitor. */
    void ring(final DialogCall call) {
        final boolean reliable = offered(call.invite);
        if (!reliable || call.offerless) {
            if (!reliable || !required(call.invite)) {
                responses.respond(call.inviteTransaction, Response.RINGING, call.toTag, null);
            }
            return;
        }
        try {
            final Response ringing = call.dialog.createReliableProvisionalResponse(Response.RINGING);
            ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(call.toTag);
            ringing.addHeader(responses.headers().createHeader("Server", "voxgate"));
            // The reliable 180 sets up an early dialog; the PRACK goes to this Contact (RFC 3261 §12.1.1).
            ringing.addHeader(advertised.contact(call.invite, call.transport));
            // Pending before it leaves: the PRACK may come back before the send returns.
            call.prackPending = true;
            responses.sendReliable(call.dialog, call.invite, ringing);
            call.prackTimer = timers.schedule(() -> prackTimedOut(call), 64L * timerT1Ms, TimeUnit.MILLISECONDS);
        } catch (final ParseException | SipException | InvalidArgumentException | RuntimeException ex) {
            call.prackPending = false;
            LOG.info("SIP call {}: reliable 180 could not be sent ({}); answering without it", call.callId, ex.toString());
        }
    }

    /**
     * A PRACK (RFC 3262 §4). jain-sip passes on only a PRACK whose RAck matches the outstanding reliable response of
     * its dialog (others it drops); this checks the dialog and sender as for any in-dialog request (481 otherwise),
     * answers 200 and sends the 2xx that waited for it.
     */
    void onPrack(final RequestEvent event) {
        final ServerTransaction st = responses.transactionFor(event);
        if (st == null) {
            return;
        }
        final DialogCall call = dialogs.inDialog(event.getRequest());
        if (call == null) {
            responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        synchronized (call) {
            if (!call.prackPending) {
                responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, call.toTag, null);
                return;
            }
            call.prackPending = false;
            call.cancelPrackTimer();
            responses.respond(st, Response.OK, call.toTag, null);
            if (call.answerAfterPrack) {
                call.answerAfterPrack = false;
                answer.accept(call);
            }
        }
    }

    private void prackTimedOut(final DialogCall call) {
        synchronized (call) {
            if (!call.prackPending || call.state != DialogCall.State.PROCEEDING) {
                return;
            }
            call.prackPending = false;
            counters.reject(RejectReason.PRACK_TIMEOUT);
            LOG.info("SIP call {}: reliable 180 not PRACKed within 64*T1; refusing the INVITE", call.callId);
            responses.respond(call.inviteTransaction, Response.SERVER_INTERNAL_ERROR, call.toTag, "No PRACK");
            dialogs.endFromSignalling(call, "no PRACK");
        }
    }
}

package io.voxgate.sip.signaling;

import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blind transfer by REFER (RFC 3515): the gateway, in its dialog with the caller, sends REFER with Refer-To (the
 * target) and Referred-By (the gateway's own address in the dialog); the caller's side answers it (202, or a refusal)
 * and then reports the new call in NOTIFYs of the implicit {@code refer} subscription, each carrying a
 * {@code message/sipfrag} status line (RFC 3420). Every NOTIFY is answered 200; the sipfrag's class moves the
 * transfer (1xx trying, 2xx succeeded, 3xx-6xx failed) and the edge is told through
 * {@link SipCallHandler#onTransferProgress}. The edge ends the call after a success, which sends the BYE.
 *
 * <p>Deadline: when no final NOTIFY (or no answer to the REFER) has come {@link #deadlineMs} after the REFER, the
 * transfer is given up as {@link TransferState#TIMED_OUT} and the call stays with its agent; NOTIFYs for it after that
 * are answered 481, which ends the subscription at the notifier (RFC 6665 §4.1.3). The deadline is 64*T1 (32 s at the
 * default T1), the same as Timer B and F: the REFER's own transaction gives up at Timer F, and a transferee's INVITE to
 * an unresponsive target fails at its Timer B, so a peer that works has said something final by then. A target that
 * rings for longer is outside what a blind transfer can wait for while the caller listens to nothing.
 *
 * <p>Threading: {@link #refer} runs on a signalling timer thread, the rest on jain-sip threads; a call's state is
 * touched under its monitor.
 */
final class ReferTransfers {
    private static final Logger LOG = LoggerFactory.getLogger(ReferTransfers.class);
    /** An RFC 3420 sipfrag's first line: a status line. */
    private static final Pattern STATUS_LINE = Pattern.compile("\\ASIP/2\\.0 ([1-6][0-9][0-9])(?: ([^\\r\\n]{0,64}))?");
    /** Largest NOTIFY body read for its status line. */
    private static final int MAX_SIPFRAG_BYTES = 4_096;

    private final SipCallHandler handler;
    private final Dialogs dialogs;
    private final SipResponses responses;
    private final AdvertisedAddress advertised;
    private final SipProvider provider;
    private final ScheduledExecutorService timers;
    private final long deadlineMs;

    ReferTransfers(final SipCallHandler handler, final Dialogs dialogs, final SipResponses responses,
                   final AdvertisedAddress advertised, final SipProvider provider, final ScheduledExecutorService timers,
                   final long deadlineMs) {
        this.handler = handler;
        this.dialogs = dialogs;
        this.responses = responses;
        this.advertised = advertised;
        this.provider = provider;
        this.timers = timers;
        this.deadlineMs = deadlineMs;
    }

    /** The deadline for a final word on a transfer, in ms. */
    long deadlineMs() {
        return deadlineMs;
    }

    /** Sends the REFER for {@code request} in the call's dialog; the outcome reaches the edge as progress. */
    void refer(final String callId, final TransferRequest request) {
        final DialogCall call = dialogs.byCallId(callId);
        if (call == null) {
            handler.onTransferProgress(callId, request.id(), TransferState.NOT_POSSIBLE, "the call has no dialog");
            return;
        }
        synchronized (call) {
            if (call.state != DialogCall.State.CONFIRMED || call.dialog == null) {
                handler.onTransferProgress(callId, request.id(), TransferState.NOT_POSSIBLE, "the dialog is not confirmed");
                return;
            }
            if (call.transferId != null) {
                handler.onTransferProgress(callId, request.id(), TransferState.NOT_POSSIBLE, "a REFER is outstanding");
                return;
            }
            try {
                final Request refer = call.dialog.createRequest(Request.REFER);
                refer.addHeader(responses.headers().createHeader("Refer-To", "<" + request.target() + ">"));
                final ToHeader to = (ToHeader) call.invite.getHeader(ToHeader.NAME);
                refer.addHeader(responses.headers().createHeader("Referred-By", "<" + to.getAddress().getURI() + ">"));
                refer.addHeader(advertised.contact(call.invite, call.transport));
                final ClientTransaction ct = provider.getNewClientTransaction(refer);
                call.transferId = request.id();
                call.referSentNs = System.nanoTime();
                call.referCseq = ((CSeqHeader) refer.getHeader(CSeqHeader.NAME)).getSeqNumber();
                call.transferTimer = timers.schedule(() -> timedOut(call, request.id()), deadlineMs, TimeUnit.MILLISECONDS);
                call.dialog.sendRequest(ct);
                LOG.info("SIP call {}: REFER sent for {}", callId, request);
            } catch (final ParseException | SipException | RuntimeException ex) {
                LOG.info("SIP call {}: REFER could not be sent: {}", callId, ex.toString());
                settle(call, TransferState.NOT_POSSIBLE, "the REFER could not be sent");
            }
        }
    }

    /** The answer to a REFER: 202 (or any 2xx) accepts it, a final non-2xx refuses it; provisional answers wait. */
    void onResponse(final ResponseEvent event) {
        final Response response = event.getResponse();
        final DialogCall call = dialogs.byCallId(SipRequests.callId(response));
        if (call == null) {
            return;
        }
        final int status = response.getStatusCode();
        synchronized (call) {
            if (call.transferId == null || call.referAccepted || status < 200) {
                return;
            }
            final String line = status + " " + printable(response.getReasonPhrase());
            if (status < 300) {
                call.referAccepted = true;
                LOG.info("SIP call {}: REFER answered {} after {} ms", call.callId, line, sinceRefer(call));
                handler.onTransferProgress(call.callId, call.transferId, TransferState.ACCEPTED, line);
            } else {
                LOG.info("SIP call {}: REFER refused with {} after {} ms", call.callId, line, sinceRefer(call));
                settle(call, TransferState.REFUSED, line);
            }
        }
    }

    /** The REFER's transaction timed out (Timer F): nobody answered. */
    void onTimeout(final Request refer) {
        final DialogCall call = dialogs.byCallId(SipRequests.callId(refer));
        if (call == null) {
            return;
        }
        synchronized (call) {
            if (call.transferId != null && !call.referAccepted) {
                settle(call, TransferState.TIMED_OUT, "no answer to the REFER");
            }
        }
    }

    /**
     * A NOTIFY in a call's dialog (RFC 3515 §2.4.4): 481 outside a dialog or without a transfer under way, 489 for
     * another event package, 400 when the body is no sipfrag status line; else 200 and the transfer moves on.
     */
    void onNotify(final RequestEvent event) {
        final Request notify = event.getRequest();
        final ServerTransaction st = responses.transactionFor(event);
        if (st == null) {
            return;
        }
        final DialogCall call = dialogs.inDialog(notify);
        if (call == null) {
            responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        synchronized (call) {
            if (call.transferId == null || call.state != DialogCall.State.CONFIRMED) {
                responses.respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, call.toTag, null);
                return;
            }
            final EventHeader eventHeader = (EventHeader) notify.getHeader(EventHeader.NAME);
            if (eventHeader == null || !"refer".equalsIgnoreCase(eventHeader.getEventType())) {
                responses.respond(st, Response.BAD_EVENT, call.toTag, null);
                return;
            }
            final Matcher line = statusLine(notify);
            if (line == null) {
                responses.respond(st, Response.BAD_REQUEST, call.toTag, "no sipfrag status line");
                return;
            }
            responses.respond(st, Response.OK, call.toTag, null);
            final int status = Integer.parseInt(line.group(1));
            final String detail = status + " " + printable(line.group(2));
            final SubscriptionStateHeader subscription =
                (SubscriptionStateHeader) notify.getHeader(SubscriptionStateHeader.NAME);
            final boolean terminated = subscription != null
                && SubscriptionStateHeader.TERMINATED.equalsIgnoreCase(subscription.getState());
            LOG.info("SIP call {}: NOTIFY sipfrag {} after {} ms{}", call.callId, detail, sinceRefer(call),
                terminated ? " (subscription terminated)" : "");
            if (!call.referAccepted) {
                // A NOTIFY can overtake the 2xx that accepted the REFER (RFC 6665: notifications may arrive before the
                // response that created the subscription; UDP and jain-sip's parsing threads reorder them): it says the
                // REFER was accepted, and the late 2xx is then ignored.
                call.referAccepted = true;
                handler.onTransferProgress(call.callId, call.transferId, TransferState.ACCEPTED, "NOTIFY before the 2xx");
            }
            if (status < 200) {
                if (terminated) {
                    settle(call, TransferState.FAILED, detail + " (subscription ended without a final status)");
                } else {
                    handler.onTransferProgress(call.callId, call.transferId, TransferState.TRYING, detail);
                }
            } else if (status < 300) {
                settle(call, TransferState.SUCCEEDED, detail);
            } else {
                settle(call, TransferState.FAILED, detail);
            }
        }
    }

    private void timedOut(final DialogCall call, final String transferId) {
        synchronized (call) {
            if (transferId.equals(call.transferId)) {
                LOG.info("SIP call {}: transfer {} gave no final word within {} ms", call.callId, transferId, deadlineMs);
                settle(call, TransferState.TIMED_OUT, call.referAccepted
                    ? "no final NOTIFY within " + deadlineMs + " ms" : "no answer to the REFER within " + deadlineMs + " ms");
            }
        }
    }

    /** Ends the call's transfer with {@code outcome} and tells the edge. Caller holds the call's monitor. */
    private void settle(final DialogCall call, final TransferState outcome, final String detail) {
        final String transferId = call.transferId;
        call.clearTransfer();
        if (transferId != null) {
            handler.onTransferProgress(call.callId, transferId, outcome, detail);
        }
    }

    private static long sinceRefer(final DialogCall call) {
        return (System.nanoTime() - call.referSentNs) / 1_000_000L;
    }

    /** The body's status line, or null when the NOTIFY carries none. */
    private static Matcher statusLine(final Request notify) {
        final byte[] raw = notify.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        final String body = new String(raw, 0, Math.min(raw.length, MAX_SIPFRAG_BYTES), StandardCharsets.ISO_8859_1);
        final Matcher m = STATUS_LINE.matcher(body);
        return m.lookingAt() ? m : null;
    }

    /** A reason phrase fit for logs and the API: printable ASCII, at most 64 characters, never null. */
    private static String printable(final String text) {
        if (text == null) {
            return "";
        }
        final StringBuilder out = new StringBuilder(Math.min(text.length(), 64));
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            final char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString().trim();
    }
}

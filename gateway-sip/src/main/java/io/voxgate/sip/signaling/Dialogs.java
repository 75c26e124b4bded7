package io.voxgate.sip.signaling;

import java.net.InetAddress;
import java.text.ParseException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's calls by Call-ID, and the rules for finding one from an in-dialog request: the full dialog ID
 * (Call-ID, the caller's tag and ours, RFC 3261 §12.2.2) and the INVITE's source address must all match, or the
 * request belongs to no dialog (481). Also ends calls: BYE, forgetting, telling the edge.
 *
 * <p>Threading: the table is concurrent; a call's fields are touched only under its monitor.
 */
final class Dialogs {
    private static final Logger LOG = LoggerFactory.getLogger(Dialogs.class);

    /** How an in-dialog request relates to the calls. */
    enum Match {
        /** Call-ID, both tags and source match. */
        FOUND,
        /** No call has these Call-ID and tags. */
        UNKNOWN,
        /** The tags match a call but the request came from another address. */
        WRONG_SENDER
    }

    private final Map<String, DialogCall> calls = new ConcurrentHashMap<>();
    private final SipCallHandler handler;
    private final SipCounters counters;
    private SipProvider provider;
    private HeaderFactory headers;

    Dialogs(final SipCallHandler handler, final SipCounters counters) {
        this.handler = handler;
        this.counters = counters;
    }

    /** Binds to the running stack. */
    void attach(final SipProvider provider, final HeaderFactory headers) {
        this.provider = provider;
        this.headers = headers;
    }

    /** The call with {@code callId}, or null (for the edge's own hang-ups, keyed by Call-ID). */
    DialogCall byCallId(final String callId) {
        return calls.get(callId);
    }

    /** Publishes a new call; false when one with its Call-ID exists (a loop or a fork). */
    boolean add(final DialogCall call) {
        return calls.putIfAbsent(call.callId, call) == null;
    }

    /** Whether a call with this Call-ID exists. */
    boolean contains(final String callId) {
        return calls.containsKey(callId);
    }

    /** Calls with signalling state. */
    int size() {
        return calls.size();
    }

    /** Forgets every call (signalling stopped). */
    void clear() {
        calls.clear();
    }

    /**
     * The call an in-dialog request (ACK, BYE, re-INVITE, UPDATE) belongs to, or null when none: counted as
     * {@link RejectReason#UNKNOWN_DIALOG} or {@link RejectReason#DIALOG_SENDER}.
     */
    DialogCall inDialog(final Request request) {
        final DialogCall call = calls.get(SipRequests.callId(request));
        final Match match = match(call, request, SipRequests.toTag(request), call == null ? null : call.toTag);
        return found(call, match);
    }

    /** The call a CANCEL targets: Call-ID, From tag, branch and source of its INVITE (RFC 3261 §9.2), or null. */
    DialogCall cancelled(final Request cancel) {
        final DialogCall call = calls.get(SipRequests.callId(cancel));
        final Match match = match(call, cancel, SipRequests.branch(cancel), call == null ? null : call.inviteBranch);
        return found(call, match);
    }

    private DialogCall found(final DialogCall call, final Match match) {
        switch (match) {
            case FOUND:
                return call;
            case WRONG_SENDER:
                counters.reject(RejectReason.DIALOG_SENDER);
                return null;
            default:
                counters.reject(RejectReason.UNKNOWN_DIALOG);
                return null;
        }
    }

    /** Whether {@code request} matches {@code call} by Call-ID, From tag, {@code key} and source address. */
    static Match match(final DialogCall call, final Request request, final String key, final String expectedKey) {
        if (call == null || expectedKey == null || !expectedKey.equals(key)
            || !Objects.equals(call.remoteTag, SipRequests.fromTag(request))) {
            return Match.UNKNOWN;
        }
        final InetAddress source = SipRequests.sourceAddress(request);
        return call.source.equals(source) ? Match.FOUND : Match.WRONG_SENDER;
    }

    /** Ends a call whose end was decided here: BYE if answered, tell the edge. Caller holds the call's monitor. */
    void endFromSignalling(final DialogCall call, final String reason) {
        if (call.state == DialogCall.State.ENDED) {
            return;
        }
        if (call.state == DialogCall.State.CONFIRMED || call.state == DialogCall.State.ANSWERED) {
            sendBye(call, reason);
        }
        forget(call);
        handler.onEnded(call.callId, reason);
    }

    /** Marks the call ended, stops its timers and drops it from the table. Caller holds the call's monitor. */
    void forget(final DialogCall call) {
        call.state = DialogCall.State.ENDED;
        call.cancelTimers();
        calls.remove(call.callId, call);
    }

    /** Sends BYE in the call's dialog, with a Q.850 Reason. */
    void sendBye(final DialogCall call, final String reason) {
        final Dialog dialog = call.dialog;
        if (dialog == null || provider == null) {
            return;
        }
        try {
            final Request bye = dialog.createRequest(Request.BYE);
            bye.addHeader(headers.createReasonHeader("Q.850", 16, reason == null ? "normal" : reason));
            final ClientTransaction ct = provider.getNewClientTransaction(bye);
            dialog.sendRequest(ct);
            LOG.info("SIP call {}: BYE sent ({})", call.callId, reason);
        } catch (final ParseException | SipException | InvalidArgumentException | RuntimeException ex) {
            LOG.info("SIP call {}: BYE could not be sent: {}", call.callId, ex.toString());
        }
    }
}

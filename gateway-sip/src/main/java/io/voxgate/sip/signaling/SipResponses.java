package io.voxgate.sip.signaling;

import java.security.SecureRandom;
import java.text.ParseException;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and sends every response the gateway gives, so each carries what RFC 3261 asks of a UAS: a To tag on
 * every response above 100 (§8.2.6.2; the dialog's own tag inside a dialog, a fresh one outside), a Server
 * header, and a count by status code.
 *
 * <p>Threading: safe on any thread (jain-sip's factories and provider are).
 */
final class SipResponses {
    /** Methods the gateway implements, for Allow headers and 405 responses. */
    static final String ALLOWED_METHODS = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, PRACK, NOTIFY";
    private static final Logger LOG = LoggerFactory.getLogger(SipResponses.class);

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final SipProvider provider;
    private final SipCounters counters;
    private final SecureRandom random;
    private final SourceRateLimiter errorBudget;

    SipResponses(final MessageFactory messages, final HeaderFactory headers, final SipProvider provider,
                 final SipCounters counters, final SecureRandom random, final SourceRateLimiter errorBudget) {
        this.errorBudget = errorBudget;
        this.messages = messages;
        this.headers = headers;
        this.provider = provider;
        this.counters = counters;
        this.random = random;
    }

    /** The request's server transaction, created when jain-sip has none; null for a retransmission or on failure. */
    ServerTransaction transactionFor(final RequestEvent event) {
        final ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (final TransactionAlreadyExistsException ex) {
            return null;
        } catch (final TransactionUnavailableException | RuntimeException ex) {
            LOG.debug("no server transaction for {}: {}", event.getRequest().getMethod(), ex.toString());
            return null;
        }
    }

    /** A fresh random tag. */
    String newTag() {
        return Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    }

    /**
     * A response to {@code request}; above 100 its To carries {@code toTag}, or a fresh tag when that is null and
     * the request had none.
     */
    Response create(final Request request, final int status, final String toTag) throws ParseException {
        final Response r = messages.createResponse(status, request);
        if (status > Response.TRYING) {
            final ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (to != null && to.getTag() == null) {
                to.setTag(toTag != null ? toTag : newTag());
            }
        }
        r.addHeader(headers.createHeader("Server", "voxgate"));
        return r;
    }

    /** Sends {@code status} on {@code st} with the dialog's {@code toTag} (null outside a dialog). */
    void respond(final ServerTransaction st, final int status, final String toTag, final String reason) {
        if (st == null) {
            return;
        }
        try {
            final Response r = create(st.getRequest(), status, toTag);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            sendOn(st, r);
        } catch (final ParseException | SipException | InvalidArgumentException | RuntimeException ex) {
            LOG.debug("SIP {} response could not be sent: {}", status, ex.toString());
        }
    }

    /** 503 (or another status) with Retry-After. */
    void respondRetryAfter(final ServerTransaction st, final int status, final String reason, final int seconds)
        throws ParseException {
        final Response r = create(st.getRequest(), status, null);
        r.setReasonPhrase("Service Unavailable (" + reason + ")");
        r.addHeader(retryAfter(seconds));
        send(st, st.getRequest(), r);
    }

    /** A Retry-After header. */
    Header retryAfter(final int seconds) {
        try {
            return headers.createRetryAfterHeader(seconds);
        } catch (final InvalidArgumentException ex) {
            throw new IllegalArgumentException("Retry-After " + seconds + " s is not a valid delta-seconds", ex);
        }
    }

    /** Sends a built response on {@code st}, or statelessly when there is no transaction. */
    void send(final ServerTransaction st, final Request request, final Response response) {
        try {
            if (st != null) {
                sendOn(st, response);
            } else {
                provider.sendResponse(response);
                sent(request, response.getStatusCode());
            }
        } catch (final SipException | InvalidArgumentException | RuntimeException ex) {
            LOG.debug("SIP response to {} could not be sent: {}", request.getMethod(), ex.toString());
        }
    }

    /**
     * Sends a provisional response reliably in {@code dialog} (RFC 3262 §3): jain-sip gives it an RSeq and
     * retransmits it until the PRACK, letting the caller handle failure.
     */
    void sendReliable(final Dialog dialog, final Request request, final Response response) throws SipException {
        dialog.sendReliableProvisionalResponse(response);
        sent(request, response.getStatusCode());
    }

    /** Sends a built response on {@code st}, letting the caller handle failure. */
    void sendOn(final ServerTransaction st, final Response response) throws SipException, InvalidArgumentException {
        st.sendResponse(response);
        sent(st.getRequest(), response.getStatusCode());
    }

    /**
     * Counts a response and charges an error to its source's budget. 487 (a caller's own CANCEL) and 503 (the node's
     * capacity, not the peer's fault) are not charged.
     */
    private void sent(final Request request, final int status) {
        counters.responded(status);
        if (status >= 400 && status != Response.REQUEST_TERMINATED && status != Response.SERVICE_UNAVAILABLE) {
            final java.net.InetAddress source = SipRequests.sourceAddress(request);
            if (source != null) {
                errorBudget.tryTake(source, System.nanoTime());
            }
        }
    }

    /** Answers without a transaction (the request could not have one, or must not create one). */
    void respondStateless(final Request request, final int status) {
        try {
            provider.sendResponse(create(request, status, null));
            sent(request, status);
        } catch (final ParseException | SipException | RuntimeException ex) {
            LOG.debug("SIP stateless {} could not be sent: {}", status, ex.toString());
        }
    }

    /** Adds one Allow header per implemented method. */
    void addAllow(final Response response) throws ParseException {
        for (final String method : ALLOWED_METHODS.split(", ")) {
            response.addHeader(headers.createAllowHeader(method));
        }
    }

    /** {@code Content-Type: application/sdp}. */
    ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    /** The header factory, for handlers adding their own headers. */
    HeaderFactory headers() {
        return headers;
    }
}

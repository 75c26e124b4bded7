package io.voxgate.sip.signaling;

import java.text.ParseException;
import java.util.function.BooleanSupplier;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * OPTIONS (RFC 3261 §11): 200 with what the gateway supports while it takes calls, and 503 with Retry-After
 * exactly while it does not (draining or full, the same answer as {@code /readyz}), so a dispatcher that probes
 * with OPTIONS (Kamailio's) stops sending it calls.
 *
 * <p>Threading: jain-sip threads; the readiness supplier must be safe on any thread.
 */
final class OptionsHandler {
    private final SipResponses responses;
    private final BooleanSupplier ready;
    private final int retryAfterSeconds;

    OptionsHandler(final SipResponses responses, final BooleanSupplier ready, final int retryAfterSeconds) {
        this.responses = responses;
        this.ready = ready;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    void onOptions(final RequestEvent event) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = responses.transactionFor(event);
        if (!ready.getAsBoolean()) {
            final Response busy = responses.create(request, Response.SERVICE_UNAVAILABLE, null);
            busy.addHeader(responses.retryAfter(retryAfterSeconds));
            responses.send(st, request, busy);
            return;
        }
        final Response r = responses.create(request, Response.OK, null);
        responses.addAllow(r);
        r.addHeader(responses.headers().createHeader("Accept", "application/sdp"));
        r.addHeader(responses.headers().createSupportedHeader("timer"));
        r.addHeader(responses.headers().createSupportedHeader("100rel"));
        responses.send(st, request, r);
    }
}

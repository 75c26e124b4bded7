package io.voxgate.sip.signaling;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.sip.sdp.MediaDescription;
import io.voxgate.sip.sdp.SdpNegotiation;
import io.voxgate.sip.sdp.SdpNegotiator;
import io.voxgate.sip.sdp.SdpParser;
import io.voxgate.sip.sdp.SessionDescription;
import io.voxgate.sip.sdp.SrtpPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.AuthorizationHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new INVITE (no To tag): the checks before admission (loop, drain, required headers, digest, body type, session
 * interval, SDP),
 * 100 Trying, the edge's asynchronous admission, then 180 (reliable under RFC 3262 when the caller offers 100rel,
 * see {@link ReliableProvisionalResponses}) and 200 with the SDP answer (or the gateway's offer when the
 * INVITE had none), or the refusal. Admission binds the RTP ports (the answer names them) but starts no media: that
 * waits for the ACK.
 *
 * <p>Threading: {@link #onInvite} runs on a jain-sip thread and returns without waiting for admission; the outcome is
 * handled on a signalling timer thread, holding the call's monitor.
 */
final class InviteHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InviteHandler.class);

    private final SignalingConfig config;
    private final SipCallHandler handler;
    private final Dialogs dialogs;
    private final SipResponses responses;
    private final SessionTimer sessionTimer;
    private final AdvertisedAddress advertised;
    private final SipCounters counters;
    private final DigestAuthenticator digest;
    private final ReliableProvisionalResponses provisionals;
    private final ScheduledExecutorService timers;
    private final SecureRandom random;
    private volatile boolean draining;

    InviteHandler(final SignalingConfig config, final SipCallHandler handler, final Dialogs dialogs, final SipResponses responses,
                  final SessionTimer sessionTimer, final AdvertisedAddress advertised, final SipCounters counters,
                  final DigestAuthenticator digest, final ReliableProvisionalResponses provisionals,
                  final ScheduledExecutorService timers, final SecureRandom random) {
        this.config = config;
        this.handler = handler;
        this.dialogs = dialogs;
        this.responses = responses;
        this.sessionTimer = sessionTimer;
        this.advertised = advertised;
        this.counters = counters;
        this.digest = digest;
        this.provisionals = provisionals;
        this.timers = timers;
        this.random = random;
    }

    /** Whether new INVITEs are refused with 503. */
    void draining(final boolean value) {
        this.draining = value;
    }

    /** Handles an INVITE without a To tag. */
    void onInvite(final RequestEvent event, final InetAddress source) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = responses.transactionFor(event);
        if (st == null) {
            return;
        }
        try {
            // The dialog's 200 retransmissions and Timer H (64*T1, the unACKed INVITE given up) run on this T1.
            st.setRetransmitTimer(config.policy.timerT1Ms());
        } catch (final IllegalStateException ex) {
            LOG.debug("INVITE transaction timer already running; T1 stays {}", ex.toString());
        }
        final String callId = SipRequests.callId(request);
        if (dialogs.contains(callId)) {
            // A second INVITE with this Call-ID and no To tag is a looped or forked request (RFC 3261 §8.2.2.2).
            responses.respond(st, Response.LOOP_DETECTED, null, null);
            return;
        }
        if (draining) {
            counters.reject(RejectReason.BUSY);
            responses.respondRetryAfter(st, Response.SERVICE_UNAVAILABLE, "draining", config.retryAfterSeconds);
            return;
        }
        if (!carriesRequiredHeaders(request)) {
            counters.reject(RejectReason.REQUIRED_HEADER);
            responses.respond(st, Response.FORBIDDEN, null, null);
            return;
        }
        if (digest != null && !authenticated(st, request, source)) {
            return;
        }
        final String contentError = SipRequests.unsupportedContent(request);
        if (contentError != null) {
            counters.reject(RejectReason.MALFORMED);
            final Response r = responses.create(request, Response.UNSUPPORTED_MEDIA_TYPE, null);
            r.addHeader(responses.headers().createHeader("Accept", "application/sdp"));
            responses.send(st, request, r);
            return;
        }
        final SessionTimerRequest timer = SessionTimer.requestedBy(request);
        if (timer != null && timer.intervalS < SessionTimer.MIN_SESSION_EXPIRES_S) {
            counters.reject(RejectReason.SESSION_INTERVAL);
            final Response r = responses.create(request, 422, null);
            r.addHeader(responses.headers().createHeader("Min-SE", Integer.toString(SessionTimer.MIN_SESSION_EXPIRES_S)));
            responses.send(st, request, r);
            return;
        }
        final String body = SipRequests.body(request);
        final SessionDescription offer = body == null ? null : SdpParser.parse(body);
        AudioFormat callerFormat = AudioFormat.MULAW_8K;
        if (offer != null) {
            // A dry run tells 400/488 apart before any port is reserved.
            final SdpNegotiation probe = newNegotiator("127.0.0.1", 9, 0).answer(offer);
            if (!probe.accepted()) {
                final boolean malformed = probe.outcome() == SdpNegotiation.Outcome.MALFORMED;
                counters.reject(malformed ? RejectReason.MALFORMED : mediaRefusal(offer));
                final Response r = responses.create(request, malformed ? Response.BAD_REQUEST : Response.NOT_ACCEPTABLE_HERE, null);
                r.addHeader(responses.headers().createHeader("Warning", (malformed ? "399" : "304") + " voxgate \""
                    + probe.reason() + "\""));
                responses.send(st, request, r);
                return;
            }
            callerFormat = probe.media().callerFormat();
        }
        // 100 Trying at once (RFC 3261 §17.2.1): the caller stops retransmitting while the edge admits the call.
        responses.respond(st, Response.TRYING, null, null);
        final String transport = SipRequests.transport(request);
        final InboundCall inbound = new InboundCall(callId, new InetSocketAddress(source, SipRequests.sourcePort(request)),
            transport, SipRequests.metadata(request), callerFormat);
        final DialogCall call = new DialogCall(callId, source, st, request, responses.newTag(), offer == null, transport);
        call.dialog = st.getDialog();
        if (timer != null) {
            call.sessionIntervalS = timer.intervalS;
            call.peerSupportsTimer = timer.peerSupportsTimer;
            call.uasRefreshes = timer.uasRefreshes;
        }
        // Published before admission, so a CANCEL, a BYE or a looped INVITE arriving meanwhile finds it.
        if (!dialogs.add(call)) {
            responses.respond(st, Response.LOOP_DETECTED, null, null);
            return;
        }
        final String localAddress = advertised.of(request);
        // The edge completes admission on the call's media loop; the answer is built and sent on the signalling
        // timer thread, so neither this jain-sip thread nor a media loop waits for the other.
        handler.admit(inbound).whenComplete((admission, failure) -> onTimerThread(
            () -> admitted(call, inbound, offer, localAddress, admission, failure)));
    }

    /** A negotiator under {@code --srtp}; its SDES keys come from the signalling's {@link SecureRandom}. */
    private SdpNegotiator newNegotiator(final String localAddress, final int rtpPort, final long sessionId) {
        return new SdpNegotiator(localAddress, rtpPort, sessionId, config.policy.srtp(), random, config.policy.codecs());
    }

    /** Why a parsed offer got 488: {@code --srtp required} without an SRTP stream offered, or no usable media. */
    private RejectReason mediaRefusal(final SessionDescription offer) {
        if (config.policy.srtp() == SrtpPolicy.REQUIRED) {
            for (final MediaDescription m : offer.media()) {
                if (m.isSecureRtpAudio()) {
                    return RejectReason.MEDIA;
                }
            }
            return RejectReason.SRTP_REQUIRED;
        }
        return RejectReason.MEDIA;
    }

    private void onTimerThread(final Runnable task) {
        try {
            timers.execute(task);
        } catch (final RejectedExecutionException ex) {
            LOG.debug("signalling stopped; admission outcome dropped");
        }
    }

    /** The edge's admission outcome for {@code call}: answer (or ring), refuse, or release a call given up meanwhile. */
    private void admitted(final DialogCall call, final InboundCall inbound, final SessionDescription offer, final String localAddress,
                          final Admission admission, final Throwable failure) {
        final boolean accepted = failure == null && admission.accepted();
        synchronized (call) {
            if (call.state != DialogCall.State.ADMITTING) {
                // CANCEL, BYE or an edge hang-up came first and already answered the INVITE and forgot the call.
                if (accepted) {
                    LOG.info("SIP call {}: admitted after it ended; releasing", call.callId);
                    handler.onEnded(call.callId, "ended during admission");
                }
                return;
            }
            if (!accepted) {
                final int status;
                if (failure != null) {
                    counters.failed();
                    LOG.warn("SIP call {}: admission failed: {}", call.callId, failure.toString());
                    status = Response.SERVER_INTERNAL_ERROR;
                } else {
                    counters.reject(RejectReason.BUSY);
                    status = admission.statusCode();
                }
                refuse(call, status, failure == null ? admission.retryAfterSeconds() : 0);
                dialogs.forget(call);
                return;
            }
            try {
                final SdpNegotiator negotiator = newNegotiator(localAddress, admission.rtpPort(), random.nextLong());
                call.negotiator = negotiator;
                if (offer != null) {
                    final SdpNegotiation answer = negotiator.answer(offer);
                    call.answerSdp = answer.sdp();
                    call.media = answer.media();
                } else {
                    call.answerSdp = negotiator.offer();
                    call.awaitingAnswerInAck = true;
                }
                call.state = DialogCall.State.PROCEEDING;
                LOG.info("SIP call {} from {} via {} admitted (rtp {})", call.callId, inbound.source(), call.transport,
                    admission.rtpPort());
                if (config.answerDelayMs > 0) {
                    provisionals.ring(call);
                    call.answerTimer = timers.schedule(() -> answer(call), config.answerDelayMs, TimeUnit.MILLISECONDS);
                } else {
                    answer(call);
                }
            } catch (final RuntimeException ex) {
                counters.failed();
                LOG.warn("SIP call {}: answer could not be prepared: {}", call.callId, ex.toString());
                responses.respond(call.inviteTransaction, Response.SERVER_INTERNAL_ERROR, call.toTag, null);
                dialogs.forget(call);
                handler.onEnded(call.callId, "answer failed");
            }
        }
    }

    private void refuse(final DialogCall call, final int status, final int retryAfterSeconds) {
        try {
            final Response r = responses.create(call.invite, status, call.toTag);
            if (retryAfterSeconds > 0) {
                r.addHeader(responses.retryAfter(retryAfterSeconds));
            }
            responses.send(call.inviteTransaction, call.invite, r);
        } catch (final ParseException | RuntimeException ex) {
            LOG.info("SIP call {}: refusal {} could not be sent: {}", call.callId, status, ex.toString());
        }
    }

    /** Sends the 200 OK with the answer, unless a reliable provisional response still awaits its PRACK. */
    void answer(final DialogCall call) {
        synchronized (call) {
            if (call.state != DialogCall.State.PROCEEDING) {
                return;
            }
            if (call.prackPending) {
                // RFC 3262 §3: the 2xx waits for the PRACK, which sends it (ReliableProvisionalResponses.onPrack).
                call.answerAfterPrack = true;
                return;
            }
            try {
                final Response ok = responses.create(call.invite, Response.OK, call.toTag);
                ok.addHeader(advertised.contact(call.invite, call.transport));
                responses.addAllow(ok);
                sessionTimer.apply(call, ok);
                ok.setContent(call.answerSdp, responses.sdpType());
                // ANSWERED before the 200 leaves: the ACK may come back before sendResponse returns.
                call.state = DialogCall.State.ANSWERED;
                responses.sendOn(call.inviteTransaction, ok);
                call.dialog = call.inviteTransaction.getDialog();
            } catch (final ParseException | SipException | InvalidArgumentException | RuntimeException ex) {
                counters.failed();
                LOG.warn("SIP call {}: 200 OK could not be sent: {}", call.callId, ex.toString());
                responses.respond(call.inviteTransaction, Response.SERVER_INTERNAL_ERROR, call.toTag, null);
                dialogs.forget(call);
                handler.onEnded(call.callId, "answer failed");
                return;
            }
            // No media yet: the agent and RTP start when the ACK confirms the dialog (DialogRequests.onAck), so an
            // INVITE that is never ACKed (a spoofed source, a reflection attempt) sends no RTP anywhere, and gives its
            // slot and ports back at Timer H. Kept here rather than left to jain-sip, whose dialog timeout event does
            // not reach the listener for a server dialog.
            call.ackTimer = timers.schedule(() -> ackTimedOut(call), 64L * config.policy.timerT1Ms(), TimeUnit.MILLISECONDS);
            sessionTimer.schedule(call);
        }
    }

    /** Timer H fired: the 200 was never ACKed. RFC 3261 §13.3.1.4: end the session with a BYE. */
    private void ackTimedOut(final DialogCall call) {
        synchronized (call) {
            if (call.state != DialogCall.State.ANSWERED) {
                return;
            }
            counters.reject(RejectReason.ACK_TIMEOUT);
            LOG.info("SIP call {}: no ACK for the 200 OK within 64*T1; ending it", call.callId);
            dialogs.endFromSignalling(call, "no ACK");
        }
    }

    /** Whether every {@code --sip-require-header} is present with its exact value (compared in constant time). */
    private boolean carriesRequiredHeaders(final Request request) {
        for (final Map.Entry<String, String> required : config.policy.requiredHeaders().entrySet()) {
            final String value = SipRequests.headerValue(request, required.getKey(), null);
            if (value == null || !MessageDigest.isEqual(value.trim().getBytes(StandardCharsets.UTF_8),
                required.getValue().getBytes(StandardCharsets.UTF_8))) {
                return false;
            }
        }
        return true;
    }

    private boolean authenticated(final ServerTransaction st, final Request request, final InetAddress source)
        throws ParseException {
        final AuthorizationHeader auth = (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
        final long nowMs = System.currentTimeMillis();
        boolean stale = false;
        if (auth != null && "Digest".equalsIgnoreCase(auth.getScheme())) {
            final String nc = auth.getNonceCount() > 0 ? String.format(Locale.ROOT, "%08x", auth.getNonceCount()) : null;
            final DigestAuthenticator.Credentials c = new DigestAuthenticator.Credentials(auth.getUsername(), auth.getRealm(),
                auth.getNonce(), auth.getURI() == null ? null : auth.getURI().toString(), auth.getResponse(), auth.getCNonce(),
                auth.getQop(), nc);
            final DigestAuthenticator.Verdict verdict = digest.verify(request.getMethod(), c, nowMs);
            if (verdict == DigestAuthenticator.Verdict.OK) {
                return true;
            }
            // A replayed nonce-count is challenged with stale=TRUE too: its nonce is spent, and a genuine client that
            // resent it retries with the fresh nonce without asking its user (RFC 7616 §3.3); a replayer has no password.
            stale = verdict == DigestAuthenticator.Verdict.STALE || verdict == DigestAuthenticator.Verdict.REPLAY;
            if (verdict == DigestAuthenticator.Verdict.REPLAY) {
                // RFC 7616 §3.4.5 / RFC 2617 §3.2.2: a nonce-count already seen is a replay; challenge afresh.
                counters.reject(RejectReason.AUTHENTICATION_REPLAY);
                LOG.info("SIP INVITE from {} replayed a digest nonce-count; challenged again", source);
            } else if (!stale) {
                LOG.info("SIP INVITE from {} failed digest authentication (user '{}')", source, auth.getUsername());
            }
        }
        counters.reject(RejectReason.AUTHENTICATION);
        final Response r = responses.create(request, Response.UNAUTHORIZED, null);
        r.addHeader(responses.headers().createHeader("WWW-Authenticate", "Digest realm=\"" + digest.realm() + "\", nonce=\""
            + digest.nonce(nowMs) + "\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=TRUE" : "")));
        responses.send(st, request, r);
        return false;
    }
}

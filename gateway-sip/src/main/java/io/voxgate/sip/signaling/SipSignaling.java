package io.voxgate.sip.signaling;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.sip.sdp.SdpNegotiation;
import io.voxgate.sip.sdp.SdpNegotiator;
import io.voxgate.sip.sdp.SdpParser;
import io.voxgate.sip.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP user agent server of the trunk edge, on jain-sip: listens on UDP, TCP and optionally TLS, and turns
 * INVITE/ACK/BYE/CANCEL/OPTIONS/UPDATE into {@link SipCallHandler} calls with jain-sip-free types.
 *
 * <p>Per request: sources outside the allow list get 403 (statelessly); while draining, new INVITEs get 503
 * with Retry-After; with digest configured, INVITEs from non-Twilio sources must authenticate (401 challenge);
 * an INVITE with SDP is answered per RFC 3264 ({@link SdpNegotiator}), 488 when no G.711 stream is offered;
 * one without SDP gets the gateway's offer in the 200 and its answer is taken from the ACK; re-INVITE and
 * UPDATE are answered keeping codec and port (hold/resume); CANCEL before the answer gives 200 to the CANCEL
 * and 487 to the INVITE (RFC 3261 §9.2); RFC 4028 session timers are honoured (see {@link #applySessionTimer}).
 *
 * <p>Threading: jain-sip delivers events one at a time (non-reentrant listener) on its own threads; timers,
 * edge-initiated hang-ups and the answers to admitted INVITEs run on one signalling timer thread (the edge admits
 * asynchronously on the call's media loop, so the jain-sip thread never waits for a media loop); per-call state is guarded by its
 * {@link DialogCall} monitor. Nothing here touches a call's media state: the handler crosses into calls
 * through their command rings. jain-sip types never leave this package.
 */
public final class SipSignaling implements SipListenerExt {
    /** RFC 4028 §4 recommended minimum session interval. */
    public static final int MIN_SESSION_EXPIRES_S = 90;
    /** Largest SIP message accepted over TCP/TLS (jain-sip's stream framing limit). */
    public static final int MAX_MESSAGE_SIZE = 65_536;
    /** Methods the gateway implements, for Allow headers and 405 responses. */
    public static final String ALLOWED_METHODS = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE";

    private static final Logger LOG = LoggerFactory.getLogger(SipSignaling.class);
    /** SIP over TLS cipher suites: forward secret, supported by JDK 17 through 25. */
    private static final String[] TLS_CIPHER_SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    };
    private static final AtomicInteger STACK_SEQUENCE = new AtomicInteger();

    private final SignalingConfig config;
    private final SipCallHandler handler;
    private final Map<String, DialogCall> calls = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final DigestAuthenticator digest;
    /** The unit of one session-timer millisecond: real milliseconds, or microseconds in tests (1000 times faster). */
    private final TimeUnit sessionTimerMilliUnit;
    private final AtomicLong requestsRejectedSource = new AtomicLong();
    private final AtomicLong requestsRejectedAuth = new AtomicLong();
    private final AtomicLong invitesRejectedBusy = new AtomicLong();
    private final AtomicLong invitesRejectedCodec = new AtomicLong();
    private final AtomicLong requestsFailed = new AtomicLong();
    private volatile boolean draining;
    private ScheduledExecutorService timers;
    private SipStack stack;
    private SipProvider provider;
    private MessageFactory messages;
    private HeaderFactory headers;
    private AddressFactory addresses;
    private String fallbackAddress;

    /**
     * Signalling for one edge.
     *
     * @param config  validated settings
     * @param handler the edge
     */
    public SipSignaling(final SignalingConfig config, final SipCallHandler handler) {
        this(config, handler, TimeUnit.MILLISECONDS);
    }

    /** As above, with RFC 4028 intervals counted in {@code sessionTimerMilliUnit} instead of ms (tests run them fast). */
    SipSignaling(final SignalingConfig config, final SipCallHandler handler, final TimeUnit sessionTimerMilliUnit) {
        this.config = config;
        this.handler = handler;
        this.sessionTimerMilliUnit = sessionTimerMilliUnit;
        if (config.digestRealm != null) {
            final byte[] key = new byte[32];
            random.nextBytes(key);
            this.digest = new DigestAuthenticator(config.digestRealm, config.digestUser, config.digestPassword, key);
        } else {
            this.digest = null;
        }
    }

    /**
     * Creates the jain-sip stack and starts listening.
     *
     * @throws IllegalStateException naming the option when a listener cannot be created (port in use, bad
     *                               address, unusable TLS key store)
     */
    public synchronized void start() {
        if (stack != null) {
            throw new IllegalStateException("SIP signalling already started");
        }
        final SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        final Properties p = new Properties();
        // SipFactory keeps every stack by name for the life of the JVM; a unique name per edge keeps stacks apart.
        p.setProperty("javax.sip.STACK_NAME", "voxgate-sip-" + STACK_SEQUENCE.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(config.threadPoolSize));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_SIZE));
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", "gov.nist.javax.sip.stack.NioMessageProcessorFactory");
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        if (config.transports.contains("tls")) {
            p.setProperty("javax.net.ssl.keyStore", config.tlsKeyStore.toString());
            p.setProperty("javax.net.ssl.keyStorePassword", new String(config.tlsKeyStorePassword));
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            p.setProperty("javax.net.ssl.trustStore", config.tlsKeyStore.toString());
            p.setProperty("javax.net.ssl.trustStorePassword", new String(config.tlsKeyStorePassword));
            p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            // Carriers rarely present client certificates; Twilio authenticates by source address (§4.3).
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "DisabledAll");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2,TLSv1.3");
            // jain-sip's default suites use RSA key exchange, which JDK 24+ disables: with them no handshake succeeds.
            // Forward-secret suites only; the ECDHE-RSA GCM and CBC-SHA2 ones are those Twilio's trunks offer
            // (protocols.md §4.4), the TLS 1.3 ones need nothing else.
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", TLS_CIPHER_SUITES));
        }
        try {
            messages = factory.createMessageFactory();
            headers = factory.createHeaderFactory();
            addresses = factory.createAddressFactory();
            stack = factory.createSipStack(p);
        } catch (final PeerUnavailableException ex) {
            throw new IllegalStateException("cannot create the jain-sip stack: " + ex.getMessage(), ex);
        }
        try {
            for (final String transport : config.transports) {
                final int port = "tls".equals(transport) ? config.tlsPort : config.sipPort;
                final ListeningPoint lp;
                try {
                    lp = stack.createListeningPoint(config.bindAddress, port, transport);
                } catch (final InvalidArgumentException | javax.sip.TransportNotSupportedException ex) {
                    throw new IllegalStateException(("tls".equals(transport) ? "--sip-tls-port " : "--sip-port ") + port
                        + " on --bind " + config.bindAddress + " (" + transport + ") cannot listen: " + ex.getMessage(), ex);
                }
                if (config.externalAddress != null) {
                    lp.setSentBy(config.externalAddress + ":" + port);
                }
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            provider.addSipListener(this);
            stack.start();
        } catch (final ObjectInUseException | java.util.TooManyListenersException | ParseException ex) {
            stop();
            throw new IllegalStateException("cannot start SIP listeners: " + ex.getMessage(), ex);
        } catch (final SipException ex) {
            stop();
            throw new IllegalStateException("cannot start SIP listeners on --sip-port " + config.sipPort + ": " + ex.getMessage(), ex);
        } catch (final IllegalStateException ex) {
            stop();
            throw ex;
        }
        fallbackAddress = fallbackAddress(config.bindAddress);
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "voxgate-sip-timers");
            t.setDaemon(true);
            return t;
        });
        LOG.info("SIP signalling listening: {}", config);
    }

    /** Whether new INVITEs are refused with 503 (graceful drain); calls in progress are unaffected. */
    public void draining(final boolean draining) {
        this.draining = draining;
    }

    /**
     * Stops listening and forgets every call. Hang-ups already queued (BYEs from the edge's own shutdown) are
     * sent first, for up to a second.
     */
    public synchronized void stop() {
        if (timers != null) {
            timers.shutdown();
            try {
                timers.awaitTermination(1, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            timers.shutdownNow();
            timers = null;
        }
        if (stack != null) {
            if (provider != null) {
                provider.removeSipListener(this);
            }
            stack.stop();
            stack = null;
            provider = null;
        }
        calls.clear();
    }

    /**
     * Hangs up a call from the edge's side (agent hang-up, media timeout, drain): BYE once confirmed (after the
     * ACK when it has not come yet, RFC 3261 §15), or a final error response before the answer. Safe on any
     * thread; the work runs on the signalling timer thread.
     *
     * @param statusIfUnanswered final response for an unanswered INVITE, e.g. 480 or 503
     */
    public void hangUp(final String callId, final String reason, final int statusIfUnanswered) {
        final ScheduledExecutorService t = timers;
        if (t == null) {
            return;
        }
        t.execute(() -> hangUpNow(callId, reason, statusIfUnanswered));
    }

    private void hangUpNow(final String callId, final String reason, final int statusIfUnanswered) {
        final DialogCall call = calls.get(callId);
        if (call == null) {
            return;
        }
        synchronized (call) {
            switch (call.state) {
                case ADMITTING:
                case PROCEEDING:
                    respond(call.inviteTransaction, statusIfUnanswered, call.toTag, null);
                    forget(call);
                    break;
                case ANSWERED:
                    call.byeOnAck = true;
                    call.byeReason = reason;
                    break;
                case CONFIRMED:
                    sendBye(call, reason);
                    forget(call);
                    break;
                default:
                    break;
            }
        }
    }

    /** Calls with signalling state. */
    public int activeDialogs() {
        return calls.size();
    }

    /** Requests refused because their source is not allowed. */
    public long requestsRejectedSource() {
        return requestsRejectedSource.get();
    }

    /** INVITEs refused for failed digest authentication (challenges included). */
    public long requestsRejectedAuth() {
        return requestsRejectedAuth.get();
    }

    /** INVITEs refused by admission (full, draining, out of ports). */
    public long invitesRejectedBusy() {
        return invitesRejectedBusy.get();
    }

    /** INVITEs refused with 488 (no codec in common). */
    public long invitesRejectedCodec() {
        return invitesRejectedCodec.get();
    }

    /** Requests whose handling failed inside the gateway (answered 500). */
    public long requestsFailed() {
        return requestsFailed.get();
    }

    // ---------------------------------------------------------------- jain-sip listener

    @Override
    public void processRequest(final RequestEvent event) {
        final Request request = event.getRequest();
        try {
            final InetAddress source = sourceAddress(request);
            if (source == null || !config.allowList.allows(source)) {
                requestsRejectedSource.incrementAndGet();
                if (!Request.ACK.equals(request.getMethod())) {
                    respondStateless(request, Response.FORBIDDEN);
                }
                return;
            }
            switch (request.getMethod()) {
                case Request.INVITE:
                    if (toTag(request) == null) {
                        onInitialInvite(event, source);
                    } else {
                        onReInvite(event);
                    }
                    break;
                case Request.ACK:
                    onAck(request);
                    break;
                case Request.BYE:
                    onBye(event);
                    break;
                case Request.CANCEL:
                    onCancel(event);
                    break;
                case Request.OPTIONS:
                    onOptions(event);
                    break;
                case Request.UPDATE:
                    onUpdate(event);
                    break;
                default:
                    final ServerTransaction st = serverTransaction(event);
                    final Response r = response(request, Response.METHOD_NOT_ALLOWED, null);
                    if (r != null) {
                        addAllow(r);
                        send(st, request, r);
                    }
                    break;
            }
        } catch (final ParseException | RuntimeException ex) {
            requestsFailed.incrementAndGet();
            LOG.warn("SIP {} failed: {}", request.getMethod(), ex.toString());
            if (!Request.ACK.equals(request.getMethod())) {
                respondStateless(request, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    private void onInitialInvite(final RequestEvent event, final InetAddress source) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = serverTransaction(event);
        if (st == null) {
            return;
        }
        final String callId = callId(request);
        if (calls.containsKey(callId)) {
            // A second INVITE with this Call-ID and no To tag is a looped or forked request (RFC 3261 §8.2.2.2).
            respond(st, Response.LOOP_DETECTED, null, null);
            return;
        }
        if (draining) {
            invitesRejectedBusy.incrementAndGet();
            respondRetryAfter(st, Response.SERVICE_UNAVAILABLE, "draining");
            return;
        }
        if (digest != null && !SourceAllowList.isTwilio(source) && !authenticated(st, request)) {
            return;
        }
        final String contentError = unsupportedContent(request);
        if (contentError != null) {
            final Response r = response(request, Response.UNSUPPORTED_MEDIA_TYPE, null);
            r.addHeader(headers.createHeader("Accept", "application/sdp"));
            send(st, request, r);
            return;
        }
        final SessionTimerRequest timer = SessionTimerRequest.of(headerValue(request, "Session-Expires", "x"),
            supportsTimer(request));
        if (timer != null && timer.intervalS < MIN_SESSION_EXPIRES_S) {
            final Response r = response(request, 422, null);
            r.addHeader(headers.createHeader("Min-SE", Integer.toString(MIN_SESSION_EXPIRES_S)));
            send(st, request, r);
            return;
        }
        final String body = body(request);
        final SessionDescription offer = body == null ? null : SdpParser.parse(body);
        AudioFormat callerFormat = AudioFormat.MULAW_8K;
        if (offer != null) {
            // A dry run tells 400/488 apart before any port is reserved.
            final SdpNegotiation probe = new SdpNegotiator("127.0.0.1", 9, 0).answer(offer);
            if (!probe.accepted()) {
                final boolean malformed = probe.outcome() == SdpNegotiation.Outcome.MALFORMED;
                if (!malformed) {
                    invitesRejectedCodec.incrementAndGet();
                }
                final Response r = response(request, malformed ? Response.BAD_REQUEST : Response.NOT_ACCEPTABLE_HERE, null);
                r.addHeader(headers.createHeader("Warning", (malformed ? "399" : "304") + " voxgate \"" + probe.reason() + "\""));
                send(st, request, r);
                return;
            }
            callerFormat = probe.media().callerFormat();
        }
        // 100 Trying at once (RFC 3261 §17.2.1): the caller stops retransmitting while the edge admits the call.
        respond(st, Response.TRYING, null, null);
        final String transport = transportOf(request);
        final InboundCall inbound = new InboundCall(callId, new InetSocketAddress(source, sourcePort(request)), transport,
            metadata(request), callerFormat);
        final DialogCall call = new DialogCall(callId, st, request, newTag(), offer == null, transport);
        call.dialog = st.getDialog();
        if (timer != null) {
            call.sessionIntervalS = timer.intervalS;
            call.peerSupportsTimer = timer.peerSupportsTimer;
            call.uasRefreshes = timer.uasRefreshes;
        }
        // Published before admission, so a CANCEL, a BYE or a looped INVITE arriving meanwhile finds it.
        calls.put(callId, call);
        final String localAddress = mediaAddress(request);
        // The edge completes admission on the call's media loop; the answer is built and sent on the signalling
        // timer thread, so neither this jain-sip thread nor a media loop waits for the other.
        handler.admit(inbound).whenComplete((admission, failure) -> onSignallingThread(
            () -> admitted(call, inbound, offer, localAddress, admission, failure)));
    }

    /** Runs {@code task} on the signalling timer thread; dropped once signalling has stopped. */
    private void onSignallingThread(final Runnable task) {
        final ScheduledExecutorService t = timers;
        if (t == null) {
            return;
        }
        try {
            t.execute(task);
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
                    requestsFailed.incrementAndGet();
                    LOG.warn("SIP call {}: admission failed: {}", call.callId, failure.toString());
                    status = Response.SERVER_INTERNAL_ERROR;
                } else {
                    invitesRejectedBusy.incrementAndGet();
                    status = admission.statusCode();
                }
                refuse(call, status, failure == null ? admission.retryAfterSeconds() : 0);
                forget(call);
                return;
            }
            try {
                final SdpNegotiator negotiator = new SdpNegotiator(localAddress, admission.rtpPort(), random.nextLong());
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
                    respond(call.inviteTransaction, Response.RINGING, call.toTag, null);
                    call.answerTimer = timers.schedule(() -> answer(call), config.answerDelayMs, TimeUnit.MILLISECONDS);
                } else {
                    answer(call);
                }
            } catch (final RuntimeException ex) {
                requestsFailed.incrementAndGet();
                LOG.warn("SIP call {}: answer could not be prepared: {}", call.callId, ex.toString());
                respond(call.inviteTransaction, Response.SERVER_INTERNAL_ERROR, call.toTag, null);
                forget(call);
                handler.onEnded(call.callId, "answer failed");
            }
        }
    }

    private void refuse(final DialogCall call, final int status, final int retryAfterSeconds) {
        try {
            final Response r = response(call.invite, status, null);
            if (r == null) {
                return;
            }
            if (retryAfterSeconds > 0) {
                r.addHeader(retryAfter(retryAfterSeconds));
            }
            send(call.inviteTransaction, call.invite, r);
        } catch (final ParseException | RuntimeException ex) {
            LOG.info("SIP call {}: refusal {} could not be sent: {}", call.callId, status, ex.toString());
        }
    }

    private void answer(final DialogCall call) {
        synchronized (call) {
            if (call.state != DialogCall.State.PROCEEDING) {
                return;
            }
            try {
                final Response ok = response(call.invite, Response.OK, call.toTag);
                ok.addHeader(contact(call.invite, call.transport));
                addAllow(ok);
                applySessionTimer(call, ok);
                ok.setContent(call.answerSdp, sdpType());
                call.inviteTransaction.sendResponse(ok);
                call.state = DialogCall.State.ANSWERED;
                call.dialog = call.inviteTransaction.getDialog();
            } catch (final ParseException | SipException | InvalidArgumentException | RuntimeException ex) {
                requestsFailed.incrementAndGet();
                LOG.warn("SIP call {}: 200 OK could not be sent: {}", call.callId, ex.toString());
                respond(call.inviteTransaction, Response.SERVER_INTERNAL_ERROR, call.toTag, null);
                forget(call);
                handler.onEnded(call.callId, "answer failed");
                return;
            }
            scheduleSessionTimer(call);
            if (call.media != null) {
                handler.onAnswered(call.callId, call.media);
            }
        }
    }

    /**
     * RFC 4028 §9: echo Session-Expires with the refresher in the 2xx; {@code Require: timer} only when the
     * caller said it supports timers. The caller refreshes when it supports timers and did not ask the
     * gateway to; otherwise the gateway refreshes with re-INVITEs at half the interval.
     */
    private void applySessionTimer(final DialogCall call, final Response ok) throws ParseException {
        if (call.sessionIntervalS <= 0) {
            return;
        }
        ok.addHeader(headers.createHeader("Session-Expires", call.sessionIntervalS + ";refresher="
            + (call.uasRefreshes ? "uas" : "uac")));
        if (call.peerSupportsTimer) {
            ok.addHeader(headers.createRequireHeader("timer"));
        }
    }

    private void scheduleSessionTimer(final DialogCall call) {
        if (call.sessionTimer != null) {
            call.sessionTimer.cancel(false);
            call.sessionTimer = null;
        }
        if (call.sessionIntervalS <= 0 || timers == null) {
            return;
        }
        if (call.uasRefreshes) {
            call.sessionTimer = timers.schedule(() -> refresh(call), call.sessionIntervalS * 500L, sessionTimerMilliUnit);
        } else {
            // RFC 4028 §10: the non-refresher ends the session min(32 s, interval/3) before expiry.
            final long endS = call.sessionIntervalS - Math.min(32, call.sessionIntervalS / 3);
            call.sessionTimer = timers.schedule(() -> expire(call), endS * 1000L, sessionTimerMilliUnit);
        }
    }

    private void expire(final DialogCall call) {
        synchronized (call) {
            if (call.state != DialogCall.State.CONFIRMED && call.state != DialogCall.State.ANSWERED) {
                return;
            }
            LOG.info("SIP call {}: session expired without refresh (RFC 4028)", call.callId);
            endFromSignalling(call, "session expired");
        }
    }

    private void refresh(final DialogCall call) {
        synchronized (call) {
            if (call.state != DialogCall.State.CONFIRMED || call.dialog == null) {
                scheduleSessionTimer(call);
                return;
            }
            try {
                final Request reinvite = call.dialog.createRequest(Request.INVITE);
                reinvite.addHeader(contact(call.invite, call.transport));
                reinvite.addHeader(headers.createHeader("Session-Expires", call.sessionIntervalS + ";refresher=uas"));
                reinvite.addHeader(headers.createSupportedHeader("timer"));
                reinvite.setContent(call.answerSdp, sdpType());
                final ClientTransaction ct = provider.getNewClientTransaction(reinvite);
                call.dialog.sendRequest(ct);
            } catch (final ParseException | SipException | RuntimeException ex) {
                LOG.info("SIP call {}: session refresh could not be sent: {}", call.callId, ex.toString());
                endFromSignalling(call, "session refresh failed");
                return;
            }
            scheduleSessionTimer(call);
        }
    }

    private void onAck(final Request request) {
        final DialogCall call = calls.get(callId(request));
        if (call == null) {
            return;
        }
        synchronized (call) {
            if (call.state == DialogCall.State.ANSWERED) {
                call.state = DialogCall.State.CONFIRMED;
            }
            if (call.awaitingAnswerInAck) {
                call.awaitingAnswerInAck = false;
                final String body = body(request);
                final SdpNegotiation n = body == null ? null : call.negotiator.acceptAnswer(SdpParser.parse(body));
                if (n == null || !n.accepted()) {
                    LOG.info("SIP call {}: ACK carried no usable answer ({})", call.callId, n == null ? "no SDP" : n.reason());
                    endFromSignalling(call, "no usable answer in ACK");
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
            if (call.byeOnAck) {
                sendBye(call, call.byeReason);
                forget(call);
            }
        }
    }

    /**
     * Answers a BYE or CANCEL: 481 when no call has its Call-ID (RFC 3261 §15.1.2, §9.2), else 200; returns the call,
     * or null when there is none.
     */
    private DialogCall acceptWithinDialog(final RequestEvent event) {
        final DialogCall call = calls.get(callId(event.getRequest()));
        respond(serverTransaction(event), call == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK, null, null);
        return call;
    }

    private void onBye(final RequestEvent event) {
        final DialogCall call = acceptWithinDialog(event);
        if (call == null) {
            return;
        }
        synchronized (call) {
            if (call.state == DialogCall.State.ENDED) {
                return;
            }
            final boolean admitting = call.state == DialogCall.State.ADMITTING;
            forget(call);
            if (admitting) {
                // Not the edge's call yet: the admission's completion releases what it took.
                LOG.info("SIP call {}: caller hung up during admission", call.callId);
                return;
            }
        }
        LOG.info("SIP call {}: caller hung up", call.callId);
        handler.onEnded(call.callId, "caller hung up");
    }

    private void onCancel(final RequestEvent event) {
        final DialogCall call = acceptWithinDialog(event);
        if (call == null) {
            return;
        }
        synchronized (call) {
            if (call.state == DialogCall.State.ADMITTING) {
                // The edge is still admitting it: answer now; the admission's completion releases what it took.
                respond(call.inviteTransaction, Response.REQUEST_TERMINATED, call.toTag, null);
                forget(call);
                LOG.info("SIP call {}: cancelled during admission", call.callId);
                return;
            }
            if (call.state != DialogCall.State.PROCEEDING) {
                // RFC 3261 §9.2: a CANCEL after the final response has no effect.
                return;
            }
            respond(call.inviteTransaction, Response.REQUEST_TERMINATED, call.toTag, null);
            forget(call);
        }
        LOG.info("SIP call {}: cancelled before answer", call.callId);
        handler.onEnded(call.callId, "caller cancelled");
    }

    private void onOptions(final RequestEvent event) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = serverTransaction(event);
        final Response r = response(request, Response.OK, null);
        if (r == null) {
            return;
        }
        addAllow(r);
        r.addHeader(headers.createHeader("Accept", "application/sdp"));
        r.addHeader(headers.createSupportedHeader("timer"));
        send(st, request, r);
    }

    private void onReInvite(final RequestEvent event) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = serverTransaction(event);
        if (st == null) {
            return;
        }
        final DialogCall call = calls.get(callId(request));
        if (call == null) {
            respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        synchronized (call) {
            if (call.state != DialogCall.State.CONFIRMED || call.awaitingAnswerInAck) {
                // RFC 3261 §14.2: an offer while ours is outstanding collides.
                respond(st, Response.REQUEST_PENDING, null, null);
                return;
            }
            final String body = body(request);
            final String sdp;
            if (body == null) {
                sdp = call.negotiator.reoffer(call.media);
                call.awaitingAnswerInAck = true;
            } else {
                final SdpNegotiation n = call.negotiator.reanswer(SdpParser.parse(body), call.media);
                if (!n.accepted()) {
                    respond(st, n.outcome() == SdpNegotiation.Outcome.MALFORMED ? Response.BAD_REQUEST
                        : Response.NOT_ACCEPTABLE_HERE, null, null);
                    return;
                }
                sdp = n.sdp();
                call.media = n.media();
                handler.onMediaChanged(call.callId, call.media);
            }
            call.answerSdp = sdp;
            refreshedBy(call, request);
            final Response ok = response(request, Response.OK, null);
            ok.addHeader(contact(call.invite, call.transport));
            applySessionTimer(call, ok);
            ok.setContent(sdp, sdpType());
            send(st, request, ok);
            scheduleSessionTimer(call);
        }
    }

    private void onUpdate(final RequestEvent event) throws ParseException {
        final Request request = event.getRequest();
        final ServerTransaction st = serverTransaction(event);
        if (st == null) {
            return;
        }
        final DialogCall call = calls.get(callId(request));
        if (call == null) {
            respond(st, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        synchronized (call) {
            final String body = body(request);
            Response ok;
            if (body == null) {
                ok = response(request, Response.OK, null);
            } else {
                if (call.media == null || call.awaitingAnswerInAck) {
                    respond(st, Response.REQUEST_PENDING, null, null);
                    return;
                }
                final SdpNegotiation n = call.negotiator.reanswer(SdpParser.parse(body), call.media);
                if (!n.accepted()) {
                    respond(st, n.outcome() == SdpNegotiation.Outcome.MALFORMED ? Response.BAD_REQUEST
                        : Response.NOT_ACCEPTABLE_HERE, null, null);
                    return;
                }
                call.media = n.media();
                call.answerSdp = n.sdp();
                handler.onMediaChanged(call.callId, call.media);
                ok = response(request, Response.OK, null);
                ok.setContent(n.sdp(), sdpType());
            }
            refreshedBy(call, request);
            ok.addHeader(contact(call.invite, call.transport));
            applySessionTimer(call, ok);
            send(st, request, ok);
            scheduleSessionTimer(call);
        }
    }

    /** A re-INVITE or UPDATE refreshes the session and may change its interval or refresher (RFC 4028 §9). */
    private void refreshedBy(final DialogCall call, final Request request) {
        final SessionTimerRequest timer = SessionTimerRequest.of(headerValue(request, "Session-Expires", "x"),
            supportsTimer(request));
        if (timer != null && timer.intervalS >= MIN_SESSION_EXPIRES_S) {
            call.sessionIntervalS = timer.intervalS;
            call.peerSupportsTimer = timer.peerSupportsTimer;
            call.uasRefreshes = timer.uasRefreshes;
        }
    }

    @Override
    public void processResponse(final ResponseEvent event) {
        final Response response = event.getResponse();
        final CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq == null || !Request.INVITE.equals(cseq.getMethod())) {
            return;
        }
        final DialogCall call = calls.get(callId(response));
        final Dialog dialog = event.getDialog();
        try {
            if (response.getStatusCode() / 100 == 2 && dialog != null) {
                dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
            } else if (response.getStatusCode() >= 300 && call != null) {
                synchronized (call) {
                    // RFC 4028 §10: a refresh answered 408 or 481 ends the session.
                    if (response.getStatusCode() == Response.REQUEST_TIMEOUT
                        || response.getStatusCode() == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
                        endFromSignalling(call, "session refresh refused");
                    }
                }
            }
        } catch (final SipException | InvalidArgumentException | RuntimeException ex) {
            LOG.info("SIP ACK for re-INVITE could not be sent: {}", ex.toString());
        }
    }

    @Override
    public void processTimeout(final TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        final Request request = event.getClientTransaction().getRequest();
        if (Request.INVITE.equals(request.getMethod())) {
            final DialogCall call = calls.get(callId(request));
            if (call != null) {
                synchronized (call) {
                    endFromSignalling(call, "session refresh timed out");
                }
            }
        }
    }

    @Override
    public void processDialogTimeout(final DialogTimeoutEvent event) {
        final Dialog dialog = event.getDialog();
        if (dialog == null) {
            return;
        }
        final DialogCall call = calls.get(dialog.getCallId().getCallId());
        if (call != null && event.getReason() == DialogTimeoutEvent.Reason.AckNotReceived) {
            synchronized (call) {
                LOG.info("SIP call {}: no ACK for the 200 OK", call.callId);
                call.state = DialogCall.State.CONFIRMED;
                endFromSignalling(call, "no ACK");
            }
        }
    }

    @Override
    public void processIOException(final IOExceptionEvent event) {
        LOG.debug("SIP transport error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(final TransactionTerminatedEvent event) {
        // Transactions end by themselves; calls are tracked by Call-ID.
    }

    @Override
    public void processDialogTerminated(final DialogTerminatedEvent event) {
        // Calls end through BYE, CANCEL or timers, which already forgot them.
    }

    // ---------------------------------------------------------------- helpers

    /** Ends a call whose end was decided here: BYE if confirmed, tell the edge. Caller holds the call's monitor. */
    private void endFromSignalling(final DialogCall call, final String reason) {
        if (call.state == DialogCall.State.ENDED) {
            return;
        }
        if (call.state == DialogCall.State.CONFIRMED || call.state == DialogCall.State.ANSWERED) {
            sendBye(call, reason);
        }
        forget(call);
        handler.onEnded(call.callId, reason);
    }

    private void forget(final DialogCall call) {
        call.state = DialogCall.State.ENDED;
        call.cancelTimers();
        calls.remove(call.callId, call);
    }

    private void sendBye(final DialogCall call, final String reason) {
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

    private boolean authenticated(final ServerTransaction st, final Request request) throws ParseException {
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
            stale = verdict == DigestAuthenticator.Verdict.STALE;
            if (!stale) {
                LOG.info("SIP INVITE from {} failed digest authentication (user '{}')", sourceAddress(request), auth.getUsername());
            }
        }
        requestsRejectedAuth.incrementAndGet();
        final Response r = response(request, Response.UNAUTHORIZED, null);
        r.addHeader(headers.createHeader("WWW-Authenticate", "Digest realm=\"" + digest.realm() + "\", nonce=\""
            + digest.nonce(nowMs) + "\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=TRUE" : "")));
        send(st, request, r);
        return false;
    }

    private ServerTransaction serverTransaction(final RequestEvent event) {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            st = provider.getNewServerTransaction(event.getRequest());
        } catch (final TransactionAlreadyExistsException ex) {
            return null;
        } catch (final javax.sip.TransactionUnavailableException | RuntimeException ex) {
            LOG.debug("no server transaction for {}: {}", event.getRequest().getMethod(), ex.toString());
            return null;
        }
        return st;
    }

    private Response response(final Request request, final int status, final String toTag) throws ParseException {
        final Response r = messages.createResponse(status, request);
        if (toTag != null) {
            final ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (to != null && to.getTag() == null) {
                to.setTag(toTag);
            }
        }
        r.addHeader(headers.createHeader("Server", "voxgate"));
        return r;
    }

    private void respond(final ServerTransaction st, final int status, final String toTag, final String reason) {
        if (st == null) {
            return;
        }
        try {
            final Response r = response(st.getRequest(), status, toTag);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            st.sendResponse(r);
        } catch (final ParseException | SipException | InvalidArgumentException | RuntimeException ex) {
            LOG.debug("SIP {} response could not be sent: {}", status, ex.toString());
        }
    }

    private void respondRetryAfter(final ServerTransaction st, final int status, final String reason) throws ParseException {
        final Response r = response(st.getRequest(), status, null);
        r.setReasonPhrase("Service Unavailable (" + reason + ")");
        r.addHeader(retryAfter(config.retryAfterSeconds));
        send(st, st.getRequest(), r);
    }

    private Header retryAfter(final int seconds) {
        try {
            return headers.createRetryAfterHeader(seconds);
        } catch (final InvalidArgumentException ex) {
            throw new IllegalArgumentException("Retry-After " + seconds + " s is not a valid delta-seconds", ex);
        }
    }

    private void send(final ServerTransaction st, final Request request, final Response response) {
        try {
            if (st != null) {
                st.sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
        } catch (final SipException | InvalidArgumentException | RuntimeException ex) {
            LOG.debug("SIP response to {} could not be sent: {}", request.getMethod(), ex.toString());
        }
    }

    private void respondStateless(final Request request, final int status) {
        try {
            provider.sendResponse(response(request, status, null));
        } catch (final ParseException | SipException | RuntimeException ex) {
            LOG.debug("SIP stateless {} could not be sent: {}", status, ex.toString());
        }
    }

    private ContactHeader contact(final Request request, final String transport) throws ParseException {
        final String host = config.externalAddress != null ? config.externalAddress : localAddress(request);
        final SipURI uri = addresses.createSipURI("voxgate", host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        uri.setPort("tls".equals(transport) ? config.tlsPort : config.sipPort);
        if (!"udp".equals(transport)) {
            uri.setTransportParam(transport);
        }
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    private void addAllow(final Response response) throws ParseException {
        for (final String method : ALLOWED_METHODS.split(", ")) {
            response.addHeader(headers.createAllowHeader(method));
        }
    }

    private ContentTypeHeader sdpType() throws ParseException {
        return headers.createContentTypeHeader("application", "sdp");
    }

    /** c= and o= address: the external IP when configured, else the local address that received the INVITE. */
    private String mediaAddress(final Request request) {
        return config.externalAddress != null ? config.externalAddress : localAddress(request);
    }

    private String localAddress(final Request request) {
        final InetAddress local = ((SIPMessage) request).getLocalAddress();
        if (local != null && !local.isAnyLocalAddress()) {
            return local.getHostAddress();
        }
        return fallbackAddress;
    }

    private static String fallbackAddress(final String bindAddress) {
        try {
            final InetAddress bind = InetAddress.getByName(bindAddress);
            if (!bind.isAnyLocalAddress()) {
                return bind.getHostAddress();
            }
            for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (final InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (final SocketException | java.net.UnknownHostException ex) {
            LOG.debug("no interface address found: {}", ex.toString());
        }
        return "127.0.0.1";
    }

    private static InetAddress sourceAddress(final Request request) {
        final SIPMessage m = (SIPMessage) request;
        return m.getPeerPacketSourceAddress() != null ? m.getPeerPacketSourceAddress() : m.getRemoteAddress();
    }

    private static int sourcePort(final Request request) {
        final SIPMessage m = (SIPMessage) request;
        return m.getPeerPacketSourcePort() > 0 ? m.getPeerPacketSourcePort() : Math.max(0, m.getRemotePort());
    }

    private static String transportOf(final Request request) {
        final String t = ((SIPMessage) request).getTopmostVia().getTransport();
        return t == null ? "udp" : t.toLowerCase(Locale.ROOT);
    }

    private static String callId(final javax.sip.message.Message message) {
        final CallIdHeader h = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return h == null ? "" : h.getCallId();
    }

    private static String toTag(final Request request) {
        final ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return to == null ? null : to.getTag();
    }

    private String newTag() {
        return Long.toHexString(random.nextLong() & Long.MAX_VALUE);
    }

    private static String body(final Request request) {
        final byte[] raw = request.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** A body of a type other than application/sdp (RFC 3261 §21.4.13: 415), or null when acceptable. */
    private static String unsupportedContent(final Request request) {
        final byte[] raw = request.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        final ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        if (type == null || !"application".equalsIgnoreCase(type.getContentType())
            || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            return type == null ? "missing Content-Type" : type.getContentType() + "/" + type.getContentSubType();
        }
        return null;
    }

    private static boolean supportsTimer(final Request request) {
        final ListIterator<?> it = request.getHeaders(SupportedHeader.NAME);
        while (it != null && it.hasNext()) {
            final Object h = it.next();
            if (h instanceof SupportedHeader && "timer".equalsIgnoreCase(((SupportedHeader) h).getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    private static String headerValue(final Request request, final String name, final String compactName) {
        Header h = request.getHeader(name);
        if (h == null && compactName != null) {
            h = request.getHeader(compactName);
        }
        return h == null ? null : valueOf(h);
    }

    private static String valueOf(final Header h) {
        if (h instanceof ExtensionHeader) {
            return ((ExtensionHeader) h).getValue();
        }
        if (h instanceof SIPHeader) {
            return ((SIPHeader) h).getHeaderValue();
        }
        final String text = h.toString();
        final int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }

    /** From, To, Call-ID, Diversion and X- headers, for the agent (protocols.md §4.1). */
    private static Map<String, String> metadata(final Request request) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String name : new String[] {"From", "To", "Call-ID", "Diversion"}) {
            final String v = headerValue(request, name, null);
            if (v != null) {
                out.put(name, v.trim());
            }
        }
        final Iterator<?> names = request.getHeaderNames();
        while (names.hasNext()) {
            final String name = String.valueOf(names.next());
            if (name.length() > 2 && (name.startsWith("X-") || name.startsWith("x-"))) {
                final ListIterator<?> values = request.getHeaders(name);
                final StringBuilder sb = new StringBuilder();
                while (values.hasNext()) {
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(valueOf((Header) values.next()));
                }
                out.put(name, sb.toString());
            }
        }
        return out;
    }

    /** The Session-Expires of a request, parsed (RFC 4028 §4). */
    static final class SessionTimerRequest {
        final int intervalS;
        final boolean uasRefreshes;
        final boolean peerSupportsTimer;

        private SessionTimerRequest(final int intervalS, final boolean uasRefreshes, final boolean peerSupportsTimer) {
            this.intervalS = intervalS;
            this.uasRefreshes = uasRefreshes;
            this.peerSupportsTimer = peerSupportsTimer;
        }

        /** Parses {@code 1800;refresher=uac}; null when absent or unparseable. */
        static SessionTimerRequest of(final String value, final boolean peerSupportsTimer) {
            if (value == null) {
                return null;
            }
            final String[] parts = value.split(";");
            final int interval;
            try {
                interval = Integer.parseInt(parts[0].trim());
            } catch (final NumberFormatException ex) {
                return null;
            }
            String refresher = null;
            for (int i = 1; i < parts.length; i++) {
                final String p = parts[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("refresher=")) {
                    refresher = p.substring("refresher=".length()).trim();
                }
            }
            // RFC 4028 §9: without the caller's support the gateway must refresh; otherwise honour its choice.
            final boolean uas = !peerSupportsTimer || "uas".equals(refresher);
            return new SessionTimerRequest(interval, uas, peerSupportsTimer);
        }
    }
}

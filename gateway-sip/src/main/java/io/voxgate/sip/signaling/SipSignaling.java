package io.voxgate.sip.signaling;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP user agent server of the trunk edge, on jain-sip: starts the stack ({@link JainSipStack}) and hands each
 * request to the handler for its method and RFC: new INVITEs to {@link InviteHandler}, ACK/BYE/CANCEL to
 * {@link DialogRequests}, PRACK to {@link ReliableProvisionalResponses}, a transfer's REFER and NOTIFYs to
 * {@link ReferTransfers}, re-INVITE/UPDATE and RFC 4028 refreshes to {@link SessionModification} and
 * {@link SessionTimer}, OPTIONS to {@link OptionsHandler}; every response goes through {@link SipResponses}. The
 * edge sees only jain-sip-free types ({@link SipCallHandler}).
 *
 * <p>Threading: jain-sip delivers events one at a time (non-reentrant listener) on its own threads; timers,
 * edge-initiated hang-ups and the answers to admitted INVITEs run on the signalling timer threads (the edge admits
 * asynchronously on the call's media loop, so the jain-sip thread never waits for a media loop); per-call state is
 * guarded by its {@link DialogCall} monitor, so one call's tasks run one at a time whichever timer thread runs them.
 * There are several timer threads because a request towards a peer reachable only by a new connection connects
 * blocking on the thread that sends it (jain-sip's way: twice, each up to
 * {@link JainSipStack#OUTGOING_CONNECT_TIMEOUT_MS}): a peer that drops SYNs then holds one timer thread, not every
 * call's hang-ups and timers. Nothing here touches a call's media state: the handler crosses into calls through their
 * command rings. jain-sip types never leave this package.
 */
public final class SipSignaling implements SipListenerExt {
    /** RFC 4028 §4 recommended minimum session interval. */
    public static final int MIN_SESSION_EXPIRES_S = SessionTimer.MIN_SESSION_EXPIRES_S;
    /** Largest SIP message accepted over TCP/TLS (jain-sip's stream framing limit). */
    public static final int MAX_MESSAGE_SIZE = JainSipStack.MAX_MESSAGE_SIZE;
    /** Methods the gateway implements, for Allow headers and 405 responses. */
    public static final String ALLOWED_METHODS = SipResponses.ALLOWED_METHODS;

    private static final Logger LOG = LoggerFactory.getLogger(SipSignaling.class);
    /** Option tags the gateway implements, for Require (RFC 3261 §8.2.2.3). */
    private static final Set<String> SUPPORTED_OPTIONS = Set.of("timer", ReliableProvisionalResponses.OPTION_TAG);
    /** Timer threads at least: one peer whose connect hangs must leave another thread for every other call. */
    private static final int MIN_TIMER_THREADS = 2;
    /** How often connections are checked against the read deadline. */
    private static final long SWEEP_INTERVAL_MS = 1_000;

    private final SignalingConfig config;
    private final SipCallHandler handler;
    private final SecureRandom random = new SecureRandom();
    private final DigestAuthenticator digest;
    private final SipCounters counters;
    private final Dialogs dialogs;
    private final SourceGate gate;
    private final SourceRateLimiter inviteLimiter;
    private final SourceRateLimiter errorLimiter;
    /** The unit of one session-timer millisecond: real milliseconds, or microseconds in tests (1000 times faster). */
    private final TimeUnit sessionTimerMilliUnit;
    private volatile boolean draining;
    private ScheduledExecutorService timers;
    private JainSipStack stack;
    private SipResponses responses;
    private InviteHandler invites;
    private DialogRequests inDialog;
    private SessionModification modifications;
    private OptionsHandler options;
    private ReliableProvisionalResponses provisionals;
    private ReferTransfers transfers;

    /**
     * Signalling for one edge.
     *
     * @param config  validated settings
     * @param handler the edge
     */
    public SipSignaling(final SignalingConfig config, final SipCallHandler handler) {
        this(config, handler, new SipCounters());
    }

    /** As above, counting into {@code counters} (the edge keeps them across restarts for {@code /metrics}). */
    public SipSignaling(final SignalingConfig config, final SipCallHandler handler, final SipCounters counters) {
        this(config, handler, TimeUnit.MILLISECONDS, counters);
    }

    /** As above, with RFC 4028 intervals counted in {@code sessionTimerMilliUnit} instead of ms (tests run them fast). */
    SipSignaling(final SignalingConfig config, final SipCallHandler handler, final TimeUnit sessionTimerMilliUnit) {
        this(config, handler, sessionTimerMilliUnit, new SipCounters());
    }

    private SipSignaling(final SignalingConfig config, final SipCallHandler handler, final TimeUnit sessionTimerMilliUnit,
                         final SipCounters counters) {
        this.config = config;
        this.counters = counters;
        this.handler = handler;
        this.sessionTimerMilliUnit = sessionTimerMilliUnit;
        this.dialogs = new Dialogs(handler, counters);
        this.gate = new SourceGate(config.allowList, config.policy, counters);
        this.inviteLimiter = new SourceRateLimiter(config.policy.invitesPerSecond(), config.policy.inviteBurst());
        this.errorLimiter = new SourceRateLimiter(config.policy.errorsPerSecond(), config.policy.errorBurst());
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
        final JainSipStack s = new JainSipStack(config, gate);
        s.start(this);
        stack = s;
        final AtomicInteger timerThreads = new AtomicInteger();
        final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(Math.max(MIN_TIMER_THREADS,
            config.threadPoolSize), r -> {
                final Thread t = new Thread(r, "voxgate-sip-timers-" + timerThreads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        // Session, answer and PRACK timers are cancelled far more often than they fire.
        pool.setRemoveOnCancelPolicy(true);
        timers = pool;
        timers.scheduleWithFixedDelay(() -> gate.sweep(System.nanoTime()), SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS,
            TimeUnit.MILLISECONDS);
        responses = new SipResponses(s.messages(), s.headers(), s.provider(), counters, random, errorLimiter);
        dialogs.attach(s.provider(), s.headers());
        final AdvertisedAddress advertised = new AdvertisedAddress(config, s.addresses(), s.headers());
        modifications = new SessionModification(handler, dialogs, responses, advertised, s.provider());
        final SessionTimer sessionTimer = new SessionTimer(s.headers(), timers, sessionTimerMilliUnit,
            modifications::refresh, modifications::expire);
        modifications.sessionTimer(sessionTimer);
        provisionals = new ReliableProvisionalResponses(dialogs, responses, advertised, counters, timers,
            config.policy.timerT1Ms());
        invites = new InviteHandler(config, handler, dialogs, responses, sessionTimer, advertised, counters, digest,
            provisionals, timers, random);
        provisionals.answerWith(invites::answer);
        invites.draining(draining);
        inDialog = new DialogRequests(handler, dialogs, responses);
        transfers = new ReferTransfers(handler, dialogs, responses, advertised, s.provider(), timers,
            64L * config.policy.timerT1Ms());
        options = new OptionsHandler(responses, () -> !draining && config.policy.ready().getAsBoolean(),
            config.retryAfterSeconds);
        LOG.info("SIP signalling listening: {}", config);
    }

    /** Whether new INVITEs are refused with 503 (graceful drain); calls in progress are unaffected. */
    public void draining(final boolean draining) {
        this.draining = draining;
        final InviteHandler i = invites;
        if (i != null) {
            i.draining(draining);
        }
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
            stack.stop(this);
            stack = null;
        }
        dialogs.clear();
    }

    /**
     * Hangs up a call from the edge's side (agent hang-up, media timeout, drain): BYE once confirmed (after the
     * ACK when it has not come yet, RFC 3261 §15), or a final error response before the answer. Safe on any
     * thread; the work runs on a signalling timer thread.
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
        final DialogCall call = dialogs.byCallId(callId);
        if (call == null) {
            return;
        }
        synchronized (call) {
            switch (call.state) {
                case ADMITTING:
                case PROCEEDING:
                    responses.respond(call.inviteTransaction, statusIfUnanswered, call.toTag, null);
                    dialogs.forget(call);
                    break;
                case ANSWERED:
                    call.byeOnAck = true;
                    call.byeReason = reason;
                    break;
                case CONFIRMED:
                    dialogs.sendBye(call, reason);
                    dialogs.forget(call);
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * Reads a PEM certificate chain and its key and makes the TLS listener present them from the next handshake on;
     * established connections, and the calls on them, keep theirs. Counted either way
     * ({@link SipCounters#tlsCertificatesLoaded}, {@link SipCounters#tlsCertificatesRefused}).
     *
     * @throws IllegalStateException    when signalling is not running with TLS
     * @throws IllegalArgumentException naming the option whose file is unreadable, not PEM, or not of the other's pair
     *                                  (the certificate in use then stays)
     */
    public synchronized void reloadTlsCertificate(final Path certificatePem, final Path privateKeyPem) {
        if (stack == null || !config.transports.contains("tls")) {
            throw new IllegalStateException("SIP over TLS is not running");
        }
        final char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        try {
            stack.tlsKeys().load(TlsKeyStore.keyStore(certificatePem, privateKeyPem, password), password);
        } catch (final IllegalArgumentException ex) {
            counters.tlsCertificateRefused();
            throw ex;
        } catch (final GeneralSecurityException ex) {
            counters.tlsCertificateRefused();
            throw new IllegalArgumentException("--sip-tls-cert " + certificatePem + " and --sip-tls-key " + privateKeyPem
                + " cannot be used: " + ex.getMessage(), ex);
        }
        counters.tlsCertificateLoaded();
    }

    /**
     * Watches the certificate and key files and reloads them when they changed and load as a pair
     * ({@link TlsFilesWatch}), every {@code intervalMs} on a signalling timer thread.
     *
     * @throws IllegalStateException when signalling is not running with TLS
     */
    public synchronized void watchTlsCertificate(final Path certificatePem, final Path privateKeyPem, final long intervalMs) {
        if (stack == null || !config.transports.contains("tls")) {
            throw new IllegalStateException("SIP over TLS is not running");
        }
        final TlsFilesWatch watch = new TlsFilesWatch(certificatePem, privateKeyPem,
            () -> reloadTlsCertificate(certificatePem, privateKeyPem));
        timers.scheduleWithFixedDelay(watch::poll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Transfers the call by REFER (RFC 3515) to {@code request}'s target; how it goes reaches the handler's
     * {@link SipCallHandler#onTransferProgress}, at the latest 64*T1 after the REFER. Safe on any thread; the work runs
     * on a signalling timer thread.
     */
    public void refer(final String callId, final TransferRequest request) {
        final ScheduledExecutorService t = timers;
        if (t == null) {
            handler.onTransferProgress(callId, request.id(), TransferState.NOT_POSSIBLE,
                "SIP signalling is stopped");
            return;
        }
        t.execute(() -> transfers.refer(callId, request));
    }

    /** Calls with signalling state. */
    public int activeDialogs() {
        return dialogs.size();
    }

    /** Refusals by reason and responses by status code. */
    public SipCounters counters() {
        return counters;
    }

    /** Requests refused because their source is not allowed. */
    public long requestsRejectedSource() {
        return counters.rejected(RejectReason.SOURCE_NOT_ALLOWED);
    }

    /** INVITEs refused for failed digest authentication (challenges included). */
    public long requestsRejectedAuth() {
        return counters.rejected(RejectReason.AUTHENTICATION);
    }

    /** INVITEs refused by admission (full, draining, out of ports). */
    public long invitesRejectedBusy() {
        return counters.rejected(RejectReason.BUSY);
    }

    /** INVITEs refused with 488 (no codec in common). */
    public long invitesRejectedCodec() {
        return counters.rejected(RejectReason.MEDIA);
    }

    /** Requests whose handling failed inside the gateway (answered 500). */
    public long requestsFailed() {
        return counters.failures();
    }

    // ---------------------------------------------------------------- jain-sip listener

    @Override
    public void processRequest(final RequestEvent event) {
        final Request request = event.getRequest();
        try {
            final InetAddress source = SipRequests.sourceAddress(request);
            final String method = request.getMethod();
            if (!gate.admitsRequestFrom(source)) {
                // The valve drops these first; nothing from outside the allow list is ever answered.
                return;
            }
            final boolean outOfDialog = SipRequests.toTag(request) == null;
            final long nowNs = System.nanoTime();
            if (outOfDialog && !Request.ACK.equals(method) && !errorLimiter.hasToken(source, nowNs)) {
                // The source has spent its error budget (a cracker, a scanner): it is ignored until the bucket refills.
                counters.reject(RejectReason.ERROR_BUDGET_SPENT);
                return;
            }
            if (Request.INVITE.equals(method) && outOfDialog && !inviteLimiter.tryTake(source, nowNs)) {
                counters.reject(RejectReason.RATE_LIMITED);
                return;
            }
            if (VersionCheckingParserFactory.hasUnsupportedVersion(request)) {
                // RFC 3261 §8.2.2.1 / RFC 4475 §3.1.2.16: only SIP/2.0 is spoken; an ACK gets no answer.
                counters.reject(RejectReason.VERSION);
                if (!Request.ACK.equals(method)) {
                    responses.respondStateless(request, Response.VERSION_NOT_SUPPORTED);
                }
                return;
            }
            if (!Request.ACK.equals(method) && !Request.CANCEL.equals(method) && refusedExtensions(event)) {
                return;
            }
            switch (request.getMethod()) {
                case Request.INVITE:
                    if (outOfDialog) {
                        invites.onInvite(event, source);
                    } else {
                        modifications.onReInvite(event);
                    }
                    break;
                case Request.ACK:
                    inDialog.onAck(event);
                    break;
                case Request.BYE:
                    inDialog.onBye(event);
                    break;
                case Request.CANCEL:
                    inDialog.onCancel(event);
                    break;
                case Request.OPTIONS:
                    options.onOptions(event);
                    break;
                case Request.UPDATE:
                    modifications.onUpdate(event);
                    break;
                case Request.PRACK:
                    provisionals.onPrack(event);
                    break;
                case Request.NOTIFY:
                    transfers.onNotify(event);
                    break;
                default:
                    counters.reject(RejectReason.METHOD);
                    final ServerTransaction st = responses.transactionFor(event);
                    final Response r = responses.create(request, Response.METHOD_NOT_ALLOWED, null);
                    responses.addAllow(r);
                    responses.send(st, request, r);
                    break;
            }
        } catch (final ParseException | RuntimeException ex) {
            counters.failed();
            LOG.warn("SIP {} failed: {}", request.getMethod(), ex.toString());
            if (!Request.ACK.equals(request.getMethod())) {
                responses.respondStateless(request, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    /** 420 with Unsupported when Require lists options the gateway lacks (RFC 3261 §8.2.2.3); true when refused. */
    private boolean refusedExtensions(final RequestEvent event) throws ParseException {
        final Request request = event.getRequest();
        final ListIterator<?> required = request.getHeaders(RequireHeader.NAME);
        final List<String> unsupported = new ArrayList<>();
        while (required != null && required.hasNext()) {
            final Object h = required.next();
            if (h instanceof RequireHeader) {
                final String tag = ((RequireHeader) h).getOptionTag();
                if (tag != null && !SUPPORTED_OPTIONS.contains(tag.toLowerCase(Locale.ROOT))) {
                    unsupported.add(tag);
                }
            }
        }
        if (unsupported.isEmpty()) {
            return false;
        }
        counters.reject(RejectReason.UNSUPPORTED_EXTENSION);
        final Response r = responses.create(request, Response.BAD_EXTENSION, null);
        for (final String tag : unsupported) {
            r.addHeader(responses.headers().createUnsupportedHeader(tag));
        }
        responses.send(responses.transactionFor(event), request, r);
        return true;
    }

    @Override
    public void processResponse(final ResponseEvent event) {
        final CSeqHeader cseq = (CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME);
        if (cseq != null && Request.REFER.equals(cseq.getMethod())) {
            transfers.onResponse(event);
        } else {
            modifications.onResponse(event);
        }
    }

    @Override
    public void processTimeout(final TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            final Request request = event.getClientTransaction().getRequest();
            if (Request.REFER.equals(request.getMethod())) {
                transfers.onTimeout(request);
            } else {
                modifications.onTimeout(request);
            }
        }
    }

    @Override
    public void processDialogTimeout(final DialogTimeoutEvent event) {
        final Dialog dialog = event.getDialog();
        if (dialog == null) {
            return;
        }
        final DialogCall call = dialogs.byCallId(dialog.getCallId().getCallId());
        if (call != null && event.getReason() == DialogTimeoutEvent.Reason.AckNotReceived) {
            synchronized (call) {
                LOG.info("SIP call {}: no ACK for the 200 OK", call.callId);
                call.state = DialogCall.State.CONFIRMED;
                dialogs.endFromSignalling(call, "no ACK");
            }
        }
    }

    @Override
    public void processIOException(final IOExceptionEvent event) {
        LOG.debug("SIP transport error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(final TransactionTerminatedEvent event) {
        // Transactions end by themselves; calls are tracked by dialog.
    }

    @Override
    public void processDialogTerminated(final DialogTerminatedEvent event) {
        // Calls end through BYE, CANCEL or timers, which already forgot them.
    }
}

package io.voxgate.sip;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.voxgate.core.call.CallAdmission;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.sip.call.SipCall;
import io.voxgate.sip.call.SipCallCommand;
import io.voxgate.sip.call.SipCallEndListener;
import io.voxgate.sip.dtmf.DtmfEvents;
import io.voxgate.sip.rtp.RtpPortAllocator;
import io.voxgate.sip.rtp.RtpSendStage;
import io.voxgate.sip.rtp.RtpTotals;
import io.voxgate.sip.rtp.RtpTransport;
import io.voxgate.sip.sdp.NegotiatedMedia;
import io.voxgate.sip.signaling.Admission;
import io.voxgate.sip.signaling.InboundCall;
import io.voxgate.sip.signaling.SignalingConfig;
import io.voxgate.sip.signaling.SipCallHandler;
import io.voxgate.sip.signaling.SipCounters;
import io.voxgate.sip.signaling.SipSignaling;
import io.voxgate.sip.signaling.TlsKeyStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP trunk edge: terminates inbound calls from Twilio Elastic SIP Trunking and other carriers, answers
 * them per RFC 3264 and carries their G.711 RTP to a call session each.
 *
 * <p>Lifecycle: {@link #start()} once (binds the SIP listeners on the node's media loops), {@link #drain()} to
 * refuse new calls while current ones finish, {@link #stop()} to hang every call up (BYE) and release
 * everything; {@link #close()} is {@link #stop()}.
 *
 * <p>Threading: the public methods are safe on any thread. Each call lives on one media event loop; jain-sip
 * threads reach it only through its command ring. Calls are opened through the node's {@link CallOpener} and
 * ticked by their loop's {@link io.voxgate.core.tick.LoopTicker}, both shared with the Twilio edge, so one loop
 * carries calls of both edges. See {@link SipCall} for the per-call media path and
 * {@link SipSignaling} for signalling.
 */
public final class SipEdge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipEdge.class);
    private static final long STOP_GRACE_MS = 2_000;
    private static final int BIND_ATTEMPTS = 4;

    private final SipEdgeConfig config;
    /** The edge name calls and agents see ({@link io.voxgate.core.agent.AgentCall#edge()}). */
    public static final String EDGE = "sip";

    private final CallOpener opener;
    private final LoopTickers tickers;
    private final EventLoopGroup mediaLoops;
    private final NanoClock clock;
    private final Map<String, SipCall> calls = new ConcurrentHashMap<>();
    private final AtomicLong callsAdmitted = new AtomicLong();
    private final AtomicLong callsRefusedFull = new AtomicLong();
    private final AtomicLong callsRefusedNoPorts = new AtomicLong();
    private final AtomicLong callsEnded = new AtomicLong();
    private final RtpTotals rtpTotals = new RtpTotals();
    private final SipCounters signalingCounters = new SipCounters();
    private final Object endedSignal = new Object();
    private RtpPortAllocator ports;
    private RtpTransport transport;
    /** The media loops, fixed at start; calls are spread over them round-robin. */
    private EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private SipSignaling signaling;
    private InetAddress rtpBindAddress;
    private volatile boolean stopping;

    /**
     * An edge whose calls are opened by {@code opener} and whose media runs on {@code mediaLoops}.
     *
     * @param config     validated settings
     * @param opener     the node's call opener, shared with the other edges ({@code --max-calls})
     * @param tickers    the node's per-loop media clocks, shared with the other edges
     * @param mediaLoops the node's media event loops (not owned: the launcher shuts them down)
     */
    public SipEdge(final SipEdgeConfig config, final CallOpener opener, final LoopTickers tickers,
                   final EventLoopGroup mediaLoops) {
        this.config = config;
        // RTP buffers nothing at the far end, so the pacer must release exactly one frame per 20 ms tick (lead 0).
        this.opener = opener.forEdge(EDGE, sessions -> sessions.withOutboundLeadMs(0));
        this.tickers = tickers;
        this.mediaLoops = mediaLoops;
        this.clock = opener.clock();
    }

    /**
     * Binds the SIP listeners and starts the media event loops.
     *
     * @throws IllegalStateException naming the option when a listener cannot start (port in use, TLS files)
     */
    public synchronized void start() {
        if (signaling != null) {
            throw new IllegalStateException("SIP edge already started");
        }
        try {
            rtpBindAddress = InetAddress.getByName(config.bindAddress());
        } catch (final UnknownHostException ex) {
            throw new IllegalStateException("--bind " + config.bindAddress() + " is not an address", ex);
        }
        ports = new RtpPortAllocator(config.rtpPortLow(), config.rtpPortHigh(), config.portQuarantineMs() * 1_000_000L);
        Path keyStore = null;
        char[] keyStorePassword = null;
        if (config.transports().contains("tls")) {
            keyStorePassword = randomPassword();
            keyStore = TlsKeyStore.buildPkcs12(config.tlsCertificate(), config.tlsPrivateKey(), keyStorePassword);
        }
        transport = new RtpTransport(mediaLoops);
        loops = transport.loops().toArray(EventLoop[]::new);
        signaling = new SipSignaling(new SignalingConfig(config.bindAddress(), config.sipPort(), config.transports(),
            config.tlsPort(), keyStore, keyStorePassword, config.externalIp(), config.allowList(), config.digestRealm(),
            config.digestUser(), config.digestPassword(), config.answerDelayMs(), config.retryAfterSeconds(),
            config.sipThreads(), config.policy(), config.messageMirror()), new Handler(), signalingCounters);
        try {
            signaling.start();
        } catch (final IllegalStateException ex) {
            signaling = null;
            throw ex;
        } finally {
            if (keyStore != null) {
                deleteQuietly(keyStore);
            }
        }
        if (config.transports().contains("tls") && config.tlsWatchIntervalMs() > 0) {
            signaling.watchTlsCertificate(config.tlsCertificate(), config.tlsPrivateKey(), config.tlsWatchIntervalMs());
        }
        LOG.info("SIP edge started: {} (media on {} {} loops)", config, loops.length,
            transport.label());
    }

    /** Refuses new calls (503 with Retry-After) while the calls in progress go on. */
    public void drain() {
        final SipSignaling s = signaling;
        if (s != null) {
            s.draining(true);
        }
    }

    /** Calls currently carried by this edge. */
    public int activeCalls() {
        return calls.size();
    }

    /**
     * Sends DTMF digits to the caller of {@code callId} as RFC 4733 events (100 ms each, three end packets): they
     * cross to the call's loop and take the same path as an agent's {@link io.voxgate.core.agent.AgentListener#onAgentDigits}
     * ({@code SipCall.sendDigits}). Any thread.
     *
     * @return false when no such call runs, its command ring is full, or {@code digits} is not 1 to
     *         {@link RtpSendStage#DIGIT_QUEUE_CAPACITY} characters of {@code 0-9 * # A-D}; true means handed to the
     *         call, whose send stage may still refuse (no telephone-event negotiated, queue full) and count it
     */
    public boolean sendDigits(final String callId, final String digits) {
        final SipCall call = calls.get(callId);
        return call != null && isDigits(digits)
            && call.proxy().offer(SipCallCommand.digits(digits));
    }

    private static boolean isDigits(final String digits) {
        if (digits == null || digits.isEmpty() || digits.length() > RtpSendStage.DIGIT_QUEUE_CAPACITY) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (DtmfEvents.eventOf(digits.charAt(i)) == DtmfEvents.NO_EVENT) {
                return false;
            }
        }
        return true;
    }

    /** Calls admitted since start. */
    public long callsAdmitted() {
        return callsAdmitted.get();
    }

    /** Calls refused because the node was full or draining. */
    public long callsRefusedFull() {
        return callsRefusedFull.get();
    }

    /** Calls refused because no RTP port pair was free. */
    public long callsRefusedNoPorts() {
        return callsRefusedNoPorts.get();
    }

    /** Calls ended since start. */
    public long callsEnded() {
        return callsEnded.get();
    }

    /** Signalling refusals by reason and responses by status code, for {@code /metrics}. */
    public SipCounters signalingCounters() {
        return signalingCounters;
    }

    /** RTP and jitter buffer figures of the calls that have ended, for {@code /metrics}. */
    public RtpTotals rtpTotals() {
        return rtpTotals;
    }

    /**
     * Hangs up every call (BYE), waits up to two seconds for them to end, then stops the listeners (the media loops
     * are the launcher's). Idempotent.
     */
    public synchronized void stop() {
        if (signaling == null || stopping) {
            return;
        }
        stopping = true;
        signaling.draining(true);
        for (final SipCall call : calls.values()) {
            call.proxy().offer(SipCallCommand.hangUp("gateway stopping"));
        }
        final long deadlineNs = System.nanoTime() + STOP_GRACE_MS * 1_000_000L;
        synchronized (endedSignal) {
            long leftNs;
            while (!calls.isEmpty() && (leftNs = deadlineNs - System.nanoTime()) > 0) {
                try {
                    endedSignal.wait(Math.max(1, leftNs / 1_000_000L));
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        signaling.stop();
        signaling = null;
        LOG.info("SIP edge stopped ({} calls left unfinished)", calls.size());
        calls.clear();
    }

    @Override
    public void close() {
        stop();
    }

    /** RTP port pairs currently taken (admitting or carrying a call), for tests. */
    int rtpPortsInUse() {
        return ports.inUse();
    }

    /** The call with {@code callId}, for tests. */
    SipCall call(final String callId) {
        return calls.get(callId);
    }

    /** What a call tells the edge: its end (teardown, on its loop) and its REFER. */
    private final SipCallEndListener callEnds = new SipCallEndListener() {
        @Override
        public void onCallEnded(final SipCall call, final String reason, final boolean signalHangUp, final long nowNs) {
            callEnded(call, reason, signalHangUp, nowNs);
        }

        @Override
        public boolean refer(final SipCall call, final TransferRequest request) {
            final SipSignaling s = signaling;
            if (s == null || stopping) {
                return false;
            }
            s.refer(call.callId(), request);
            return true;
        }
    };

    /** Called by a call's teardown on its loop. */
    private void callEnded(final SipCall call, final String reason, final boolean signalHangUp, final long nowNs) {
        ports.release(call.rtpPort(), nowNs);
        if (calls.remove(call.callId(), call)) {
            callsEnded.incrementAndGet();
        }
        final SipSignaling s = signaling;
        if (signalHangUp && s != null) {
            s.hangUp(call.callId(), reason, stopping ? 503 : 480);
        }
        synchronized (endedSignal) {
            endedSignal.notifyAll();
        }
    }

    /**
     * Reads {@code --sip-tls-cert} and {@code --sip-tls-key} again and makes the TLS listener present them from the next
     * handshake on (SIGHUP; a change on disk is also picked up by itself, see {@link SipEdgeConfig#tlsWatchIntervalMs});
     * calls in progress keep their connections.
     *
     * @throws IllegalStateException when TLS is not running
     * @throws IllegalArgumentException naming the option whose file is unreadable or does not match (the certificate in
     *                                  use then stays)
     */
    public void reloadTlsCertificate() {
        final SipSignaling running;
        synchronized (this) {
            running = signaling;
        }
        if (running == null || !config.transports().contains("tls")) {
            throw new IllegalStateException("SIP over TLS is not running");
        }
        running.reloadTlsCertificate(config.tlsCertificate(), config.tlsPrivateKey());
        LOG.info("SIP TLS certificate reloaded from {}", config.tlsCertificate());
    }

    private static char[] randomPassword() {
        final SecureRandom random = new SecureRandom();
        final char[] password = new char[32];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        return password;
    }

    private static void deleteQuietly(final Path file) {
        // jain-sip has read the key store into memory by now; the file should not outlive startup.
        try {
            Files.deleteIfExists(file);
        } catch (final IOException ex) {
            LOG.debug("TLS key store {} could not be deleted: {}", file, ex.toString());
        }
    }

    /**
     * Signalling's view of the edge. {@link #admit} is called on a jain-sip thread and returns at once; the
     * admission itself runs on the new call's media loop (see {@link #tryPort}); the other methods cross into a
     * call through its command ring.
     */
    private final class Handler implements SipCallHandler {

        @Override
        public CompletionStage<Admission> admit(final InboundCall inbound) {
            if (stopping) {
                return CompletableFuture.completedFuture(Admission.reject(503, config.retryAfterSeconds(), "stopping"));
            }
            final CompletableFuture<Admission> outcome = new CompletableFuture<>();
            final EventLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
            try {
                loop.execute(() -> tryPort(inbound, loop, 0, outcome));
            } catch (final RejectedExecutionException ex) {
                outcome.complete(Admission.reject(503, config.retryAfterSeconds(), "stopping"));
            }
            return outcome;
        }

        /**
         * Admission on the call's loop, one step per bind outcome: a port pair, both sockets bound, then the session
         * opened; up to {@value #BIND_ATTEMPTS} pairs when another process holds a port. Nothing here waits.
         */
        private void tryPort(final InboundCall inbound, final EventLoop loop, final int attempt,
                             final CompletableFuture<Admission> outcome) {
            if (stopping) {
                outcome.complete(Admission.reject(503, config.retryAfterSeconds(), "stopping"));
                return;
            }
            if (attempt == BIND_ATTEMPTS) {
                callsRefusedNoPorts.incrementAndGet();
                outcome.complete(Admission.reject(503, config.retryAfterSeconds(), "RTP ports cannot be bound"));
                return;
            }
            final int port = ports.allocate(clock.nanoTime());
            if (port == RtpPortAllocator.NO_PORT) {
                callsRefusedNoPorts.incrementAndGet();
                outcome.complete(Admission.reject(503, config.retryAfterSeconds(), "no RTP ports free"));
                return;
            }
            final SipCall call = new SipCall(inbound.callId(), loop, tickers.tickerOf(loop), port, callEnds,
                rtpTotals, config, inbound.callerFormat(), clock);
            call.bind(transport, rtpBindAddress, bound -> {
                if (bound) {
                    openSession(inbound, call, outcome);
                } else {
                    LOG.warn("RTP port {} or {} is taken by another process; trying another pair", port, port + 1);
                    ports.release(port, clock.nanoTime());
                    tryPort(inbound, loop, attempt + 1, outcome);
                }
            });
        }

        private void openSession(final InboundCall inbound, final SipCall call, final CompletableFuture<Admission> outcome) {
            final CallAdmission admission;
            try {
                admission = opener.open(inbound.callId(), inbound.metadata(), inbound.callerFormat(), call, call.loop(),
                    clock.nanoTime());
            } catch (final RuntimeException ex) {
                LOG.warn("SIP call {}: session could not be opened: {}", inbound.callId(), ex.toString());
                release(call);
                outcome.complete(Admission.reject(500, 0, "session failed"));
                return;
            }
            if (!admission.accepted()) {
                release(call);
                callsRefusedFull.incrementAndGet();
                if (admission.verdict() == CallAdmission.Verdict.DUPLICATE) {
                    outcome.complete(Admission.reject(482, 0, "duplicate call"));
                } else {
                    outcome.complete(Admission.reject(503, config.retryAfterSeconds(),
                        admission.verdict() == CallAdmission.Verdict.FULL ? "full" : "draining"));
                }
                return;
            }
            call.session(admission.session());
            calls.put(inbound.callId(), call);
            callsAdmitted.incrementAndGet();
            if (stopping) {
                // stop() may have swept the calls before this one was published: hang it up like the others.
                call.proxy().offer(SipCallCommand.hangUp("gateway stopping"));
            }
            outcome.complete(Admission.accept(call.rtpPort()));
        }

        /** Undoes the binds and the port of a call that was never published. */
        private void release(final SipCall call) {
            call.closeSockets();
            ports.release(call.rtpPort(), clock.nanoTime());
        }

        @Override
        public void onAnswered(final String callId, final NegotiatedMedia media) {
            command(callId, SipCallCommand.answered(media));
        }

        @Override
        public void onMediaChanged(final String callId, final NegotiatedMedia media) {
            command(callId, SipCallCommand.mediaChanged(media));
        }

        @Override
        public void onTransferProgress(final String callId, final String transferId, final TransferState state,
                                       final String detail) {
            command(callId, SipCallCommand.transferProgress(transferId, state, detail));
        }

        @Override
        public void onEnded(final String callId, final String reason) {
            command(callId, SipCallCommand.ended(reason));
        }

        private void command(final String callId, final SipCallCommand command) {
            final SipCall call = calls.get(callId);
            if (call != null && !call.proxy().offer(command)) {
                LOG.warn("SIP call {}: command {} refused (ring full)", callId, command);
            }
        }
    }
}

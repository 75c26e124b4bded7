package io.voxgate.benchmarks.load.sip;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;
import io.voxgate.websocket.http.EventLoopTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A SIP user agent client with its own RTP endpoints, for load: places calls on a gateway's SIP port over UDP on
 * loopback with hand-built RFC 3261 messages (see {@link SipRequests}), streams a PCMU tone to each answered call,
 * pairs the echoed frames with the sent ones and hangs up after the hold time. A cheap peer on purpose: plain
 * Netty UDP (native epoll where available), one socket for all signalling, one per call for RTP, and one periodic
 * send task per event loop ({@link MediaLoop}).
 *
 * <p>Transactions over UDP (§17.1): the INVITE is retransmitted per Timer A (from T1 = 500 ms, doubling) until a
 * response arrives or Timer B (64 x T1) fires; the BYE per Timer E (doubling, capped at T2 = 4 s) until a final
 * response or Timer F (64 x T1). A retransmitted 2xx gets the ACK again. A non-2xx final response (503, 486, ...)
 * is ACKed and ends the call as a failure carrying the status. A BYE from the gateway is answered 200 and ends
 * the call (a failure too: the UAC is the one that hangs up in a load run).
 *
 * <p>Threading: {@link #place} from one control thread; signalling runs on one event loop (the first), each call's
 * media on one loop (round-robin). Lifecycle: {@link #close} stops the loops; calls still running are abandoned.
 */
public final class SipLoadClient implements AutoCloseable {
    private static final long T1_NS = 500_000_000L;
    private static final long T2_NS = 4_000_000_000L;
    private static final long TIMER_B_NS = 64 * T1_NS;
    private static final long TIMER_SCAN_MS = 50;
    private static final int SIP_RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final int DATAGRAM_BYTES = 16 * 1024;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelClass;
    private final EventLoopTransport transport;
    private final MediaLoop[] loops;
    private final EventLoop sipLoop;
    private final Channel sip;
    private final InetSocketAddress gateway;
    private final String requestUri;
    private final String local;
    private final PcmuTone tone;
    /** The suite every call offers, or null for plain RTP. */
    private final SrtpCryptoSuite srtpSuite;
    private final SecureRandom keys = new SecureRandom();
    private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private final Map<String, SipLoadCall> calls = new HashMap<>();
    private final Set<SipLoadCall> pending = new HashSet<>();
    private final AtomicInteger inMedia = new AtomicInteger();
    private final AtomicLong strayMessages = new AtomicLong();
    private long branches;
    private long placed;

    /**
     * Starts the loops and binds the signalling socket on 127.0.0.1.
     *
     * @param gatewaySip the gateway's SIP address (UDP)
     * @param threads    event loops, 1..64
     * @param tone       what every caller plays
     */
    public SipLoadClient(final InetSocketAddress gatewaySip, final int threads, final PcmuTone tone) {
        this(gatewaySip, threads, tone, null);
    }

    /**
     * As above; with an {@code srtpSuite} every call offers RTP/SAVP with its own SDES key in that suite and carries
     * SRTP both ways (null: plain RTP).
     */
    public SipLoadClient(final InetSocketAddress gatewaySip, final int threads, final PcmuTone tone,
                         final SrtpCryptoSuite srtpSuite) {
        this.srtpSuite = srtpSuite;
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be in 1..64, was " + threads);
        }
        this.gateway = gatewaySip;
        this.tone = tone;
        this.transport = EventLoopTransport.detect();
        group = transport.newGroup(threads, "sip-load");
        channelClass = transport.datagramChannelClass();
        loops = new MediaLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new MediaLoop(group.next(), tone.amplitude());
            loops[i].start();
        }
        sipLoop = loops[0].loop;
        sip = new Bootstrap().group(sipLoop).channel(channelClass)
            .option(ChannelOption.SO_RCVBUF, SIP_RECEIVE_BUFFER_BYTES)
            .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BYTES))
            .handler(new SipHandler()).bind(LOOPBACK, 0).syncUninterruptibly().channel();
        local = LOOPBACK.getHostAddress() + ":" + ((InetSocketAddress) sip.localAddress()).getPort();
        requestUri = "sip:echo@" + gatewaySip.getHostString() + ":" + gatewaySip.getPort();
        sipLoop.scheduleAtFixedRate(this::scanTimers, TIMER_SCAN_MS, TIMER_SCAN_MS, TimeUnit.MILLISECONDS);
    }

    /** The client's transport: epoll where available, NIO otherwise. */
    public EventLoopTransport transport() {
        return transport;
    }

    /**
     * Places one call: binds its RTP socket, then sends the INVITE (control thread).
     *
     * @param toneFrames 20 ms tone frames to send once answered
     * @param tailFrames silence frames after them, before the BYE
     * @return completes on the call's media loop when the call is over, however it ended
     */
    public CompletableFuture<SipCallOutcome> place(final int toneFrames, final int tailFrames) {
        final long n = placed++;
        final MediaLoop media = loops[(int) (n % loops.length)];
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final SipLoadCall call = new SipLoadCall(this, media, "load-" + runId + "-" + n + "@" + LOOPBACK.getHostAddress(),
            Long.toHexString(random.nextLong() >>> 16) + n, SipRequests.BRANCH_COOKIE + runId + "i" + n, toneFrames, tailFrames, tone,
            random.nextInt(), random.nextInt(1 << 16), random.nextInt());
        if (srtpSuite != null) {
            call.localKey = SrtpMasterKey.generate(keys).forSuite(srtpSuite);
        }
        final ChannelFuture bind = new Bootstrap().group(media.loop).channel(channelClass).handler(new RtpHandler(call))
            .bind(LOOPBACK, 0).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            call.error = "RTP socket: " + bind.cause();
            media.loop.execute(call::finish);
            return call.outcome;
        }
        call.rtp = bind.channel();
        call.rtpPort = ((InetSocketAddress) call.rtp.localAddress()).getPort();
        sipLoop.execute(() -> sendInvite(call));
        return call.outcome;
    }

    /** Calls answered whose media has not ended yet. */
    public int activeMediaCalls() {
        return inMedia.get();
    }

    /** SIP messages that matched no call or could not be parsed. */
    public long strayMessages() {
        return strayMessages.get();
    }

    /** Round trips of every paired echo since start or the last {@link #resetFigures}, µs (merged from every loop). */
    public Histogram roundTripUs() throws InterruptedException {
        return merged(0);
    }

    /** How late each frame left against its 20 ms slot, µs. */
    public Histogram sendLagUs() throws InterruptedException {
        return merged(1);
    }

    private Histogram merged(final int which) throws InterruptedException {
        final Histogram total = new Histogram(3);
        for (final MediaLoop m : loops) {
            try {
                total.add(m.loop.submit(m::copyFigures).get(10, TimeUnit.SECONDS)[which]);
            } catch (final ExecutionException | java.util.concurrent.TimeoutException ex) {
                throw new IllegalStateException("media loop did not answer", ex);
            }
        }
        return total;
    }

    /** Forgets the latency figures (after a warm-up). */
    public void resetFigures() throws InterruptedException {
        for (final MediaLoop m : loops) {
            try {
                m.loop.submit(m::resetFigures).get(10, TimeUnit.SECONDS);
            } catch (final ExecutionException | java.util.concurrent.TimeoutException ex) {
                throw new IllegalStateException("media loop did not answer", ex);
            }
        }
    }

    void mediaStarted() {
        inMedia.incrementAndGet();
    }

    void mediaEnded() {
        inMedia.decrementAndGet();
    }

    /** The call sent its last frame: hang up (from its media loop). */
    void mediaDone(final SipLoadCall call) {
        sipLoop.execute(() -> sendBye(call));
    }

    // ------------------------------------------------------------ signalling loop

    private String newBranch() {
        return SipRequests.BRANCH_COOKIE + runId + "b" + branches++;
    }

    private void send(final String message) {
        sip.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8), gateway), sip.voidPromise());
    }

    private void sendInvite(final SipLoadCall call) {
        final long nowNs = System.nanoTime();
        call.inviteText = SipRequests.invite(requestUri, local, call.inviteBranch, call.callId, call.fromTag,
            SipRequests.offer(LOOPBACK.getHostAddress(), call.rtpPort, nowNs & 0xFFFF_FFFFL, srtpSuite, call.localKey));
        call.state = SipLoadCall.State.INVITING;
        call.inviteNs = nowNs;
        call.retransmitIntervalNs = T1_NS;
        call.retransmitAtNs = nowNs + T1_NS;
        calls.put(call.callId, call);
        pending.add(call);
        send(call.inviteText);
    }

    private void sendBye(final SipLoadCall call) {
        if (call.state != SipLoadCall.State.CONFIRMED) {
            return;
        }
        final long nowNs = System.nanoTime();
        call.byeText = SipRequests.bye(call.remoteTarget, local, newBranch(), call.callId, call.fromTag, call.to);
        call.state = SipLoadCall.State.BYE_SENT;
        call.byeSentNs = nowNs;
        call.retransmitIntervalNs = T1_NS;
        call.retransmitAtNs = nowNs + T1_NS;
        pending.add(call);
        send(call.byeText);
    }

    private void end(final SipLoadCall call) {
        call.state = SipLoadCall.State.ENDED;
        pending.remove(call);
        calls.remove(call.callId);
        call.media.loop.execute(call::finish);
    }

    private void onSip(final String text) {
        final long nowNs = System.nanoTime();
        final SipMessage message = SipMessage.parse(text);
        if (message == null) {
            strayMessages.incrementAndGet();
            return;
        }
        final SipLoadCall call = calls.get(message.callId());
        if (!message.response()) {
            onRequest(call, message);
        } else if (call == null) {
            strayMessages.incrementAndGet();
        } else if ("INVITE".equals(message.cseqMethod())) {
            onInviteResponse(call, message, nowNs);
        } else if ("BYE".equals(message.cseqMethod()) && message.status() >= 200 && call.state == SipLoadCall.State.BYE_SENT) {
            call.byeStatus = message.status();
            end(call);
        }
    }

    private void onInviteResponse(final SipLoadCall call, final SipMessage response, final long nowNs) {
        final int status = response.status();
        final boolean early = call.state == SipLoadCall.State.INVITING || call.state == SipLoadCall.State.PROCEEDING;
        if (status < 200) {
            if (call.state == SipLoadCall.State.INVITING) {
                call.state = SipLoadCall.State.PROCEEDING;
            }
            return;
        }
        if (status >= 300) {
            if (early) {
                call.status = status;
                call.error = status + " " + response.reason();
                send(SipRequests.ackForFailure(requestUri, local, call.inviteBranch, call.callId, call.fromTag, response.header("To")));
                end(call);
            }
            return;
        }
        if (!early) {
            if (call.ackText != null) {
                send(call.ackText);
            }
            return;
        }
        call.status = status;
        call.answeredNs = nowNs;
        call.to = response.header("To");
        final String contact = response.contactUri();
        call.remoteTarget = contact == null ? requestUri : contact;
        call.ackText = SipRequests.ackFor2xx(call.remoteTarget, local, newBranch(), call.callId, call.fromTag, call.to);
        send(call.ackText);
        call.state = SipLoadCall.State.CONFIRMED;
        pending.remove(call);
        final SdpAnswer answer = SdpAnswer.parse(response.body());
        if (answer == null || !answer.pcmu()) {
            call.error = "answer without PCMU: " + response.body().replace("\r\n", " ");
            sendBye(call);
            return;
        }
        if (srtpSuite != null && answer.crypto() == null) {
            call.error = "answer without a usable a=crypto";
            sendBye(call);
            return;
        }
        call.media.loop.execute(() -> call.startMedia(answer.rtp(), answer.crypto()));
    }

    private void onRequest(final SipLoadCall call, final SipMessage request) {
        switch (request.method()) {
            case "ACK":
                return;
            case "BYE":
                if (call == null) {
                    send(SipRequests.response(request, 481, "Call/Transaction Does Not Exist"));
                    return;
                }
                send(SipRequests.response(request, 200, "OK"));
                call.byeFromGateway = true;
                end(call);
                return;
            case "OPTIONS":
                send(SipRequests.response(request, 200, "OK"));
                return;
            default:
                send(SipRequests.response(request, 501, "Not Implemented"));
        }
    }

    private void scanTimers() {
        final long nowNs = System.nanoTime();
        final List<SipLoadCall> expired = new ArrayList<>();
        for (final SipLoadCall call : pending) {
            switch (call.state) {
                case INVITING:
                    if (nowNs - call.inviteNs >= TIMER_B_NS) {
                        call.error = "no response to INVITE (Timer B)";
                        expired.add(call);
                    } else if (nowNs - call.retransmitAtNs >= 0) {
                        send(call.inviteText);
                        call.retransmissions++;
                        call.retransmitIntervalNs *= 2;
                        call.retransmitAtNs = nowNs + call.retransmitIntervalNs;
                    }
                    break;
                case PROCEEDING:
                    if (nowNs - call.inviteNs >= TIMER_B_NS) {
                        call.error = "no final response to INVITE in " + TIMER_B_NS / 1_000_000_000L + " s";
                        expired.add(call);
                    }
                    break;
                case BYE_SENT:
                    if (nowNs - call.byeSentNs >= TIMER_B_NS) {
                        call.error = "no response to BYE (Timer F)";
                        expired.add(call);
                    } else if (nowNs - call.retransmitAtNs >= 0) {
                        send(call.byeText);
                        call.retransmissions++;
                        call.retransmitIntervalNs = Math.min(2 * call.retransmitIntervalNs, T2_NS);
                        call.retransmitAtNs = nowNs + call.retransmitIntervalNs;
                    }
                    break;
                default:
                    break;
            }
        }
        expired.forEach(this::end);
    }

    @Override
    public void close() {
        for (final MediaLoop m : loops) {
            m.stop();
        }
        sip.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Signalling datagrams in. */
    private final class SipHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet) {
            onSip(packet.content().toString(StandardCharsets.UTF_8));
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            strayMessages.incrementAndGet();
        }
    }

    /** One call's RTP datagrams in. */
    private static final class RtpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final SipLoadCall call;

        RtpHandler(final SipLoadCall call) {
            this.call = call;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet) {
            call.onRtp(packet, System.nanoTime());
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            // ICMP port unreachable once the gateway has closed its socket at hang-up: nothing to do.
        }
    }
}

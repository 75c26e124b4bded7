package io.voxgate.sip;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallerLeg;
import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.G711Transcoder;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.rtcp.RtcpReporter;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import io.voxgate.sip.rtp.NettyPacketSink;
import io.voxgate.sip.rtp.RtpPlayoutStage;
import io.voxgate.sip.rtp.RtpReceiveStage;
import io.voxgate.sip.rtp.RtpSendStage;
import io.voxgate.sip.rtp.RtpTotals;
import io.voxgate.sip.rtp.RtpTransport;
import io.voxgate.sip.sdp.NegotiatedMedia;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIP call's media, confined to the event loop that owns its RTP and RTCP sockets: the caller's leg of the
 * call session ({@link CallerLeg}), fed by the receive stage, the jitter buffer playout and RTCP, and driven by
 * a 20 ms tick on absolute deadlines that catches up a little lag and skips a large one ({@link PlayoutTickClock}).
 *
 * <p>Per tick: apply signalling commands (they arrive through {@link SipCallProxy}), play one caller frame out
 * of the jitter buffer into the session, let the session release at most one paced agent frame (it calls
 * {@link #sendToCaller}), finish the RTP tick (silence or DTMF when no audio went out), send RTCP when due,
 * and check the media timeout. The tick comes from the loop's {@link SipLoopTicker}, a fixed-rate timer shared by
 * the loop's calls, each call on one of its phases: Netty schedules each run at start + n x period, not at the end
 * of the previous run, so the packet clock does not drift. Each run asks the call's
 * {@link PlayoutTickClock} how many frames are due by the real clock: up to three run back to back, more are
 * skipped (counted as {@code ticksSkipped}) so a loop short of CPU never stays behind.
 *
 * <p>Threading: every method except construction runs on {@link #loop}. Ownership: audio
 * handed in is borrowed and copied once into the outgoing packet.
 */
final class SipCall extends LoopTicked implements CallerLeg, RtpReceiveStage.Listener, SipCallProxy.Handler {
    static final long TICK_NS = 20_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(SipCall.class);
    private static final int COMMAND_RING_CAPACITY = 64;
    private static final int DIGIT_DURATION_MS = 100;
    /** How often a running call adds its RTP figures to the node's totals: scrapes lag at most this much. */
    private static final long RTP_TOTALS_INTERVAL_NS = 1_000_000_000L;

    final String callId;
    final EventLoop loop;
    final int rtpPort;
    final SipCallProxy proxy;
    private final SipEdge edge;
    private final SipEdgeConfig config;
    private final AudioFormat sessionFormat;
    private final SipLoopTicker ticker;
    private final UnsafeBuffer rtcpScratch = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer transcoded = new UnsafeBuffer(new byte[RtpSendStage.MAX_PAYLOAD_LENGTH]);

    private Channel rtp;
    private Channel rtcp;
    private NettyPacketSink rtpSink;
    private NettyPacketSink rtcpSink;
    private SipCallSession session;
    private NegotiatedMedia media;
    private RtpReceiveStage receive;
    private RtpSendStage send;
    private RtpPlayoutStage playout;
    private RtpReceptionStatistics reception;
    private RtcpReporter rtcpReporter;
    private long mediaWatchFromNs;
    private PlayoutTickClock clock;
    private boolean transcodeAlaw;
    private boolean ended;
    private long packetsBeforeAnswer;
    private RtpTotals.Share rtpShare;
    private long rtpSharePublishedNs;

    SipCall(final String callId, final SipLoopTicker ticker, final int rtpPort, final SipEdge edge, final SipEdgeConfig config,
            final AudioFormat sessionFormat) {
        this.callId = callId;
        this.ticker = ticker;
        this.loop = ticker.loop();
        this.rtpPort = rtpPort;
        this.edge = edge;
        this.config = config;
        this.sessionFormat = sessionFormat;
        this.proxy = new SipCallProxy(COMMAND_RING_CAPACITY, loop, this);
    }

    /**
     * Binds the RTP and then the RTCP socket without waiting, on {@link #loop} (admission, before the call is
     * published), then tells {@code done} on the loop whether both are bound; when either port is taken, whatever
     * was bound is closed again.
     */
    void bind(final RtpTransport transport, final InetAddress address, final Consumer<Boolean> done) {
        transport.bind(loop, address, rtpPort, this::onRtpDatagram).addListener((ChannelFuture rtpBound) -> {
            if (!rtpBound.isSuccess()) {
                done.accept(false);
                return;
            }
            rtp = rtpBound.channel();
            transport.bind(loop, address, rtpPort + 1, this::onRtcpDatagram).addListener((ChannelFuture rtcpBound) -> {
                if (!rtcpBound.isSuccess()) {
                    rtp.close();
                    rtp = null;
                    done.accept(false);
                    return;
                }
                rtcp = rtcpBound.channel();
                rtpSink = new NettyPacketSink(rtp);
                rtcpSink = new NettyPacketSink(rtcp);
                done.accept(true);
            });
        });
    }

    /** Closes the sockets of a call that was never published (admission refused). */
    void closeSockets() {
        if (rtp != null) {
            rtp.close();
        }
        if (rtcp != null) {
            rtcp.close();
        }
    }

    /** Sets the session (on the loop, right after it was opened). */
    void session(final SipCallSession value) {
        this.session = value;
    }

    @Override
    public void onCommand(final SipCallProxy.Command command) {
        final long nowNs = System.nanoTime();
        switch (command.kind) {
            case ANSWERED:
                answered(command.media, nowNs);
                break;
            case MEDIA_CHANGED:
                mediaChanged(command.media, nowNs);
                break;
            case ENDED:
                teardown(command.text, false, true, nowNs);
                break;
            case HANG_UP:
                teardown(command.text, true, true, nowNs);
                break;
            case DIGITS:
                sendDigits(command.text, nowNs);
                break;
            default:
                break;
        }
    }

    private void answered(final NegotiatedMedia negotiated, final long nowNs) {
        if (ended || media != null) {
            return;
        }
        media = negotiated;
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final AudioFormat wire = negotiated.callerFormat();
        transcodeAlaw = wire.encoding() != sessionFormat.encoding();
        reception = new RtpReceptionStatistics();
        receive = new RtpReceiveStage(this, reception, config.symmetricRtp(), 5 * TICK_NS, wire.sampleRateHz());
        receive.configure(negotiated.remoteRtp(), negotiated.audioPayloadType(), negotiated.telephoneEventPayloadType());
        send = new RtpSendStage(rtpSink, config.idlePolicy(), random.nextInt(), random.nextInt(1 << 16),
            random.nextLong(1L << 32), wire.samplesPerFrame(), negotiated.audioPayloadType(), silenceCode(wire));
        send.telephoneEventPayloadType(negotiated.telephoneEventPayloadType());
        send.sendingEnabled(negotiated.localDirection().sends());
        playout = new RtpPlayoutStage(JitterBufferConfig.defaults(), wire, sessionFormat);
        rtpShare = edge.rtpTotals().share();
        rtpSharePublishedNs = nowNs;
        rtcpReporter = new RtcpReporter(send.ssrc(), "voxgate@" + callId.hashCode(), reception, random.nextLong(), nowNs);
        rtpSink.target(negotiated.remoteRtp());
        rtcpSink.target(negotiated.remoteRtcp());
        mediaWatchFromNs = nowNs;
        session.start(nowNs);
        clock = new PlayoutTickClock(TICK_NS, PlayoutTickClock.MAX_CATCH_UP_TICKS, ticker.add(this, nowNs));
        LOG.info("SIP call {} media: {} via rtp {}", callId, negotiated, rtpPort);
    }

    private void mediaChanged(final NegotiatedMedia negotiated, final long nowNs) {
        if (ended || receive == null) {
            return;
        }
        media = negotiated;
        receive.configure(negotiated.remoteRtp(), negotiated.audioPayloadType(), negotiated.telephoneEventPayloadType());
        send.sendingEnabled(negotiated.localDirection().sends());
        rtpSink.target(receive.sendTarget(negotiated.remoteRtp()));
        rtcpSink.target(negotiated.remoteRtcp());
        mediaWatchFromNs = nowNs;
        LOG.info("SIP call {} media changed: {}", callId, negotiated);
    }

    /** One wake-up of this call's phase of the loop's {@link SipLoopTicker}. */
    @Override
    void tick() {
        if (ended) {
            return;
        }
        final int due = clock.due(System.nanoTime());
        if (due == 0) {
            // Netty runs a fixed-rate task's missed periods back to back; the first run already did their work.
            return;
        }
        if (clock.lastSkipped() > 0) {
            skip(clock.lastSkipped());
        }
        for (int i = 0; i < due && !ended; i++) {
            frameTick(clock.tickNs());
            clock.advance();
        }
        if (!ended) {
            housekeeping(System.nanoTime());
        }
    }

    /**
     * One 20 ms frame at its nominal time {@code tickNs}: the session's pacer and the playout see exactly one
     * period per tick, so neither releases two frames at once nor drifts, even when ticks run back to back.
     */
    private void frameTick(final long tickNs) {
        send.beginTick();
        final int length = playout.poll(tickNs);
        if (length > 0) {
            session.onCallerAudio(playout.frame(), 0, length, tickNs);
        }
        if (ended) {
            return;
        }
        session.onTick(tickNs);
        if (ended) {
            return;
        }
        send.endTick();
    }

    /**
     * The loop was too late for {@code skipped} ticks before the current one. The caller's frames of those slots
     * leave the jitter buffer unheard at their own times, so its playout position stays with real time instead
     * of lagging by the stall (a lagging position makes every later packet look early and ends in a flush);
     * beyond the buffer's capacity nothing is left to take. The send clock jumps the gap. Agent audio that fell
     * due meanwhile is released at the next tick, where the send stage keeps one frame and counts the rest.
     */
    private void skip(final long skipped) {
        final long drain = Math.min(skipped, playout.jitter().capacityFrames());
        final long firstSkippedNs = clock.tickNs() - skipped * TICK_NS;
        for (long i = skipped - drain; i < skipped; i++) {
            playout.skip(firstSkippedNs + i * TICK_NS);
        }
        send.skipTicks(skipped);
    }

    /** Once per wake-up: symmetric RTP target, RTCP when due, media timeout. */
    private void housekeeping(final long nowNs) {
        if (nowNs - rtpSharePublishedNs >= RTP_TOTALS_INTERVAL_NS) {
            rtpSharePublishedNs = nowNs;
            publishRtpTotals();
        }
        if (config.symmetricRtp()) {
            rtpSink.target(receive.sendTarget(media.remoteRtp()));
        }
        if (nowNs - rtcpReporter.nextReportNs() >= 0) {
            final int n = rtcpReporter.writeReport(rtcpScratch, 0, nowNs, System.currentTimeMillis(), send.packetsSent(),
                send.octetsSent(), send.nextTimestamp());
            sendRtcp(n);
        }
        if (media.localDirection().receives()) {
            final long last = Math.max(mediaWatchFromNs, receive.lastAcceptedNs());
            if (nowNs - last > config.mediaTimeoutSeconds() * 1_000_000_000L) {
                LOG.info("SIP call {}: no RTP for {} s, hanging up", callId, config.mediaTimeoutSeconds());
                teardown("media timeout", true, true, nowNs);
            }
        }
    }

    private void publishRtpTotals() {
        rtpShare.publish(playout.jitter().stats(), receive.packetsDroppedMalformed() + receive.packetsDroppedOversized()
            + receive.packetsDroppedWrongSource() + receive.packetsDroppedWrongSsrc() + receive.packetsDroppedWrongPayloadType()
            + receive.packetsDroppedEmpty(), send.packetsSent(), clock.ticksSkipped());
    }

    private void sendRtcp(final int length) {
        final MutableDirectBuffer out = rtcpSink.claim(length);
        if (out != null) {
            out.putBytes(0, rtcpScratch, 0, length);
            rtcpSink.commit(length);
        }
    }

    // ------------------------------------------------------------ inbound datagrams

    private void onRtpDatagram(final DirectBuffer buffer, final int offset, final int length, final InetSocketAddress sender,
                               final long nowNs) {
        if (receive == null || ended) {
            packetsBeforeAnswer++;
            return;
        }
        receive.onDatagram(buffer, offset, length, sender, nowNs);
    }

    private void onRtcpDatagram(final DirectBuffer buffer, final int offset, final int length, final InetSocketAddress sender,
                                final long nowNs) {
        if (rtcpReporter != null && !ended) {
            rtcpReporter.onRtcp(buffer, offset, length, nowNs);
        }
    }

    @Override
    public void onRtpAudio(final int ssrc, final int sequenceNumber, final long rtpTimestamp, final boolean marker,
                           final DirectBuffer payload, final int offset, final int length, final long nowNs) {
        rtcpReporter.remoteSsrc(ssrc);
        playout.offer(ssrc, sequenceNumber, rtpTimestamp, marker, payload, offset, length, nowNs);
    }

    @Override
    public void onCallerDigit(final char digit, final long nowNs) {
        session.onCallerDigit(digit, nowNs);
    }

    @Override
    public void onRtcp(final DirectBuffer buffer, final int offset, final int length, final long nowNs) {
        rtcpReporter.onRtcp(buffer, offset, length, nowNs);
    }

    // ------------------------------------------------------------ CallerLeg

    @Override
    public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (send == null || ended) {
            return;
        }
        if (!transcodeAlaw) {
            send.sendAudio(audio, offset, length);
            return;
        }
        final int n = Math.min(length, transcoded.capacity());
        if (sessionFormat.encoding() == AudioEncoding.MULAW) {
            G711Transcoder.muLawToALaw(audio, offset, transcoded, 0, n);
        } else {
            G711Transcoder.aLawToMuLaw(audio, offset, transcoded, 0, n);
        }
        send.sendAudio(transcoded, 0, n);
    }

    /**
     * Queues the digits as RFC 4733 telephone-events on the call's own stream (§2.5.1): each held
     * {@value #DIGIT_DURATION_MS} ms, then three end packets, then a short pause. The first digit takes the stream
     * from the next tick, even mid-turn (an agent that asks for digits wants them heard now); agent audio released
     * while digits play is dropped and counted by the send stage ({@code framesDroppedDuringDtmf}). Both the agent
     * (through the session) and {@link SipEdge#sendDigits} come here.
     *
     * @return false before media is answered, after the call ended, or when the send stage refuses (no
     *         telephone-event negotiated, queue full; it counts those)
     */
    @Override
    public boolean sendDigits(final String digits, final long nowNs) {
        if (send == null || ended) {
            return false;
        }
        return send.queueDigits(digits, DIGIT_DURATION_MS);
    }

    @Override
    public void clearCallerPlayback(final long nowNs) {
        // RTP buffers nothing at the far end: the session's pacer already dropped the rest of the turn.
    }

    @Override
    public void hangUp(final String reason, final long nowNs) {
        teardown(reason, true, false, nowNs);
    }

    /**
     * Ends the call once: RTCP BYE, sockets closed, port released, registry and signalling told.
     *
     * @param signalHangUp whether the gateway must hang up the SIP side (BYE or error response)
     * @param endSession   whether the session must still be ended (it already is when it called {@link #hangUp})
     */
    void teardown(final String reason, final boolean signalHangUp, final boolean endSession, final long nowNs) {
        if (ended) {
            return;
        }
        ended = true;
        ticker.remove(this);
        if (rtcpReporter != null && rtcp.isActive()) {
            sendRtcp(rtcpReporter.writeBye(rtcpScratch, 0));
        }
        if (endSession && session != null) {
            session.end(reason, nowNs);
        }
        if (rtp != null) {
            rtp.close();
        }
        if (rtcp != null) {
            rtcp.close();
        }
        if (playout != null) {
            publishRtpTotals();
        }
        LOG.info("SIP call {} ended: {} (rtp in {} out {}, dropped source {} ssrc {} pt {} malformed {}, digits in {})",
            callId, reason, receive == null ? 0 : receive.packetsAccepted(), send == null ? 0 : send.packetsSent(),
            receive == null ? 0 : receive.packetsDroppedWrongSource(), receive == null ? 0 : receive.packetsDroppedWrongSsrc(),
            receive == null ? 0 : receive.packetsDroppedWrongPayloadType(),
            receive == null ? 0 : receive.packetsDroppedMalformed() + receive.packetsDroppedOversized(),
            receive == null ? 0 : receive.digitsReceived());
        edge.callEnded(this, reason, signalHangUp, nowNs);
    }

    private static byte silenceCode(final AudioFormat format) {
        return format.encoding() == AudioEncoding.ALAW ? ALawCodec.ZERO_CODE : MuLawCodec.ZERO_CODE;
    }

    /** Whether the call has ended. */
    boolean ended() {
        return ended;
    }

    /** The receive stage (null before the answer), for tests and metrics. */
    RtpReceiveStage receive() {
        return receive;
    }

    /** The send stage (null before the answer). */
    RtpSendStage send() {
        return send;
    }

    /** The playout stage (null before the answer). */
    RtpPlayoutStage playout() {
        return playout;
    }

    /** The RTCP reporter (null before the answer). */
    RtcpReporter rtcp() {
        return rtcpReporter;
    }

    /** Datagrams that arrived before media was negotiated. */
    long packetsBeforeAnswer() {
        return packetsBeforeAnswer;
    }
}

package io.voxgate.sip.call;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallCommandHandler;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallerLeg;
import io.voxgate.core.codec.FrameEncoder;
import io.voxgate.core.codec.G711Transcoder;
import io.voxgate.core.codec.Pcm16LittleEndian;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.core.jitter.JitterBufferStats;
import io.voxgate.core.tick.LoopTicker;
import io.voxgate.core.tick.PlayoutTickClock;
import io.voxgate.core.tick.TickMember;
import io.voxgate.core.tick.TickMembership;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.sip.SipEdgeConfig;
import io.voxgate.sip.rtcp.RtcpReporter;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import io.voxgate.sip.rtp.NettyPacketSink;
import io.voxgate.sip.rtp.PreAnswerPackets;
import io.voxgate.sip.rtp.RtpInboundChain;
import io.voxgate.sip.rtp.RtpPlayoutStage;
import io.voxgate.sip.rtp.RtpReceiveStage;
import io.voxgate.sip.rtp.RtpSendStage;
import io.voxgate.sip.rtp.RtpTotals;
import io.voxgate.sip.rtp.RtpTransport;
import io.voxgate.sip.rtp.SrtpPacketSink;
import io.voxgate.sip.rtp.SrtpUnprotectStage;
import io.voxgate.sip.sdp.NegotiatedMedia;
import io.voxgate.sip.sdp.NegotiatedSrtp;
import io.voxgate.sip.sdp.RtpAudioCodec;
import io.voxgate.sip.srtp.SrtpContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIP call's media, confined to the event loop that owns its RTP and RTCP sockets: the caller's leg of the
 * call's core {@link CallSession} ({@link CallerLeg}), fed by its inbound chain ({@link RtpInboundChain}) and
 * RTCP, and driven by a 20 ms tick on absolute deadlines that catches up a little lag and skips a large one
 * ({@link PlayoutTickClock}).
 *
 * <p>Signalling's commands arrive through the call's {@link CallCommandProxy} (the same ring type the core session
 * uses). Per tick: play one caller frame out of the jitter buffer into the session, let the session release at most
 * one paced agent frame (it calls {@link #sendToCaller}), finish the RTP tick (silence or DTMF when no audio went
 * out), send RTCP when due, and check the media timeout. The tick comes from the loop's {@link LoopTicker}, shared
 * with the loop's other calls of both edges, this call on one of its phases; the ticker's timer runs at fixed rate,
 * so the packet clock does not drift. Each wake-up asks the call's {@link PlayoutTickClock} how many frames are due
 * at the ticker's {@code nowNs}: up to three run back to back, more are skipped (counted as {@code ticksSkipped}) so a
 * loop short of CPU never stays behind. A tick or command that throws ends this call only.
 *
 * <p>The call never reads the monotonic clock itself: time comes from the ticker or the command ring. It knows its
 * edge only through a {@link SipCallEndListener}.
 *
 * <p>Threading: every method except construction runs on {@link #loop()}. Ownership: audio handed in is borrowed and
 * copied once into the outgoing packet.
 */
public final class SipCall implements CallerLeg, TickMember, CallCommandHandler<SipCallCommand> {
    /** The frame period. */
    public static final long TICK_NS = LoopTicker.PERIOD_NS;
    private static final Logger LOG = LoggerFactory.getLogger(SipCall.class);
    private static final int COMMAND_RING_CAPACITY = 64;
    private static final int DIGIT_DURATION_MS = 100;
    /** How often a running call adds its RTP figures to the node's totals: scrapes lag at most this much. */
    private static final long RTP_TOTALS_INTERVAL_NS = 1_000_000_000L;

    private final String callId;
    private final EventLoop loop;
    private final int rtpPort;
    private final CallCommandProxy<SipCallCommand> proxy;
    private final SipCallEndListener ends;
    private final RtpTotals rtpTotals;
    private final SipEdgeConfig config;
    private final AudioFormat sessionFormat;
    private final LoopTicker ticker;
    private TickMembership tickMembership;
    private final UnsafeBuffer rtcpScratch = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer transcoded = new UnsafeBuffer(new byte[RtpSendStage.MAX_PAYLOAD_LENGTH]);
    /** One outbound frame of PCM for a wideband encoder: 20 ms at up to 24 kHz. */
    private final short[] outboundPcm = new short[480];

    private Channel rtp;
    private Channel rtcp;
    private NettyPacketSink rtpSink;
    private NettyPacketSink rtcpSink;
    private SrtpPacketSink rtpOut;
    private SrtpPacketSink rtcpOut;
    private CallSession session;
    private NegotiatedMedia media;
    private RtpInboundChain inbound;
    private RtpSendStage send;
    private RtpReceptionStatistics reception;
    private RtcpReporter rtcpReporter;
    private long mediaWatchFromNs;
    private PlayoutTickClock clock;
    private G711Transcoder toWire;
    private FrameEncoder wideband;
    private long framesUnencodable;
    private boolean ended;
    /** The caller's first packets, sent on our 200 OK, held until its ACK starts the media. */
    private final PreAnswerPackets preAnswer = new PreAnswerPackets();
    private RtpTotals.Share rtpShare;
    private long rtpSharePublishedNs;

    /**
     * A call whose media will run on {@code loop}, ticked by {@code ticker} (that loop's).
     *
     * @param ends          told once when the call has ended
     * @param rtpTotals     where the call adds its RTP figures when it ends
     * @param sessionFormat the caller format the session sees
     * @param clock         read once per command drain for the commands' {@code nowNs}
     */
    public SipCall(final String callId, final EventLoop loop, final LoopTicker ticker, final int rtpPort,
                   final SipCallEndListener ends, final RtpTotals rtpTotals, final SipEdgeConfig config,
                   final AudioFormat sessionFormat, final NanoClock clock) {
        this.callId = callId;
        this.loop = loop;
        this.ticker = ticker;
        this.rtpPort = rtpPort;
        this.ends = ends;
        this.rtpTotals = rtpTotals;
        this.config = config;
        this.sessionFormat = sessionFormat;
        this.proxy = new CallCommandProxy<>(callId, COMMAND_RING_CAPACITY, loop, clock, this);
    }

    @Override
    public String callId() {
        return callId;
    }

    /** The event loop the call is confined to. */
    public EventLoop loop() {
        return loop;
    }

    /** The RTP port (RTCP is the next one). */
    public int rtpPort() {
        return rtpPort;
    }

    /** The only way into the call from another thread. */
    public CallCommandProxy<SipCallCommand> proxy() {
        return proxy;
    }

    /**
     * Binds the RTP and then the RTCP socket without waiting, on {@link #loop} (admission, before the call is
     * published), then tells {@code done} on the loop whether both are bound; when either port is taken, whatever
     * was bound is closed again.
     */
    public void bind(final RtpTransport transport, final InetAddress address, final Consumer<Boolean> done) {
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
    public void closeSockets() {
        if (rtp != null) {
            rtp.close();
        }
        if (rtcp != null) {
            rtcp.close();
        }
    }

    /** Sets the session (on the loop, right after the core admitted it). */
    public void session(final CallSession value) {
        this.session = value;
    }

    /** The call's session, or {@code null} before it was admitted. */
    public CallSession session() {
        return session;
    }

    @Override
    public void onCommand(final SipCallCommand command, final long nowNs) {
        switch (command.kind()) {
            case ANSWERED:
                answered(command.media(), nowNs);
                break;
            case MEDIA_CHANGED:
                mediaChanged(command.media(), nowNs);
                break;
            case ENDED:
                teardown(command.text(), false, true, nowNs);
                break;
            case HANG_UP:
                teardown(command.text(), true, true, nowNs);
                break;
            case DIGITS:
                sendDigits(command.text(), nowNs);
                break;
            case TRANSFER_PROGRESS:
                if (session != null && !ended) {
                    session.onTransferProgress(command.transferId(), command.transferState(), command.text(), nowNs);
                }
                break;
            default:
                break;
        }
    }

    @Override
    public void onCommandFailed(final SipCallCommand command, final RuntimeException failure, final long nowNs) {
        fail(nowNs);
    }

    @Override
    public void onTickFailed(final RuntimeException failure, final long nowNs) {
        fail(nowNs);
    }

    /** A bug surfaced in this call: the session ends as failed (counted) and the call hangs up the SIP side. */
    private void fail(final long nowNs) {
        if (session != null) {
            session.fail("internal error", nowNs);
        }
        teardown("internal error", true, false, nowNs);
    }

    private void answered(final NegotiatedMedia negotiated, final long nowNs) {
        if (ended || media != null) {
            return;
        }
        final RtpAudioCodec codec = negotiated.codec();
        if (!codec.isG711() && !negotiated.callerFormat().equals(sessionFormat)) {
            // The session was built for another format than this codec's (only possible for a wideband answer to an
            // offer of ours, which offers G.711 only); carrying it would play noise.
            LOG.warn("SIP call {}: {} cannot feed a {} session", callId, codec.rtpmap(), sessionFormat);
            teardown("codec mismatch", true, true, nowNs);
            return;
        }
        media = negotiated;
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final AudioFormat wire = negotiated.callerFormat();
        reception = new RtpReceptionStatistics();
        rtpOut = new SrtpPacketSink(rtpSink, SrtpPacketSink.Kind.RTP);
        rtcpOut = new SrtpPacketSink(rtcpSink, SrtpPacketSink.Kind.RTCP);
        if (codec.isG711()) {
            toWire = wire.encoding() == sessionFormat.encoding() ? null
                : G711Transcoder.between(sessionFormat.encoding().codec(), wire.encoding().codec());
            send = new RtpSendStage(rtpOut, config.idlePolicy(), random.nextInt(), random.nextInt(1 << 16),
                random.nextLong(1L << 32), wire.samplesPerFrame(), negotiated.audioPayloadType(),
                wire.encoding().codec().silenceByte());
        } else {
            wideband = WidebandCodecs.encoder(codec, sessionFormat, negotiated.opusPeer());
            if (WidebandCodecs.codesSilenceInStep(codec)) {
                send = new RtpSendStage(rtpOut, config.idlePolicy(), random.nextInt(), random.nextInt(1 << 16),
                    random.nextLong(1L << 32), codec.timestampsPer20Ms(), negotiated.audioPayloadType(), this::encodeSilence,
                    WidebandCodecs.maxSilenceLength(codec, sessionFormat));
            } else {
                send = new RtpSendStage(rtpOut, config.idlePolicy(), random.nextInt(), random.nextInt(1 << 16),
                    random.nextLong(1L << 32), codec.timestampsPer20Ms(), negotiated.audioPayloadType(),
                    WidebandCodecs.silenceFrame(codec, sessionFormat));
            }
        }
        send.telephoneEventPayloadType(negotiated.telephoneEventPayloadType());
        send.sendingEnabled(negotiated.localDirection().sends());
        rtpShare = rtpTotals.share();
        rtpSharePublishedNs = nowNs;
        rtcpReporter = new RtcpReporter(send.ssrc(), "voxgate@" + callId.hashCode(), reception, random.nextLong(), nowNs);
        if (codec.isG711()) {
            inbound = new RtpInboundChain(JitterBufferConfig.defaults(), wire, sessionFormat, reception, rtcpReporter,
                config.symmetricRtp(), 5 * TICK_NS, session::onCallerAudio, session::onCallerDigit);
        } else {
            inbound = new RtpInboundChain(WidebandCodecs.playout(codec, sessionFormat), codec.clockRateHz(), reception,
                rtcpReporter, config.symmetricRtp(), 5 * TICK_NS, session::onCallerAudio, session::onCallerDigit);
        }
        inbound.receive().configure(negotiated.remoteRtp(), negotiated.audioPayloadType(), negotiated.telephoneEventPayloadType());
        key(negotiated.srtp(), null);
        rtpSink.target(negotiated.remoteRtp());
        rtcpSink.target(negotiated.remoteRtcp());
        // Decoded from the stream's first packet: a G.722 decoder that missed it would be out of step with the
        // caller's encoder (a distorted onset); a G.711 call keeps its first words.
        preAnswer.replay(inbound::onDatagram);
        mediaWatchFromNs = nowNs;
        session.start(nowNs);
        tickMembership = ticker.joinPhased(this);
        clock = new PlayoutTickClock(TICK_NS, PlayoutTickClock.MAX_CATCH_UP_TICKS, tickMembership.firstTickNs());
        LOG.info("SIP call {} media: {} via rtp {}", callId, negotiated, rtpPort);
    }

    private void mediaChanged(final NegotiatedMedia negotiated, final long nowNs) {
        if (ended || inbound == null) {
            return;
        }
        final NegotiatedSrtp previous = media.srtp();
        media = negotiated;
        inbound.receive().configure(negotiated.remoteRtp(), negotiated.audioPayloadType(), negotiated.telephoneEventPayloadType());
        key(negotiated.srtp(), previous);
        send.sendingEnabled(negotiated.localDirection().sends());
        rtpSink.target(inbound.receive().sendTarget(negotiated.remoteRtp()));
        rtcpSink.target(negotiated.remoteRtcp());
        mediaWatchFromNs = nowNs;
        LOG.info("SIP call {} media changed: {}", callId, negotiated);
    }

    /**
     * Keys SRTP from the negotiated keys: at the answer, and again on a re-INVITE for each direction whose master key
     * changed (a rekey starts that direction's rollover counters and replay windows afresh). Signalling never lets a
     * call switch between RTP and SRTP, so {@code srtp} is null exactly when the call is plain RTP.
     */
    private void key(final NegotiatedSrtp srtp, final NegotiatedSrtp previous) {
        if (srtp == null) {
            return;
        }
        if (previous == null || !srtp.localKey().sameAs(previous.localKey()) || srtp.suite() != previous.suite()) {
            final SrtpContext sending = srtp.newSendContext();
            rtpOut.context(sending);
            rtcpOut.context(sending);
        }
        if (previous == null || !srtp.remoteKey().sameAs(previous.remoteKey()) || srtp.suite() != previous.suite()) {
            inbound.srtp().context(srtp.newReceiveContext());
            if (previous != null) {
                LOG.info("SIP call {}: SRTP rekeyed by re-INVITE ({})", callId, srtp);
            }
        }
    }

    /** One wake-up of this call's phase of the loop's {@link LoopTicker}, at the ticker's {@code nowNs}. */
    @Override
    public void onTick(final long nowNs) {
        if (ended) {
            return;
        }
        final int due = clock.due(nowNs);
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
            housekeeping(nowNs);
        }
    }

    /**
     * One 20 ms frame at its nominal time {@code tickNs}: the session's pacer and the playout see exactly one
     * period per tick, so neither releases two frames at once nor drifts, even when ticks run back to back.
     */
    private void frameTick(final long tickNs) {
        send.beginTick();
        inbound.playTick(tickNs);
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
        final long drain = Math.min(skipped, inbound.playout().jitter().capacityFrames());
        final long firstSkippedNs = clock.tickNs() - skipped * TICK_NS;
        for (long i = skipped - drain; i < skipped; i++) {
            inbound.skipTick(firstSkippedNs + i * TICK_NS);
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
            rtpSink.target(inbound.receive().sendTarget(media.remoteRtp()));
        }
        if (nowNs - rtcpReporter.nextReportNs() >= 0) {
            final int n = rtcpReporter.writeReport(rtcpScratch, 0, nowNs, System.currentTimeMillis(), send.packetsSent(),
                send.octetsSent(), send.nextTimestamp());
            sendRtcp(n);
        }
        if (media.localDirection().receives()) {
            final long last = Math.max(mediaWatchFromNs, inbound.receive().lastAcceptedNs());
            if (nowNs - last > config.mediaTimeoutSeconds() * 1_000_000_000L) {
                LOG.info("SIP call {}: no RTP for {} s, hanging up", callId, config.mediaTimeoutSeconds());
                teardown("media timeout", true, true, nowNs);
            }
        }
    }

    private void publishRtpTotals() {
        rtpShare.publish(inbound.playout().jitter().stats(), inbound.receive().packetsInvalid(), send.packetsSent(),
            clock.ticksSkipped());
        rtpShare.publishSrtp(inbound.srtp(), rtpOut.packetsRefused() + rtcpOut.packetsRefused());
        rtpShare.publishPlayout(inbound.playout());
        publishCallerMedia();
    }

    /**
     * The caller's media as the call record reads it: frames whose packets never arrived (those that came too late
     * are counted apart), late drops, concealment, RFC 3550 jitter, the round trip from the peer's RTCP reports (-1
     * while it sent none) and the jitter buffer's delay.
     */
    private void publishCallerMedia() {
        if (session == null) {
            return;
        }
        final JitterBufferStats jitter = inbound.playout().jitter().stats();
        final long neverArrived = Math.max(0, jitter.framesLost() - jitter.packetsLate());
        session.stats().callerMedia().publish(jitter.packetsAccepted() + neverArrived, neverArrived, jitter.packetsLate(),
            jitter.framesConcealed(), jitter.interarrivalJitterNs() / 1_000, rtcpReporter == null ? -1 : rtcpReporter.roundTripUs(),
            jitter.currentDelayNs() / 1_000);
    }

    private void sendRtcp(final int length) {
        final MutableDirectBuffer out = rtcpOut.claim(length);
        if (out != null) {
            out.putBytes(0, rtcpScratch, 0, length);
            rtcpOut.commit(length);
        }
    }

    // ------------------------------------------------------------ inbound datagrams

    private void onRtpDatagram(final MutableDirectBuffer buffer, final int offset, final int length, final InetSocketAddress sender,
                               final long nowNs) {
        if (ended) {
            return;
        }
        if (inbound == null) {
            preAnswer.hold(buffer, offset, length, sender, nowNs);
            return;
        }
        inbound.onDatagram(buffer, offset, length, sender, nowNs);
    }

    private void onRtcpDatagram(final MutableDirectBuffer buffer, final int offset, final int length,
                                final InetSocketAddress sender, final long nowNs) {
        // RTCP only from the RTP peer: a report from anyone else could fake loss figures or a BYE.
        if (rtcpReporter != null && !ended && inbound.receive().acceptsRtcpFrom(sender, media.remoteRtcp())) {
            final int plain = inbound.srtp().onRtcpPort(buffer, offset, length);
            if (plain >= 0) {
                rtcpReporter.onRtcp(buffer, offset, plain, nowNs, System.currentTimeMillis());
            }
        }
    }

    // ------------------------------------------------------------ CallerLeg

    @Override
    public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (send == null || ended) {
            return;
        }
        if (wideband != null) {
            sendWideband(audio, offset, length);
            return;
        }
        if (toWire == null) {
            send.sendAudio(audio, offset, length);
            return;
        }
        final int n = Math.min(length, transcoded.capacity());
        toWire.convert(audio, offset, transcoded, 0, n);
        send.sendAudio(transcoded, 0, n);
    }

    /**
     * One paced frame of PCM16 for a G.722 or Opus call: encoded once into the packet's payload. A frame shorter than
     * 20 ms (a turn's tail) is padded with silence, since both codecs code whole frames only.
     */
    private void sendWideband(final DirectBuffer audio, final int offset, final int length) {
        if (!send.admitAudio()) {
            // Coded but never sent, the frame would move our encoder on without the far decoder (G.722's ADPCM).
            return;
        }
        final int frameSamples = sessionFormat.samplesPerFrame();
        final int samples = Math.min(Pcm16LittleEndian.samplesIn(length), frameSamples);
        Pcm16LittleEndian.read(audio, offset, outboundPcm, 0, samples);
        Arrays.fill(outboundPcm, samples, frameSamples, (short) 0);
        final int n = wideband.encode(outboundPcm, 0, frameSamples, transcoded, 0, transcoded.capacity());
        if (n <= 0) {
            framesUnencodable++;
            return;
        }
        send.sendAudio(transcoded, 0, n);
    }

    /** An idle tick's silence for a G.722 call: coded by the call's own encoder, which the far decoder follows. */
    private int encodeSilence(final MutableDirectBuffer out, final int offset, final int maxLength) {
        final int frameSamples = sessionFormat.samplesPerFrame();
        Arrays.fill(outboundPcm, 0, frameSamples, (short) 0);
        return wideband.encode(outboundPcm, 0, frameSamples, out, offset, maxLength);
    }

    /** Agent frames a wideband encoder refused (counted, not sent). */
    public long framesUnencodable() {
        return framesUnencodable;
    }

    /**
     * Queues the digits as RFC 4733 telephone-events on the call's own stream (§2.5.1): each held
     * {@value #DIGIT_DURATION_MS} ms, then three end packets, then a short pause. The first digit takes the stream
     * from the next tick, even mid-turn (an agent that asks for digits wants them heard now); agent audio released
     * while digits play is dropped and counted by the send stage ({@code framesDroppedDuringDtmf}). Both the agent
     * (through the session) and the edge's {@code sendDigits} (through {@link SipCallCommand#digits}) come here.
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

    /**
     * Blind transfer by REFER in the call's dialog (RFC 3515). The announcement, if any, is not spoken here: the
     * agent hears of the transfer first ({@code VoiceAgent.onTransferUpdate}, REQUESTED) and may say it.
     *
     * @return false before media is answered or after the call ended
     */
    @Override
    public boolean startTransfer(final TransferRequest request, final long nowNs) {
        if (ended || media == null) {
            return false;
        }
        return ends.refer(this, request);
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
    private void teardown(final String reason, final boolean signalHangUp, final boolean endSession, final long nowNs) {
        if (ended) {
            return;
        }
        ended = true;
        preAnswer.clear();
        if (tickMembership != null) {
            tickMembership.leave();
        }
        if (rtcpReporter != null && rtcp.isActive()) {
            sendRtcp(rtcpReporter.writeBye(rtcpScratch, 0));
        }
        if (inbound != null) {
            // Before the session ends: its end is what reports the call, media figures included.
            publishCallerMedia();
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
        if (inbound != null) {
            publishRtpTotals();
            LOG.info("SIP call {} ended: {} ({}; rtp out {}; before the answer {} held, {} dropped)", callId, reason,
                inbound.stages().describeCounters(), send.packetsSent(), preAnswer.held(), preAnswer.dropped());
        } else {
            LOG.info("SIP call {} ended: {} (no media)", callId, reason);
        }
        ends.onCallEnded(this, reason, signalHangUp, nowNs);
    }

    /** Whether the call has ended. */
    public boolean ended() {
        return ended;
    }

    /** The receive stage (null before the answer), for tests and metrics. */
    public RtpReceiveStage receive() {
        return inbound == null ? null : inbound.receive();
    }

    /** The send stage (null before the answer). */
    public RtpSendStage send() {
        return send;
    }

    /** The playout stage (null before the answer). */
    public RtpPlayoutStage playout() {
        return inbound == null ? null : inbound.playout();
    }

    /** The SRTP unprotect stage (null before the answer; passes everything on a plain RTP call). */
    public SrtpUnprotectStage srtp() {
        return inbound == null ? null : inbound.srtp();
    }

    /** The RTCP reporter (null before the answer). */
    public RtcpReporter rtcp() {
        return rtcpReporter;
    }

    /** Datagrams that arrived before media started (held for it, or dropped beyond the bound). */
    public long packetsBeforeAnswer() {
        return preAnswer.held() + preAnswer.dropped();
    }

    /** Datagrams before media started that were dropped: beyond {@link PreAnswerPackets#CAPACITY}, or oversized. */
    public long packetsDroppedBeforeAnswer() {
        return preAnswer.dropped();
    }
}

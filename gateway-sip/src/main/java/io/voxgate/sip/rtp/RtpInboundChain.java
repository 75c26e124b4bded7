package io.voxgate.sip.rtp;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.core.pipeline.AudioSink;
import io.voxgate.core.pipeline.MediaChain;
import io.voxgate.core.pipeline.MediaStage;
import io.voxgate.sip.rtcp.RtcpReporter;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A SIP call's inbound media path, declared once and read top to bottom:
 * <pre>
 *   srtp-unprotect SrtpUnprotectStage authenticate, replay check, decrypt in place (SRTP calls only;
 *                                   plain RTP passes through)
 *   rtp-receive    RtpReceiveStage  parse and validate: layout, source, SSRC, payload type
 *                                   (RFC 4733 digits and multiplexed RTCP branch off here)
 *   jitter-buffer  JitterBuffer     the one copy: payload into its slot; order, adaptive delay
 *   playout        RtpPlayoutStage  one frame per tick: the slot's view, concealment or silence
 *   session        AudioSink        the call session's caller audio
 * </pre>
 * Datagrams enter at {@link #onDatagram}; each playout tick ({@link #playTick}) hands at most one frame to the
 * session. The call builds the chain at answer time and only drives it.
 *
 * <p>Threading: confined to the call's thread. Ownership: datagrams are borrowed for the call (and decrypted in
 * place); the frame handed to the session is borrowed for that call only. Allocates nothing after construction.
 */
public final class RtpInboundChain implements RtpReceiveStage.Listener {

    /** Where the caller's digits go. Called on the call's thread. */
    @FunctionalInterface
    public interface DigitSink {
        /** The caller pressed {@code digit}. */
        void onCallerDigit(char digit, long nowNs);
    }

    private final SrtpUnprotectStage unprotect = new SrtpUnprotectStage();
    private final RtpReceiveStage receive;
    private final RtpPlayoutStage playout;
    private final SessionNode session;
    private final RtcpReporter rtcp;
    private final DigitSink digits;
    private final MediaChain chain;

    /**
     * The chain for one call.
     *
     * @param jitterConfig      jitter buffer settings
     * @param wireFormat        the negotiated codec's format
     * @param sessionFormat     the caller format the session was built with
     * @param reception         RFC 3550 reception statistics fed with every accepted packet
     * @param rtcp              the call's RTCP: told the peer's SSRC, and fed RTCP multiplexed on the RTP port
     * @param symmetricLatching whether the source address is learnt from the first packet
     * @param relatchAfterNs    how long the latched SSRC must be silent before another replaces it
     * @param callerAudio       the session's caller audio, one frame per tick
     * @param digits            the session's caller digits
     */
    public RtpInboundChain(final JitterBufferConfig jitterConfig, final AudioFormat wireFormat, final AudioFormat sessionFormat,
                           final RtpReceptionStatistics reception, final RtcpReporter rtcp, final boolean symmetricLatching,
                           final long relatchAfterNs, final AudioSink callerAudio, final DigitSink digits) {
        this(new RtpPlayoutStage(jitterConfig, wireFormat, sessionFormat), wireFormat.sampleRateHz(), reception, rtcp,
            symmetricLatching, relatchAfterNs, callerAudio, digits);
    }

    /**
     * The chain for one call whose playout stage the call built itself (a wideband codec's decoder in it).
     *
     * @param playout     the playout stage, holding the jitter buffer
     * @param clockRateHz the negotiated codec's RTP clock (8000 for G.711 and G.722, 48000 for Opus)
     */
    public RtpInboundChain(final RtpPlayoutStage playout, final int clockRateHz, final RtpReceptionStatistics reception,
                           final RtcpReporter rtcp, final boolean symmetricLatching, final long relatchAfterNs,
                           final AudioSink callerAudio, final DigitSink digits) {
        this.receive = new RtpReceiveStage(this, reception, symmetricLatching, relatchAfterNs, clockRateHz);
        this.playout = playout;
        this.session = new SessionNode(callerAudio);
        this.rtcp = rtcp;
        this.digits = digits;
        this.chain = MediaChain.of("sip-inbound", unprotect, receive, playout.jitter(), playout, session);
    }

    /** One datagram received on the call's RTP port; an SRTP call's is decrypted in place. */
    public void onDatagram(final MutableDirectBuffer buffer, final int offset, final int length,
                           final InetSocketAddress sender, final long nowNs) {
        final int plain = unprotect.onRtpPort(buffer, offset, length);
        if (plain >= 0) {
            receive.onDatagram(buffer, offset, plain, sender, nowNs);
        }
    }

    /** One playout tick at its nominal time {@code tickNs}: at most one caller frame to the session. */
    public void playTick(final long tickNs) {
        final int length = playout.poll(tickNs);
        if (length > 0) {
            session.onAudio(playout.frame(), 0, length, tickNs);
        }
    }

    /** A playout tick the loop was too late for: the jitter buffer moves on, nothing reaches the session. */
    public void skipTick(final long tickNs) {
        playout.skip(tickNs);
    }

    @Override
    public void onRtpAudio(final int ssrc, final int sequenceNumber, final long rtpTimestamp, final boolean marker,
                           final DirectBuffer payload, final int offset, final int length, final long nowNs) {
        rtcp.remoteSsrc(ssrc);
        playout.offer(ssrc, sequenceNumber, rtpTimestamp, marker, payload, offset, length, nowNs);
    }

    @Override
    public void onCallerDigit(final char digit, final long nowNs) {
        digits.onCallerDigit(digit, nowNs);
    }

    @Override
    public void onRtcp(final DirectBuffer buffer, final int offset, final int length, final long nowNs) {
        rtcp.onRtcp(buffer, offset, length, nowNs);
    }

    /** The first node: SRTP's unprotect (given the peer's key when the call is SRTP) and its discard counters. */
    public SrtpUnprotectStage srtp() {
        return unprotect;
    }

    /** The node after SRTP: validation, latching and its discard counters. */
    public RtpReceiveStage receive() {
        return receive;
    }

    /** The playout node, holding the jitter buffer. */
    public RtpPlayoutStage playout() {
        return playout;
    }

    /** The chain's nodes in order, for their counters. */
    public MediaChain stages() {
        return chain;
    }

    /** The last node: counts what reached the session. */
    private static final class SessionNode implements AudioSink, MediaStage {
        private final AudioSink downstream;
        private long frames;
        private long bytes;

        SessionNode(final AudioSink downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onAudio(final DirectBuffer audio, final int offset, final int length, final long timestampNs) {
            frames++;
            bytes += length;
            downstream.onAudio(audio, offset, length, timestampNs);
        }

        @Override
        public String name() {
            return "session";
        }

        @Override
        public void counters(final CounterVisitor visitor) {
            visitor.counter("frames", frames);
            visitor.counter("bytes", bytes);
        }
    }
}

package io.voxgate.sip.rtp;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.AudioCodec;
import io.voxgate.core.codec.G711Transcoder;
import io.voxgate.core.jitter.JitterBuffer;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.core.jitter.LossConcealer;
import io.voxgate.core.jitter.OfferResult;
import io.voxgate.core.jitter.PlayoutStatus;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Caller audio from the RTP receive stage to the call session: the core {@link JitterBuffer} puts packets back
 * in order at an adaptive delay, one 20 ms frame comes out per tick, a lost frame is concealed by the core
 * {@link LossConcealer} on decoded PCM, and a silence gap plays G.711 silence, so the
 * session always gets a steady 20 ms cadence once playout has started.
 *
 * <p>The wire codec (what the SDP negotiated) and the session's caller format normally match (PCMU/PCMU or
 * PCMA/PCMA: bytes pass untouched). They differ only when the gateway made the offer (an INVITE without SDP)
 * and the peer chose PCMA after the session was built for PCMU; then frames are transcoded A-law to mu-law
 * here (a table lookup per sample).
 *
 * <p>Threading: confined to the call's thread. Ownership: payloads offered are copied into the jitter buffer;
 * {@link #frame()} is owned by this stage and valid until the next {@link #poll}. Allocates nothing after
 * construction.
 */
public final class RtpPlayoutStage {
    private final JitterBuffer jitter;
    private final LossConcealer concealer;
    private final AudioCodec wireCodec;
    private final AudioCodec sessionCodec;
    private final G711Transcoder toSession;
    private final int samplesPerFrame;
    private final UnsafeBuffer wire;
    private final UnsafeBuffer out;
    private final byte[] wireBytes;
    private final byte[] outBytes;
    private final short[] pcm;
    private long framesPlayed;
    private long framesConcealed;
    private long framesSilence;
    private long framesSkipped;

    /**
     * A playout stage.
     *
     * @param config        jitter buffer settings (8 kHz, 20 ms)
     * @param wireFormat    the negotiated codec's format
     * @param sessionFormat the caller format the session was built with
     */
    public RtpPlayoutStage(final JitterBufferConfig config, final AudioFormat wireFormat, final AudioFormat sessionFormat) {
        this.jitter = new JitterBuffer(config);
        this.samplesPerFrame = sessionFormat.samplesPerFrame();
        this.concealer = new LossConcealer(samplesPerFrame, 3);
        this.wireCodec = wireFormat.encoding().codec();
        this.sessionCodec = sessionFormat.encoding().codec();
        this.toSession = wireCodec == sessionCodec ? null : G711Transcoder.between(wireCodec, sessionCodec);
        this.wireBytes = new byte[config.slotCapacityBytes()];
        this.outBytes = new byte[Math.max(config.slotCapacityBytes(), samplesPerFrame)];
        this.wire = new UnsafeBuffer(wireBytes);
        this.out = new UnsafeBuffer(outBytes);
        this.pcm = new short[Math.max(samplesPerFrame, config.slotCapacityBytes())];
    }

    /** Offers one received audio packet; see {@link JitterBuffer#offer}. */
    public OfferResult offer(final int ssrc, final int sequenceNumber, final long rtpTimestamp, final boolean marker,
                             final DirectBuffer payload, final int offset, final int length, final long arrivalNs) {
        return jitter.offer(ssrc, sequenceNumber, rtpTimestamp, marker, payload, offset, length, arrivalNs);
    }

    /**
     * One playout tick.
     *
     * @return bytes of caller-format audio in {@link #frame()}, or 0 before playout started
     */
    public int poll(final long nowNs) {
        final PlayoutStatus status = jitter.poll(nowNs, wire, 0);
        switch (status) {
            case FRAME:
                framesPlayed++;
                return played(jitter.lastPayloadLength());
            case CONCEALED:
                framesConcealed++;
                concealer.conceal(pcm, 0);
                encode(samplesPerFrame);
                return samplesPerFrame;
            case SILENCE:
                framesSilence++;
                concealer.silence(pcm, 0);
                Arrays.fill(outBytes, 0, samplesPerFrame, sessionCodec.silenceByte());
                return samplesPerFrame;
            default:
                return 0;
        }
    }

    /**
     * A playout tick whose frame nobody will hear (the call's loop ran too late for it): the jitter buffer moves on
     * exactly as in {@link #poll}, so its playout position keeps pace with real time, but nothing is decoded.
     */
    public void skip(final long nowNs) {
        if (jitter.poll(nowNs, wire, 0) != PlayoutStatus.NOT_STARTED) {
            framesSkipped++;
        }
    }

    private int played(final int length) {
        decodeWire(length);
        if (length == samplesPerFrame) {
            concealer.onFrame(pcm, 0);
        }
        if (toSession == null) {
            System.arraycopy(wireBytes, 0, outBytes, 0, length);
        } else {
            toSession.convert(wireBytes, 0, outBytes, 0, length);
        }
        return length;
    }

    private void decodeWire(final int length) {
        wireCodec.decode(wire, 0, pcm, 0, length);
    }

    private void encode(final int samples) {
        sessionCodec.encode(pcm, 0, out, 0, samples);
    }

    /** The frame written by the last {@link #poll}, in the session's caller format. */
    public DirectBuffer frame() {
        return out;
    }

    /** The jitter buffer, for its statistics. */
    public JitterBuffer jitter() {
        return jitter;
    }

    /** Frames played from received packets. */
    public long framesPlayed() {
        return framesPlayed;
    }

    /** Frames concealed for lost packets. */
    public long framesConcealed() {
        return framesConcealed;
    }

    /** Ticks passed by {@link #skip} after playout had started. */
    public long framesSkipped() {
        return framesSkipped;
    }

    /** Silence frames played in gaps. */
    public long framesSilence() {
        return framesSilence;
    }
}

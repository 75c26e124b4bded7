package io.voxgate.sip.rtp;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.AudioCodec;
import io.voxgate.core.codec.FrameDecoder;
import io.voxgate.core.codec.G711Transcoder;
import io.voxgate.core.jitter.JitterBuffer;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.core.jitter.LossConcealer;
import io.voxgate.core.jitter.OfferResult;
import io.voxgate.core.jitter.PlayoutStatus;
import io.voxgate.core.pipeline.MediaStage;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Caller audio from the RTP receive stage to the call session: the core {@link JitterBuffer} puts packets back
 * in order at an adaptive delay, one 20 ms frame comes out per tick, a lost frame is concealed by the core
 * {@link LossConcealer} on decoded PCM, and a silence gap plays the codec's silence, so the session always gets a
 * steady 20 ms cadence once playout has started.
 *
 * <p>One copy per hop: a payload is copied once, from the datagram into its jitter-buffer slot. A played frame is
 * handed on as the jitter buffer's view of that slot, read in place; it is also decoded once to PCM, which the
 * concealer keeps as the history it fades out when the next frame is missing.
 *
 * <p>The wire codec (what the SDP negotiated) and the session's caller format normally match (PCMU/PCMU or
 * PCMA/PCMA: bytes pass untouched). They differ only when the gateway made the offer (an INVITE without SDP)
 * and the peer chose PCMA after the session was built for PCMU; then a frame is transcoded A-law to mu-law once,
 * from the slot into this stage's frame (a table lookup per sample).
 *
 * <p>Wideband codecs (G.722, Opus) are decoded once per frame by the call's own stateful {@link FrameDecoder}
 * from the slot into PCM, which is handed to the session as PCM16 (its caller format for those codecs). A lost
 * Opus frame whose next packet has arrived carrying in-band FEC is rebuilt from it (RFC 7587 §3.3); otherwise a
 * lost frame is concealed by the codec where it has concealment of its own (Opus PLC), else by repeating and fading
 * the last decoded frame as for G.711; a payload the decoder refuses is concealed the same way and counted.
 *
 * <p>Threading: confined to the call's thread. Ownership: payloads offered are copied into the jitter buffer;
 * {@link #frame()} is a view owned by this stage, valid until the next {@link #offer} or {@link #poll}; do not
 * write to it. Allocates nothing after construction.
 */
public final class RtpPlayoutStage implements MediaStage {
    private final JitterBuffer jitter;
    private final LossConcealer concealer;
    private final AudioCodec wireCodec;
    private final AudioCodec sessionCodec;
    private final G711Transcoder toSession;
    private final FrameDecoder decoder;
    private final int samplesPerFrame;
    private final UnsafeBuffer encoded;
    private final UnsafeBuffer silence;
    private final short[] pcm;
    private DirectBuffer frame;
    private long framesPlayed;
    private long framesConcealed;
    private long framesFecDecoded;
    private long framesSilence;
    private long framesSkipped;
    private long framesUndecodable;
    private long lateDecodedInStep;
    private long skippedDecodedInStep;
    /** Sequence number of the last payload the wideband decoder decoded, or -1 before the first. */
    private int lastDecodedSequence = -1;

    /**
     * A playout stage.
     *
     * @param config        jitter buffer settings (8 kHz, 20 ms)
     * @param wireFormat    the negotiated codec's format
     * @param sessionFormat the caller format the session was built with
     */
    public RtpPlayoutStage(final JitterBufferConfig config, final AudioFormat wireFormat, final AudioFormat sessionFormat) {
        this(config, wireFormat.encoding().codec(), null, sessionFormat);
    }

    /**
     * A playout stage for a wideband codec.
     *
     * @param config        jitter buffer settings on the codec's RTP clock
     * @param decoder       the call's decoder, producing PCM at the session format's rate
     * @param sessionFormat the caller format the session was built with: PCM16 at the decoder's rate
     */
    public RtpPlayoutStage(final JitterBufferConfig config, final FrameDecoder decoder, final AudioFormat sessionFormat) {
        this(config, null, decoder, sessionFormat);
        if (decoder.sampleRateHz() != sessionFormat.sampleRateHz() || sessionFormat.encoding() != AudioEncoding.PCM16) {
            throw new IllegalArgumentException("decoder at " + decoder.sampleRateHz() + " Hz cannot feed a " + sessionFormat
                + " session");
        }
    }

    private RtpPlayoutStage(final JitterBufferConfig config, final AudioCodec wireCodec, final FrameDecoder decoder,
                            final AudioFormat sessionFormat) {
        this.jitter = new JitterBuffer(config);
        this.samplesPerFrame = sessionFormat.samplesPerFrame();
        this.concealer = new LossConcealer(samplesPerFrame, 3);
        this.decoder = decoder;
        this.sessionCodec = sessionFormat.encoding().codec();
        this.wireCodec = wireCodec == null ? sessionCodec : wireCodec;
        this.toSession = this.wireCodec == sessionCodec ? null : G711Transcoder.between(this.wireCodec, sessionCodec);
        final int frameBytes = sessionFormat.bytesPerFrame();
        this.encoded = new UnsafeBuffer(new byte[Math.max(config.slotCapacityBytes(), frameBytes)]);
        final byte[] silent = new byte[frameBytes];
        Arrays.fill(silent, sessionCodec.silenceByte());
        this.silence = new UnsafeBuffer(silent);
        this.pcm = new short[Math.max(samplesPerFrame, config.slotCapacityBytes())];
        this.frame = encoded;
    }

    /** Offers one received audio packet; see {@link JitterBuffer#offer}. */
    public OfferResult offer(final int ssrc, final int sequenceNumber, final long rtpTimestamp, final boolean marker,
                             final DirectBuffer payload, final int offset, final int length, final long arrivalNs) {
        final OfferResult result = jitter.offer(ssrc, sequenceNumber, rtpTimestamp, marker, payload, offset, length,
            arrivalNs);
        if (result == OfferResult.LATE && needsEveryFrame() && lastDecodedSequence >= 0
                && sequenceNumber == (lastDecodedSequence + 1 & 0xFFFF)) {
            // Its slot was concealed, but nothing after it was decoded yet: decoding it now, unheard, keeps G.722's
            // ADPCM in step with the caller's encoder for the frames that follow.
            if (decoder.decode(payload, offset, length, pcm, 0, samplesPerFrame) == samplesPerFrame) {
                lateDecodedInStep++;
            }
            lastDecodedSequence = sequenceNumber;
        }
        return result;
    }

    /** A codec without concealment of its own is one whose state must follow every frame (G.722's ADPCM). */
    private boolean needsEveryFrame() {
        return decoder != null && !decoder.concealsLoss();
    }

    /**
     * One playout tick.
     *
     * @return bytes of caller-format audio in {@link #frame()}, or 0 before playout started
     */
    public int poll(final long nowNs) {
        switch (jitter.poll(nowNs)) {
            case FRAME:
                framesPlayed++;
                decodeSkippedFrame();
                return played(jitter.payload(), jitter.lastPayloadLength());
            case CONCEALED:
                framesConcealed++;
                return recoveredOrConcealed();
            case SILENCE:
                framesSilence++;
                concealer.silence(pcm, 0);
                frame = silence;
                return silence.capacity();
            default:
                return 0;
        }
    }

    /**
     * A playout tick whose frame nobody will hear (the call's loop ran too late for it): the jitter buffer moves on
     * exactly as in {@link #poll}, so its playout position keeps pace with real time. A G.711 or Opus frame is not
     * decoded; a G.722 frame is, and its PCM thrown away: ADPCM state follows every code, so a decoder that missed
     * a frame the far encoder coded would be out of step with it (a distorted stretch of about 150 ms). The codec
     * without concealment of its own is the one that needs this (Opus is built to lose packets).
     */
    public void skip(final long nowNs) {
        final PlayoutStatus status = jitter.poll(nowNs);
        if (status != PlayoutStatus.NOT_STARTED) {
            framesSkipped++;
        }
        if (status == PlayoutStatus.FRAME && needsEveryFrame()) {
            decodeSkippedFrame();
            decoder.decode(jitter.payload(), 0, jitter.lastPayloadLength(), pcm, 0, samplesPerFrame);
            lastDecodedSequence = jitter.lastSequenceNumber();
        }
    }

    /**
     * The jitter buffer skipped a received frame to shorten its delay before the frame it returned: for G.722, that
     * frame is decoded unheard first, so the ADPCM state stays in step with the caller's encoder for the frame played.
     */
    private void decodeSkippedFrame() {
        if (jitter.skippedPayloadLength() > 0 && needsEveryFrame()
                && decoder.decode(jitter.skippedPayload(), 0, jitter.skippedPayloadLength(), pcm, 0, samplesPerFrame)
                    == samplesPerFrame) {
            skippedDecodedInStep++;
        }
    }

    /**
     * A lost frame: rebuilt from the in-band FEC of the packet after it where that has arrived and the codec has FEC
     * (Opus), else concealed.
     */
    private int recoveredOrConcealed() {
        final int nextLength = jitter.recoveryPayloadLength();
        if (decoder != null && nextLength > 0
                && decoder.recover(jitter.recoveryPayload(), 0, nextLength, pcm, 0, samplesPerFrame) == samplesPerFrame) {
            framesFecDecoded++;
            concealer.onFrame(pcm, 0);
            return handedOn();
        }
        return concealed();
    }

    /** One frame standing for a lost one: the codec's own concealment where it has one, else the faded repeat. */
    private int concealed() {
        if (decoder == null || !decoder.concealsLoss() || decoder.conceal(pcm, 0, samplesPerFrame) != samplesPerFrame) {
            concealer.conceal(pcm, 0);
        }
        return handedOn();
    }

    /** The frame in {@code pcm}, encoded into the session's caller format as this tick's {@link #frame()}. */
    private int handedOn() {
        sessionCodec.encode(pcm, 0, encoded, 0, samplesPerFrame);
        frame = encoded;
        return samplesPerFrame * sessionCodec.bytesPerSample();
    }

    /** A wideband frame: decoded once from the slot into PCM, handed on as PCM16. */
    private int decoded(final DirectBuffer payload, final int length) {
        lastDecodedSequence = jitter.lastSequenceNumber();
        if (decoder.decode(payload, 0, length, pcm, 0, samplesPerFrame) != samplesPerFrame) {
            // A payload the codec refuses, or of another duration than the 20 ms we play per tick.
            framesUndecodable++;
            return concealed();
        }
        concealer.onFrame(pcm, 0);
        return handedOn();
    }

    private int played(final DirectBuffer payload, final int length) {
        if (decoder != null) {
            return decoded(payload, length);
        }
        wireCodec.decode(payload, 0, pcm, 0, length);
        if (length == samplesPerFrame) {
            concealer.onFrame(pcm, 0);
        }
        if (toSession == null) {
            frame = payload;
        } else {
            toSession.convert(payload, 0, encoded, 0, length);
            frame = encoded;
        }
        return length;
    }

    /** The frame of the last {@link #poll}, in the session's caller format, from index 0. */
    public DirectBuffer frame() {
        return frame;
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

    /**
     * Of {@link #framesConcealed()}, the frames rebuilt from the in-band FEC the next packet carried (Opus LBRR,
     * {@link io.voxgate.core.codec.OpusInBandFec}); a lost frame whose next packet carried none is concealed, not
     * counted here.
     */
    public long framesFecDecoded() {
        return framesFecDecoded;
    }

    /** Ticks passed by {@link #skip} after playout had started. */
    public long framesSkipped() {
        return framesSkipped;
    }

    /** Wideband payloads the decoder refused or that did not hold one 20 ms frame (each concealed). */
    public long framesUndecodable() {
        return framesUndecodable;
    }

    /** Late G.722 payloads decoded unheard because they were the next in sequence (see {@link #offer}). */
    public long lateDecodedInStep() {
        return lateDecodedInStep;
    }

    /** Received G.722 payloads the jitter buffer skipped to shorten its delay, decoded unheard (see {@link #poll}). */
    public long skippedDecodedInStep() {
        return skippedDecodedInStep;
    }

    /** Silence frames played in gaps. */
    public long framesSilence() {
        return framesSilence;
    }

    @Override
    public String name() {
        return "playout";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("frames_played", framesPlayed);
        visitor.counter("frames_concealed", framesConcealed);
        visitor.counter("frames_fec_decoded", framesFecDecoded);
        visitor.counter("frames_silence", framesSilence);
        visitor.counter("frames_skipped", framesSkipped);
        visitor.counter("frames_undecodable", framesUndecodable);
    }
}

package io.voxgate.core.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import org.agrona.MutableDirectBuffer;

/**
 * Opus (RFC 6716) encoder for one mono stream, through Concentus (a pure-Java port of libopus): PCM at 8, 16 or
 * 24 kHz in, one Opus packet per frame out, as RTP carries it (RFC 7587: one packet per RTP payload, mono, no
 * DTX so the stream never pauses between agent turns, constant bit rate for a steady jitter buffer at the far end).
 *
 * <p>Threading: confined to the stream's thread. Ownership: the packet is encoded into this encoder's scratch
 * array and copied into {@code out}; nothing is kept. Whether Concentus allocates per frame is measured by
 * {@code OpusBenchmark} ({@code docs/performance.md}).
 */
public final class OpusFrameEncoder implements FrameEncoder {
    /** Largest packet this encoder produces: RFC 6716 §3.4 bounds a frame at 1,275 octets; CBR stays far below. */
    public static final int MAX_PACKET_BYTES = 1_275;
    /** Bit rate: wideband speech is transparent around 24 kbit/s; 32 kbit/s leaves room for agents' music. */
    public static final int DEFAULT_BITRATE_BPS = 32_000;
    /** Complexity 5 of 10: half libopus' CPU at speech quality a listener cannot tell apart in a phone call. */
    public static final int DEFAULT_COMPLEXITY = 5;

    private final OpusEncoder encoder;
    private final int sampleRateHz;
    private final byte[] packet = new byte[MAX_PACKET_BYTES];
    private long framesRefused;

    /**
     * A mono VoIP encoder.
     *
     * @param sampleRateHz the PCM rate: 8000, 12000, 16000, 24000 or 48000
     * @param bitrateBps   the target bit rate
     * @param inbandFec    whether to add in-band forward error correction (the peer asked for it by
     *                     {@code useinbandfec=1})
     * @throws IllegalArgumentException when Concentus refuses the rate
     */
    public OpusFrameEncoder(final int sampleRateHz, final int bitrateBps, final boolean inbandFec) {
        try {
            this.encoder = new OpusEncoder(sampleRateHz, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (final OpusException ex) {
            throw new IllegalArgumentException("Opus encoder refused " + sampleRateHz + " Hz mono: " + ex.getMessage(), ex);
        }
        this.sampleRateHz = sampleRateHz;
        encoder.setBitrate(bitrateBps);
        encoder.setComplexity(DEFAULT_COMPLEXITY);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        encoder.setUseVBR(false);
        encoder.setUseDTX(false);
        encoder.setUseInbandFEC(inbandFec);
        encoder.setPacketLossPercent(inbandFec ? 5 : 0);
    }

    @Override
    public int sampleRateHz() {
        return sampleRateHz;
    }

    @Override
    public int encode(final short[] pcm, final int pcmOffset, final int samples, final MutableDirectBuffer out,
                      final int outOffset, final int maxBytes) {
        final int length;
        try {
            length = encoder.encode(pcm, pcmOffset, samples, packet, 0, Math.min(maxBytes, packet.length));
        } catch (final OpusException | RuntimeException ex) {
            framesRefused++;
            return -1;
        }
        if (length <= 0) {
            framesRefused++;
            return -1;
        }
        out.putBytes(outOffset, packet, 0, length);
        return length;
    }

    /** Frames Concentus refused (a frame size Opus does not have, or too small an output). */
    public long framesRefused() {
        return framesRefused;
    }

    @Override
    public void reset() {
        encoder.resetState();
    }
}

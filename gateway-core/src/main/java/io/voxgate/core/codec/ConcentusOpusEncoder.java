package io.voxgate.core.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import org.agrona.MutableDirectBuffer;

/**
 * {@link OpusFrameEncoder} through Concentus (a pure-Java port of libopus): PCM at 8, 12, 16, 24 or 48 kHz in, one
 * Opus packet per frame out. The fallback where libopus does not load ({@link OpusCodecs}): Concentus allocates
 * about 120 KiB per 20 ms frame ({@code WidebandCodecBenchmark}, {@code docs/performance.md}).
 *
 * <p>Threading: confined to the stream's thread. Ownership: the packet is encoded into this encoder's scratch
 * array and copied into {@code out}; nothing is kept.
 */
public final class ConcentusOpusEncoder implements OpusFrameEncoder {

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
    public ConcentusOpusEncoder(final int sampleRateHz, final int bitrateBps, final boolean inbandFec) {
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
        encoder.setPacketLossPercent(inbandFec ? FEC_PACKET_LOSS_PERCENT : 0);
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

    @Override
    public long framesRefused() {
        return framesRefused;
    }

    @Override
    public void reset() {
        encoder.resetState();
    }
}

package io.voxgate.core.codec;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.voxgate.core.resample.PolyphaseResampler;
import org.agrona.DirectBuffer;

/**
 * {@link OpusFrameDecoder} through Concentus, the fallback where libopus does not load ({@link OpusCodecs}): decodes
 * mono at 48 kHz and decimates to the rate asked for with the core polyphase resampler. Opus itself may decode at
 * any of its rates, but Concentus 1.0.2 returns silence for hybrid and CELT packets (what 48 kHz senders such as
 * browsers and baresip send) decoded below 48 kHz; SILK packets decode at any rate. A lost packet is rebuilt from the
 * next packet's in-band FEC where that has arrived, else concealed by Opus' own packet loss concealment. Packets after
 * a DTX pause decode like any other.
 *
 * <p>Threading: confined to the stream's thread. Ownership: a payload in an off-heap buffer is copied once into
 * this decoder's scratch array (Concentus reads only arrays); heap payloads are read in place.
 */
public final class ConcentusOpusDecoder implements OpusFrameDecoder {
    /** The rate Concentus decodes at: Opus' full rate, the only one at which it decodes every mode. */
    private static final int DECODE_RATE_HZ = 48_000;

    private final OpusDecoder decoder;
    private final int sampleRateHz;
    private final PolyphaseResampler decimator;
    private final short[] fullRate = new short[MAX_DECODED_SAMPLES];
    private final byte[] scratch = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
    private long packetsMalformed;

    /**
     * A mono decoder.
     *
     * @param sampleRateHz the PCM rate out: 8000, 16000, 24000 or 48000
     * @throws IllegalArgumentException when the rate is none of those
     */
    public ConcentusOpusDecoder(final int sampleRateHz) {
        try {
            this.decoder = new OpusDecoder(DECODE_RATE_HZ, 1);
        } catch (final OpusException ex) {
            throw new IllegalArgumentException("Opus decoder refused mono: " + ex.getMessage(), ex);
        }
        this.decimator = sampleRateHz == DECODE_RATE_HZ ? null : PolyphaseResampler.create(DECODE_RATE_HZ, sampleRateHz);
        this.sampleRateHz = sampleRateHz;
    }

    @Override
    public int sampleRateHz() {
        return sampleRateHz;
    }

    @Override
    public int decode(final DirectBuffer in, final int offset, final int length, final short[] pcm, final int pcmOffset,
                      final int maxSamples) {
        final int decoded = decodePacket(in, offset, length, maxSamples, false, pcm, pcmOffset);
        if (decoded < 0) {
            packetsMalformed++;
        }
        return decoded;
    }

    /**
     * Opus' FEC decoding, for a packet that carries LBRR ({@link OpusInBandFec}); a refusal is counted when the packet
     * is decoded in its own turn, not here.
     */
    @Override
    public int recover(final DirectBuffer next, final int offset, final int length, final short[] pcm,
                       final int pcmOffset, final int samples) {
        if (!OpusInBandFec.carriedBy(next, offset, length)) {
            return -1;
        }
        return decodePacket(next, offset, length, samples, true, pcm, pcmOffset);
    }

    private int decodePacket(final DirectBuffer in, final int offset, final int length, final int maxSamples,
                             final boolean fec, final short[] pcm, final int pcmOffset) {
        if (length <= 0 || length > scratch.length) {
            return -1;
        }
        final byte[] array = in.byteArray();
        final byte[] source;
        final int from;
        if (array != null) {
            source = array;
            from = in.wrapAdjustment() + offset;
        } else {
            in.getBytes(offset, scratch, 0, length);
            source = scratch;
            from = 0;
        }
        try {
            final int decoded = decoder.decode(source, from, length, fullRate, 0, Math.min(fullRate.length,
                maxSamples * (DECODE_RATE_HZ / sampleRateHz)), fec);
            return toOutputRate(decoded, pcm, pcmOffset);
        } catch (final OpusException | RuntimeException ex) {
            // Concentus is a line-by-line port of C: a hostile packet can end in an index error, not only in
            // OpusException; either way it is the packet's fault, and the call goes on.
            return -1;
        }
    }

    @Override
    public boolean concealsLoss() {
        return true;
    }

    @Override
    public int conceal(final short[] pcm, final int pcmOffset, final int samples) {
        try {
            final int decoded = decoder.decode(null, 0, 0, fullRate, 0, samples * (DECODE_RATE_HZ / sampleRateHz), false);
            return toOutputRate(decoded, pcm, pcmOffset);
        } catch (final OpusException | RuntimeException ex) {
            return -1;
        }
    }

    private int toOutputRate(final int decoded, final short[] pcm, final int pcmOffset) {
        if (decimator == null) {
            System.arraycopy(fullRate, 0, pcm, pcmOffset, decoded);
            return decoded;
        }
        return decimator.process(fullRate, 0, decoded, pcm, pcmOffset);
    }

    @Override
    public long packetsMalformed() {
        return packetsMalformed;
    }

    @Override
    public void reset() {
        decoder.resetState();
        if (decimator != null) {
            decimator.reset();
        }
    }
}

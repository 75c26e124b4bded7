package io.voxgate.core.codec;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import org.agrona.DirectBuffer;

/**
 * Opus (RFC 6716) decoder for one stream, through Concentus: decodes mono at the rate asked for (RFC 7587 §3.1:
 * any receiver may decode a stereo stream to mono and at any of Opus' rates, whatever the 48 kHz RTP clock),
 * so the agent's rate comes straight out with no resampling. A lost packet is concealed by Opus' own packet loss
 * concealment. Packets with in-band FEC or after a DTX pause decode like any other.
 *
 * <p>Threading: confined to the stream's thread. Ownership: a payload in an off-heap buffer is copied once into
 * this decoder's scratch array (Concentus reads only arrays); heap payloads are read in place.
 */
public final class OpusFrameDecoder implements FrameDecoder {
    private final OpusDecoder decoder;
    private final int sampleRateHz;
    private final byte[] scratch = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
    private long packetsMalformed;

    /**
     * A mono decoder.
     *
     * @param sampleRateHz the PCM rate out: 8000, 12000, 16000, 24000 or 48000
     * @throws IllegalArgumentException when Concentus refuses the rate
     */
    public OpusFrameDecoder(final int sampleRateHz) {
        try {
            this.decoder = new OpusDecoder(sampleRateHz, 1);
        } catch (final OpusException ex) {
            throw new IllegalArgumentException("Opus decoder refused " + sampleRateHz + " Hz mono: " + ex.getMessage(), ex);
        }
        this.sampleRateHz = sampleRateHz;
    }

    @Override
    public int sampleRateHz() {
        return sampleRateHz;
    }

    @Override
    public int decode(final DirectBuffer in, final int offset, final int length, final short[] pcm, final int pcmOffset,
                      final int maxSamples) {
        if (length <= 0 || length > scratch.length) {
            packetsMalformed++;
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
            return decoder.decode(source, from, length, pcm, pcmOffset, maxSamples, false);
        } catch (final OpusException | RuntimeException ex) {
            // Concentus is a line-by-line port of C: a hostile packet can end in an index error, not only in
            // OpusException; either way it is the packet's fault, counted, and the call goes on.
            packetsMalformed++;
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
            return decoder.decode(null, 0, 0, pcm, pcmOffset, samples, false);
        } catch (final OpusException | RuntimeException ex) {
            return -1;
        }
    }

    /** Payloads Opus could not decode. */
    public long packetsMalformed() {
        return packetsMalformed;
    }

    @Override
    public void reset() {
        decoder.resetState();
    }
}

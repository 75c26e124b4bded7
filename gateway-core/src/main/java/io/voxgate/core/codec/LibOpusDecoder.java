package io.voxgate.core.codec;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link OpusFrameDecoder} through the system's libopus ({@link LibOpus}), the decoder {@link OpusCodecs} builds
 * whenever libopus loads. It decodes straight at the stream's rate: libopus decodes every mode (SILK, hybrid,
 * CELT) at 8, 12, 16, 24 or 48 kHz, so no resampler follows. A lost packet is rebuilt from the next packet's in-band
 * FEC where that has arrived ({@code opus_decode} with {@code decode_fec}), else concealed by libopus' packet loss
 * concealment ({@code opus_decode} without data). The decoder's state, one packet and the longest Opus frame of
 * PCM live in direct buffers this object owns for its life (the JDK frees them with it), their addresses taken
 * once, so a frame is one copy of the payload in, one native call and one copy of PCM out, with no allocation.
 *
 * <p>Threading: confined to the stream's thread. Ownership: reads {@code in} and writes {@code pcm} only in the
 * given ranges; nothing is kept. A payload libopus refuses (it checks every packet's structure, RFC 6716 §3.4) is
 * counted and returns -1, and the next good packet decodes.
 */
public final class LibOpusDecoder implements OpusFrameDecoder {
    private static final int CHANNELS = 1;

    private final int sampleRateHz;
    /** Held so the native state lives exactly as long as this decoder. */
    private final ByteBuffer stateMemory;
    private final Pointer state;
    private final ByteBuffer pcmMemory;
    private final Pointer pcmOut;
    private final UnsafeBuffer packet;
    private final Pointer packetIn;
    private long packetsMalformed;

    /**
     * A mono decoder; {@link LibOpus#bind()} must have succeeded.
     *
     * @param sampleRateHz the PCM rate out: 8000, 12000, 16000, 24000 or 48000
     * @throws IllegalArgumentException when the rate is none of those
     */
    LibOpusDecoder(final int sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
        this.stateMemory = ByteBuffer.allocateDirect(LibOpus.opus_decoder_get_size(CHANNELS) + Long.BYTES * 2)
            .alignedSlice(Long.BYTES * 2);
        this.state = LibOpus.pointer(stateMemory);
        this.pcmMemory = ByteBuffer.allocateDirect(MAX_DECODED_SAMPLES * Short.BYTES);
        this.pcmOut = LibOpus.pointer(pcmMemory);
        final ByteBuffer packetMemory = ByteBuffer.allocateDirect(OpusFrameEncoder.MAX_PACKET_BYTES);
        this.packet = new UnsafeBuffer(packetMemory);
        this.packetIn = LibOpus.pointer(packetMemory);
        init();
    }

    private void init() {
        final int error = LibOpus.opus_decoder_init(state, sampleRateHz, CHANNELS);
        if (error != LibOpus.OK) {
            throw new IllegalArgumentException("libopus decoder refused " + sampleRateHz + " Hz mono: error " + error);
        }
    }

    @Override
    public int sampleRateHz() {
        return sampleRateHz;
    }

    @Override
    public int decode(final DirectBuffer in, final int offset, final int length, final short[] pcm, final int pcmOffset,
                      final int maxSamples) {
        final int decoded = decodePacket(in, offset, length, Math.min(maxSamples, MAX_DECODED_SAMPLES), 0);
        if (decoded < 0) {
            // Malformed, or longer than maxSamples (a packet of more than the 20 ms we play per tick).
            packetsMalformed++;
            return -1;
        }
        pcmOut.read(0, pcm, pcmOffset, decoded);
        return decoded;
    }

    /**
     * libopus' own FEC decoding: {@code decode_fec} set and the lost frame's duration as the frame size, for a packet
     * that carries LBRR ({@link OpusInBandFec}). A refusal is not counted here: the packet is counted when it is
     * decoded in its own turn.
     */
    @Override
    public int recover(final DirectBuffer next, final int offset, final int length, final short[] pcm,
                       final int pcmOffset, final int samples) {
        if (!OpusInBandFec.carriedBy(next, offset, length)) {
            return -1;
        }
        final int decoded = decodePacket(next, offset, length, Math.min(samples, MAX_DECODED_SAMPLES), 1);
        if (decoded < 0) {
            return -1;
        }
        pcmOut.read(0, pcm, pcmOffset, decoded);
        return decoded;
    }

    private int decodePacket(final DirectBuffer in, final int offset, final int length, final int frameSize,
                             final int decodeFec) {
        if (length <= 0 || length > packet.capacity()) {
            return -1;
        }
        in.getBytes(offset, packet, 0, length);
        return LibOpus.opus_decode(state, packetIn, length, pcmOut, frameSize, decodeFec);
    }

    @Override
    public boolean concealsLoss() {
        return true;
    }

    @Override
    public int conceal(final short[] pcm, final int pcmOffset, final int samples) {
        final int decoded = LibOpus.opus_decode(state, null, 0, pcmOut, Math.min(samples, MAX_DECODED_SAMPLES), 0);
        if (decoded < 0) {
            return -1;
        }
        pcmOut.read(0, pcm, pcmOffset, decoded);
        return decoded;
    }

    @Override
    public long packetsMalformed() {
        return packetsMalformed;
    }

    /** Back to a new decoder's state: libopus' init is its reset. */
    @Override
    public void reset() {
        init();
    }
}

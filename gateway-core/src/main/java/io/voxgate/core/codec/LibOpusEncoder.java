package io.voxgate.core.codec;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link OpusFrameEncoder} through the system's libopus ({@link LibOpus}), the encoder {@link OpusCodecs} builds
 * whenever libopus loads. The encoder's state, one frame of PCM and one packet live in direct buffers this object
 * owns for its life (the JDK frees them with it: nothing to close, nothing to leak), their addresses taken once,
 * so a frame is one copy of PCM in, one native call and one copy of the packet out, with no allocation.
 *
 * <p>Threading: confined to the stream's thread. Ownership: reads {@code pcm} and writes {@code out} only in the
 * given ranges; nothing is kept.
 */
public final class LibOpusEncoder implements OpusFrameEncoder {
    private static final int CHANNELS = 1;
    /** The longest frame libopus encodes: 120 ms at 48 kHz. */
    private static final int MAX_FRAME_SAMPLES = OpusFrameDecoder.MAX_DECODED_SAMPLES;

    private final int sampleRateHz;
    /** Held so the native state lives exactly as long as this encoder. */
    private final ByteBuffer stateMemory;
    private final Pointer state;
    private final ByteBuffer pcmMemory;
    private final Pointer pcmIn;
    private final UnsafeBuffer packet;
    private final Pointer packetOut;
    private long framesRefused;

    /**
     * A mono VoIP encoder; {@link LibOpus#bind()} must have succeeded.
     *
     * @param sampleRateHz the PCM rate: 8000, 12000, 16000, 24000 or 48000
     * @param bitrateBps   the target bit rate (constant)
     * @param inbandFec    whether to add in-band forward error correction (the peer asked for it by
     *                     {@code useinbandfec=1})
     * @throws IllegalArgumentException when libopus refuses the rate or a setting
     */
    LibOpusEncoder(final int sampleRateHz, final int bitrateBps, final boolean inbandFec) {
        this.sampleRateHz = sampleRateHz;
        this.stateMemory = ByteBuffer.allocateDirect(LibOpus.opus_encoder_get_size(CHANNELS) + Long.BYTES * 2)
            .alignedSlice(Long.BYTES * 2);
        this.state = LibOpus.pointer(stateMemory);
        this.pcmMemory = ByteBuffer.allocateDirect(MAX_FRAME_SAMPLES * Short.BYTES);
        this.pcmIn = LibOpus.pointer(pcmMemory);
        final ByteBuffer packetMemory = ByteBuffer.allocateDirect(MAX_PACKET_BYTES);
        this.packet = new UnsafeBuffer(packetMemory);
        this.packetOut = LibOpus.pointer(packetMemory);
        final int error = LibOpus.opus_encoder_init(state, sampleRateHz, CHANNELS, LibOpus.APPLICATION_VOIP);
        if (error != LibOpus.OK) {
            throw new IllegalArgumentException("libopus encoder refused " + sampleRateHz + " Hz mono: error " + error);
        }
        configure(LibOpus.SET_BITRATE, bitrateBps);
        configure(LibOpus.SET_COMPLEXITY, DEFAULT_COMPLEXITY);
        configure(LibOpus.SET_SIGNAL, LibOpus.SIGNAL_VOICE);
        configure(LibOpus.SET_VBR, 0);
        configure(LibOpus.SET_DTX, 0);
        configure(LibOpus.SET_INBAND_FEC, inbandFec ? 1 : 0);
        configure(LibOpus.SET_PACKET_LOSS_PERC, inbandFec ? FEC_PACKET_LOSS_PERCENT : 0);
    }

    private void configure(final int request, final int value) {
        final int error = LibOpus.control().opus_encoder_ctl(state, request, value);
        if (error != LibOpus.OK) {
            throw new IllegalArgumentException("libopus encoder refused setting " + request + " = " + value + ": error " + error);
        }
    }

    @Override
    public int sampleRateHz() {
        return sampleRateHz;
    }

    @Override
    public int encode(final short[] pcm, final int pcmOffset, final int samples, final MutableDirectBuffer out,
                      final int outOffset, final int maxBytes) {
        // The native scratch has no bounds of its own: a frame longer than it is refused here, never written.
        if (samples <= 0 || samples > MAX_FRAME_SAMPLES || pcmOffset < 0 || pcmOffset > pcm.length - samples) {
            framesRefused++;
            return -1;
        }
        pcmIn.write(0, pcm, pcmOffset, samples);
        final int length = LibOpus.opus_encode(state, pcmIn, samples, packetOut, Math.min(maxBytes, MAX_PACKET_BYTES));
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

    /** Back to a new encoder's state; the settings stay. */
    @Override
    public void reset() {
        LibOpus.control().opus_encoder_ctl(state, LibOpus.RESET_STATE);
    }
}

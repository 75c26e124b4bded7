package io.voxgate.sip.call;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.FrameDecoder;
import io.voxgate.core.codec.FrameEncoder;
import io.voxgate.core.codec.G722Decoder;
import io.voxgate.core.codec.G722Encoder;
import io.voxgate.core.codec.OpusCodecs;
import io.voxgate.core.codec.OpusFrameEncoder;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.rtp.RtpPlayoutStage;
import io.voxgate.sip.sdp.OpusPeerParameters;
import io.voxgate.sip.sdp.RtpAudioCodec;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a G.722 or Opus call needs on its RTP path, built at answer time: the call's own encoder and decoder (both
 * stateful, one per call; Opus through the implementation {@link OpusCodecs#system()} picked for the process),
 * the playout stage on the codec's RTP clock, and the silence frame the send stage repeats between agent turns.
 *
 * <p>Threading: stateless; the objects it builds are confined to the call's thread.
 */
final class WidebandCodecs {
    /**
     * Jitter-buffer slot size for wideband payloads: G.722 is 160 octets per 20 ms, Opus at our 32 kbit/s about 80
     * and at 128 kbit/s 320; longer payloads are dropped and counted by the buffer.
     */
    static final int SLOT_CAPACITY_BYTES = 400;
    /**
     * Opus bit rate for a peer that asked for in-band FEC from a 24 kHz agent: the lowest at which libopus and Concentus
     * both code the redundancy there (measured at 32, 40 and 48 kbit/s: none at 32 from libopus).
     */
    static final int OPUS_FEC_SUPER_WIDEBAND_BITRATE_BPS = 40_000;
    /** From this agent rate Opus codes speech in hybrid mode, whose SILK layer carries the FEC. */
    private static final int HYBRID_FROM_HZ = 24_000;
    /** Frames of silence run through a fresh encoder before the one kept, so it is the codec's steady silence. */
    private static final int SILENCE_WARM_UP_FRAMES = 5;

    private WidebandCodecs() {
    }

    /**
     * The call's encoder, taking PCM at the session's rate.
     *
     * @param opusPeer Opus only: what the peer's fmtp asks of what it receives (in-band FEC, average bit rate)
     */
    static FrameEncoder encoder(final RtpAudioCodec codec, final AudioFormat session, final OpusPeerParameters opusPeer) {
        switch (codec) {
            case G722:
                return new G722Encoder();
            case OPUS:
                return OpusCodecs.system().encoder(session.sampleRateHz(), opusBitrateBps(session.sampleRateHz(), opusPeer),
                    opusPeer.usesInbandFec());
            default:
                throw new IllegalArgumentException(codec + " is no wideband codec");
        }
    }

    /**
     * The bit rate the gateway sends Opus at: {@link OpusFrameEncoder#DEFAULT_BITRATE_BPS}, or
     * {@link #OPUS_FEC_SUPER_WIDEBAND_BITRATE_BPS} where the peer asked for in-band FEC and the agent's rate makes Opus code
     * hybrid super-wideband (24 kHz), which at the default rate leaves libopus no room for the redundancy;
     * never above the peer's {@code maxaveragebitrate} (RFC 7587 §6.1: the sender should not exceed it).
     */
    static int opusBitrateBps(final int sessionRateHz, final OpusPeerParameters opusPeer) {
        final int wanted = opusPeer.usesInbandFec() && sessionRateHz >= HYBRID_FROM_HZ ? OPUS_FEC_SUPER_WIDEBAND_BITRATE_BPS
            : OpusFrameEncoder.DEFAULT_BITRATE_BPS;
        return opusPeer.maxAverageBitrateBps() > 0 ? Math.min(wanted, opusPeer.maxAverageBitrateBps()) : wanted;
    }

    /** The call's decoder, producing PCM at the session's rate. */
    static FrameDecoder decoder(final RtpAudioCodec codec, final AudioFormat session) {
        switch (codec) {
            case G722:
                return new G722Decoder();
            case OPUS:
                return OpusCodecs.system().decoder(session.sampleRateHz());
            default:
                throw new IllegalArgumentException(codec + " is no wideband codec");
        }
    }

    /** The playout stage: jitter buffer on the codec's RTP clock, the call's decoder behind it. */
    static RtpPlayoutStage playout(final RtpAudioCodec codec, final AudioFormat session) {
        final JitterBufferConfig config = JitterBufferConfig.builder().clockRateHz(codec.clockRateHz())
            .slotCapacityBytes(SLOT_CAPACITY_BYTES).build();
        return new RtpPlayoutStage(config, decoder(codec, session), session);
    }

    /**
     * Whether idle ticks must be coded by the call's own encoder rather than repeat a prepared frame: G.722's ADPCM
     * decoder adapts on every code, even silence's, so silence from another encoder leaves the far decoder out of
     * step with ours, and the next words decode as about 150 ms of loud distortion (BaresipWidebandIT's onset: the
     * tone only 6 dB over the rest). Opus is built for lost and foreign packets, and coding its silence would cost
     * 0.2-0.4 ms of CPU per idle tick (an encode, on either implementation), so it keeps the prepared frame.
     */
    static boolean codesSilenceInStep(final RtpAudioCodec codec) {
        return codec == RtpAudioCodec.G722;
    }

    /** The longest silence frame the call's encoder writes for {@code codec}. */
    static int maxSilenceLength(final RtpAudioCodec codec, final AudioFormat session) {
        return codec == RtpAudioCodec.G722 ? session.samplesPerFrame() / 2 : SLOT_CAPACITY_BYTES;
    }

    /** One 20 ms frame of digital silence in the codec, as a fresh encoder settles on it. */
    static byte[] silenceFrame(final RtpAudioCodec codec, final AudioFormat session) {
        final FrameEncoder encoder = encoder(codec, session, OpusPeerParameters.NONE);
        final short[] silence = new short[session.samplesPerFrame()];
        final UnsafeBuffer out = new UnsafeBuffer(new byte[SLOT_CAPACITY_BYTES]);
        int length = 0;
        for (int i = 0; i < SILENCE_WARM_UP_FRAMES; i++) {
            length = encoder.encode(silence, 0, silence.length, out, 0, out.capacity());
        }
        if (length <= 0) {
            throw new IllegalStateException(codec + " encoder refused a frame of silence");
        }
        final byte[] frame = new byte[length];
        out.getBytes(0, frame);
        return frame;
    }
}

package io.voxgate.core.codec;

import java.util.Optional;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one place that picks which Opus implementation calls run: the system's libopus ({@link LibOpusEncoder},
 * {@link LibOpusDecoder}; allocation-free per frame) whenever it loads, else Concentus ({@link ConcentusOpusEncoder},
 * {@link ConcentusOpusDecoder}; pure Java, about 120 KiB of garbage per 20 ms frame). libopus does not load on a
 * host without {@code libopus0}, or where JNA's dispatch library cannot be loaded (a temporary directory mounted
 * {@code noexec}; {@code jna.tmpdir} moves it). The process picks once ({@link #system()}); the launcher tells
 * operators which one it got and why.
 *
 * <p>Threading: immutable; safe on any thread. The encoders and decoders it builds are confined to their stream.
 */
public final class OpusCodecs {
    private static final OpusCodecs CONCENTUS = new OpusCodecs(Implementation.CONCENTUS, "Concentus (pure Java)", null);
    /** A frame a fresh libopus must encode and decode before it is trusted: 20 ms at 16 kHz. */
    private static final int PROBE_SAMPLES = 320;
    private static final int PROBE_RATE_HZ = 16_000;

    private final Implementation implementation;
    private final String description;
    private final String fallbackReason;

    /** An Opus implementation, with the label operators see ({@code voxgate_opus_codec_info}). */
    public enum Implementation {
        /** The system's libopus through JNA. */
        LIBOPUS("libopus"),
        /** Concentus, the pure-Java port. */
        CONCENTUS("concentus");

        private final String label;

        Implementation(final String label) {
            this.label = label;
        }

        /** The name in logs and metrics. */
        public String label() {
            return label;
        }
    }

    /** Loads the native library; injectable so a test can stand for a host without it. */
    @FunctionalInterface
    public interface NativeLoader {
        /**
         * Loads and binds libopus.
         *
         * @return the library's version string
         * @throws LinkageError when it cannot be loaded
         */
        String load();
    }

    private OpusCodecs(final Implementation implementation, final String description, final String fallbackReason) {
        this.implementation = implementation;
        this.description = description;
        this.fallbackReason = fallbackReason;
    }

    /** The process's choice, made on first use (class initialisation runs it once, whichever thread asks first). */
    private static final class SystemChoice {
        static final OpusCodecs CHOSEN = choose(LibOpus::bind);

        private SystemChoice() {
        }
    }

    /** This process's choice: libopus if it loads (tried once, on first use), else Concentus. */
    public static OpusCodecs system() {
        return SystemChoice.CHOSEN;
    }

    /** Concentus whatever the host has: the far end of cross-checks, and the benchmarks' comparison. */
    public static OpusCodecs concentus() {
        return CONCENTUS;
    }

    /**
     * libopus through {@code loader} if it loads and codes a frame, else Concentus with the reason.
     *
     * @param loader loads and binds libopus, or throws
     */
    public static OpusCodecs choose(final NativeLoader loader) {
        final String version;
        try {
            version = loader.load();
        } catch (final LinkageError | RuntimeException ex) {
            return fallback("libopus did not load: " + describe(ex));
        }
        try {
            probe();
        } catch (final LinkageError | RuntimeException ex) {
            return fallback(version + " failed its first frame: " + describe(ex));
        }
        return new OpusCodecs(Implementation.LIBOPUS, version, null);
    }

    /**
     * The failure and its causes: JNA reports a dispatch library that failed to load earlier as a bare "Could not
     * initialize class", with the reason (a noexec directory, a missing file) only in its causes.
     */
    private static String describe(final Throwable failure) {
        final StringBuilder text = new StringBuilder(failure.toString());
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && depth < 4; depth++) {
            text.append(", caused by ").append(cause);
            cause = cause.getCause();
        }
        return text.toString();
    }

    private static OpusCodecs fallback(final String reason) {
        return new OpusCodecs(Implementation.CONCENTUS, CONCENTUS.description, reason);
    }

    /** A frame of silence through a fresh encoder and decoder: a library that loads but cannot code is refused. */
    private static void probe() {
        final LibOpusEncoder encoder = new LibOpusEncoder(PROBE_RATE_HZ, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final LibOpusDecoder decoder = new LibOpusDecoder(PROBE_RATE_HZ);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] pcm = new short[PROBE_SAMPLES];
        final int length = encoder.encode(pcm, 0, PROBE_SAMPLES, packet, 0, packet.capacity());
        if (length <= 0 || decoder.decode(packet, 0, length, pcm, 0, PROBE_SAMPLES) != PROBE_SAMPLES) {
            throw new IllegalStateException("a frame of silence did not encode and decode");
        }
    }

    /** Which implementation calls run. */
    public Implementation implementation() {
        return implementation;
    }

    /** The implementation and its version, for the start-up log, e.g. {@code libopus 1.3.1}. */
    public String description() {
        return description;
    }

    /** Why libopus is not in use, when this is the fallback; empty when libopus runs or Concentus was asked for. */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** Whether each Opus frame allocates (Concentus): the start-up warning's subject. */
    public boolean allocatesPerFrame() {
        return implementation == Implementation.CONCENTUS;
    }

    /**
     * A mono VoIP encoder (CBR, complexity {@value OpusFrameEncoder#DEFAULT_COMPLEXITY}, no DTX).
     *
     * @param sampleRateHz the PCM rate: 8000, 12000, 16000, 24000 or 48000
     * @param bitrateBps   the target bit rate
     * @param inbandFec    whether to add in-band FEC (the peer's {@code useinbandfec=1})
     * @throws IllegalArgumentException when the implementation refuses the rate
     */
    public OpusFrameEncoder encoder(final int sampleRateHz, final int bitrateBps, final boolean inbandFec) {
        return implementation == Implementation.LIBOPUS ? new LibOpusEncoder(sampleRateHz, bitrateBps, inbandFec)
            : new ConcentusOpusEncoder(sampleRateHz, bitrateBps, inbandFec);
    }

    /**
     * A mono decoder.
     *
     * @param sampleRateHz the PCM rate out: 8000, 16000, 24000 or 48000 (libopus also 12000)
     * @throws IllegalArgumentException when the implementation refuses the rate
     */
    public OpusFrameDecoder decoder(final int sampleRateHz) {
        return implementation == Implementation.LIBOPUS ? new LibOpusDecoder(sampleRateHz)
            : new ConcentusOpusDecoder(sampleRateHz);
    }

    @Override
    public String toString() {
        return implementation.label() + " (" + description + ")";
    }
}

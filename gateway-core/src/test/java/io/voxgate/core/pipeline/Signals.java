package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.codec.Pcm16LittleEndian;
import java.util.Random;

/**
 * Test signals and measurements shared by the pipeline, call and agent tests: a voiced (harmonic) vowel-like tone
 * that a VAD accepts as speech, quiet background noise, a cough-like burst, encoding into any format, and SNR.
 */
public final class Signals {
    private Signals() {
    }

    /** A voiced sound: fundamental {@code f0Hz} and its first three overtones, at peak {@code amplitude}. */
    public static short[] voiced(final int rateHz, final int ms, final double f0Hz, final double amplitude) {
        final short[] out = new short[rateHz / 1000 * ms];
        for (int i = 0; i < out.length; i++) {
            final double t = (double) i / rateHz;
            double v = 0;
            for (int h = 1; h <= 4; h++) {
                v += Math.sin(2 * Math.PI * f0Hz * h * t) / h;
            }
            out[i] = (short) Math.round(amplitude * v / 2.1);
        }
        return out;
    }

    /** A pure tone. */
    public static short[] tone(final int rateHz, final int ms, final double hz, final double amplitude) {
        final short[] out = new short[rateHz / 1000 * ms];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rateHz));
        }
        return out;
    }

    /** Quiet white background noise (about -60 dBFS at amplitude 30). */
    public static short[] noise(final int rateHz, final int ms, final double amplitude, final long seed) {
        final Random random = new Random(seed);
        final short[] out = new short[rateHz / 1000 * ms];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(amplitude * random.nextGaussian());
        }
        return out;
    }

    /** A cough-like burst: loud broadband noise with an 8 ms attack and an exponential decay. */
    public static short[] cough(final int rateHz, final int ms, final double peak, final long seed) {
        final Random random = new Random(seed);
        final short[] out = new short[rateHz / 1000 * ms];
        final int attack = rateHz / 125;
        for (int i = 0; i < out.length; i++) {
            final double envelope = i < attack ? (double) i / attack : Math.exp(-(i - attack) / (0.05 * rateHz));
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(peak * envelope * random.nextGaussian() / 2)));
        }
        return out;
    }

    /** Concatenates signals. */
    public static short[] concat(final short[]... parts) {
        int total = 0;
        for (final short[] p : parts) {
            total += p.length;
        }
        final short[] out = new short[total];
        int at = 0;
        for (final short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Encodes {@code pcm} in {@code format}'s encoding (the rate must already match). */
    public static byte[] encode(final AudioFormat format, final short[] pcm) {
        switch (format.encoding()) {
            case MULAW: {
                final byte[] out = new byte[pcm.length];
                MuLawCodec.INSTANCE.encode(pcm, 0, out, 0, pcm.length);
                return out;
            }
            case ALAW: {
                final byte[] out = new byte[pcm.length];
                ALawCodec.INSTANCE.encode(pcm, 0, out, 0, pcm.length);
                return out;
            }
            default: {
                final byte[] out = new byte[pcm.length * 2];
                Pcm16LittleEndian.write(pcm, 0, out, 0, pcm.length);
                return out;
            }
        }
    }

    /** Decodes {@code bytes} of {@code format}. */
    public static short[] decode(final AudioFormat format, final byte[] bytes) {
        switch (format.encoding()) {
            case MULAW: {
                final short[] out = new short[bytes.length];
                MuLawCodec.INSTANCE.decode(bytes, 0, out, 0, bytes.length);
                return out;
            }
            case ALAW: {
                final short[] out = new short[bytes.length];
                ALawCodec.INSTANCE.decode(bytes, 0, out, 0, bytes.length);
                return out;
            }
            default: {
                final short[] out = new short[bytes.length / 2];
                Pcm16LittleEndian.read(bytes, 0, out, 0, out.length);
                return out;
            }
        }
    }

    /**
     * Signal-to-noise ratio of {@code actual} against {@code reference} in dB, at the best alignment within
     * {@code maxLag} samples of delay, over the middle of the signal (edges excluded for filter start-up).
     */
    public static double snrDb(final short[] reference, final short[] actual, final int maxLag) {
        double best = Double.NEGATIVE_INFINITY;
        final int from = reference.length / 4;
        final int to = reference.length * 3 / 4;
        for (int lag = 0; lag <= maxLag; lag++) {
            double signal = 0;
            double error = 0;
            for (int i = from; i < to && i + lag < actual.length; i++) {
                final double r = reference[i];
                final double d = actual[i + lag] - r;
                signal += r * r;
                error += d * d;
            }
            best = Math.max(best, 10 * Math.log10(signal / Math.max(error, 1e-9)));
        }
        return best;
    }
}

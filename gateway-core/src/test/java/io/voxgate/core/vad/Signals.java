package io.voxgate.core.vad;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Test signals for the detector: the committed speech clips, seeded noises, clicks and cough-like bursts, and
 * mixing at a given SNR. All sample arrays are doubles in PCM16 units until {@link #toPcm16} clips them.
 */
final class Signals {
    static final int RATE_HZ = 8_000;
    static final int SAMPLES_PER_MS = RATE_HZ / 1_000;
    static final String[] CLIPS = {
        "wait-question-en-us.wav", "no-not-what-i-asked-en-us-f3.wav", "hello-can-you-hear-me-en-gb.wav",
    };

    /** Noise colours used against speech and alone. */
    enum Noise { WHITE, PINK, BROWN }

    private Signals() {
    }

    /** Reads a committed 8 kHz mono PCM16 WAV from {@code src/test/resources/vad/}. */
    static double[] clip(final String name) {
        final byte[] bytes;
        try (InputStream in = Signals.class.getResourceAsStream("/vad/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test clip /vad/" + name);
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            bytes = out.toByteArray();
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
        final ByteBuffer wav = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int rate = 0;
        while (pos + 8 <= bytes.length) {
            final String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            final int size = wav.getInt(pos + 4);
            if ("fmt ".equals(id)) {
                if (wav.getShort(pos + 8) != 1 || wav.getShort(pos + 10) != 1 || wav.getShort(pos + 22) != 16) {
                    throw new IllegalStateException(name + " is not mono PCM16");
                }
                rate = wav.getInt(pos + 12);
            } else if ("data".equals(id)) {
                if (rate != RATE_HZ) {
                    throw new IllegalStateException(name + " is at " + rate + " Hz, not " + RATE_HZ);
                }
                final double[] samples = new double[size / 2];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = wav.getShort(pos + 8 + 2 * i);
                }
                return samples;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IllegalStateException(name + " has no data chunk");
    }

    /** Seeded noise of the given colour, scaled to {@code rmsDbfs} (dBFS as the detector measures it). */
    static double[] noise(final Noise colour, final int samples, final double rmsDbfs, final long seed) {
        final Random random = new Random(seed);
        final double[] out = new double[samples];
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double brown = 0;
        for (int i = 0; i < samples; i++) {
            final double white = random.nextGaussian();
            switch (colour) {
                case WHITE:
                    out[i] = white;
                    break;
                case PINK:
                    // Three-pole approximation of a -3 dB/octave slope over the telephone band.
                    b0 = 0.99765 * b0 + white * 0.0990460;
                    b1 = 0.96300 * b1 + white * 0.2965164;
                    b2 = 0.57000 * b2 + white * 1.0526913;
                    out[i] = b0 + b1 + b2 + white * 0.1848;
                    break;
                default:
                    // Leaky integration: -6 dB/octave above about 25 Hz, the rumble of wind and traffic.
                    brown = 0.98 * brown + white;
                    out[i] = brown;
                    break;
            }
        }
        return scaleTo(out, rmsDbfs);
    }

    /**
     * A cough-like burst: broadband noise (optionally low-passed) with a fast attack and an exponential
     * decay, {@code durationMs} long, peaking near {@code peakDbfs}.
     */
    static double[] cough(final int durationMs, final double peakDbfs, final double lowPass, final long seed) {
        final Random random = new Random(seed);
        final int n = durationMs * SAMPLES_PER_MS;
        final int attack = 8 * SAMPLES_PER_MS;
        final double decaySamples = n / 3.0;
        final double[] out = new double[n];
        double state = 0;
        for (int i = 0; i < n; i++) {
            state = lowPass * state + (1 - lowPass) * random.nextGaussian();
            final double envelope = i < attack ? (double) i / attack : Math.exp(-(i - attack) / decaySamples);
            out[i] = state * envelope;
        }
        // Scale so the loudest 20 ms equals the requested peak level.
        double peakPower = 0;
        for (int i = 0; i + 160 <= n; i += 40) {
            double power = 0;
            for (int k = i; k < i + 160; k++) {
                power += out[k] * out[k];
            }
            peakPower = Math.max(peakPower, power / 160);
        }
        final double gain = Math.sqrt(fullScalePower(peakDbfs) / peakPower);
        for (int i = 0; i < n; i++) {
            out[i] *= gain;
        }
        return out;
    }

    /** Power, in PCM16 units squared, of a level in dBFS. */
    static double fullScalePower(final double dbfs) {
        return 32768.0 * 32768.0 * Math.pow(10, dbfs / 10);
    }

    /** Mean power of a signal in dBFS. */
    static double levelDbfs(final double[] x, final int from, final int to) {
        double power = 0;
        for (int i = from; i < to; i++) {
            power += x[i] * x[i];
        }
        return 10 * Math.log10(Math.max(power / (to - from), 1e-3) / fullScalePower(0));
    }

    /**
     * Active speech level of a clean clip in dBFS: mean power over the 20 ms frames within 30 dB of the
     * loudest (a simple stand-in for ITU-T P.56), the reference for SNR.
     */
    static double activeLevelDbfs(final double[] clean) {
        final int frame = 20 * SAMPLES_PER_MS;
        double loudest = -200;
        for (int i = 0; i + frame <= clean.length; i += frame) {
            loudest = Math.max(loudest, levelDbfs(clean, i, i + frame));
        }
        double power = 0;
        int frames = 0;
        for (int i = 0; i + frame <= clean.length; i += frame) {
            if (levelDbfs(clean, i, i + frame) > loudest - 30) {
                power += fullScalePower(levelDbfs(clean, i, i + frame));
                frames++;
            }
        }
        return 10 * Math.log10(power / frames / fullScalePower(0));
    }

    /** The first sample of speech in a clean clip: start of the first 5 ms block within 30 dB of the loudest frame. */
    static int speechStartSample(final double[] clean) {
        final double threshold = activeLevelDbfs(clean) - 30;
        final int block = 5 * SAMPLES_PER_MS;
        for (int i = 0; i + block <= clean.length; i += block) {
            if (levelDbfs(clean, i, i + block) > threshold) {
                return i;
            }
        }
        throw new IllegalStateException("no speech in clip");
    }

    /** Places {@code clip} at {@code at} in a copy of {@code bed} (which must be long enough). */
    static double[] overlay(final double[] bed, final double[] clip, final int at) {
        final double[] out = bed.clone();
        for (int i = 0; i < clip.length; i++) {
            out[at + i] += clip[i];
        }
        return out;
    }

    /** Rounds and clips to PCM16. */
    static short[] toPcm16(final double[] x) {
        final short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i])));
        }
        return out;
    }

    private static double[] scaleTo(final double[] x, final double rmsDbfs) {
        final double gain = Math.sqrt(fullScalePower(rmsDbfs) / fullScalePower(levelDbfs(x, 0, x.length)));
        for (int i = 0; i < x.length; i++) {
            x[i] *= gain;
        }
        return x;
    }
}

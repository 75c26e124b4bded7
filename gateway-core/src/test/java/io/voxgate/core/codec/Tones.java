package io.voxgate.core.codec;

/** Test signals and their measures for the wideband codec tests: tones, chirps, SNR with the codec's delay. */
final class Tones {
    private Tones() {
    }

    /** A tone of {@code frequencyHz} at {@code amplitude} (of 32767), {@code samples} long at {@code rateHz}. */
    static short[] tone(final int samples, final double frequencyHz, final int rateHz, final int amplitude) {
        final short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequencyHz * i / rateHz));
        }
        return pcm;
    }

    /** A linear chirp from {@code fromHz} to {@code toHz} over {@code samples}. */
    static short[] chirp(final int samples, final double fromHz, final double toHz, final int rateHz, final int amplitude) {
        final short[] pcm = new short[samples];
        final double seconds = (double) samples / rateHz;
        for (int i = 0; i < samples; i++) {
            final double t = (double) i / rateHz;
            final double phase = 2 * Math.PI * (fromHz * t + (toHz - fromHz) * t * t / (2 * seconds));
            pcm[i] = (short) Math.round(amplitude * Math.sin(phase));
        }
        return pcm;
    }

    /**
     * The best signal-to-noise ratio in dB of {@code decoded} against {@code reference} over delays 0..{@code maxDelay}
     * samples (a codec's filters delay the signal), skipping the first {@code settle} samples.
     */
    static double snrDb(final short[] reference, final short[] decoded, final int maxDelay, final int settle) {
        double best = Double.NEGATIVE_INFINITY;
        for (int delay = 0; delay <= maxDelay; delay++) {
            double signal = 0;
            double noise = 0;
            for (int i = settle; i + delay < decoded.length && i < reference.length; i++) {
                final double s = reference[i];
                final double e = decoded[i + delay] - s;
                signal += s * s;
                noise += e * e;
            }
            best = Math.max(best, 10 * Math.log10(signal / Math.max(noise, 1e-9)));
        }
        return best;
    }

    /** Root mean square of {@code pcm[from..]}. */
    static double rms(final short[] pcm, final int from) {
        double sum = 0;
        for (int i = from; i < pcm.length; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / (pcm.length - from));
    }

    /** The frequency, in steps of {@code stepHz} from {@code stepHz} up to half the rate, holding most of the power. */
    static double dominantFrequencyHz(final short[] pcm, final int from, final int rateHz, final double stepHz) {
        double bestHz = 0;
        double bestPower = -1;
        for (double f = stepHz; f < rateHz / 2.0; f += stepHz) {
            double re = 0;
            double im = 0;
            final double w = 2 * Math.PI * f / rateHz;
            for (int i = from; i < pcm.length; i++) {
                re += pcm[i] * Math.cos(w * i);
                im += pcm[i] * Math.sin(w * i);
            }
            final double power = re * re + im * im;
            if (power > bestPower) {
                bestPower = power;
                bestHz = f;
            }
        }
        return bestHz;
    }
}

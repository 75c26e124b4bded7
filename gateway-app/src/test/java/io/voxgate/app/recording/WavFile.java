package io.voxgate.app.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stereo PCM16 WAV read back for a test: its header checked field by field, its channels as samples. */
public final class WavFile {
    /** Sample rate from the header. */
    public final int sampleRateHz;
    /** Left channel (caller). */
    public final short[] left;
    /** Right channel (agent). */
    public final short[] right;

    private WavFile(final int sampleRateHz, final short[] left, final short[] right) {
        this.sampleRateHz = sampleRateHz;
        this.left = left;
        this.right = right;
    }

    /** Reads {@code file}, asserting a canonical 44-byte PCM16 stereo header whose sizes match the file. */
    public static WavFile read(final Path file) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", text(bytes, 0));
        assertEquals(bytes.capacity() - 8, bytes.getInt(4), "RIFF size");
        assertEquals("WAVE", text(bytes, 8));
        assertEquals("fmt ", text(bytes, 12));
        assertEquals(16, bytes.getInt(16));
        assertEquals(1, bytes.getShort(20), "PCM");
        assertEquals(2, bytes.getShort(22), "channels");
        final int rate = bytes.getInt(24);
        assertEquals(rate * 4, bytes.getInt(28), "byte rate");
        assertEquals(4, bytes.getShort(32), "block align");
        assertEquals(16, bytes.getShort(34), "bits per sample");
        assertEquals("data", text(bytes, 36));
        final int data = bytes.getInt(40);
        assertEquals(bytes.capacity() - 44, data, "data size");
        final short[] left = new short[data / 4];
        final short[] right = new short[data / 4];
        for (int i = 0; i < left.length; i++) {
            left[i] = bytes.getShort(44 + 4 * i);
            right[i] = bytes.getShort(46 + 4 * i);
        }
        return new WavFile(rate, left, right);
    }

    /** Seconds of audio. */
    public double seconds() {
        return (double) left.length / sampleRateHz;
    }

    /** Whether every sample of {@code channel} in [fromS, toS) is exactly zero. */
    public static boolean silent(final short[] channel, final int rate, final double fromS, final double toS) {
        for (int i = (int) (fromS * rate); i < Math.min(channel.length, (int) (toS * rate)); i++) {
            if (channel[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The frequency in [fromS, toS) of {@code channel} with the most energy among {@code candidatesHz} (a Goertzel
     * filter per candidate), or -1 when the span is silent.
     */
    public static int dominantHz(final short[] channel, final int rate, final double fromS, final double toS,
                                 final int... candidatesHz) {
        final int from = (int) (fromS * rate);
        final int to = Math.min(channel.length, (int) (toS * rate));
        double best = 0;
        int bestHz = -1;
        for (final int hz : candidatesHz) {
            final double coefficient = 2 * Math.cos(2 * Math.PI * hz / rate);
            double s1 = 0;
            double s2 = 0;
            for (int i = from; i < to; i++) {
                final double s0 = channel[i] + coefficient * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            final double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
            if (power > best) {
                best = power;
                bestHz = hz;
            }
        }
        return bestHz;
    }

    private static String text(final ByteBuffer bytes, final int at) {
        final byte[] four = new byte[4];
        bytes.get(at, four);
        return new String(four, StandardCharsets.US_ASCII);
    }
}

package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our G.722 against an independent implementation, ffmpeg's {@code adpcm_g722} (Debian package {@code ffmpeg}):
 * what we encode, ffmpeg decodes, and the other way round. Skipped when {@code ffmpeg} is not on the path.
 *
 * <p>Bounds: a 100 Hz to 7 kHz chirp at -12 dBFS comes back above 25 dB SNR either way (ffmpeg's own round
 * trip gives about 28 dB on it), at the same level; and our decoding of ffmpeg's stream matches ffmpeg's own
 * decoding above 50 dB, which only holds when both decoders run the same adaptation (a decoder that drifted
 * from the encoder's state would fall to a few dB).
 */
class G722FfmpegCrossCheckTest {
    private static final int RATE = 16_000;
    private static final int MAX_DELAY = 40;
    private static final int SETTLE = 1_600;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireFfmpeg() {
        boolean present;
        try {
            final Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (final IOException ex) {
            present = false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            present = false;
        }
        assumeTrue(present, "ffmpeg is not installed (Debian package ffmpeg); G.722 cross-check skipped");
    }

    @Test
    void shouldBeDecodedByFfmpegAboveTwentyFiveDb() throws Exception {
        final short[] chirp = Tones.chirp(2 * RATE, 100, 7_000, RATE, 8_000);
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[chirp.length / 2]);
        final G722Encoder encoder = new G722Encoder();
        for (int at = 0; at < chirp.length; at += 320) {
            encoder.encode(chirp, at, wire, at / 2, 320);
        }
        final Path g722 = dir.resolve("ours.g722");
        Files.write(g722, wire.byteArray());
        final Path pcm = dir.resolve("ffmpeg.raw");
        ffmpeg("-f", "g722", "-i", g722.toString(), "-f", "s16le", "-ar", "16000", "-ac", "1", pcm.toString());
        final short[] decoded = readPcm(pcm);

        final double snr = Tones.snrDb(chirp, decoded, MAX_DELAY, SETTLE);
        assertTrue(snr > 25, "ffmpeg decoding our stream: SNR " + snr + " dB");
        assertEquals(Tones.rms(chirp, SETTLE), Tones.rms(decoded, SETTLE), Tones.rms(chirp, SETTLE) * 0.05, "level");
    }

    @Test
    void shouldDecodeFfmpegsStreamAboveTwentyFiveDbAndAsFfmpegDoes() throws Exception {
        final short[] chirp = Tones.chirp(2 * RATE, 100, 7_000, RATE, 8_000);
        final Path raw = dir.resolve("in.raw");
        writePcm(raw, chirp);
        final Path g722 = dir.resolve("ffmpeg.g722");
        ffmpeg("-f", "s16le", "-ar", "16000", "-ac", "1", "-i", raw.toString(), "-c:a", "g722", "-f", "g722", g722.toString());
        final byte[] octets = Files.readAllBytes(g722);
        final short[] ours = new short[octets.length * 2];
        final G722Decoder decoder = new G722Decoder();
        final UnsafeBuffer wire = new UnsafeBuffer(octets);
        for (int at = 0; at + 160 <= octets.length; at += 160) {
            decoder.decode(wire, at, 160, ours, at * 2);
        }
        final Path theirsPath = dir.resolve("theirs.raw");
        ffmpeg("-f", "g722", "-i", g722.toString(), "-f", "s16le", "-ar", "16000", "-ac", "1", theirsPath.toString());
        final short[] theirs = readPcm(theirsPath);

        final double snr = Tones.snrDb(chirp, ours, MAX_DELAY, SETTLE);
        assertTrue(snr > 25, "our decoding of ffmpeg's stream: SNR " + snr + " dB");
        final double agreement = Tones.snrDb(theirs, ours, 0, 0);
        assertTrue(agreement > 50, "our decoding against ffmpeg's own: " + agreement + " dB");
    }

    private void ffmpeg(final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        final Path log = dir.resolve("ffmpeg.log");
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ffmpeg did not finish in 60 s");
        assertEquals(0, p.exitValue(), () -> "ffmpeg failed: " + readLog(log));
    }

    private static String readLog(final Path log) {
        try {
            return Files.readString(log);
        } catch (final IOException ex) {
            return ex.toString();
        }
    }

    private static void writePcm(final Path path, final short[] pcm) throws IOException {
        final ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (final short s : pcm) {
            bytes.putShort(s);
        }
        Files.write(path, bytes.array());
    }

    private static short[] readPcm(final Path path) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        final short[] pcm = new short[bytes.remaining() / 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = bytes.getShort();
        }
        return pcm;
    }
}

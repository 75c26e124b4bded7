package io.voxgate.app.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.record.RecordingRing;
import io.voxgate.core.record.RecordingTap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingWriterTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 3_000 * MS;

    @TempDir
    Path dir;
    private RecordingRing ring;
    private RecordingWriter writer;

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
    }

    private void startWriter(final Path directory) {
        ring = new RecordingRing(directory.toString(), 1 << 20);
        writer = new RecordingWriter(ring, directory);
    }

    /** 20 ms of a {@code hz} tone in mu-law, starting at sample {@code from}. */
    private static UnsafeBuffer tone(final int hz, final long from) {
        final short[] pcm = new short[160];
        for (int i = 0; i < 160; i++) {
            pcm[i] = (short) (8_000 * Math.sin(2 * Math.PI * hz * (from + i) / 8_000.0));
        }
        final UnsafeBuffer out = new UnsafeBuffer(new byte[160]);
        MuLawCodec.INSTANCE.encode(pcm, 0, out, 0, 160);
        return out;
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000 * MS;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void shouldWriteCallerLeftAgentRightWithPausedSpanSilentAndAValidHeader() throws Exception {
        startWriter(dir);
        final RecordingTap tap = new RecordingTap(ring, "CA42", AudioFormat.MULAW_8K);
        tap.start(T0);
        for (int frame = 0; frame < 150; frame++) {
            final long now = T0 + frame * 20 * MS;
            if (frame == 50) {
                tap.pause(now);
            }
            if (frame == 100) {
                tap.resume(now);
            }
            tap.onCallerAudio(tone(400, frame * 160L), 0, 160, now);
            tap.onAgentFrame(tone(1_000, frame * 160L), 0, 160, now);
        }
        tap.stop(T0 + 3_000 * MS);
        final Path wav = dir.resolve("CA42.wav");
        await(() -> Files.exists(wav), "the WAV");

        final WavFile file = WavFile.read(wav);
        assertEquals(8_000, file.sampleRateHz);
        assertEquals(24_000, file.left.length);
        assertEquals(400, WavFile.dominantHz(file.left, 8_000, 0, 1, 400, 1_000));
        assertEquals(1_000, WavFile.dominantHz(file.right, 8_000, 0, 1, 400, 1_000));
        assertTrue(WavFile.silent(file.left, 8_000, 1, 2));
        assertTrue(WavFile.silent(file.right, 8_000, 1, 2));
        assertEquals(400, WavFile.dominantHz(file.left, 8_000, 2, 3, 400, 1_000));
        assertEquals(1_000, WavFile.dominantHz(file.right, 8_000, 2, 3, 400, 1_000));
        assertFalse(Files.exists(dir.resolve("CA42.wav.part")));
        assertEquals(1, writer.recordingsWritten());
        // The header is written twice: empty when the file opens, with its sizes when it closes.
        assertEquals(24_000L * 4 + 2 * 44, writer.bytesWritten());
    }

    @Test
    void shouldKeepTheFileUnderItsPartialNameUntilTheRecordingStops() throws Exception {
        startWriter(dir);
        final RecordingTap tap = new RecordingTap(ring, "CA7", AudioFormat.MULAW_8K);
        tap.start(T0);
        for (int frame = 0; frame < 100; frame++) {
            tap.onCallerAudio(tone(400, frame * 160L), 0, 160, T0 + frame * 20 * MS);
        }
        await(() -> Files.exists(dir.resolve("CA7.wav.part")), "the partial file");
        assertFalse(Files.exists(dir.resolve("CA7.wav")));

        tap.stop(T0 + 2_000 * MS);
        await(() -> Files.exists(dir.resolve("CA7.wav")), "the WAV");
        assertEquals(2.0, WavFile.read(dir.resolve("CA7.wav")).seconds(), 0.0001);
    }

    @Test
    void shouldLeaveSilenceWhereTheAgentsTurnWasCut() throws Exception {
        startWriter(dir);
        final RecordingTap tap = new RecordingTap(ring, "CA8", AudioFormat.MULAW_8K);
        tap.start(T0);
        for (int frame = 0; frame < 50; frame++) {
            tap.onAgentFrame(tone(1_000, frame * 160L), 0, 160, T0 + frame * 20 * MS);
        }
        tap.onAgentCut(T0 + 500 * MS);
        tap.stop(T0 + 1_000 * MS);
        await(() -> Files.exists(dir.resolve("CA8.wav")), "the WAV");

        final WavFile file = WavFile.read(dir.resolve("CA8.wav"));
        assertEquals(1_000, WavFile.dominantHz(file.right, 8_000, 0, 0.5, 400, 1_000));
        assertTrue(WavFile.silent(file.right, 8_000, 0.5, 1));
    }

    @Test
    void shouldCountARecordingItCannotCreateAndLeaveTheCallAlone() throws Exception {
        final Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        startWriter(notADirectory);
        final RecordingTap tap = new RecordingTap(ring, "CA9", AudioFormat.MULAW_8K);
        tap.start(T0);
        for (int frame = 0; frame < 50; frame++) {
            tap.onCallerAudio(tone(400, frame * 160L), 0, 160, T0 + frame * 20 * MS);
        }
        tap.stop(T0 + 1_000 * MS);

        await(() -> writer.recordingsFailed() == 1, "the failure count");
        await(() -> writer.recordsUnknown() == 50, "the ignored frames");
        assertEquals(0, writer.recordingsWritten());
        assertEquals(0, tap.framesDroppedFull());
    }

    @Test
    void shouldRefuseToOverwriteAnExistingRecording() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("CA10.wav"), "earlier");
        startWriter(dir);
        final RecordingTap tap = new RecordingTap(ring, "CA10", AudioFormat.MULAW_8K);
        tap.start(T0);
        tap.stop(T0 + 100 * MS);

        await(() -> writer.recordingsFailed() == 1, "the failure count");
        assertEquals("earlier", Files.readString(dir.resolve("CA10.wav")));
    }

    @Test
    void shouldFinishOpenRecordingsWhenClosed() throws Exception {
        startWriter(dir);
        final RecordingTap tap = new RecordingTap(ring, "CA11", AudioFormat.MULAW_8K);
        tap.start(T0);
        for (int frame = 0; frame < 25; frame++) {
            tap.onCallerAudio(tone(400, frame * 160L), 0, 160, T0 + frame * 20 * MS);
        }
        writer.close();

        assertEquals(1, writer.recordingsWritten());
        assertTrue(Files.exists(dir.resolve("CA11.wav")));
    }

    @Test
    void shouldCountARecordingWhoseDirectoryVanishedAndGoOnWithTheOthers() throws Exception {
        final Path sub = Files.createDirectory(dir.resolve("sub"));
        startWriter(sub);
        final RecordingTap lost = new RecordingTap(ring, "CA12", AudioFormat.MULAW_8K);
        lost.start(T0);
        await(() -> Files.exists(sub.resolve("CA12.wav.part")), "the partial file");
        Files.delete(sub.resolve("CA12.wav.part"));
        Files.delete(sub);
        for (int frame = 0; frame < 50; frame++) {
            lost.onCallerAudio(tone(400, frame * 160L), 0, 160, T0 + frame * 20 * MS);
        }
        lost.stop(T0 + 1_000 * MS);

        await(() -> writer.recordingsFailed() == 1, "the failure count");
        assertEquals(0, writer.recordingsWritten());
        assertEquals(0, lost.framesDroppedFull());
    }
}

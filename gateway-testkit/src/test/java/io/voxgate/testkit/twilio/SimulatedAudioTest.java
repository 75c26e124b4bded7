package io.voxgate.testkit.twilio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.voxgate.core.codec.MuLawCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedAudioTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackTheMuLawWavItWrites() throws Exception {
        final SimulatedAudio tone = SimulatedAudio.tone(440, 101, 10_000);
        final Path wav = dir.resolve("tone.wav");
        SimulatedAudio.writeWav(wav, tone.mulaw());
        assertArrayEquals(tone.mulaw(), SimulatedAudio.fromWav(wav).mulaw());
    }

    @Test
    void shouldConvertA16BitPcmWavToMuLaw() throws Exception {
        final short[] pcm = {0, 1000, -1000, 32767, -32768};
        final ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.putInt(0x46464952).putInt(36 + pcm.length * 2).putInt(0x45564157);
        wav.putInt(0x20746D66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000)
            .putShort((short) 2).putShort((short) 16);
        wav.putInt(0x61746164).putInt(pcm.length * 2);
        for (final short s : pcm) {
            wav.putShort(s);
        }
        final Path file = dir.resolve("pcm.wav");
        Files.write(file, wav.array());
        final byte[] expected = new byte[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            expected[i] = MuLawCodec.INSTANCE.encode(pcm[i]);
        }
        assertArrayEquals(expected, SimulatedAudio.fromWav(file).mulaw());
    }

    @Test
    void shouldRefuseAWavAtAnotherRate() throws Exception {
        final ByteBuffer wav = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
        wav.putInt(0x46464952).putInt(38).putInt(0x45564157);
        wav.putInt(0x20746D66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000)
            .putShort((short) 2).putShort((short) 16);
        wav.putInt(0x61746164).putInt(2).putShort((short) 0);
        final Path file = dir.resolve("wide.wav");
        Files.write(file, wav.array());
        assertThrows(IllegalArgumentException.class, () -> SimulatedAudio.fromWav(file));
    }

    @Test
    void shouldMakeSilenceOfTheRequestedLength() {
        final SimulatedAudio silence = SimulatedAudio.silence(20);
        assertEquals(160, silence.length());
        assertEquals(MuLawCodec.INSTANCE.silenceByte(), silence.mulaw()[0]);
    }

    @Test
    void shouldJoinPartsInOrder() {
        final SimulatedAudio tone = SimulatedAudio.tone(440, 10, 8_000);
        final SimulatedAudio joined = SimulatedAudio.concat(SimulatedAudio.silence(5), tone, SimulatedAudio.silence(5));
        assertEquals(160, joined.length());
        assertEquals(MuLawCodec.INSTANCE.silenceByte(), joined.mulaw()[39]);
        assertArrayEquals(tone.mulaw(), Arrays.copyOfRange(joined.mulaw(), 40, 120));
        assertEquals(MuLawCodec.INSTANCE.silenceByte(), joined.mulaw()[120]);
    }

    @Test
    void shouldHoldTheBase64OfEveryFramePaddedWithSilenceAndSilenceBeyondTheEnd() {
        final SimulatedAudio tone = SimulatedAudio.tone(440, 45, 10_000);
        assertEquals(3, tone.frames());
        final byte[] mulaw = Arrays.copyOf(tone.mulaw(), 3 * 160);
        Arrays.fill(mulaw, tone.length(), mulaw.length, MuLawCodec.INSTANCE.silenceByte());
        final byte[] silent = new byte[160];
        Arrays.fill(silent, MuLawCodec.INSTANCE.silenceByte());
        for (int i = 0; i < 5; i++) {
            final byte[] expected = i < 3 ? Arrays.copyOfRange(mulaw, i * 160, i * 160 + 160) : silent;
            final int at = tone.frameBase64Offset(i);
            final byte[] base64 = Arrays.copyOfRange(tone.frameBase64(i), at, at + SimulatedAudio.FRAME_BASE64_BYTES);
            assertArrayEquals(expected, Base64.getDecoder().decode(base64), "frame " + i);
        }
    }
}

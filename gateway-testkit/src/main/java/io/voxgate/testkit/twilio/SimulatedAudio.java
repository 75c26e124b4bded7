package io.voxgate.testkit.twilio;

import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.websocket.twilio.wire.Base64Encoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a simulated caller says: 8 kHz mono mu-law bytes, as Twilio streams them.
 *
 * <p>Sources: a tone, silence, a WAV file (8 kHz mono, mu-law or 16-bit PCM, converted), or raw mu-law. Also writes
 * mu-law WAV files (recordings of what a simulated caller heard). Immutable; safe on any thread.
 */
public final class SimulatedAudio {
    /** Bytes of 8 kHz mu-law per millisecond. */
    public static final int BYTES_PER_MS = 8;

    /** Bytes of one 20 ms media message's audio. */
    static final int FRAME_BYTES = 160;
    /** Base64 characters of one 20 ms frame. */
    static final int FRAME_BASE64_BYTES = Base64Encoder.encodedLength(FRAME_BYTES);

    private static final int WAVE_FORMAT_PCM = 1;
    private static final int WAVE_FORMAT_MULAW = 7;
    private static final byte[] SILENT_FRAME_BASE64 = base64Frames(new byte[0], 1);

    private final byte[] mulaw;
    /**
     * The base64 of every 20 ms frame, the last padded with silence, {@link #FRAME_BASE64_BYTES} each: encoded once
     * here, so the calls that stream this audio (a load run shares one instance among all) only copy it.
     */
    private final byte[] frameBase64;

    private SimulatedAudio(final byte[] mulaw) {
        this.mulaw = mulaw;
        this.frameBase64 = base64Frames(mulaw, (mulaw.length + FRAME_BYTES - 1) / FRAME_BYTES);
    }

    private static byte[] base64Frames(final byte[] mulaw, final int frames) {
        final byte[] padded = Arrays.copyOf(mulaw, frames * FRAME_BYTES);
        Arrays.fill(padded, mulaw.length, padded.length, MuLawCodec.INSTANCE.silenceByte());
        final byte[] base64 = new byte[frames * FRAME_BASE64_BYTES];
        final UnsafeBuffer src = new UnsafeBuffer(padded);
        final UnsafeBuffer dst = new UnsafeBuffer(base64);
        for (int i = 0; i < frames; i++) {
            Base64Encoder.encode(src, i * FRAME_BYTES, FRAME_BYTES, dst, i * FRAME_BASE64_BYTES);
        }
        return base64;
    }

    /** The given mu-law bytes (copied). */
    public static SimulatedAudio ofMuLaw(final byte[] mulaw) {
        return new SimulatedAudio(mulaw.clone());
    }

    /** The given parts one after the other, as one caller's script (e.g. speech, a pause, an interruption). */
    public static SimulatedAudio concat(final SimulatedAudio... parts) {
        int length = 0;
        for (final SimulatedAudio part : parts) {
            length += part.mulaw.length;
        }
        final byte[] joined = new byte[length];
        int at = 0;
        for (final SimulatedAudio part : parts) {
            System.arraycopy(part.mulaw, 0, joined, at, part.mulaw.length);
            at += part.mulaw.length;
        }
        return new SimulatedAudio(joined);
    }

    /** {@code durationMs} of mu-law silence. */
    public static SimulatedAudio silence(final int durationMs) {
        final byte[] bytes = new byte[durationMs * BYTES_PER_MS];
        Arrays.fill(bytes, MuLawCodec.INSTANCE.silenceByte());
        return new SimulatedAudio(bytes);
    }

    /**
     * A sine tone of {@code frequencyHz} for {@code durationMs} at {@code amplitude} (0-32767 of full scale).
     *
     * @throws IllegalArgumentException when the frequency is not in (0, 4000) Hz or the amplitude out of range
     */
    public static SimulatedAudio tone(final double frequencyHz, final int durationMs, final int amplitude) {
        if (frequencyHz <= 0 || frequencyHz >= 4000) {
            throw new IllegalArgumentException("tone frequency must be in (0, 4000) Hz for 8 kHz audio, was " + frequencyHz);
        }
        if (amplitude < 0 || amplitude > 32_767) {
            throw new IllegalArgumentException("amplitude must be in [0, 32767], was " + amplitude);
        }
        final byte[] bytes = new byte[durationMs * BYTES_PER_MS];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = MuLawCodec.INSTANCE.encode((short) Math.round(amplitude * Math.sin(2 * Math.PI * frequencyHz * i / 8000.0)));
        }
        return new SimulatedAudio(bytes);
    }

    /** Raw headerless 8 kHz mu-law from a file. */
    public static SimulatedAudio fromMuLaw(final Path file) throws IOException {
        return new SimulatedAudio(Files.readAllBytes(file));
    }

    /**
     * A WAV file of 8 kHz mono mu-law (format 7) or 16-bit PCM (format 1, converted to mu-law).
     *
     * @throws IllegalArgumentException naming the file and the problem when it is not such a WAV file
     */
    public static SimulatedAudio fromWav(final Path file) throws IOException {
        final ByteBuffer wav = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.remaining() < 12 || wav.getInt(0) != 0x46464952 || wav.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException(file + " is not a RIFF/WAVE file");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int pos = 12;
        while (pos + 8 <= wav.limit()) {
            final int id = wav.getInt(pos);
            final int size = wav.getInt(pos + 4);
            final int body = pos + 8;
            if (size < 0 || body + size > wav.limit()) {
                throw new IllegalArgumentException(file + " has a truncated chunk");
            }
            if (id == 0x20746D66) {
                format = wav.getShort(body) & 0xFFFF;
                channels = wav.getShort(body + 2);
                rate = wav.getInt(body + 4);
                bits = wav.getShort(body + 14);
            } else if (id == 0x61746164) {
                if (channels != 1 || rate != 8000) {
                    throw new IllegalArgumentException(file + " must be 8000 Hz mono, is " + rate + " Hz with " + channels + " channels");
                }
                final byte[] data = new byte[size];
                wav.get(body, data);
                if (format == WAVE_FORMAT_MULAW && bits == 8) {
                    return new SimulatedAudio(data);
                }
                if (format == WAVE_FORMAT_PCM && bits == 16) {
                    final byte[] mulaw = new byte[size / 2];
                    for (int i = 0; i < mulaw.length; i++) {
                        mulaw[i] = MuLawCodec.INSTANCE.encode(wav.getShort(body + 2 * i));
                    }
                    return new SimulatedAudio(mulaw);
                }
                throw new IllegalArgumentException(file + " must be mu-law (format 7, 8 bit) or PCM (format 1, 16 bit), is format "
                    + format + " with " + bits + " bits");
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException(file + " has no fmt and data chunks");
    }

    /** Writes {@code mulaw} (8 kHz mono) as a mu-law WAV file. */
    public static void writeWav(final Path file, final byte[] mulaw) throws IOException {
        final ByteBuffer wav = ByteBuffer.allocate(58 + mulaw.length + (mulaw.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        wav.putInt(0x46464952).putInt(wav.capacity() - 8).putInt(0x45564157);
        // fmt chunk of a non-PCM format carries cbSize (WAVEFORMATEX) and a fact chunk follows.
        wav.putInt(0x20746D66).putInt(18).putShort((short) WAVE_FORMAT_MULAW).putShort((short) 1).putInt(8000).putInt(8000)
            .putShort((short) 1).putShort((short) 8).putShort((short) 0);
        wav.putInt(0x74636166).putInt(4).putInt(mulaw.length);
        wav.putInt(0x61746164).putInt(mulaw.length).put(mulaw);
        Files.write(file, wav.array());
    }

    /** The audio (a copy). */
    public byte[] mulaw() {
        return mulaw.clone();
    }

    /** Bytes of audio. */
    public int length() {
        return mulaw.length;
    }

    /** Duration in milliseconds. */
    public int durationMs() {
        return mulaw.length / BYTES_PER_MS;
    }

    /** Bytes of this audio that are not mu-law zero: what an echo of it must bring back, byte for byte. */
    public int audibleBytes() {
        return audibleBytes(mulaw);
    }

    /** Bytes of {@code mulaw} that are not mu-law zero (either of its two codes). */
    public static int audibleBytes(final byte[] mulaw) {
        int audible = 0;
        for (final byte b : mulaw) {
            if (!silent(b)) {
                audible++;
            }
        }
        return audible;
    }

    /** Whether {@code b} is mu-law zero: 0xFF, or 0x7F, the negative zero. */
    public static boolean silent(final byte b) {
        return b == (byte) 0xFF || b == (byte) 0x7F;
    }

    /** 20 ms frames of audio, the last one padded with silence. */
    int frames() {
        return frameBase64.length / FRAME_BASE64_BYTES;
    }

    /** Holds the base64 of frame {@code index} at {@link #frameBase64Offset}; silence past the end. Do not modify. */
    byte[] frameBase64(final int index) {
        return index < frames() ? frameBase64 : SILENT_FRAME_BASE64;
    }

    /** Where frame {@code index}'s base64 starts in {@link #frameBase64}. */
    int frameBase64Offset(final int index) {
        return index < frames() ? index * FRAME_BASE64_BYTES : 0;
    }
}

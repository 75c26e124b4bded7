package io.voxgate.app.recording;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 44-byte RIFF/WAVE header of a PCM16 file (canonical layout, little-endian):
 * <pre>
 *  0 "RIFF"   4 riff size = 36 + data bytes   8 "WAVE"
 * 12 "fmt "  16 fmt size = 16  20 format = 1 (PCM)  22 channels  24 sample rate  28 byte rate  32 block align
 * 34 bits per sample = 16
 * 36 "data"  40 data bytes
 * 44 samples, interleaved (left, right)
 * </pre>
 * Written with a zero length when a recording opens and rewritten with the real one when it closes.
 *
 * <p>Stateless; safe on any thread.
 */
final class WavHeader {
    /** Length of the header: the offset of the first sample. */
    static final int LENGTH = 44;
    static final int RIFF_SIZE_OFFSET = 4;
    static final int DATA_SIZE_OFFSET = 40;
    private static final int BITS_PER_SAMPLE = 16;

    private WavHeader() {
    }

    /** The header of a PCM16 file of {@code channels} at {@code sampleRateHz} holding {@code dataBytes}. */
    static ByteBuffer of(final int channels, final int sampleRateHz, final long dataBytes) {
        final ByteBuffer header = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final int blockAlign = channels * BITS_PER_SAMPLE / 8;
        header.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) Math.min(0xFFFF_FFFFL, 36 + dataBytes))
            .put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16).putShort((short) 1)
            .putShort((short) channels).putInt(sampleRateHz).putInt(sampleRateHz * blockAlign).putShort((short) blockAlign)
            .putShort((short) BITS_PER_SAMPLE).put(new byte[] {'d', 'a', 't', 'a'})
            .putInt((int) Math.min(0xFFFF_FFFFL, dataBytes));
        return header.flip();
    }
}

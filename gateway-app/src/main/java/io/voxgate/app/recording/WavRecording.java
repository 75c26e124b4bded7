package io.voxgate.app.recording;

import io.voxgate.core.codec.AudioCodec;
import io.voxgate.core.record.RecordingTap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;

/**
 * One recording being written: a window of the most recent stereo PCM16 samples, filled channel by channel at the
 * positions the ring gives, and flushed to {@code <name>.wav.part} behind the newest position; silence wherever
 * nothing was written. On close the header gets its length and the file is renamed to {@code <name>.wav} in one
 * atomic move, so no half-written file ever has the final name.
 *
 * <p>Threading: the writer thread only. Allocates its window once, when it opens (64 KiB for 2 s at 8 kHz); the
 * decode and write buffers are the writer's, shared by its recordings.
 */
final class WavRecording {
    private static final int CHANNELS = 2;

    private final RecordingTap tap;
    private final Path part;
    private final Path wav;
    private final AudioCodec codec;
    private final int bytesPerSample;
    private final int windowSamples;
    private final short[] window;
    private final short[] decoded;
    private final ByteBuffer out;
    private final AtomicLong samplesLate;
    private final AtomicLong bytesWritten;
    private FileChannel file;
    private long flushed;
    private long high;

    /**
     * Opens {@code <dir>/<name>.wav.part} for {@code tap}, with a window of {@code windowSamples} per channel; late
     * samples and bytes written are added to the writer's counters. {@code decoded} (at least {@code windowSamples})
     * and {@code out} (at least 4 bytes per window sample) are the writer's scratch buffers.
     *
     * @throws IOException when the file cannot be created (the directory is missing or unwritable, the final file
     *                     already exists, the disk is full)
     */
    WavRecording(final RecordingTap tap, final Path wav, final int windowSamples, final short[] decoded,
                 final ByteBuffer out, final AtomicLong samplesLate, final AtomicLong bytesWritten) throws IOException {
        this.tap = tap;
        this.samplesLate = samplesLate;
        this.bytesWritten = bytesWritten;
        this.wav = wav;
        this.part = wav.resolveSibling(wav.getFileName() + ".part");
        this.codec = tap.format().encoding().codec();
        this.bytesPerSample = codec.bytesPerSample();
        this.windowSamples = windowSamples;
        this.window = new short[CHANNELS * windowSamples];
        this.decoded = decoded;
        this.out = out;
        if (Files.exists(wav)) {
            throw new IOException(wav + " already exists");
        }
        this.file = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            writeFully(WavHeader.of(CHANNELS, tap.format().sampleRateHz(), 0), 0);
        } catch (final IOException ex) {
            abandon();
            throw ex;
        }
    }

    RecordingTap tap() {
        return tap;
    }

    /** Audio of {@code channel} from {@code position}; what lies before the flushed part is late and counted. */
    void onAudio(final int channel, final long position, final DirectBuffer buffer, final int index, final int length)
        throws IOException {
        final int samples = Math.min(length / bytesPerSample, windowSamples);
        final long end = position + samples;
        if (end > flushed + windowSamples) {
            flushTo(end - windowSamples);
        }
        final long from = Math.max(position, flushed);
        if (from > position) {
            samplesLate.addAndGet(from - position);
        }
        if (from >= end) {
            return;
        }
        final int skip = (int) (from - position);
        final int count = (int) (end - from);
        codec.decode(buffer, index + skip * bytesPerSample, decoded, 0, count);
        for (int i = 0; i < count; i++) {
            window[CHANNELS * slot(from + i) + channel] = decoded[i];
        }
        high = Math.max(high, end);
    }

    /** Silence from {@code position} on the channels of {@code mask} (bit 0 left, bit 1 right). */
    void onErase(final int mask, final long position) {
        final long from = Math.max(position, flushed);
        for (long at = from; at < Math.min(high, flushed + windowSamples); at++) {
            for (int channel = 0; channel < CHANNELS; channel++) {
                if ((mask & (1 << channel)) != 0) {
                    window[CHANNELS * slot(at) + channel] = 0;
                }
            }
        }
    }

    /** Writes what lies more than {@code holdSamples} behind the newest position, in chunks of at least {@code chunk}. */
    void flushBehind(final long holdSamples, final long chunkSamples) throws IOException {
        if (high - holdSamples - flushed >= chunkSamples) {
            flushTo(high - holdSamples);
        }
    }

    /** Ends the file at {@code endPosition} samples, fills in the header and renames it to its final name. */
    void finish(final long endPosition) throws IOException {
        flushTo(endPosition);
        writeFully(WavHeader.of(CHANNELS, tap.format().sampleRateHz(), endPosition * CHANNELS * 2), 0);
        file.force(false);
        file.close();
        file = null;
        Files.move(part, wav, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Closes and deletes the partial file after a failure (a full disk gets its space back). */
    void abandon() {
        try {
            if (file != null) {
                file.close();
                file = null;
            }
            Files.deleteIfExists(part);
        } catch (final IOException ex) {
            file = null;
        }
    }

    private int slot(final long position) {
        return (int) (position % windowSamples);
    }

    private void flushTo(final long target) throws IOException {
        while (flushed < target) {
            final int at = slot(flushed);
            final int count = (int) Math.min(target - flushed, windowSamples - at);
            out.clear();
            for (int i = CHANNELS * at; i < CHANNELS * (at + count); i++) {
                out.putShort(window[i]);
            }
            Arrays.fill(window, CHANNELS * at, CHANNELS * (at + count), (short) 0);
            out.flip();
            writeFully(out, WavHeader.LENGTH + flushed * CHANNELS * 2);
            flushed += count;
        }
    }

    private void writeFully(final ByteBuffer bytes, final long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            final int written = file.write(bytes, at);
            at += written;
            bytesWritten.addAndGet(written);
        }
    }
}

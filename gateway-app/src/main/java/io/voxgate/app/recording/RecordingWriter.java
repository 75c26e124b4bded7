package io.voxgate.app.recording;

import io.voxgate.core.record.RecordingRing;
import io.voxgate.core.record.RecordingTap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's recording writer: one thread drains the {@link RecordingRing} that every call's tap fills and writes one
 * stereo PCM16 WAV per recording (caller left, agent right, at the caller's sample rate) under {@code --recording-dir},
 * the way the CDR writer drains its ring. A recording is written {@link #HOLD_MS} behind its newest audio, so the two
 * channels (the agent's runs up to the outbound lead ahead) meet in memory before they reach the disk.
 *
 * <p>A recording that cannot be written (directory missing or unwritable, disk full, the file already there) is
 * abandoned: its partial file is deleted, it is counted in {@link #recordingsFailed()} and logged once; the call never
 * notices. A stopped recording is finished on the writer's next pass after it saw the stop, once the ring holding the
 * recording's last frames has been drained.
 *
 * <p>Threading: the constructor starts the thread; the counters are safe on any thread; {@link #close} once, from the
 * control thread, after the calls ended: it finishes every recording (open ones end at their newest audio) and stops
 * the writer.
 */
public final class RecordingWriter implements AutoCloseable {
    /** Audio is written this far behind the newest position: far more than the outbound lead and loop jitter. */
    public static final int HOLD_MS = 500;
    /** Each recording keeps this much audio in memory (per channel); positions further ahead force a flush. */
    public static final int WINDOW_MS = 2_000;
    /** Appends are at least this long, so a file is written in a few large writes a second, not fifty small ones. */
    public static final int CHUNK_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(RecordingWriter.class);
    private static final int READ_LIMIT = 4_096;
    /** The highest caller rate the scratch buffers are sized for (PCM16 at 48 kHz); no edge offers more. */
    private static final int MAX_RATE_HZ = 48_000;

    private final RecordingRing ring;
    private final Path directory;
    private final Thread writer;
    private final Int2ObjectHashMap<WavRecording> open = new Int2ObjectHashMap<>();
    private final List<WavRecording> stopping = new ArrayList<>();
    private final List<WavRecording> stopped = new ArrayList<>();
    private final List<WavRecording> flushing = new ArrayList<>();
    private final AtomicLong recordingsWritten = new AtomicLong();
    private final AtomicLong recordingsFailed = new AtomicLong();
    private final AtomicLong recordsUnknown = new AtomicLong();
    private final AtomicLong samplesLate = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final short[] decoded = new short[MAX_RATE_HZ * WINDOW_MS / 1_000];
    private final ByteBuffer out = ByteBuffer.allocateDirect(4 * MAX_RATE_HZ * WINDOW_MS / 1_000)
        .order(ByteOrder.LITTLE_ENDIAN);
    private volatile boolean running = true;

    /** A writer of {@code ring}'s recordings into {@code directory}; its thread starts at once. */
    public RecordingWriter(final RecordingRing ring, final Path directory) {
        this.ring = ring;
        this.directory = directory;
        this.writer = new Thread(this::run, "voxgate-recording");
        writer.setDaemon(true);
        writer.start();
    }

    /** Recordings finished and renamed to their final name. */
    public long recordingsWritten() {
        return recordingsWritten.get();
    }

    /** Recordings abandoned: the file could not be created or written (their partial file is deleted). */
    public long recordingsFailed() {
        return recordingsFailed.get();
    }

    /** Records for a recording the writer does not have open (it failed, or its start was not seen): ignored. */
    public long recordsUnknown() {
        return recordsUnknown.get();
    }

    /** Samples that reached the writer behind what it had already written (written as silence). */
    public long samplesLate() {
        return samplesLate.get();
    }

    /** Bytes written to recording files, headers included: the disk bandwidth recordings cost. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000_000L, 20_000_000L);
        while (running) {
            final int work = pass();
            idle.idle(work);
        }
        pass();
        pass();
        for (final WavRecording recording : open.values()) {
            final long end = recording.tap().endPosition();
            finish(recording, end >= 0 ? end : 0);
        }
        open.clear();
    }

    /** One pass: take new recordings, drain the ring, flush, finish what was stopped before the last drain. */
    private int pass() {
        int work = takeOpened();
        for (final WavRecording recording : open.values()) {
            if (recording.tap().endPosition() >= 0 && !stopped.contains(recording)) {
                stopping.add(recording);
            }
        }
        int read;
        while ((read = ring.read(this::onRecord, READ_LIMIT)) > 0) {
            work += read;
        }
        // Stopped before the previous pass's drain: every frame it committed before its stop has now been read.
        for (final WavRecording recording : stopped) {
            open.remove(recording.tap().id());
            finish(recording, recording.tap().endPosition());
            work++;
        }
        stopped.clear();
        stopped.addAll(stopping);
        stopping.clear();
        flushing.clear();
        flushing.addAll(open.values());
        for (final WavRecording recording : flushing) {
            if (!stopped.contains(recording)) {
                flushBehind(recording);
            }
        }
        return work;
    }

    private int takeOpened() {
        int taken = 0;
        RecordingTap tap;
        while ((tap = ring.pollOpened()) != null) {
            taken++;
            final Path wav = directory.resolve(RecordingRing.fileNameOf(tap.callId()) + ".wav");
            try {
                open.put(tap.id(), new WavRecording(tap, wav, tap.format().sampleRateHz() * WINDOW_MS / 1_000, decoded,
                    out, samplesLate, bytesWritten));
            } catch (final IOException ex) {
                fail(wav, ex);
            }
        }
        return taken;
    }

    private void onRecord(final int type, final DirectBuffer buffer, final int index, final int length) {
        final int id = buffer.getInt(index + RecordingRing.ID_OFFSET);
        WavRecording recording = open.get(id);
        if (recording == null && takeOpened() > 0) {
            // The tap was announced after this pass took the new recordings, and its first frame came right after.
            recording = open.get(id);
        }
        if (recording == null) {
            recordsUnknown.incrementAndGet();
            return;
        }
        final int channel = buffer.getInt(index + RecordingRing.CHANNEL_OFFSET);
        final long position = buffer.getLong(index + RecordingRing.POSITION_OFFSET);
        if (type == RecordingRing.ERASE) {
            recording.onErase(channel, position);
            return;
        }
        try {
            recording.onAudio(channel, position, buffer, index + RecordingRing.AUDIO_OFFSET,
                length - RecordingRing.AUDIO_OFFSET);
        } catch (final IOException ex) {
            drop(recording, ex);
        }
    }

    private void flushBehind(final WavRecording recording) {
        final int rate = recording.tap().format().sampleRateHz();
        try {
            recording.flushBehind((long) rate * HOLD_MS / 1_000, (long) rate * CHUNK_MS / 1_000);
        } catch (final IOException ex) {
            drop(recording, ex);
        }
    }

    private void finish(final WavRecording recording, final long endPosition) {
        try {
            recording.finish(endPosition);
            recordingsWritten.incrementAndGet();
        } catch (final IOException ex) {
            recording.abandon();
            fail(Path.of(recording.tap().path()), ex);
        }
    }

    private void drop(final WavRecording recording, final IOException ex) {
        open.remove(recording.tap().id());
        stopped.remove(recording);
        stopping.remove(recording);
        recording.abandon();
        fail(Path.of(recording.tap().path()), ex);
    }

    private void fail(final Path file, final IOException ex) {
        recordingsFailed.incrementAndGet();
        LOG.warn("recording {} abandoned: {}", file.getFileName(), ex.toString());
    }

    /** Creates {@code directory} when missing; false (logged) when it cannot, which fails every recording later. */
    public static boolean prepare(final Path directory) {
        try {
            Files.createDirectories(directory);
            return true;
        } catch (final IOException ex) {
            LOG.warn("recording directory {} cannot be created: {}", directory, ex.toString());
            return false;
        }
    }
}

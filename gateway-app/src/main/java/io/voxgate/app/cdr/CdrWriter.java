package io.voxgate.app.cdr;

import io.voxgate.app.metrics.CallReportListener;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.record.RecordingTap;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON object per ended call, one per line, to the {@code --cdr-file}. The ending call's thread only
 * copies the record's fields into a bounded Agrona many-to-one ring ({@link #onCallEnded}); a dedicated writer
 * thread formats and appends them, so no call thread ever waits for the disk. When the ring is full the record is
 * dropped and counted ({@link #recordsDropped()}), never waited for. {@link #reopen()} (SIGHUP, after logrotate
 * moved the file) makes the writer close and reopen the path before its next record.
 *
 * <p>Threading: {@link #onCallEnded} from any thread; the counters from any thread; {@link #close} once, from the
 * control thread, after the calls have ended (it writes what is queued, then stops the writer).
 */
public final class CdrWriter implements CallReportListener, AutoCloseable {
    /** 256 KiB holds about a thousand records: a burst of ends while the disk stalls for a second. */
    public static final int RING_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(CdrWriter.class);
    private static final int RECORD = 1;
    private static final int MAX_TEXT_BYTES = 256;
    private static final int LONGS = 12;
    private static final int TEXTS = 5;

    private final Path file;
    private final RingBuffer ring;
    private final Thread writer;
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong recordsDropped = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final StringBuilder line = new StringBuilder(512);
    private volatile boolean reopenRequested;
    private volatile boolean running = true;
    private OutputStream out;

    /** A writer appending to {@code file}; its thread starts at once. */
    public CdrWriter(final Path file) {
        this.file = file;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        this.writer = new Thread(this::run, "voxgate-cdr");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void onCallEnded(final String callId, final String edge, final CallStats stats) {
        final byte[] id = text(callId);
        final byte[] edgeBytes = text(edge);
        final byte[] reason = text(stats.endReason() == null ? "" : stats.endReason());
        // A recording that never started has no file: the record names none.
        final RecordingTap tap = stats.recording();
        final boolean recorded = tap != null && tap.state() != RecordingTap.State.OFF;
        final byte[] recording = text(recorded ? tap.path() : "");
        final byte[] paused = recorded ? tap.pausedSpansJson().getBytes(StandardCharsets.US_ASCII) : new byte[0];
        final int length = LONGS * Long.BYTES + TEXTS * Integer.BYTES + id.length + edgeBytes.length + reason.length
            + recording.length + paused.length;
        final int index = ring.tryClaim(RECORD, length);
        if (index <= 0) {
            recordsDropped.incrementAndGet();
            return;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        int at = index;
        final long durationNs = stats.endedNs() < 0 ? 0 : stats.endedNs() - stats.startedNs();
        final long[] fields = {
            System.currentTimeMillis(), durationNs / 1_000_000L, stats.framesFromCaller(), stats.framesToCaller(),
            stats.framesDroppedPreConnect() + stats.framesDroppedNotConnected() + stats.framesDroppedEnded()
                + stats.framesDroppedAtEnd() + stats.framesDroppedOverflow(),
            stats.bargeIns(), stats.bargeInsFromVad(), stats.bargeInsFromAgent(), stats.digitsToAgent(), stats.digitsToCaller(),
            stats.agentConnectNs() < 0 ? -1 : stats.agentConnectNs() / 1_000_000L,
            stats.inboundLatencyUs().getTotalCount() == 0 ? -1 : stats.inboundLatencyUs().getValueAtPercentile(99)};
        for (final long field : fields) {
            buffer.putLong(at, field);
            at += Long.BYTES;
        }
        for (final byte[] t : new byte[][] {id, edgeBytes, reason, recording, paused}) {
            buffer.putInt(at, t.length);
            buffer.putBytes(at + Integer.BYTES, t);
            at += Integer.BYTES + t.length;
        }
        ring.commit(index);
    }

    /** Records appended to the file. */
    public long recordsWritten() {
        return recordsWritten.get();
    }

    /** Records dropped because the ring was full (the writer fell behind). */
    public long recordsDropped() {
        return recordsDropped.get();
    }

    /** Records lost to a failed write or open of the file. */
    public long writeErrors() {
        return writeErrors.get();
    }

    /** Asks the writer to close and reopen the file before its next record (SIGHUP after logrotate). */
    public void reopen() {
        reopenRequested = true;
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5_000);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] text(final String value) {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_TEXT_BYTES ? bytes : Arrays.copyOf(bytes, MAX_TEXT_BYTES);
    }

    private void run() {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000_000L, 50_000_000L);
        while (running || ring.size() > 0) {
            if (reopenRequested) {
                reopenRequested = false;
                closeFile();
            }
            final int read = ring.read((type, buffer, index, length) -> append(buffer, index), 64);
            if (read > 0) {
                flush();
            } else if (!running) {
                break;
            }
            idle.idle(read);
        }
        closeFile();
    }

    private void append(final DirectBuffer buffer, final int index) {
        int at = index;
        final long[] f = new long[LONGS];
        for (int i = 0; i < LONGS; i++) {
            f[i] = buffer.getLong(at);
            at += Long.BYTES;
        }
        final String[] t = new String[TEXTS];
        for (int i = 0; i < TEXTS; i++) {
            final int n = buffer.getInt(at);
            t[i] = buffer.getStringWithoutLengthUtf8(at + Integer.BYTES, n);
            at += Integer.BYTES + n;
        }
        final long endedMs = f[0];
        line.setLength(0);
        line.append('{');
        string("callId", t[0]).append(',');
        string("edge", t[1]).append(',');
        string("startedAt", Instant.ofEpochMilli(endedMs - f[1]).toString()).append(',');
        string("endedAt", Instant.ofEpochMilli(endedMs).toString()).append(',');
        number("durationMs", f[1]).append(',');
        string("endReason", t[2]).append(',');
        number("framesIn", f[2]).append(',');
        number("framesOut", f[3]).append(',');
        number("framesDropped", f[4]).append(',');
        number("bargeIns", f[5]).append(',');
        number("bargeInsVad", f[6]).append(',');
        number("bargeInsAgent", f[7]).append(',');
        number("dtmfIn", f[8]).append(',');
        number("dtmfOut", f[9]).append(',');
        number("agentConnectMs", f[10]).append(',');
        number("gatewayLatencyInboundP99Us", f[11]);
        if (!t[3].isEmpty()) {
            // PCI: the spans (ms into the file) hold silence on both channels; they are our own digits, not input.
            line.append(',');
            string("recording", t[3]).append(",\"recordingPaused\":").append(t[4]);
        }
        line.append("}\n");
        try {
            if (out == null) {
                out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
            recordsWritten.incrementAndGet();
        } catch (final IOException ex) {
            writeErrors.incrementAndGet();
            LOG.warn("CDR: cannot write {}: {}", file, ex.getMessage());
            closeFile();
        }
    }

    private StringBuilder string(final String name, final String value) {
        line.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\').append(c);
            } else if (c < 0x20) {
                line.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
        return line.append('"');
    }

    private StringBuilder number(final String name, final long value) {
        return line.append('"').append(name).append("\":").append(value);
    }

    private void flush() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (final IOException ex) {
            writeErrors.incrementAndGet();
            closeFile();
        }
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (final IOException ex) {
                LOG.warn("CDR: closing {}: {}", file, ex.getMessage());
            }
            out = null;
        }
    }
}

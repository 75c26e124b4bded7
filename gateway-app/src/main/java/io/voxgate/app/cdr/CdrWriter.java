package io.voxgate.app.cdr;

import io.voxgate.app.metrics.CallReportListener;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.call.CallerMediaQuality;
import io.voxgate.core.call.EModel;
import io.voxgate.core.record.RecordingTap;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.AbstractHistogram;
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
 * Turns every ended call into one JSON call detail record: appended as one line to the {@code --cdr-file} and/or
 * handed to a {@link CdrPoster} for {@code --cdr-url}. The ending call's thread only copies the record's figures
 * into a bounded Agrona many-to-one ring ({@link #onCallEnded}); a dedicated writer thread formats them, appends the
 * line and offers it to the poster, so no call thread ever waits for the disk or the network. When the ring is full
 * the record is dropped and counted ({@link #recordsDropped()}), never waited for. {@link #reopen()} (SIGHUP, after
 * logrotate moved the file) makes the writer close and reopen the path before its next record.
 *
 * <p>The fields are documented one by one in docs/operations.md (Call detail records).
 *
 * <p>Threading: {@link #onCallEnded} from any thread; the counters from any thread; {@link #close} once, from the
 * control thread, after the calls have ended (it writes what is queued, then stops the writer and the poster).
 */
public final class CdrWriter implements CallReportListener, AutoCloseable {
    /** 256 KiB holds about five hundred records: a burst of ends while the disk stalls for a second. */
    public static final int RING_BYTES = 256 * 1024;
    /** The G.711 packetisation delay (one 20 ms frame) added to the E-model's mouth-to-ear delay. */
    static final double PACKETISATION_MS = 20.0;
    private static final Logger LOG = LoggerFactory.getLogger(CdrWriter.class);
    private static final int RECORD = 1;
    private static final int MAX_TEXT_BYTES = 256;
    /** No value: the field is written as {@code null}. */
    private static final long NONE = Long.MIN_VALUE;

    // Numeric fields, in ring order.
    private static final int ENDED_EPOCH_MS = 0;
    private static final int DURATION_MS = 1;
    private static final int ANSWERED_AFTER_MS = 2;
    private static final int FRAMES_IN = 3;
    private static final int FRAMES_OUT = 4;
    private static final int FRAMES_DROPPED = 5;
    private static final int FRAMES_LOST = 6;
    private static final int LATE_DROPS = 7;
    private static final int CONCEALED = 8;
    private static final int JITTER_US = 9;
    private static final int RTT_US = 10;
    private static final int MOS_CENTI = 11;
    private static final int AGENT_CONNECT_MS = 12;
    private static final int FIRST_AUDIO_P50_US = 13;
    private static final int FIRST_AUDIO_MAX_US = 14;
    private static final int AGENT_TURNS = 15;
    private static final int BARGE_INS = 16;
    private static final int BARGE_INS_VAD = 17;
    private static final int BARGE_INS_AGENT = 18;
    private static final int DTMF_IN = 19;
    private static final int DTMF_OUT = 20;
    private static final int INBOUND_P99_US = 21;
    private static final int AGENT_RECONNECTS = 22;
    private static final int LONGS = 23;
    // Text fields, in ring order.
    private static final int CALL_ID = 0;
    private static final int EDGE = 1;
    private static final int FROM = 2;
    private static final int TO = 3;
    private static final int END_REASON = 4;
    private static final int ENDED_BY = 5;
    private static final int CODEC = 6;
    private static final int AGENT_FALLBACK = 7;
    private static final int TRANSFER = 8;
    private static final int RECORDING = 9;
    private static final int RECORDING_PAUSED = 10;
    private static final int TEXTS = 11;

    private final Path file;
    private final CdrPoster poster;
    private final String agent;
    private final RingBuffer ring;
    private final Thread writer;
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong recordsDropped = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final StringBuilder line = new StringBuilder(1024);
    private final long[] numbers = new long[LONGS];
    private final String[] texts = new String[TEXTS];
    private volatile boolean reopenRequested;
    private volatile boolean running = true;
    private OutputStream out;

    /** A writer appending to {@code file} only; its thread starts at once. */
    public CdrWriter(final Path file) {
        this(file, null, "");
    }

    /**
     * A writer whose thread starts at once.
     *
     * @param file   the {@code --cdr-file}, or {@code null} for none
     * @param poster the {@code --cdr-url} poster (started and closed by this writer), or {@code null} for none
     * @param agent  the {@code --agent} every call of this node talks to
     */
    public CdrWriter(final Path file, final CdrPoster poster, final String agent) {
        this.file = file;
        this.poster = poster;
        this.agent = agent;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        this.writer = new Thread(this::run, "voxgate-cdr");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void onCallEnded(final String callId, final String edge, final CallStats stats) {
        final byte[][] text = new byte[TEXTS][];
        text[CALL_ID] = text(callId);
        text[EDGE] = text(edge);
        text[FROM] = text(stats.from());
        text[TO] = text(stats.to());
        text[END_REASON] = text(stats.endReason());
        text[ENDED_BY] = text(stats.endedBy() == null ? null : stats.endedBy().label());
        text[CODEC] = text(stats.codec());
        text[AGENT_FALLBACK] = text(stats.agentFallback());
        text[TRANSFER] = text(stats.transferState() == null ? null : stats.transferState().label());
        // A recording that never started has no file: the record names none. The path and the spans are ours, not
        // input, so they are not cut like the texts a peer can choose.
        final RecordingTap tap = stats.recording();
        final boolean recorded = tap != null && tap.state() != RecordingTap.State.OFF;
        text[RECORDING] = recorded ? tap.path().getBytes(StandardCharsets.UTF_8) : new byte[0];
        text[RECORDING_PAUSED] = recorded ? tap.pausedSpansJson().getBytes(StandardCharsets.US_ASCII) : new byte[0];
        int length = LONGS * Long.BYTES;
        for (final byte[] t : text) {
            length += Integer.BYTES + t.length;
        }
        final int index = ring.tryClaim(RECORD, length);
        if (index < 0) {
            recordsDropped.incrementAndGet();
            return;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        int at = index;
        for (int i = 0; i < LONGS; i++) {
            buffer.putLong(at, figure(i, stats));
            at += Long.BYTES;
        }
        for (final byte[] t : text) {
            buffer.putInt(at, t.length);
            buffer.putBytes(at + Integer.BYTES, t);
            at += Integer.BYTES + t.length;
        }
        ring.commit(index);
    }

    /** Numeric field {@code field} of the record, read on the ending call's thread. */
    private static long figure(final int field, final CallStats stats) {
        final CallerMediaQuality media = stats.callerMedia();
        final AbstractHistogram firstAudio = stats.agentFirstAudioUs();
        final long durationNs = stats.endedNs() < 0 ? 0 : stats.endedNs() - stats.startedNs();
        switch (field) {
            case ENDED_EPOCH_MS:
                return System.currentTimeMillis();
            case DURATION_MS:
                return durationNs / 1_000_000L;
            case ANSWERED_AFTER_MS:
                return stats.answeredNs() < 0 ? NONE : (stats.answeredNs() - stats.startedNs()) / 1_000_000L;
            case FRAMES_IN:
                return stats.framesFromCaller();
            case FRAMES_OUT:
                return stats.framesToCaller();
            case FRAMES_DROPPED:
                return stats.framesDroppedPreConnect() + stats.framesDroppedNotConnected() + stats.framesDroppedEnded()
                    + stats.framesDroppedAtEnd() + stats.framesDroppedOverflow();
            case FRAMES_LOST:
                return media.framesLost();
            case LATE_DROPS:
                return media.lateDrops();
            case CONCEALED:
                return media.concealed();
            case JITTER_US:
                return media.measured() ? media.jitterUs() : NONE;
            case RTT_US:
                return media.rttUs() < 0 ? NONE : media.rttUs();
            case MOS_CENTI:
                return media.measured() ? Math.round(100 * mos(media)) : NONE;
            case AGENT_CONNECT_MS:
                return stats.agentConnectNs() < 0 ? -1 : stats.agentConnectNs() / 1_000_000L;
            case FIRST_AUDIO_P50_US:
                return firstAudio.getTotalCount() == 0 ? NONE : firstAudio.getValueAtPercentile(50);
            case FIRST_AUDIO_MAX_US:
                return firstAudio.getTotalCount() == 0 ? NONE : firstAudio.getMaxValue();
            case AGENT_TURNS:
                return firstAudio.getTotalCount();
            case BARGE_INS:
                return stats.bargeIns();
            case BARGE_INS_VAD:
                return stats.bargeInsFromVad();
            case BARGE_INS_AGENT:
                return stats.bargeInsFromAgent();
            case DTMF_IN:
                return stats.digitsToAgent();
            case DTMF_OUT:
                return stats.digitsToCaller();
            case INBOUND_P99_US:
                return stats.inboundLatencyUs().getTotalCount() == 0 ? -1 : stats.inboundLatencyUs().getValueAtPercentile(99);
            case AGENT_RECONNECTS:
                return stats.agentReconnects();
            default:
                throw new IllegalArgumentException("no CDR field " + field);
        }
    }

    /**
     * The E-model MOS of the caller's leg as the gateway received it: loss is what never arrived or came too late,
     * the mouth-to-ear delay is half the RTCP round trip (when known), the jitter buffer's delay and one frame.
     */
    static double mos(final CallerMediaQuality media) {
        final double delayMs = Math.max(0, media.playoutDelayUs()) / 1_000.0 + PACKETISATION_MS
            + (media.rttUs() < 0 ? 0 : media.rttUs() / 2_000.0);
        return EModel.g711Mos(100 * media.lossRatio(), delayMs);
    }

    /** Records formatted and handed on (appended to the file when there is one). */
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
        if (poster != null) {
            poster.close();
        }
    }

    private static byte[] text(final String value) {
        final byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
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
        for (int i = 0; i < LONGS; i++) {
            numbers[i] = buffer.getLong(at);
            at += Long.BYTES;
        }
        for (int i = 0; i < TEXTS; i++) {
            final int n = buffer.getInt(at);
            texts[i] = buffer.getStringWithoutLengthUtf8(at + Integer.BYTES, n);
            at += Integer.BYTES + n;
        }
        format();
        final byte[] record = line.toString().getBytes(StandardCharsets.UTF_8);
        recordsWritten.incrementAndGet();
        if (poster != null) {
            poster.offer(record);
        }
        if (file == null) {
            return;
        }
        try {
            if (out == null) {
                out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            out.write(record);
            out.write('\n');
        } catch (final IOException ex) {
            writeErrors.incrementAndGet();
            LOG.warn("CDR: cannot write {}: {}", file, ex.getMessage());
            closeFile();
        }
    }

    private void format() {
        final long endedMs = numbers[ENDED_EPOCH_MS];
        final long startedMs = endedMs - numbers[DURATION_MS];
        line.setLength(0);
        line.append('{');
        string("callId", texts[CALL_ID]);
        string("edge", texts[EDGE]);
        string("from", texts[FROM]);
        string("to", texts[TO]);
        string("agent", agent);
        string("startedAt", Instant.ofEpochMilli(startedMs).toString());
        string("answeredAt", numbers[ANSWERED_AFTER_MS] == NONE ? null
            : Instant.ofEpochMilli(startedMs + numbers[ANSWERED_AFTER_MS]).toString());
        string("endedAt", Instant.ofEpochMilli(endedMs).toString());
        number("durationMs", numbers[DURATION_MS]);
        string("endReason", texts[END_REASON]);
        string("endedBy", texts[ENDED_BY].isEmpty() ? null : texts[ENDED_BY]);
        string("codec", texts[CODEC]);
        number("framesIn", numbers[FRAMES_IN]);
        number("framesOut", numbers[FRAMES_OUT]);
        number("framesDropped", numbers[FRAMES_DROPPED]);
        number("framesLost", numbers[FRAMES_LOST]);
        number("lateDrops", numbers[LATE_DROPS]);
        number("concealed", numbers[CONCEALED]);
        decimal("jitterMs", numbers[JITTER_US], 1_000);
        decimal("rttMs", numbers[RTT_US], 1_000);
        decimal("mos", numbers[MOS_CENTI], 100);
        number("agentConnectMs", numbers[AGENT_CONNECT_MS]);
        decimal("agentFirstAudioP50Ms", numbers[FIRST_AUDIO_P50_US], 1_000);
        decimal("agentFirstAudioMaxMs", numbers[FIRST_AUDIO_MAX_US], 1_000);
        number("agentTurns", numbers[AGENT_TURNS]);
        number("bargeIns", numbers[BARGE_INS]);
        number("bargeInsVad", numbers[BARGE_INS_VAD]);
        number("bargeInsAgent", numbers[BARGE_INS_AGENT]);
        number("dtmfIn", numbers[DTMF_IN]);
        number("dtmfOut", numbers[DTMF_OUT]);
        number("gatewayLatencyInboundP99Us", numbers[INBOUND_P99_US]);
        number("agentReconnects", numbers[AGENT_RECONNECTS]);
        string("agentFallback", texts[AGENT_FALLBACK].isEmpty() ? null : texts[AGENT_FALLBACK]);
        string("transfer", texts[TRANSFER].isEmpty() ? null : texts[TRANSFER]);
        if (!texts[RECORDING].isEmpty()) {
            string("recording", texts[RECORDING]);
            // PCI: the spans (ms into the file) hold silence on both channels.
            line.append("\"recordingPaused\":").append(texts[RECORDING_PAUSED]).append(',');
        }
        line.setLength(line.length() - 1);
        line.append('}');
    }

    private void string(final String name, final String value) {
        line.append('"').append(name).append("\":");
        if (value == null) {
            line.append("null,");
            return;
        }
        line.append('"');
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
        line.append("\",");
    }

    private void number(final String name, final long value) {
        line.append('"').append(name).append("\":").append(value).append(',');
    }

    /** {@code value / divisor} with up to three decimals, or {@code null} for {@link #NONE}. */
    private void decimal(final String name, final long value, final long divisor) {
        line.append('"').append(name).append("\":");
        if (value == NONE) {
            line.append("null,");
            return;
        }
        line.append(BigDecimal.valueOf(value).divide(BigDecimal.valueOf(divisor)).stripTrailingZeros()
            .toPlainString()).append(',');
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

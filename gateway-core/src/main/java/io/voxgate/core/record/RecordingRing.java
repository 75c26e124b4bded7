package io.voxgate.core.record;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The node's recording ring: every call's {@link RecordingTap} copies the frames it records into one bounded Agrona
 * many-to-one ring, and one writer thread drains it to disk (the way the CDR writer takes its records), so no media
 * loop ever waits for the disk. A full ring drops the frame and counts it ({@link #framesDropped()}); the file gets
 * silence there.
 *
 * <p>Record layouts (little-endian, offsets in bytes):
 * <pre>
 * AUDIO                                   ERASE
 *  0 +-----------------+                   0 +-----------------+
 *    | recording id    | int                 | recording id    | int
 *  4 +-----------------+                   4 +-----------------+
 *    | channel         | int 0=caller 1=agent| channel mask    | int bit 0 caller, bit 1 agent
 *  8 +-----------------+                   8 +-----------------+
 *    | position        | long, samples       | from position   | long, samples: silence from here
 * 16 +-----------------+                  16 +-----------------+
 *    | audio bytes ... | caller's format
 *    +-----------------+
 * </pre>
 * A position counts samples (per channel) from the moment the recording started, on the call's media clock.
 * Recordings themselves are announced on a separate queue ({@link #pollOpened()}), because a tap is a rare, call-setup
 * event and the writer needs the tap itself to learn when it stops.
 *
 * <p>Threading: {@link #writeAudio}, {@link #writeErase} and {@link #open} from any call thread (lock-free, allocation
 * free except {@link #open}); {@link #read} and {@link #pollOpened} from the one writer thread only.
 */
public final class RecordingRing {
    /** 8 MiB: about 2 s of 200 G.711 calls' frames, both channels, while the disk stalls. */
    public static final int DEFAULT_CAPACITY_BYTES = 8 * 1024 * 1024;
    /** Record type: audio of one channel at a position. */
    public static final int AUDIO = 1;
    /** Record type: silence from a position on the channels of a mask (a pause, a flushed turn). */
    public static final int ERASE = 2;
    /** Offset of the recording id. */
    public static final int ID_OFFSET = 0;
    /** Offset of the channel (AUDIO) or channel mask (ERASE). */
    public static final int CHANNEL_OFFSET = 4;
    /** Offset of the position in samples. */
    public static final int POSITION_OFFSET = 8;
    /** Offset of the audio bytes of an AUDIO record. */
    public static final int AUDIO_OFFSET = 16;

    private final RingBuffer ring;
    private final String directory;
    private final ConcurrentLinkedQueue<RecordingTap> opened = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong erasesDropped = new AtomicLong();
    private final AtomicLong recordingsStarted = new AtomicLong();

    /**
     * A ring of {@code capacityBytes} for recordings written under {@code directory}.
     *
     * @param directory     where the writer puts the files; used here only to name them in call records
     * @param capacityBytes a power of two, at least 64 KiB
     */
    public RecordingRing(final String directory, final int capacityBytes) {
        if (capacityBytes < 64 * 1024 || Integer.bitCount(capacityBytes) != 1) {
            throw new IllegalArgumentException("recording ring capacity must be a power of two of at least 64 KiB, was "
                + capacityBytes);
        }
        this.directory = Objects.requireNonNull(directory, "directory");
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * The file a call's recording ends up in: {@code <directory>/<name>.wav}. The name is the call id when it is made
     * of letters, digits, {@code . _ - @} only, not starting with a dot (a Twilio CallSid always is); any other
     * character becomes {@code _}
     * and a hash of the whole id is appended, so a hostile SIP Call-ID can name no other path and two ids that differ
     * only in such characters still get two files. At most 128 characters of the id are kept.
     */
    public String pathOf(final String callId) {
        return directory + "/" + fileNameOf(callId) + ".wav";
    }

    /** The file name (without {@code .wav}) for {@code callId}; see {@link #pathOf}. */
    public static String fileNameOf(final String callId) {
        final StringBuilder name = new StringBuilder(Math.min(callId.length(), 128) + 9);
        boolean changed = callId.length() > 128 || callId.isEmpty();
        for (int i = 0; i < Math.min(callId.length(), 128); i++) {
            final char c = callId.charAt(i);
            final boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' && i > 0 || c == '_' || c == '-' || c == '@';
            name.append(safe ? c : '_');
            changed |= !safe;
        }
        if (changed) {
            name.append('-').append(String.format("%08x", callId.hashCode()));
        }
        return name.toString();
    }

    /** A new recording id; the call's thread takes one per tap. */
    int nextId() {
        return nextId.incrementAndGet();
    }

    /** Announces a recording to the writer; at most once per tap, when it starts. */
    void open(final RecordingTap tap) {
        recordingsStarted.incrementAndGet();
        opened.add(tap);
    }

    /** Copies one frame of a channel; false (and counted) when the ring is full. Allocation-free. */
    boolean writeAudio(final int id, final int channel, final long position, final DirectBuffer audio, final int offset,
                       final int length) {
        final int index = ring.tryClaim(AUDIO, AUDIO_OFFSET + length);
        if (index <= 0) {
            framesDropped.incrementAndGet();
            return false;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        buffer.putInt(index + ID_OFFSET, id);
        buffer.putInt(index + CHANNEL_OFFSET, channel);
        buffer.putLong(index + POSITION_OFFSET, position);
        buffer.putBytes(index + AUDIO_OFFSET, audio, offset, length);
        ring.commit(index);
        return true;
    }

    /** Asks for silence from {@code position} on the channels of {@code mask}; false (and counted) when full. */
    boolean writeErase(final int id, final int mask, final long position) {
        final int index = ring.tryClaim(ERASE, AUDIO_OFFSET);
        if (index <= 0) {
            erasesDropped.incrementAndGet();
            return false;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        buffer.putInt(index + ID_OFFSET, id);
        buffer.putInt(index + CHANNEL_OFFSET, mask);
        buffer.putLong(index + POSITION_OFFSET, position);
        ring.commit(index);
        return true;
    }

    /** Writer thread: hands up to {@code limit} records to {@code handler}; returns how many. */
    public int read(final MessageHandler handler, final int limit) {
        return ring.read(handler, limit);
    }

    /** Writer thread: the next recording that started, or {@code null}. */
    public RecordingTap pollOpened() {
        return opened.poll();
    }

    /** Bytes waiting in the ring (racy). */
    public int backlogBytes() {
        return ring.size();
    }

    /** Frames dropped because the ring was full: the writer fell behind (the file has silence there). */
    public long framesDropped() {
        return framesDropped.get();
    }

    /** Silence requests dropped because the ring was full (a pause may then keep up to the lead of agent audio). */
    public long erasesDropped() {
        return erasesDropped.get();
    }

    /** Recordings started on this node. */
    public long recordingsStarted() {
        return recordingsStarted.get();
    }
}

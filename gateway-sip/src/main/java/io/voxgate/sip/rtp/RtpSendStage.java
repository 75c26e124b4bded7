package io.voxgate.sip.rtp;

import io.voxgate.core.pipeline.MediaStage;
import io.voxgate.sip.dtmf.DtmfEvents;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The last node of a call's outbound media path: turns paced frames into RTP packets with correct sequence
 * numbers, timestamps, SSRC and marker bit, and sends RFC 4733 digits.
 *
 * <p>The call drives it once per 20 ms tick on absolute deadlines: {@link #beginTick()}, then at most one
 * {@link #sendAudio} from the paced outbound queue, then {@link #endTick()}. Sequence numbers step by one per
 * packet; the timestamp steps by one frame of samples per tick whether or not a packet went out, so gaps keep
 * real time (RFC 3550 §5.1); SSRC, first sequence number and first timestamp are random (§5.1, §8).
 *
 * <p>Between agent turns ({@link IdlePolicy}): by default the stage sends G.711 silence, keeping carrier
 * media-inactivity timers and NAT bindings alive and the far end's jitter buffer steady; such a stream has
 * no silence suppression, so the marker bit stays 0 (RFC 3551 §4.1). With {@link IdlePolicy#SEND_NOTHING}
 * idle ticks send nothing and the first packet of the next talkspurt carries M=1 (RFC 3551 §4.1). Either
 * way, on hold (the peer cannot receive) nothing is sent and the first packet after it carries M=1.
 *
 * <p>DTMF (RFC 4733 §2.5.1): a queued digit starts at the next {@link #beginTick()} and replaces audio for its
 * duration; its packets share the audio's
 * SSRC, sequence space and clock, keep the event's start timestamp, grow the duration each tick, start with
 * M=1 and end with the E bit on three packets, one per tick. Audio offered meanwhile is dropped and counted.
 *
 * <p>Threading: confined to the call's thread. Ownership: audio passed in is borrowed for the call only and
 * copied into the sink's packet buffer. Allocates nothing after construction.
 */
public final class RtpSendStage implements MediaStage {

    /** What to send when the agent has nothing to say. */
    public enum IdlePolicy {
        /** Send G.711 silence every tick (the default; see the class comment for why). */
        SEND_SILENCE,
        /** Send nothing; mark the next talkspurt (silence suppression). */
        SEND_NOTHING
    }

    /**
     * Where packets go: the call's UDP channel. Threading: called on the call's thread.
     */
    public interface PacketSink {
        /**
         * A writable buffer for a packet of up to {@code length} octets, starting at index 0, or {@code null}
         * when none is available (the packet is then dropped and counted).
         */
        MutableDirectBuffer claim(int length);

        /** Sends the first {@code length} octets of the buffer last claimed. */
        void commit(int length);
    }

    /**
     * One 20 ms frame of silence in the negotiated codec, for an idle tick. G.711 has a silence byte; a G.722 call
     * codes its silence with its own encoder, so the far decoder, which adapts on every code it decodes, stays in
     * step with the encoder that codes the next words.
     *
     * <p>Threading: called on the call's thread.
     */
    @FunctionalInterface
    public interface SilenceSource {
        /**
         * Writes one frame of silence into {@code out} from {@code offset}, at most {@code maxLength} octets.
         *
         * @return the frame's length, or a negative value when none could be made (nothing is sent; counted)
         */
        int write(MutableDirectBuffer out, int offset, int maxLength);
    }

    /** Digits waiting to be sent at most. */
    public static final int DIGIT_QUEUE_CAPACITY = 32;
    /** Ticks of pause between queued digits (40 ms at 20 ms ptime, above the Q.24 minimum pause). */
    public static final int INTER_DIGIT_TICKS = 2;
    /** How many times the end packet of an event is sent (RFC 4733 §2.5.1.4). */
    public static final int END_PACKET_COUNT = 3;
    /** The tick period. */
    private static final int TICK_MS = 20;
    /** The largest audio payload sent: 60 ms of G.711. */
    public static final int MAX_PAYLOAD_LENGTH = 480;

    private final PacketSink sink;
    private final IdlePolicy idlePolicy;
    private final int ssrc;
    private final int samplesPerFrame;
    private final SilenceSource silence;
    private final int silenceMaxLength;
    private int audioPayloadType;
    private int telephoneEventPayloadType = -1;
    private int sequenceNumber;
    private long frameTimestamp;
    private boolean markerPending;
    private boolean sentThisTick;
    private boolean sendingEnabled = true;

    private final char[] digitQueue = new char[DIGIT_QUEUE_CAPACITY];
    private final int[] digitDurationTicks = new int[DIGIT_QUEUE_CAPACITY];
    private int digitHead;
    private int digitCount;
    private int eventCode = -1;
    private long eventTimestamp;
    private int eventTicksSent;
    private int eventTicksTotal;
    private int endPacketsSent;
    private int pauseTicks;

    private long packetsSent;
    private long octetsSent;
    private long silencePacketsSent;
    private long framesDroppedDuringDtmf;
    private long framesDroppedOnHold;
    private long framesDroppedTooLong;
    private long framesDroppedNoBuffer;
    private long framesDroppedSecondInTick;
    private long silenceUnencodable;
    private long digitsSent;
    private long digitsDroppedQueueFull;
    private long digitsRefusedNoTelephoneEvent;
    private long digitRequestsRefusedInvalid;

    /**
     * A stage for one call's outbound stream.
     *
     * @param sink                 where packets go
     * @param idlePolicy           what idle ticks send
     * @param ssrc                 random SSRC of the gateway's stream
     * @param initialSequence      random first sequence number
     * @param initialTimestamp     random first timestamp
     * @param samplesPerFrame      RTP timestamp units per tick (160 for G.711 at 20 ms)
     * @param audioPayloadType     negotiated audio payload type
     * @param silenceByte          the codec's silence code point (0xFF mu-law, 0xD5 A-law)
     */
    public RtpSendStage(final PacketSink sink, final IdlePolicy idlePolicy, final int ssrc, final int initialSequence,
                        final long initialTimestamp, final int samplesPerFrame, final int audioPayloadType,
                        final byte silenceByte) {
        this(sink, idlePolicy, ssrc, initialSequence, initialTimestamp, samplesPerFrame, audioPayloadType,
            filled(samplesPerFrame, silenceByte));
    }

    /**
     * A stage for a stream whose codec codes silence as a whole frame (G.722, Opus) rather than a byte per sample.
     *
     * @param samplesPerFrame RTP timestamp units per tick (160 for G.722, 960 for Opus at 20 ms)
     * @param silenceFrame    the payload sent on idle ticks: one 20 ms frame of silence in the negotiated codec
     */
    public RtpSendStage(final PacketSink sink, final IdlePolicy idlePolicy, final int ssrc, final int initialSequence,
                        final long initialTimestamp, final int samplesPerFrame, final int audioPayloadType,
                        final byte[] silenceFrame) {
        this(sink, idlePolicy, ssrc, initialSequence, initialTimestamp, samplesPerFrame, audioPayloadType,
            fixed(silenceFrame.clone()), silenceFrame.length);
    }

    /**
     * A stage whose idle ticks take their silence from {@code silence}: a G.722 call's own encoder.
     *
     * @param silenceMaxLength the longest frame {@code silence} writes
     */
    public RtpSendStage(final PacketSink sink, final IdlePolicy idlePolicy, final int ssrc, final int initialSequence,
                        final long initialTimestamp, final int samplesPerFrame, final int audioPayloadType,
                        final SilenceSource silence, final int silenceMaxLength) {
        this.sink = sink;
        this.idlePolicy = idlePolicy;
        this.ssrc = ssrc;
        this.sequenceNumber = initialSequence & 0xFFFF;
        this.frameTimestamp = initialTimestamp & 0xFFFF_FFFFL;
        this.samplesPerFrame = samplesPerFrame;
        this.audioPayloadType = audioPayloadType;
        this.silence = silence;
        this.silenceMaxLength = silenceMaxLength;
        this.markerPending = idlePolicy == IdlePolicy.SEND_NOTHING;
    }

    private static SilenceSource fixed(final byte[] frame) {
        return (out, offset, maxLength) -> {
            out.putBytes(offset, frame);
            return frame.length;
        };
    }

    private static byte[] filled(final int length, final byte value) {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    /** Sets the negotiated telephone-event payload type, or -1 when the peer offered none. */
    public void telephoneEventPayloadType(final int payloadType) {
        this.telephoneEventPayloadType = payloadType;
    }

    /** Whether the peer may receive (false while it holds the call: our direction recvonly or inactive). */
    public void sendingEnabled(final boolean enabled) {
        this.sendingEnabled = enabled;
    }

    /** Starts a 20 ms tick; a queued digit that is due takes this tick's slot from audio. */
    public void beginTick() {
        sentThisTick = false;
        // Started here, before the paced frame is offered, so a digit is played on the next tick even while the agent
        // talks without pause (an echo agent returns a frame every tick): the event replaces the audio, as RFC 4733
        // §2.5.1 senders do, instead of waiting for a silent tick that may never come.
        if (sendingEnabled && eventCode < 0) {
            startNextDigit();
        }
    }

    /**
     * Sends one frame of audio in the negotiated codec in this tick's slot.
     *
     * @return whether a packet went out; otherwise the frame was dropped and counted
     */
    public boolean sendAudio(final DirectBuffer audio, final int offset, final int length) {
        if (!admitAudio()) {
            return false;
        }
        if (length > MAX_PAYLOAD_LENGTH || length <= 0) {
            framesDroppedTooLong++;
            return false;
        }
        final MutableDirectBuffer out = sink.claim(RtpPacketFlyweight.FIXED_HEADER_LENGTH + length);
        if (out == null) {
            framesDroppedNoBuffer++;
            return false;
        }
        final int header = RtpPacketFlyweight.writeHeader(out, 0, markerPending, audioPayloadType, sequenceNumber,
            frameTimestamp, ssrc);
        out.putBytes(header, audio, offset, length);
        sink.commit(header + length);
        afterPacket(length);
        return true;
    }

    /**
     * Whether a frame offered now would go out: not on hold, no digit playing, nothing sent yet this tick. When not,
     * the frame counts as dropped for that reason and the caller must drop it. A caller that codes the frame with
     * a stateful encoder (G.722) asks first, so it never codes a frame the far decoder will not see.
     */
    public boolean admitAudio() {
        if (!sendingEnabled) {
            framesDroppedOnHold++;
            return false;
        }
        if (eventCode >= 0) {
            framesDroppedDuringDtmf++;
            return false;
        }
        if (sentThisTick) {
            // The pacer releases one frame per tick; a second one means a bug upstream, and sending it would
            // run the stream ahead of real time.
            framesDroppedSecondInTick++;
            return false;
        }
        return true;
    }

    /** Ends the tick: sends DTMF or idle audio as due, and advances the clock by one frame. */
    public void endTick() {
        if (!sentThisTick) {
            if (!sendingEnabled) {
                markerPending = true;
            } else if (eventCode >= 0) {
                sendEventPacket();
            } else if (idlePolicy == IdlePolicy.SEND_SILENCE) {
                sendSilence();
            } else {
                markerPending = true;
            }
        }
        frameTimestamp = frameTimestamp + samplesPerFrame & 0xFFFF_FFFFL;
    }

    /**
     * Passes {@code ticks} ticks without sending (the call's loop ran too late for them): the RTP timestamp still
     * advances by their samples, since it reflects the sampling instant (RFC 3550 §5.1), and the next audio packet
     * carries the marker bit, as after any gap in the stream (RFC 3551 §4.1). A digit being played is simply
     * held longer.
     */
    public void skipTicks(final long ticks) {
        if (ticks <= 0) {
            return;
        }
        frameTimestamp = frameTimestamp + ticks * samplesPerFrame & 0xFFFF_FFFFL;
        markerPending = true;
    }

    /**
     * Queues a digit to send as RFC 4733 events.
     *
     * @param digit      {@code 0-9 * # A-D} (lower case {@code a-d} accepted)
     * @param durationMs how long the key is held, rounded up to whole ticks, at least one
     * @return whether it was queued; false (counted) as for {@link #queueDigits}
     */
    public boolean queueDigit(final char digit, final int durationMs) {
        if (DtmfEvents.eventOf(digit) == DtmfEvents.NO_EVENT) {
            digitRequestsRefusedInvalid++;
            return false;
        }
        if (!roomFor(1)) {
            return false;
        }
        enqueue(digit, ticksOf(durationMs));
        return true;
    }

    /**
     * Queues digits to send, in order, as RFC 4733 events; all or nothing, so a sequence is never dialled in part.
     *
     * @param digits     {@code 0-9 * # A-D} (lower case {@code a-d} accepted)
     * @param durationMs how long each key is held, rounded up to whole ticks, at least one
     * @return whether every digit was queued; false when {@code digits} is null, empty or holds a character that is
     *         no digit ({@link #digitRequestsRefusedInvalid()}), the peer negotiated no telephone-event
     *         ({@link #digitsRefusedNoTelephoneEvent()}) or the queue has no room for all of them
     *         ({@link #digitsDroppedQueueFull()})
     */
    public boolean queueDigits(final CharSequence digits, final int durationMs) {
        if (digits == null || digits.length() == 0) {
            digitRequestsRefusedInvalid++;
            return false;
        }
        final int count = digits.length();
        for (int i = 0; i < count; i++) {
            if (DtmfEvents.eventOf(digits.charAt(i)) == DtmfEvents.NO_EVENT) {
                digitRequestsRefusedInvalid++;
                return false;
            }
        }
        if (!roomFor(count)) {
            return false;
        }
        final int ticks = ticksOf(durationMs);
        for (int i = 0; i < count; i++) {
            enqueue(digits.charAt(i), ticks);
        }
        return true;
    }

    private boolean roomFor(final int count) {
        if (telephoneEventPayloadType < 0) {
            digitsRefusedNoTelephoneEvent += count;
            return false;
        }
        if (DIGIT_QUEUE_CAPACITY - digitCount < count) {
            digitsDroppedQueueFull += count;
            return false;
        }
        return true;
    }

    private static int ticksOf(final int durationMs) {
        // One tick is 20 ms whatever the codec's RTP clock (8 kHz G.711 and G.722, 48 kHz Opus).
        return Math.max(1, (durationMs + TICK_MS - 1) / TICK_MS);
    }

    private void enqueue(final char digit, final int ticks) {
        final int slot = (digitHead + digitCount) % DIGIT_QUEUE_CAPACITY;
        digitQueue[slot] = digit;
        digitDurationTicks[slot] = ticks;
        digitCount++;
    }

    private void startNextDigit() {
        if (digitCount == 0) {
            return;
        }
        if (pauseTicks > 0) {
            pauseTicks--;
            return;
        }
        final char digit = digitQueue[digitHead];
        eventTicksTotal = digitDurationTicks[digitHead];
        digitHead = (digitHead + 1) % DIGIT_QUEUE_CAPACITY;
        digitCount--;
        eventCode = DtmfEvents.eventOf(digit);
        eventTimestamp = frameTimestamp;
        eventTicksSent = 0;
        endPacketsSent = 0;
    }

    private void sendEventPacket() {
        final boolean end = eventTicksSent >= eventTicksTotal;
        final int ticks = end ? eventTicksTotal : eventTicksSent + 1;
        final int duration = Math.min(0xFFFF, ticks * samplesPerFrame);
        final MutableDirectBuffer out = sink.claim(RtpPacketFlyweight.FIXED_HEADER_LENGTH + DtmfEvents.PAYLOAD_LENGTH);
        if (out != null) {
            final int header = RtpPacketFlyweight.writeHeader(out, 0, eventTicksSent == 0, telephoneEventPayloadType,
                sequenceNumber, eventTimestamp, ssrc);
            DtmfEvents.writePayload(out, header, eventCode, end, DtmfEvents.DEFAULT_VOLUME, duration);
            sink.commit(header + DtmfEvents.PAYLOAD_LENGTH);
            afterPacket(DtmfEvents.PAYLOAD_LENGTH);
        }
        sentThisTick = true;
        if (end) {
            endPacketsSent++;
            if (endPacketsSent == END_PACKET_COUNT) {
                eventCode = -1;
                digitsSent++;
                pauseTicks = INTER_DIGIT_TICKS;
            }
        } else {
            eventTicksSent++;
        }
    }

    private void sendSilence() {
        final MutableDirectBuffer out = sink.claim(RtpPacketFlyweight.FIXED_HEADER_LENGTH + silenceMaxLength);
        if (out == null) {
            framesDroppedNoBuffer++;
            return;
        }
        final int header = RtpPacketFlyweight.writeHeader(out, 0, markerPending, audioPayloadType, sequenceNumber,
            frameTimestamp, ssrc);
        final int length = silence.write(out, header, silenceMaxLength);
        if (length <= 0) {
            // The sink releases the unsent buffer at its next claim.
            silenceUnencodable++;
            return;
        }
        sink.commit(header + length);
        silencePacketsSent++;
        afterPacket(length);
    }

    private void afterPacket(final int payloadLength) {
        sequenceNumber = sequenceNumber + 1 & 0xFFFF;
        packetsSent++;
        octetsSent += payloadLength;
        markerPending = false;
        sentThisTick = true;
    }

    /** The gateway's SSRC. */
    public int ssrc() {
        return ssrc;
    }

    /** The sequence number of the next packet. */
    public int nextSequenceNumber() {
        return sequenceNumber;
    }

    /** The timestamp of the next frame slot; RTCP SRs use it as "now" on the RTP clock. */
    public long nextTimestamp() {
        return frameTimestamp;
    }

    /** Packets sent (audio, silence, DTMF). */
    public long packetsSent() {
        return packetsSent;
    }

    /** Payload octets sent. */
    public long octetsSent() {
        return octetsSent;
    }

    /** Silence packets sent on idle ticks. */
    public long silencePacketsSent() {
        return silencePacketsSent;
    }

    /** Audio frames dropped because a DTMF event occupied the slot. */
    public long framesDroppedDuringDtmf() {
        return framesDroppedDuringDtmf;
    }

    /** Audio frames dropped while the peer held the call. */
    public long framesDroppedOnHold() {
        return framesDroppedOnHold;
    }

    /** Audio frames that were empty or longer than {@link #MAX_PAYLOAD_LENGTH}. */
    public long framesDroppedTooLong() {
        return framesDroppedTooLong;
    }

    /** Packets dropped because the sink had no buffer. */
    public long framesDroppedNoBuffer() {
        return framesDroppedNoBuffer;
    }

    /** Audio frames dropped because a frame had already gone out in the same tick. */
    public long framesDroppedSecondInTick() {
        return framesDroppedSecondInTick;
    }

    /** Idle ticks whose silence frame could not be made (nothing sent). */
    public long silenceUnencodable() {
        return silenceUnencodable;
    }

    /** Digits completely sent. */
    public long digitsSent() {
        return digitsSent;
    }

    /** Digits refused because the queue had no room for the whole request. */
    public long digitsDroppedQueueFull() {
        return digitsDroppedQueueFull;
    }

    /** Digits refused because the peer negotiated no telephone-event payload type. */
    public long digitsRefusedNoTelephoneEvent() {
        return digitsRefusedNoTelephoneEvent;
    }

    /** Digit requests refused whole for holding no digit or a character that is no DTMF digit. */
    public long digitRequestsRefusedInvalid() {
        return digitRequestsRefusedInvalid;
    }

    @Override
    public String name() {
        return "rtp-send";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("packets_sent", packetsSent);
        visitor.counter("octets_sent", octetsSent);
        visitor.counter("silence_packets_sent", silencePacketsSent);
        visitor.counter("dropped_during_dtmf", framesDroppedDuringDtmf);
        visitor.counter("dropped_on_hold", framesDroppedOnHold);
        visitor.counter("dropped_too_long", framesDroppedTooLong);
        visitor.counter("dropped_no_buffer", framesDroppedNoBuffer);
        visitor.counter("dropped_second_in_tick", framesDroppedSecondInTick);
        visitor.counter("digits_sent", digitsSent);
    }
}

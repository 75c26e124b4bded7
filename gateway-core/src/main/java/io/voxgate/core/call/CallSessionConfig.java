package io.voxgate.core.call;

import io.voxgate.core.pipeline.PacedOutboundQueue;
import io.voxgate.core.vad.VadConfig;

/**
 * The settings of one {@link CallSession}, validated when set: every {@code withX} throws an
 * {@link IllegalArgumentException} whose message starts with the option's name and states the allowed range.
 *
 * <p>Immutable; safe on any thread. Built once by the composition root and shared by every call.
 */
public final class CallSessionConfig {
    /** Name of {@link #outboundLeadMs()}. */
    public static final String OUTBOUND_LEAD_MS_NAME = "outboundLeadMs";
    /** 80 ms rides out event-loop and network jitter towards Twilio yet keeps barge-in crisp; RTP edges set 0. */
    public static final int DEFAULT_OUTBOUND_LEAD_MS = (int) (PacedOutboundQueue.DEFAULT_LEAD_NS / 1_000_000L);
    /** Largest lead accepted: beyond a second, barge-in could no longer stop what the caller hears in time. */
    public static final int MAX_OUTBOUND_LEAD_MS = 1_000;

    /** Name of {@link #outboundQueueCapacityMs()}. */
    public static final String OUTBOUND_QUEUE_CAPACITY_MS_NAME = "outboundQueueCapacityMs";
    /** 5 s holds any TTS burst sent ahead of real time (40 KB of G.711 per call). */
    public static final int DEFAULT_OUTBOUND_QUEUE_CAPACITY_MS = PacedOutboundQueue.DEFAULT_CAPACITY_MS;
    /** Smallest queue: one 60 ms frame, the longest ptime. */
    public static final int MIN_OUTBOUND_QUEUE_CAPACITY_MS = 60;
    /** Largest queue: a minute of audio is already more than any agent should run ahead. */
    public static final int MAX_OUTBOUND_QUEUE_CAPACITY_MS = 60_000;

    /** Name of {@link #preConnectBufferMs()}. */
    public static final String PRE_CONNECT_BUFFER_MS_NAME = "preConnectBufferMs";
    /** 2 s covers a typical agent connect (WebSocket and TLS handshakes plus the agent's own setup). */
    public static final int DEFAULT_PRE_CONNECT_BUFFER_MS = 2_000;
    /** Largest pre-connect buffer: audio older than this is stale for a conversation anyway. */
    public static final int MAX_PRE_CONNECT_BUFFER_MS = 10_000;

    /** Name of {@link #bargeInVad()}. */
    public static final String BARGE_IN_VAD_NAME = "bargeInVad";
    /** On, because not every agent signals interruptions. */
    public static final boolean DEFAULT_BARGE_IN_VAD = true;

    /** Name of {@link #bargeInConfirmMs()}. */
    public static final String BARGE_IN_CONFIRM_MS_NAME = "bargeInConfirmMs";
    /**
     * 300 ms after the caller's sound ends: longer than the gaps between the words of one utterance (mostly under
     * 250 ms), so a caller who goes on talking is not talked over again, and long enough for a remote agent to report
     * an interruption it heard; short enough that a backchannel costs the caller about half a second of pause (its
     * own length plus this). See docs/architecture.md, barge-in, for the measurement.
     */
    public static final int DEFAULT_BARGE_IN_CONFIRM_MS = 300;
    /** Longest confirmation wait: beyond 2 s a paused agent sounds like a dropped call. */
    public static final int MAX_BARGE_IN_CONFIRM_MS = 2_000;

    /** Name of {@link #bargeInSpeechMs()}. */
    public static final String BARGE_IN_SPEECH_MS_NAME = "bargeInSpeechMs";
    /**
     * 500 ms of the caller's sound, from the VAD's onset on, make a real barge-in without the agent's word.
     * Backchannels ("mm-hm", "yeah", "right", "okay") last 150-400 ms; a caller who means to take the turn is past
     * half a second within the first words. LiveKit's agents use the same half second as their minimum interruption.
     */
    public static final int DEFAULT_BARGE_IN_SPEECH_MS = 500;
    /** Longest sustained-speech threshold. */
    public static final int MAX_BARGE_IN_SPEECH_MS = 5_000;

    /** Name of {@link #vadConfig()}. */
    public static final String VAD_CONFIG_NAME = "vadConfig";

    /** Name of {@link #maxCallDurationSeconds()}. */
    public static final String MAX_CALL_DURATION_SECONDS_NAME = "maxCallDurationSeconds";
    /** 4 h, Twilio's own default call time limit, so no call outlives what the carrier would allow. */
    public static final int DEFAULT_MAX_CALL_DURATION_SECONDS = 14_400;
    /** Largest maximum duration: 24 h. */
    public static final int MAX_MAX_CALL_DURATION_SECONDS = 86_400;

    /** Name of {@link #idleTimeoutSeconds()}. */
    public static final String IDLE_TIMEOUT_SECONDS_NAME = "idleTimeoutSeconds";
    /** 30 s: both edges send audio continuously (silence included), so 30 s without any means the media is gone. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    /** Largest idle timeout: an hour. */
    public static final int MAX_IDLE_TIMEOUT_SECONDS = 3_600;

    /** Name of {@link #commandRingCapacity()}. */
    public static final String COMMAND_RING_CAPACITY_NAME = "commandRingCapacity";
    /** 64 commands: commands are rare (hang-up, barge-in), so a full ring means a stuck call, not a busy one. */
    public static final int DEFAULT_COMMAND_RING_CAPACITY = 64;
    /** Largest command ring. */
    public static final int MAX_COMMAND_RING_CAPACITY = 4_096;

    private static final CallSessionConfig DEFAULTS = new CallSessionConfig(DEFAULT_OUTBOUND_LEAD_MS,
        DEFAULT_OUTBOUND_QUEUE_CAPACITY_MS, DEFAULT_PRE_CONNECT_BUFFER_MS, DEFAULT_BARGE_IN_VAD,
        DEFAULT_BARGE_IN_CONFIRM_MS, DEFAULT_BARGE_IN_SPEECH_MS, VadConfig.defaults(),
        DEFAULT_MAX_CALL_DURATION_SECONDS, DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_COMMAND_RING_CAPACITY);

    private final int outboundLeadMs;
    private final int outboundQueueCapacityMs;
    private final int preConnectBufferMs;
    private final boolean bargeInVad;
    private final int bargeInConfirmMs;
    private final int bargeInSpeechMs;
    private final VadConfig vadConfig;
    private final int maxCallDurationSeconds;
    private final int idleTimeoutSeconds;
    private final int commandRingCapacity;

    private CallSessionConfig(final int outboundLeadMs, final int outboundQueueCapacityMs, final int preConnectBufferMs,
                              final boolean bargeInVad, final int bargeInConfirmMs, final int bargeInSpeechMs,
                              final VadConfig vadConfig, final int maxCallDurationSeconds,
                              final int idleTimeoutSeconds, final int commandRingCapacity) {
        this.outboundLeadMs = outboundLeadMs;
        this.outboundQueueCapacityMs = outboundQueueCapacityMs;
        this.preConnectBufferMs = preConnectBufferMs;
        this.bargeInVad = bargeInVad;
        this.bargeInConfirmMs = bargeInConfirmMs;
        this.bargeInSpeechMs = bargeInSpeechMs;
        this.vadConfig = vadConfig;
        this.maxCallDurationSeconds = maxCallDurationSeconds;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.commandRingCapacity = commandRingCapacity;
    }

    /** Every option at its default. */
    public static CallSessionConfig defaults() {
        return DEFAULTS;
    }

    private static int checked(final String name, final int value, final int min, final int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /** A copy with the outbound lead set: 0 to {@value #MAX_OUTBOUND_LEAD_MS} ms (0 = RTP, one frame per ptime). */
    public CallSessionConfig withOutboundLeadMs(final int value) {
        return new CallSessionConfig(checked(OUTBOUND_LEAD_MS_NAME, value, 0, MAX_OUTBOUND_LEAD_MS),
            outboundQueueCapacityMs, preConnectBufferMs, bargeInVad,
            bargeInConfirmMs, bargeInSpeechMs, vadConfig, maxCallDurationSeconds, idleTimeoutSeconds,
            commandRingCapacity);
    }

    /** A copy with the outbound queue capacity set. */
    public CallSessionConfig withOutboundQueueCapacityMs(final int value) {
        return new CallSessionConfig(outboundLeadMs, checked(OUTBOUND_QUEUE_CAPACITY_MS_NAME, value,
            MIN_OUTBOUND_QUEUE_CAPACITY_MS, MAX_OUTBOUND_QUEUE_CAPACITY_MS), preConnectBufferMs, bargeInVad,
            bargeInConfirmMs, bargeInSpeechMs, vadConfig,
            maxCallDurationSeconds, idleTimeoutSeconds, commandRingCapacity);
    }

    /** A copy with the pre-connect buffer set: 0 (caller audio before the agent connects is dropped) to 10 s. */
    public CallSessionConfig withPreConnectBufferMs(final int value) {
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs,
            checked(PRE_CONNECT_BUFFER_MS_NAME, value, 0, MAX_PRE_CONNECT_BUFFER_MS), bargeInVad,
            bargeInConfirmMs, bargeInSpeechMs, vadConfig,
            maxCallDurationSeconds, idleTimeoutSeconds, commandRingCapacity);
    }

    /** A copy with local-VAD barge-in switched on or off. */
    public CallSessionConfig withBargeInVad(final boolean value) {
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs, preConnectBufferMs, value,
            bargeInConfirmMs, bargeInSpeechMs, vadConfig,
            maxCallDurationSeconds, idleTimeoutSeconds, commandRingCapacity);
    }

    /**
     * A copy with the barge-in confirmation wait set: 0 (a VAD onset over the agent flushes its turn at once, the old
     * behaviour) to {@value #MAX_BARGE_IN_CONFIRM_MS} ms (the turn pauses, and resumes this long after the caller's
     * sound ends unless the barge-in is confirmed).
     */
    public CallSessionConfig withBargeInConfirmMs(final int value) {
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs, preConnectBufferMs, bargeInVad,
            checked(BARGE_IN_CONFIRM_MS_NAME, value, 0, MAX_BARGE_IN_CONFIRM_MS), bargeInSpeechMs, vadConfig,
            maxCallDurationSeconds, idleTimeoutSeconds, commandRingCapacity);
    }

    /** A copy with the sustained-speech threshold set: 20 to {@value #MAX_BARGE_IN_SPEECH_MS} ms of sound from onset. */
    public CallSessionConfig withBargeInSpeechMs(final int value) {
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs, preConnectBufferMs, bargeInVad,
            bargeInConfirmMs, checked(BARGE_IN_SPEECH_MS_NAME, value, 20, MAX_BARGE_IN_SPEECH_MS), vadConfig,
            maxCallDurationSeconds, idleTimeoutSeconds, commandRingCapacity);
    }

    /** A copy with the VAD settings replaced. */
    public CallSessionConfig withVadConfig(final VadConfig value) {
        if (value == null) {
            throw new IllegalArgumentException(VAD_CONFIG_NAME + " must not be null");
        }
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs, preConnectBufferMs, bargeInVad,
            bargeInConfirmMs, bargeInSpeechMs, value,
            maxCallDurationSeconds, idleTimeoutSeconds, commandRingCapacity);
    }

    /** A copy with the maximum call duration set: 1 s to 24 h. */
    public CallSessionConfig withMaxCallDurationSeconds(final int value) {
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs, preConnectBufferMs, bargeInVad,
            bargeInConfirmMs, bargeInSpeechMs, vadConfig,
            checked(MAX_CALL_DURATION_SECONDS_NAME, value, 1, MAX_MAX_CALL_DURATION_SECONDS), idleTimeoutSeconds,
            commandRingCapacity);
    }

    /** A copy with the idle timeout set: 1 s to 1 h. */
    public CallSessionConfig withIdleTimeoutSeconds(final int value) {
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs, preConnectBufferMs, bargeInVad,
            bargeInConfirmMs, bargeInSpeechMs, vadConfig,
            maxCallDurationSeconds, checked(IDLE_TIMEOUT_SECONDS_NAME, value, 1, MAX_IDLE_TIMEOUT_SECONDS),
            commandRingCapacity);
    }

    /** A copy with the command ring capacity set: 2 to 4096 (rounded up to a power of two). */
    public CallSessionConfig withCommandRingCapacity(final int value) {
        return new CallSessionConfig(outboundLeadMs, outboundQueueCapacityMs, preConnectBufferMs, bargeInVad,
            bargeInConfirmMs, bargeInSpeechMs, vadConfig,
            maxCallDurationSeconds, idleTimeoutSeconds, checked(COMMAND_RING_CAPACITY_NAME, value, 2, MAX_COMMAND_RING_CAPACITY));
    }

    /** How far ahead of the caller's playout agent audio may be released, in ms. */
    public int outboundLeadMs() {
        return outboundLeadMs;
    }

    /** How much agent audio the paced queue holds, in ms. */
    public int outboundQueueCapacityMs() {
        return outboundQueueCapacityMs;
    }

    /** How much caller audio is kept while the agent connects, in ms. */
    public int preConnectBufferMs() {
        return preConnectBufferMs;
    }

    /** Whether the gateway's own VAD may trigger barge-in. */
    public boolean bargeInVad() {
        return bargeInVad;
    }

    /** How long after the caller's sound ends a paused turn waits for a confirmation before resuming; 0 = no pause. */
    public int bargeInConfirmMs() {
        return bargeInConfirmMs;
    }

    /** How long the caller's sound must last, from the VAD's onset, to confirm a barge-in by itself. */
    public int bargeInSpeechMs() {
        return bargeInSpeechMs;
    }

    /** The VAD settings for the caller tap. */
    public VadConfig vadConfig() {
        return vadConfig;
    }

    /** The longest a call may last, in seconds. */
    public int maxCallDurationSeconds() {
        return maxCallDurationSeconds;
    }

    /** How long a call may go without caller audio, in seconds. */
    public int idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    /** Commands that may wait for the call's thread. */
    public int commandRingCapacity() {
        return commandRingCapacity;
    }

    @Override
    public String toString() {
        return "CallSessionConfig{" + OUTBOUND_LEAD_MS_NAME + "=" + outboundLeadMs
            + ", " + OUTBOUND_QUEUE_CAPACITY_MS_NAME + "=" + outboundQueueCapacityMs
            + ", " + PRE_CONNECT_BUFFER_MS_NAME + "=" + preConnectBufferMs
            + ", " + BARGE_IN_VAD_NAME + "=" + bargeInVad
            + ", " + BARGE_IN_CONFIRM_MS_NAME + "=" + bargeInConfirmMs
            + ", " + BARGE_IN_SPEECH_MS_NAME + "=" + bargeInSpeechMs
            + ", " + MAX_CALL_DURATION_SECONDS_NAME + "=" + maxCallDurationSeconds
            + ", " + IDLE_TIMEOUT_SECONDS_NAME + "=" + idleTimeoutSeconds
            + ", " + COMMAND_RING_CAPACITY_NAME + "=" + commandRingCapacity + "}";
    }
}

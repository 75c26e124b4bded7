package io.voxgate.core.agent;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.pipeline.VadTapStage;
import io.voxgate.core.vad.VadConfig;
import io.voxgate.core.vad.VadState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An agent that repeats what the caller said: it records each utterance, and once the caller has been silent for
 * about {@value #SILENCE_BEFORE_REPLAY_MS} ms it plays it back. It needs no account and no network, and it exercises
 * everything a real agent does: audio faster than real time, turn taking, and interruption.
 *
 * <ul>
 *   <li><b>Listening</b>: a VAD runs on the caller's audio in the agent's own format (mu-law, A-law or PCM16 at 8, 16
 *       or 24 kHz). The last {@value #PRE_ROLL_MS} ms are always kept, so the start of a word that came before the
 *       VAD confirmed the onset is not clipped.</li>
 *   <li><b>Recording</b>: from the onset until the VAD's offset, into a buffer of {@value #MAX_UTTERANCE_MS} ms made at
 *       construction. A longer utterance keeps its <em>first</em> {@value #MAX_UTTERANCE_MS} ms: a parrot that starts
 *       mid-sentence sounds broken, one that stops early merely sounds brief. The VAD's hangover (trailing silence) is
 *       trimmed off.</li>
 *   <li><b>Replaying</b>: streamed the way a TTS engine streams, with no clock of its own: an initial burst of
 *       {@value #INITIAL_BURST_MS} ms, then as many bytes as each caller chunk carries, so it runs at real time plus
 *       the burst, paced by the caller's own 20 ms frames.</li>
 *   <li><b>Interruption</b>: a VAD onset while replaying, or while the replay may still be playing at the caller, holds
 *       the replay (nothing more is sent) and listens, as a good voice agent does: once the caller's sound has lasted
 *       {@value #INTERRUPTION_SPEECH_MS} ms from the onset it is taken as the caller taking the turn: the replay stops,
 *       {@link AgentListener#onAgentInterruption} is reported, and the new utterance (with its pre-roll) is recorded.
 *       A shorter sound (a backchannel such as "mm-hm") is neither an interruption nor an utterance: the replay goes
 *       on where it was held, and the sound is never replayed.</li>
 *   <li><b>Digits</b>: repeated at once: each DTMF digit the caller presses is asked back with
 *       {@link AgentListener#onAgentDigits}, a one-digit string from a shared table.</li>
 * </ul>
 *
 * <p>Connects synchronously inside {@link #connect}. Threading: the call's thread only. Ownership: copies what it
 * records; the audio it sends is a view of its own buffer, lent for the listener call. Memory: one
 * {@value #MAX_UTTERANCE_MS} ms buffer in the agent's format (64 KB at mu-law 8 kHz, 384 KB at PCM16 24 kHz) and a
 * 700 ms pre-roll ring. Allocates nothing after construction.
 */
public final class ParrotAgent implements VoiceAgent {
    /** Longest utterance recorded, in ms. */
    public static final int MAX_UTTERANCE_MS = 8_000;
    /** Caller silence after an utterance before the replay starts, in ms. */
    public static final int SILENCE_BEFORE_REPLAY_MS = 600;
    /** Audio sent at once when a replay starts, in ms, like the first chunk of a TTS stream. */
    public static final int INITIAL_BURST_MS = 100;
    /** Audio kept from before the VAD confirmed an onset, in ms. */
    public static final int PRE_ROLL_MS = 200;
    /**
     * How long the caller's sound must last, from the VAD's onset, to interrupt a replay: the gateway's own default
     * sustained-speech threshold, for the same reason (backchannels last 150-400 ms).
     */
    public static final int INTERRUPTION_SPEECH_MS = 500;

    private enum Phase { LISTENING, RECORDING, WAITING, REPLAYING }

    private final AudioFormat format;
    private final VadTapStage vad;
    private final byte[] recording;
    private final UnsafeBuffer recordingBuffer;
    private final byte[] preRoll;
    private final int burstBytes;
    private final int hangoverBytes;
    private final long waitAfterOffsetNs;

    private AgentListener listener;
    private boolean open;
    private Phase phase = Phase.LISTENING;
    private int recordedBytes;
    private boolean truncated;
    private long preRollWritten;
    private long offsetNs;
    private int replayPosition;
    private long replayHeardUntilNs = Long.MIN_VALUE;
    private boolean overlapping;
    private long overlapOnsetNs;
    private final long interruptionSpeechNs;
    private final long onsetNs;

    private long utterancesRecorded;
    private long replaysStarted;
    private long interruptions;
    private long backchannelsIgnored;
    private long utterancesTruncated;
    private long digitsEchoed;

    /** A parrot speaking {@code format}, listening with the default VAD settings. */
    public ParrotAgent(final AudioFormat format) {
        this(format, VadConfig.defaults());
    }

    /**
     * A parrot speaking {@code format}, listening with {@code vadConfig}.
     *
     * @throws IllegalArgumentException when an argument is null or the VAD rejects the format's rate
     */
    public ParrotAgent(final AudioFormat format, final VadConfig vadConfig) {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        this.format = format;
        this.vad = new VadTapStage(format, vadConfig);
        this.recording = new byte[MAX_UTTERANCE_MS * format.bytesPerMs()];
        this.recordingBuffer = new UnsafeBuffer(recording);
        // Deep enough to hold the pre-roll and a whole interjection up to the moment it becomes an interruption.
        this.preRoll = new byte[(PRE_ROLL_MS + INTERRUPTION_SPEECH_MS) * format.bytesPerMs()];
        this.interruptionSpeechNs = INTERRUPTION_SPEECH_MS * 1_000_000L;
        this.onsetNs = vadConfig.onsetMs() * 1_000_000L;
        this.burstBytes = INITIAL_BURST_MS * format.bytesPerMs();
        this.hangoverBytes = vadConfig.hangoverMs() * format.bytesPerMs();
        this.waitAfterOffsetNs = Math.max(0, SILENCE_BEFORE_REPLAY_MS - vadConfig.hangoverMs()) * 1_000_000L;
    }

    @Override
    public AudioFormat audioFormat() {
        return format;
    }

    @Override
    public void connect(final AgentCall call, final AgentListener listener, final long nowNs) {
        this.listener = listener;
        this.open = true;
        listener.onAgentConnected(nowNs);
    }

    @Override
    public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (!open || length <= 0) {
            return;
        }
        final VadState state = vad.onAudio(audio, offset, length);
        if (overlapping) {
            followOverlap(state, audio, offset, length, nowNs);
        } else if (state == VadState.ONSET) {
            if (phase == Phase.REPLAYING || nowNs < replayHeardUntilNs) {
                overlapping = true;
                overlapOnsetNs = nowNs;
            } else {
                startRecording(PRE_ROLL_MS);
                record(audio, offset, length);
            }
        } else if (phase == Phase.RECORDING) {
            record(audio, offset, length);
            if (state == VadState.OFFSET) {
                endRecording(nowNs);
            }
        } else if (phase == Phase.WAITING) {
            if (nowNs - offsetNs >= waitAfterOffsetNs) {
                startReplay(nowNs);
            }
        } else if (phase == Phase.REPLAYING) {
            sendReplay(length, nowNs);
        }
        keepPreRoll(audio, offset, length);
    }

    /** The caller talks over the replay: interrupt once the sound has lasted long enough, else carry on. */
    private void followOverlap(final VadState state, final DirectBuffer audio, final int offset, final int length,
                               final long nowNs) {
        if (vad.soundActive() && nowNs - overlapOnsetNs + onsetNs >= interruptionSpeechNs) {
            overlapping = false;
            phase = Phase.LISTENING;
            replayHeardUntilNs = Long.MIN_VALUE;
            interruptions++;
            listener.onAgentInterruption(nowNs);
            if (!open) {
                return;
            }
            startRecording(PRE_ROLL_MS + (int) ((nowNs - overlapOnsetNs + onsetNs) / 1_000_000L));
            record(audio, offset, length);
        } else if (state == VadState.OFFSET) {
            // A backchannel: the held replay goes on, and its end at the caller moves by the time it was held.
            overlapping = false;
            backchannelsIgnored++;
            if (replayHeardUntilNs != Long.MIN_VALUE) {
                replayHeardUntilNs += nowNs - overlapOnsetNs;
            }
        }
    }

    private void startRecording(final int keepMs) {
        phase = Phase.RECORDING;
        truncated = false;
        final int kept = (int) Math.min(Math.min(preRollWritten, preRoll.length), (long) keepMs * format.bytesPerMs());
        final int start = (int) ((preRollWritten - kept) % preRoll.length);
        final int first = Math.min(kept, preRoll.length - start);
        System.arraycopy(preRoll, start, recording, 0, first);
        System.arraycopy(preRoll, 0, recording, first, kept - first);
        recordedBytes = kept;
    }

    private void record(final DirectBuffer audio, final int offset, final int length) {
        final int room = recording.length - recordedBytes;
        final int take = Math.min(room, length);
        audio.getBytes(offset, recording, recordedBytes, take);
        recordedBytes += take;
        if (take < length && !truncated) {
            truncated = true;
            utterancesTruncated++;
        }
    }

    private void endRecording(final long nowNs) {
        if (!truncated) {
            recordedBytes = Math.max(0, recordedBytes - hangoverBytes);
        }
        // Whole samples only, so a PCM16 replay never starts the next turn mid-sample.
        recordedBytes -= recordedBytes % format.encoding().bytesPerSample();
        utterancesRecorded++;
        offsetNs = nowNs;
        phase = recordedBytes > 0 ? Phase.WAITING : Phase.LISTENING;
    }

    private void startReplay(final long nowNs) {
        phase = Phase.REPLAYING;
        replaysStarted++;
        replayPosition = 0;
        replayHeardUntilNs = nowNs + format.durationNs(recordedBytes);
        sendReplay(burstBytes, nowNs);
    }

    private void sendReplay(final int byteCount, final long nowNs) {
        final int bytesPerSample = format.encoding().bytesPerSample();
        final int wanted = byteCount - byteCount % bytesPerSample;
        final int length = Math.min(wanted, recordedBytes - replayPosition);
        final int from = replayPosition;
        replayPosition += length;
        if (replayPosition >= recordedBytes) {
            phase = Phase.LISTENING;
        }
        if (length > 0) {
            listener.onAgentAudio(recordingBuffer, from, length, nowNs);
        }
    }

    private void keepPreRoll(final DirectBuffer audio, final int offset, final int length) {
        final int take = Math.min(length, preRoll.length);
        final int from = offset + length - take;
        int position = (int) ((preRollWritten + length - take) % preRoll.length);
        int copied = 0;
        while (copied < take) {
            final int n = Math.min(take - copied, preRoll.length - position);
            audio.getBytes(from + copied, preRoll, position, n);
            copied += n;
            position = (position + n) % preRoll.length;
        }
        preRollWritten += length;
    }

    @Override
    public void onCallerDigit(final char digit, final long nowNs) {
        if (open) {
            digitsEchoed++;
            listener.onAgentDigits(DtmfDigits.request(digit), nowNs);
        }
    }

    @Override
    public void close(final String reason, final long nowNs) {
        open = false;
    }

    /** Utterances recorded to the end (each one is replayed unless interrupted first). */
    public long utterancesRecorded() {
        return utterancesRecorded;
    }

    /** Replays started. */
    public long replaysStarted() {
        return replaysStarted;
    }

    /** Sounds over a replay too short to interrupt it (backchannels), which it ignored and did not replay. */
    public long backchannelsIgnored() {
        return backchannelsIgnored;
    }

    /** Replays the caller talked over. */
    public long interruptions() {
        return interruptions;
    }

    /** Utterances longer than {@link #MAX_UTTERANCE_MS}, whose end was not kept. */
    public long utterancesTruncated() {
        return utterancesTruncated;
    }

    /** Caller digits repeated back so far. */
    public long digitsEchoed() {
        return digitsEchoed;
    }

    /** Whether a replay is being streamed. */
    public boolean replaying() {
        return phase == Phase.REPLAYING;
    }
}

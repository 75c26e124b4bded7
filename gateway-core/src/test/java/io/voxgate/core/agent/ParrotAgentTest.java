package io.voxgate.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.pipeline.Signals;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ParrotAgentTest {
    private static final long MS = 1_000_000L;

    private final RecordingListener listener = new RecordingListener();
    private long nowNs = 1_000 * MS;

    private ParrotAgent connected(final AudioFormat format) {
        final ParrotAgent agent = new ParrotAgent(format);
        agent.connect(new AgentCall("CA1", "sip", Map.of(), Runnable::run), listener, nowNs);
        return agent;
    }

    private void speak(final ParrotAgent agent, final AudioFormat format, final short[] pcm) {
        final byte[] bytes = Signals.encode(format, pcm);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int frame = format.bytesPerFrame();
        for (int at = 0; at + frame <= bytes.length; at += frame) {
            agent.onCallerAudio(buffer, at, frame, nowNs);
            nowNs += 20 * MS;
        }
    }

    private static short[] quiet(final int rateHz, final int ms) {
        return Signals.noise(rateHz, ms, 30, ms);
    }

    @Test
    void shouldReplayTheUtteranceAfterAboutSixHundredMillisecondsOfSilence() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 500));
        speak(agent, AudioFormat.MULAW_8K, Signals.voiced(8_000, 1_000, 150, 9_000));
        final long speechEndNs = nowNs;

        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 560));
        assertEquals(0, listener.audio.size(), "still listening 560 ms after the caller stopped");
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 60));

        assertEquals(1, agent.replaysStarted());
        final long startedAfterMs = (listener.chunkTimesNs.get(0) - speechEndNs) / MS;
        assertTrue(startedAfterMs >= 580 && startedAfterMs <= 640, "replay began " + startedAfterMs + " ms after speech");
        assertEquals(800, listener.chunkLengths.get(0), "an initial burst of 100 ms");
    }

    @Test
    void shouldStreamTheReplayOneCallerFrameAtATimeAndReplayTheWholeUtterance() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 500));
        final short[] voice = Signals.voiced(8_000, 1_000, 150, 9_000);
        speak(agent, AudioFormat.MULAW_8K, voice);

        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 3_000));

        assertFalse(agent.replaying());
        assertTrue(listener.chunkLengths.subList(1, listener.chunkLengths.size() - 1).stream().allMatch(n -> n == 160));
        final short[] replayed = Signals.decode(AudioFormat.MULAW_8K, listener.audio.toByteArray());
        assertTrue(replayed.length >= voice.length && replayed.length <= voice.length + 2 * 8 * ParrotAgent.PRE_ROLL_MS,
            "replayed " + replayed.length + " samples of a " + voice.length + "-sample utterance");
        final byte[] all = listener.audio.toByteArray();
        final byte[] original = Signals.encode(AudioFormat.MULAW_8K, voice);
        assertTrue(new String(all, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(original, 400, 4_000, java.nio.charset.StandardCharsets.ISO_8859_1)),
            "the caller's own bytes come back unchanged");
    }

    @Test
    void shouldStopAndSignalAnInterruptionWhenTalkedOver() {
        final ParrotAgent agent = connected(AudioFormat.PCM16_16K);
        speak(agent, AudioFormat.PCM16_16K, quiet(16_000, 500));
        speak(agent, AudioFormat.PCM16_16K, Signals.voiced(16_000, 2_000, 150, 9_000));
        speak(agent, AudioFormat.PCM16_16K, quiet(16_000, 800));
        assertTrue(agent.replaying());
        final int sentBeforeInterruption = listener.audio.size();

        speak(agent, AudioFormat.PCM16_16K, Signals.voiced(16_000, 800, 200, 9_000));

        assertEquals(1, listener.interruptions);
        assertEquals(1, agent.interruptions());
        assertFalse(agent.replaying());
        assertTrue(listener.audio.size() - sentBeforeInterruption <= 4 * 640, "stopped within the onset window");
        final int afterInterruption = listener.audio.size();
        speak(agent, AudioFormat.PCM16_16K, quiet(16_000, 900));
        assertTrue(listener.audio.size() > afterInterruption, "the new utterance is replayed in turn");
        assertEquals(2, agent.replaysStarted());
    }

    @Test
    void shouldHoldTheReplayThroughABackchannelAndGoOnWithoutReplayingIt() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 500));
        final short[] voice = Signals.voiced(8_000, 1_200, 150, 9_000);
        speak(agent, AudioFormat.MULAW_8K, voice);
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 900));
        assertTrue(agent.replaying());
        final int sentBefore = listener.audio.size();

        speak(agent, AudioFormat.MULAW_8K, Signals.voiced(8_000, 250, 220, 3_300));
        assertTrue(listener.audio.size() - sentBefore <= 2 * 160, "held from the onset on");
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 4_000));

        assertEquals(0, listener.interruptions, "a backchannel does not take the turn");
        assertEquals(1, agent.backchannelsIgnored());
        assertEquals(1, agent.replaysStarted(), "the mm-hm is not replayed");
        final int replayedBytes = listener.audio.size();
        assertTrue(replayedBytes >= voice.length && replayedBytes <= voice.length + 8 * ParrotAgent.PRE_ROLL_MS,
            "the whole utterance replayed once: " + replayedBytes + " bytes of a " + voice.length + "-sample one");
    }

    @Test
    void shouldInterruptOnlyOnceTheTalkOverHasLastedHalfASecond() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 500));
        speak(agent, AudioFormat.MULAW_8K, Signals.voiced(8_000, 1_500, 150, 9_000));
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 900));

        speak(agent, AudioFormat.MULAW_8K, Signals.voiced(8_000, 440, 200, 9_000));
        assertEquals(0, listener.interruptions, "440 ms may still be a backchannel");
        speak(agent, AudioFormat.MULAW_8K, Signals.voiced(8_000, 100, 200, 9_000));

        assertEquals(1, listener.interruptions);
        assertFalse(agent.replaying());
    }

    @Test
    void shouldKeepTheFirstEightSecondsOfALongUtterance() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 500));
        speak(agent, AudioFormat.MULAW_8K, Signals.voiced(8_000, 10_000, 150, 9_000));

        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 10_000));

        assertEquals(1, agent.utterancesTruncated());
        assertEquals(8 * ParrotAgent.MAX_UTTERANCE_MS, listener.audio.size());
    }

    @Test
    void shouldNotReplayACough() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);
        speak(agent, AudioFormat.MULAW_8K, quiet(8_000, 500));

        speak(agent, AudioFormat.MULAW_8K, Signals.concat(Signals.cough(8_000, 200, 20_000, 3), quiet(8_000, 2_000)));

        assertEquals(0, agent.replaysStarted());
    }

    @Test
    void shouldRepeatEachCallerDigitAtOnce() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);

        agent.onCallerDigit('9', nowNs);
        agent.onCallerDigit('*', nowNs + MS);

        assertEquals(List.of("9", "*"), listener.digits);
        assertEquals(List.of(nowNs, nowNs + MS), listener.digitTimesNs);
        assertEquals(2, agent.digitsEchoed());
        assertTrue(listener.events.isEmpty(), "a digit is no longer reported as a conversation event");
    }

    @Test
    void shouldNotRepeatDigitsOnceClosed() {
        final ParrotAgent agent = connected(AudioFormat.MULAW_8K);
        agent.close("bye", nowNs);

        agent.onCallerDigit('9', nowNs);

        assertTrue(listener.digits.isEmpty());
    }
}

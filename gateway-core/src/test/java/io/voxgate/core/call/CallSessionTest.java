package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.core.agent.AgentEvent;
import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.pipeline.PreConnectBuffer;
import io.voxgate.core.pipeline.Signals;
import io.voxgate.core.record.RecordMode;
import io.voxgate.core.record.RecordingRing;
import io.voxgate.core.record.RecordingTap;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class CallSessionTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000_000_000L;

    private final AtomicLong clock = new AtomicLong(T0);
    private final List<Runnable> loop = new ArrayList<>();
    private final CallRegistry registry = new CallRegistry(10);
    private final RecordingLeg leg = new RecordingLeg();
    private long nowNs = T0;
    private RecordingRing recordings;
    private RecordMode recordMode = RecordMode.NONE;

    private CallSession session(final ScriptedAgent agent, final CallSessionConfig config) {
        return session(agent, config, AudioFormat.MULAW_8K);
    }

    private CallSession session(final io.voxgate.core.agent.VoiceAgent agent, final CallSessionConfig config,
                                final AudioFormat callerFormat) {
        final CallAdmission admission = new CallOpener(registry, call -> agent, config, clock::get)
            .forEdge("twilio", UnaryOperator.identity())
            .recordingTo(recordings, recordMode)
            .open("CA1", Map.of(), callerFormat, leg, loop::add, nowNs);
        assertEquals(CallAdmission.Verdict.ACCEPTED, admission.verdict());
        return admission.session();
    }

    private void advanceTo(final long ns) {
        nowNs = ns;
        clock.set(ns);
    }

    /** Sends {@code pcm} as 20 ms caller frames, ticking the session every 20 ms as an edge would. */
    private void speak(final CallSession session, final short[] pcm) {
        final byte[] bytes = Signals.encode(AudioFormat.MULAW_8K, pcm);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int at = 0; at + 160 <= bytes.length; at += 160) {
            session.onCallerAudio(buffer, at, 160, nowNs);
            session.onTick(nowNs);
            advanceTo(nowNs + 20 * MS);
        }
    }

    private static UnsafeBuffer agentBurst(final int bytes) {
        final byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (i * 7);
        }
        return new UnsafeBuffer(b);
    }

    private static short[] quiet(final int ms) {
        return Signals.noise(8_000, ms, 30, ms);
    }

    @Test
    void shouldBufferCallerAudioUntilTheAgentConnectsThenDeliverItInOrder() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, false);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        assertEquals(CallState.CONNECTING_AGENT, session.state());
        final UnsafeBuffer frames = agentBurst(480);
        session.onCallerAudio(frames, 0, 160, nowNs);
        session.onCallerAudio(frames, 160, 160, nowNs + 20 * MS);
        assertEquals(0, agent.receivedChunks);

        advanceTo(T0 + 500 * MS);
        agent.listener.onAgentConnected(nowNs);
        session.onCallerAudio(frames, 320, 160, nowNs);

        assertEquals(CallState.ACTIVE, session.state());
        assertEquals(3, agent.receivedChunks);
        assertArrayEquals(java.util.Arrays.copyOf(frames.byteArray(), 480), agent.receivedBytes());
        assertEquals(500 * MS, session.stats().agentConnectNs());
        assertEquals(0, session.stats().inboundLatencyUs().getMaxValue(),
            "time spent waiting for the agent is not gateway latency");
    }

    @Test
    void shouldReleaseThePreConnectStorageOnceTheAgentIsConnected() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, false);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        session.onCallerAudio(agentBurst(160), 0, 160, nowNs);
        final PreConnectBuffer preConnect = session.preConnect();
        assertFalse(preConnect.released());

        agent.listener.onAgentConnected(nowNs);

        assertEquals(1, agent.receivedChunks, "what was buffered was delivered first");
        assertTrue(preConnect.released());
        session.onCallerAudio(agentBurst(160), 0, 160, nowNs);
        assertEquals(2, agent.receivedChunks);
        assertEquals(0, session.stats().framesDroppedPreConnect());
    }

    @Test
    void shouldPassMuLawThroughByteExactWithNoTranscoding() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        agent.echo = true;
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        final UnsafeBuffer frame = agentBurst(160);

        session.onCallerAudio(frame, 0, 160, nowNs);

        assertTrue(session.passesThrough());
        assertSame(frame, agent.lastBuffer, "the edge's buffer reaches the agent itself: no copy, no transcoding");
        assertArrayEquals(java.util.Arrays.copyOf(frame.byteArray(), 160), leg.sentBytes());
    }

    @Test
    void shouldReturnEchoedFramesWithZeroAddedDelay() {
        final EchoAgent agent = new EchoAgent(AudioFormat.MULAW_8K);
        final CallSession session = session(agent, CallSessionConfig.defaults().withOutboundLeadMs(0),
            AudioFormat.MULAW_8K);
        session.start(nowNs);

        speak(session, Signals.voiced(8_000, 2_000, 150, 8_000));

        assertEquals(100, leg.framesSent);
        for (int k = 0; k < 100; k++) {
            assertEquals(T0 + k * 20 * MS, leg.sentAtNs[k], "frame " + k + " left the moment it arrived");
        }
        assertEquals(0, session.stats().outboundLatencyUs().getMaxValue());
    }

    @Test
    void shouldTranscodeBothWaysForAPcm16Agent() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.PCM16_16K, true);
        agent.echo = true;
        final CallSession session = session(agent, CallSessionConfig.defaults().withBargeInVad(false));
        session.start(nowNs);
        final short[] tone = Signals.tone(8_000, 1_000, 800, 10_000);

        speak(session, tone);
        session.onTick(nowNs + 200 * MS);

        assertEquals(32_000, agent.receivedBytes, "640 bytes of 16 kHz PCM16 per 160-byte caller frame");
        final short[] back = Signals.decode(AudioFormat.MULAW_8K, leg.sentBytes());
        assertTrue(Signals.snrDb(tone, back, 80) > 30, "SNR " + Signals.snrDb(tone, back, 80));
    }

    @Test
    void shouldPaceAnAgentBurstWithinTheLead() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        agent.listener.onAgentAudio(agentBurst(8_000), 0, 8_000, nowNs);

        assertEquals(5, leg.framesSent, "80 ms lead: the frame playing now and four more");
        assertEquals(T0 + 100 * MS - 80 * MS, session.nextReleaseNs());
        assertEquals(T0 + 120 * MS - 80 * MS, session.onTick(T0 + 20 * MS));
        assertEquals(6, leg.framesSent);
    }

    @Test
    void shouldTellTheLegWhenAgentAudioHeldForPacingIsDue() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        agent.listener.onAgentAudio(agentBurst(8_000), 0, 8_000, nowNs);

        assertEquals(T0 + 100 * MS - 80 * MS, leg.toldNextReleaseNs,
            "the leg that ticks only when work is due learns when the held sixth frame is");
    }

    @Test
    void shouldFlushTheTurnOnceWhenTheAgentSignalsAnInterruption() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        agent.listener.onAgentAudio(agentBurst(16_000), 0, 16_000, nowNs);
        session.onTick(T0 + 200 * MS);
        final int sentBefore = leg.framesSent;

        agent.listener.onAgentInterruption(T0 + 210 * MS);
        agent.listener.onAgentInterruption(T0 + 215 * MS);

        assertEquals(1, leg.clears);
        for (long t = T0 + 220 * MS; t < T0 + 3_000 * MS; t += 20 * MS) {
            session.onTick(t);
        }
        assertEquals(sentBefore, leg.framesSent, "nothing of the interrupted turn is heard afterwards");
        assertEquals(1, session.stats().bargeIns());
        assertEquals(1, session.stats().bargeInsFromAgent());
        assertEquals(1, session.stats().bargeInsIgnoredRepeat());
        assertEquals(100 - sentBefore, session.stats().framesFlushed());
    }

    @Test
    void shouldBargeInOnceWhenTheLocalVadHearsTheCallerTalkOverTheAgent() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        speak(session, quiet(500));
        agent.listener.onAgentAudio(agentBurst(40_000), 0, 40_000, nowNs);
        speak(session, quiet(200));
        final int heardBeforeBargeIn = leg.framesSent;

        speak(session, Signals.voiced(8_000, 600, 140, 9_000));

        assertEquals(1, leg.clears);
        assertEquals(1, session.stats().bargeInsFromVad());
        final int sentAtBargeIn = leg.framesSent;
        assertTrue(sentAtBargeIn <= heardBeforeBargeIn + 10, "flushed within the onset window");
        speak(session, quiet(800));
        speak(session, Signals.voiced(8_000, 600, 140, 9_000));
        assertEquals(sentAtBargeIn, leg.framesSent, "nothing of the old turn released afterwards");
        assertEquals(1, leg.clears, "a new utterance with the agent silent is not a barge-in");
        assertEquals(2, session.stats().vadOnsets());
    }

    @Test
    void shouldRecordTheAgentsFirstAudioAfterEachCallerTurnFromTheEndOfTheUtterance() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        speak(session, quiet(500));
        speak(session, Signals.voiced(8_000, 600, 140, 9_000));
        final long utteranceEndNs = nowNs;
        // The VAD's hangover (300 ms) runs out inside this silence; the agent answers 700 ms after the words ended.
        speak(session, quiet(700));

        agent.listener.onAgentAudio(agentBurst(1_600), 0, 1_600, nowNs);
        agent.listener.onAgentAudio(agentBurst(1_600), 0, 1_600, nowNs + 20 * MS);

        assertEquals(1, session.stats().agentFirstAudioUs().getTotalCount(), "one turn, one value: the first audio only");
        final long recordedMs = session.stats().agentFirstAudioUs().getMaxValue() / 1_000;
        assertTrue(Math.abs(recordedMs - (nowNs - utteranceEndNs) / MS) <= 60,
            "measured from the end of the words, not from the VAD's offset: " + recordedMs + " ms");
    }

    @Test
    void shouldNotCountATurnTheCallerResumedBeforeTheAgentAnswered() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        speak(session, quiet(500));
        speak(session, Signals.voiced(8_000, 600, 140, 9_000));
        speak(session, quiet(500));
        speak(session, Signals.voiced(8_000, 600, 140, 9_000));

        agent.listener.onAgentAudio(agentBurst(1_600), 0, 1_600, nowNs);

        assertEquals(0, session.stats().agentFirstAudioUs().getTotalCount(), "the caller is still talking: no turn ended");
    }

    @Test
    void shouldNotBargeInOnACough() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        speak(session, quiet(500));
        agent.listener.onAgentAudio(agentBurst(40_000), 0, 40_000, nowNs);

        speak(session, Signals.concat(quiet(100), Signals.cough(8_000, 200, 20_000, 9), quiet(300)));

        assertEquals(0, leg.clears);
        assertEquals(0, session.stats().bargeIns());
        assertEquals(0, session.stats().framesFlushed());
    }

    /** An agent turn whose bytes never repeat in a way that could hide a skipped or repeated stretch. */
    private static UnsafeBuffer agentTurn(final int bytes) {
        final byte[] b = new byte[bytes];
        new java.util.Random(bytes).nextBytes(b);
        return new UnsafeBuffer(b);
    }

    /** Ticks the session every 20 ms with quiet caller audio until {@code ms} have passed. */
    private void listen(final CallSession session, final int ms) {
        speak(session, quiet(ms));
    }

    @Test
    void shouldPauseOnABackchannelAndResumeTheTurnSoTheCallerHearsEveryByteOnce() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        listen(session, 500);
        final UnsafeBuffer turn = agentTurn(16_000);
        agent.listener.onAgentAudio(turn, 0, 16_000, nowNs);
        listen(session, 300);

        speak(session, Signals.voiced(8_000, 250, 140, 9_000));
        assertEquals(1, leg.pauses, "paused at the onset");
        assertEquals(1, leg.clears);
        listen(session, 3_000);

        assertEquals(0, session.stats().bargeIns());
        assertEquals(1, session.stats().bargeInPauses());
        assertEquals(1, session.stats().bargeInsResumed());
        assertEquals(0, session.stats().framesFlushed());
        assertArrayEquals(turn.byteArray(), leg.heardBytes(), "the whole turn heard, nothing twice");
        assertTrue(session.stats().audioResumedMs() >= 1_000, "resumed " + session.stats().audioResumedMs() + " ms");
    }

    @Test
    void shouldResumeOnlyOnceTheConfirmWaitHasPassedSinceTheSoundEnded() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults().withBargeInConfirmMs(400));
        session.start(nowNs);
        listen(session, 500);
        agent.listener.onAgentAudio(agentTurn(16_000), 0, 16_000, nowNs);
        listen(session, 300);
        speak(session, Signals.voiced(8_000, 200, 140, 9_000));
        final long soundEndNs = nowNs;
        final int sentWhilePausing = leg.framesSent;

        listen(session, 360);
        assertEquals(sentWhilePausing, leg.framesSent, "still paused " + (nowNs - soundEndNs) / MS + " ms after the sound");
        listen(session, 100);

        assertTrue(leg.framesSent > sentWhilePausing, "resumed");
        assertEquals(1, session.stats().bargeInsResumed());
    }

    @Test
    void shouldConfirmABargeInWhenTheCallersSoundLastsPastTheSpeechThreshold() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        listen(session, 500);
        agent.listener.onAgentAudio(agentTurn(16_000), 0, 16_000, nowNs);
        listen(session, 300);
        final long speechStartNs = nowNs;

        speak(session, Signals.voiced(8_000, 400, 140, 9_000));
        assertEquals(0, session.stats().bargeIns(), "400 ms is not yet a barge-in");
        speak(session, Signals.voiced(8_000, 200, 140, 9_000));
        final int sentAtConfirm = leg.framesSent;
        listen(session, 2_000);

        assertEquals(1, session.stats().bargeIns());
        assertEquals(1, session.stats().bargeInsFromVad());
        assertEquals(0, session.stats().bargeInsResumed());
        assertEquals(1, leg.clears, "the pause already cleared the far end");
        assertEquals(sentAtConfirm, leg.framesSent, "nothing of the old turn after the confirmation");
        assertTrue(leg.lastClearNs - speechStartNs <= 100 * MS, "cleared " + (leg.lastClearNs - speechStartNs) / MS
            + " ms after the speech began");
    }

    @Test
    void shouldFlushAPausedTurnWhenTheAgentConfirmsTheInterruption() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        listen(session, 500);
        agent.listener.onAgentAudio(agentTurn(16_000), 0, 16_000, nowNs);
        listen(session, 300);
        speak(session, Signals.voiced(8_000, 200, 140, 9_000));
        final int sentWhilePaused = leg.framesSent;

        agent.listener.onAgentInterruption(nowNs);
        listen(session, 2_000);

        assertEquals(1, session.stats().bargeIns());
        assertEquals(1, session.stats().bargeInsFromAgent());
        assertEquals(0, session.stats().bargeInsResumed());
        assertEquals(sentWhilePaused, leg.framesSent, "the paused turn never resumes");
        assertEquals(1, leg.clears);
    }

    @Test
    void shouldFlushAtTheOnsetAsBeforeWhenTheConfirmWaitIsZero() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults().withBargeInConfirmMs(0));
        session.start(nowNs);
        listen(session, 500);
        agent.listener.onAgentAudio(agentTurn(16_000), 0, 16_000, nowNs);
        listen(session, 300);

        speak(session, Signals.voiced(8_000, 200, 140, 9_000));
        listen(session, 2_000);

        assertEquals(0, leg.pauses);
        assertEquals(1, leg.clears);
        assertEquals(1, session.stats().bargeInsFromVad());
        assertTrue(session.stats().framesFlushed() > 0);
    }

    @Test
    void shouldKeepTheTurnWholeOnAnRtpLegWhoseFarEndPlaysEverythingItWasSent() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        leg.buffersAtFarEnd = false;
        final CallSession session = session(agent, CallSessionConfig.defaults().withOutboundLeadMs(0));
        session.start(nowNs);
        listen(session, 500);
        final UnsafeBuffer turn = agentTurn(16_000);
        agent.listener.onAgentAudio(turn, 0, 16_000, nowNs);
        listen(session, 300);

        speak(session, Signals.voiced(8_000, 250, 140, 9_000));
        listen(session, 3_000);

        assertEquals(0, leg.clears);
        assertEquals(1, session.stats().bargeInsResumed());
        assertArrayEquals(turn.byteArray(), leg.sentBytes(), "every byte sent once, in order");
    }

    @Test
    void shouldResumeRatherThanConfirmWhenTheCallersAudioStopsMidSound() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        listen(session, 500);
        agent.listener.onAgentAudio(agentTurn(16_000), 0, 16_000, nowNs);
        listen(session, 300);
        speak(session, Signals.voiced(8_000, 100, 140, 9_000));
        final int sentWhilePaused = leg.framesSent;

        for (int i = 0; i < 50; i++) {
            session.onTick(nowNs);
            advanceTo(nowNs + 20 * MS);
        }

        assertEquals(0, session.stats().bargeIns(), "a silent line is not sustained speech");
        assertEquals(1, session.stats().bargeInsResumed());
        assertTrue(leg.framesSent > sentWhilePaused);
    }

    @Test
    void shouldQueueAgentAudioThatArrivesWhilePausedBehindTheUnheardTurn() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        listen(session, 500);
        final UnsafeBuffer turn = agentTurn(8_000);
        agent.listener.onAgentAudio(turn, 0, 4_000, nowNs);
        listen(session, 300);
        speak(session, Signals.voiced(8_000, 100, 140, 9_000));

        agent.listener.onAgentAudio(turn, 4_000, 4_000, nowNs);
        listen(session, 3_000);

        assertEquals(1, session.stats().bargeInsResumed());
        assertArrayEquals(turn.byteArray(), leg.heardBytes());
    }

    @Test
    void shouldRecordPauseReactionAndLengthNodeWide() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        listen(session, 500);
        agent.listener.onAgentAudio(agentTurn(16_000), 0, 16_000, nowNs);
        listen(session, 300);
        speak(session, Signals.voiced(8_000, 250, 140, 9_000));
        listen(session, 1_000);

        final long[] counts = new long[3];
        final long[] maxUs = new long[3];
        registry.latency().drainPausesTo((edge, toPause, toClear, pause) -> {
            counts[0] += toPause.getTotalCount();
            counts[1] += toClear.getTotalCount();
            counts[2] += pause.getTotalCount();
            maxUs[2] = Math.max(maxUs[2], pause.getMaxValue());
        });
        assertArrayEquals(new long[] {1, 1, 1}, counts);
        assertTrue(maxUs[2] >= 300_000 && maxUs[2] <= 1_000_000, "paused " + maxUs[2] + " us");
        assertTrue(session.stats().bargeInPausedMs() >= 300);
    }

    @Test
    void shouldIgnoreTheLocalVadWhenItsBargeInIsSwitchedOff() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults().withBargeInVad(false));
        session.start(nowNs);
        speak(session, quiet(500));
        agent.listener.onAgentAudio(agentBurst(40_000), 0, 40_000, nowNs);

        speak(session, Signals.voiced(8_000, 600, 140, 9_000));

        assertEquals(0, leg.clears);
        assertEquals(1, session.stats().vadOnsets());
    }

    @Test
    void shouldIgnoreAnInterruptionWhileTheAgentIsSilent() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        agent.listener.onAgentInterruption(nowNs);

        assertEquals(0, leg.clears);
        assertEquals(1, session.stats().bargeInsIgnoredSilent());
    }

    @Test
    void shouldAcceptABargeInCommandFromAnotherThread() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        agent.listener.onAgentAudio(agentBurst(8_000), 0, 8_000, nowNs);

        assertTrue(session.proxy().offer(CallCommand.BARGE_IN));
        loop.forEach(Runnable::run);

        assertEquals(1, leg.clears);
        assertEquals(1, session.stats().bargeInsFromCommand());
    }

    @Test
    void shouldDeliverDtmfToTheAgent() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        session.onCallerDigit('4', nowNs);
        session.onCallerDigit('#', nowNs);

        assertEquals("4#", agent.digits.toString());
        assertEquals(2, session.stats().digitsToAgent());
    }

    @Test
    void shouldForwardAgentDigitsToTheCallerLegAndCountThem() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        agent.listener.onAgentDigits("12#", nowNs);
        agent.listener.onAgentDigits("A", nowNs);

        assertEquals("12#A", leg.digits.toString());
        assertEquals(2, leg.digitRequests);
        assertEquals(4, session.stats().digitsToCaller());
        assertEquals(0, session.stats().digitsToCallerRefused());
    }

    @Test
    void shouldDropAndCountRequestsThatAreNotDtmfWithoutTouchingTheLeg() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        final String tooLong = "1".repeat(CallSession.MAX_AGENT_DIGITS + 1);

        for (final String bad : java.util.Arrays.asList("12x4", "a", "E", " 1", "", null, tooLong)) {
            agent.listener.onAgentDigits(bad, nowNs);
        }

        assertEquals(0, leg.digitRequests, "no partial sequence is dialled");
        assertEquals(7, session.stats().digitRequestsDroppedInvalid());
        assertEquals(0, session.stats().digitsToCaller());
        assertEquals(CallState.ACTIVE, session.state(), "bad digits do not disturb the call");
    }

    @Test
    void shouldAcceptTheLongestAllowedRequest() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        agent.listener.onAgentDigits("#".repeat(CallSession.MAX_AGENT_DIGITS), nowNs);

        assertEquals(CallSession.MAX_AGENT_DIGITS, session.stats().digitsToCaller());
    }

    @Test
    void shouldCountDigitsTheCallerLegRefuses() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        leg.acceptDigits = false;

        agent.listener.onAgentDigits("123", nowNs);

        assertEquals(1, leg.digitRequests);
        assertEquals(3, session.stats().digitsToCallerRefused());
        assertEquals(0, session.stats().digitsToCaller());
    }

    @Test
    void shouldDropAndCountDigitsAskedForAfterTheCallEnded() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        final io.voxgate.core.agent.AgentListener listener = agent.listener;
        session.end("caller hung up", nowNs);

        listener.onAgentDigits("9", nowNs);

        assertEquals(0, leg.digitRequests);
        assertEquals(1, session.stats().digitsToCallerDroppedEnded());
    }

    @Test
    void shouldPlayCallerDigitsBackToTheCallerThroughTheEchoAgent() {
        final CallSession session = session(new EchoAgent(AudioFormat.MULAW_8K), CallSessionConfig.defaults(),
            AudioFormat.MULAW_8K);
        session.start(nowNs);

        session.onCallerDigit('7', nowNs);
        session.onCallerDigit('D', nowNs);

        assertEquals("7D", leg.digits.toString());
        assertEquals(2, session.stats().digitsToAgent());
        assertEquals(2, session.stats().digitsToCaller());
    }

    @Test
    void shouldHangUpTheCallerWhenTheAgentCloses() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        agent.listener.onAgentClosed("agent-ended", nowNs);

        assertEquals(1, leg.hangUps);
        assertEquals("agent-ended", leg.hangUpReason);
        assertEquals(0, agent.closes, "an agent that closed itself is not closed again");
        assertEquals(CallState.ENDED, session.state());
        assertEquals(0, registry.size());
    }

    @Test
    void shouldPlayTheAgentsLastWordsBeforeHangingUp() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        agent.listener.onAgentAudio(agentBurst(8_000 + 100), 0, 8_100, nowNs);

        agent.listener.onAgentClosed("goodbye", nowNs);

        assertEquals(CallState.ENDING, session.state());
        assertEquals(0, leg.hangUps);
        long t = nowNs;
        int ticks = 0;
        while (session.state() != CallState.ENDED && ticks < 1_000) {
            t = session.nextReleaseNs();
            final long next = session.onTick(t);
            ticks++;
            assertTrue(session.state() == CallState.ENDED || next > t, "no busy tick at " + (t - T0) / MS + " ms");
        }
        assertEquals(47, ticks, "one tick per paced frame after the first five, and one to hang up");
        assertEquals(51, leg.framesSent, "every word, the padded tail included");
        assertEquals(1, leg.hangUps);
        assertTrue(t >= T0 + 51 * 20 * MS, "hung up only after the last frame played, at " + (t - T0) / MS + " ms");
        assertEquals(0, registry.size());
    }

    @Test
    void shouldCloseTheAgentWithoutHangingUpWhenTheCallerHangsUp() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        session.end("caller-bye", nowNs);
        session.end("caller-bye", nowNs);

        assertEquals(CallState.ENDED, session.state());
        assertEquals(1, agent.closes);
        assertEquals(0, leg.hangUps);
        assertEquals("caller-bye", session.endReason());
        assertEquals(0, registry.size());
        assertEquals(1, registry.callsEnded());
    }

    @Test
    void shouldEndAndCountTheCallWhenACommandThrows() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        leg.onHangUp = () -> {
            throw new IllegalStateException("bug in the edge");
        };

        assertTrue(session.proxy().offer(CallCommand.hangUp("admin")));
        loop.forEach(Runnable::run);

        assertEquals(CallState.ENDED, session.state());
        assertEquals(1, session.stats().failures());
        assertEquals(1, registry.callsFailed());
        assertEquals(1, session.proxy().commandsFailed());
        assertEquals(0, registry.size(), "the failed call left the registry");
    }

    @Test
    void shouldStillHangUpTheLegWhenTheAgentsCloseThrowsInAHangUpCommand() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        agent.throwOnClose = new IllegalStateException("bug in the agent");

        assertTrue(session.proxy().offer(CallCommand.hangUp("admin")));
        loop.forEach(Runnable::run);

        assertEquals(CallState.ENDED, session.state());
        assertEquals(1, leg.hangUps, "the caller's leg is not left open");
        assertEquals(1, registry.callsFailed());
        assertEquals(0, registry.size());
    }

    @Test
    void shouldEndAFailedCallAtOnceAndHangUpItsLeg() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        session.fail("internal error", nowNs);
        session.fail("internal error", nowNs);

        assertEquals(CallState.ENDED, session.state());
        assertEquals(1, leg.hangUps);
        assertEquals("internal error", leg.hangUpReason);
        assertEquals(1, agent.closes);
        assertEquals(1, registry.callsFailed());
    }

    @Test
    void shouldEndOnceWhenTheEdgeReportsTheHangUpItWasAskedFor() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        leg.onHangUp = () -> session.end("leg-closed", nowNs);

        assertTrue(session.proxy().offer(CallCommand.hangUp("admin")));
        loop.forEach(Runnable::run);

        assertEquals(1, leg.hangUps);
        assertEquals(1, agent.closes);
        assertEquals("admin", session.endReason());
        assertEquals(CallState.ENDED, session.state());
    }

    @Test
    void shouldBeEndedByTheRegistrySweepWhenIdle() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults().withIdleTimeoutSeconds(5));
        session.start(nowNs);
        speak(session, quiet(100));

        assertEquals(1, registry.expire(nowNs + 5_000 * MS));
        loop.forEach(Runnable::run);

        assertEquals("idle-timeout", leg.hangUpReason);
        assertEquals(CallState.ENDED, session.state());
    }

    @Test
    void shouldRecordReleaseLatenessButNotPacingAsOutboundLatency() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults().withOutboundLeadMs(0));
        session.start(nowNs);
        agent.listener.onAgentAudio(agentBurst(1_600), 0, 1_600, nowNs);
        for (int k = 1; k < 5; k++) {
            session.onTick(T0 + k * 20 * MS);
        }
        assertEquals(0, session.stats().outboundLatencyUs().getMaxValue());

        session.onTick(T0 + 5 * 20 * MS + 5 * MS);

        final long nodeMaxUs = drainedMaxUs().outboundUs;
        assertTrue(nodeMaxUs >= 4_990 && nodeMaxUs <= 5_050, "late tick recorded node-wide as " + nodeMaxUs + " us");
        final long callMaxUs = session.stats().outboundLatencyUs().getMaxValue();
        assertTrue(callMaxUs >= 5_000 && callMaxUs <= 5_000 * 17 / 16, "late tick recorded for the call as " + callMaxUs + " us");
    }

    @Test
    void shouldRecordInboundLatencyFromArrivalToHandOff() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        clock.set(nowNs + 3 * MS);

        session.onCallerAudio(agentBurst(160), 0, 160, nowNs);

        final long nodeMaxUs = drainedMaxUs().inboundUs;
        assertTrue(nodeMaxUs >= 2_990 && nodeMaxUs <= 3_020, "recorded node-wide as " + nodeMaxUs + " us");
        final long callMaxUs = session.stats().inboundLatencyUs().getMaxValue();
        assertTrue(callMaxUs >= 3_000 && callMaxUs <= 3_000 * 17 / 16, "recorded for the call as " + callMaxUs + " us");
    }

    @Test
    void shouldRecordBargeInReactionNodeWideForTheCallsEdge() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults().withOutboundLeadMs(0));
        session.start(nowNs);
        agent.listener.onAgentAudio(agentBurst(1_600), 0, 1_600, nowNs);

        agent.listener.onAgentInterruption(nowNs + 5 * MS);

        final DrainedMax drained = drainedMaxUs();
        assertEquals(1, drained.bargeIns);
        assertEquals("twilio", drained.edge);
        assertEquals(1, session.stats().bargeInsFromAgent());
    }

    @Test
    void shouldReportEachRecordedLatencyToTheNodeOnlyOnce() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        session.onCallerAudio(agentBurst(160), 0, 160, nowNs);
        assertEquals(1, drainedMaxUs().inbound);

        assertEquals(0, drainedMaxUs().inbound, "a second drain sees nothing new");
        assertEquals(1, session.stats().inboundLatencyUs().getTotalCount(), "the call keeps its whole history");
    }

    /** What one drain of the node's recorders saw: counts and maxima over every thread. */
    private static final class DrainedMax {
        String edge;
        long inbound;
        long inboundUs;
        long outboundUs;
        long bargeIns;
    }

    private DrainedMax drainedMaxUs() {
        final DrainedMax d = new DrainedMax();
        registry.latency().drainTo((edge, in, out, bargeIn) -> {
            d.edge = edge;
            d.inbound += in.getTotalCount();
            d.inboundUs = Math.max(d.inboundUs, in.getMaxValue());
            d.outboundUs = Math.max(d.outboundUs, out.getMaxValue());
            d.bargeIns += bargeIn.getTotalCount();
        });
        return d;
    }

    @Test
    void shouldAllocateNothingPerFrameOnAnHourLongCall() {
        assertNoAllocationPerFrame(null);
    }

    @Test
    void shouldAllocateNothingPerFrameOnAnHourLongRecordedCall() {
        recordings = new RecordingRing("/rec", 1 << 20);
        recordMode = RecordMode.ALL;
        final long[] recordsRead = new long[1];
        final org.agrona.concurrent.MessageHandler writer = (type, buffer, index, length) -> recordsRead[0]++;
        assertNoAllocationPerFrame(() -> recordings.read(writer, Integer.MAX_VALUE));

        assertEquals(0, recordings.framesDropped());
        assertTrue(recordsRead[0] > 2 * 1_800L * 100, recordsRead[0] + " records");
    }

    /** An echo call of an hour, the recording ring drained by {@code writer} (if any) on this thread between seconds. */
    private void assertNoAllocationPerFrame(final Runnable writer) {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.PCM16_16K, true);
        agent.echo = true;
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);
        final byte[] speech = Signals.encode(AudioFormat.MULAW_8K, Signals.concat(
            Signals.voiced(8_000, 1_000, 150, 9_000), quiet(1_000)));
        final UnsafeBuffer buffer = new UnsafeBuffer(speech);
        final int framesPerLoop = speech.length / 160;
        final Runnable run = () -> {
            for (int i = 0; i < framesPerLoop; i++) {
                session.onCallerAudio(buffer, i * 160, 160, nowNs);
                session.onTick(nowNs);
                nowNs += 20 * MS;
                clock.set(nowNs);
            }
            if (writer != null) {
                writer.run();
            }
        };
        for (int i = 0; i < 200; i++) {
            run.run();
            agent.receivedBytes = 0;
            leg.sentBytes = 0;
        }
        final long threadId = Thread.currentThread().getId();
        final long before = hotspot.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 1_800; i++) {
            run.run();
            agent.receivedBytes = 0;
            leg.sentBytes = 0;
        }
        final long allocated = hotspot.getThreadAllocatedBytes(threadId) - before;

        // One object per frame would be at least 16 B x 180,000 frames; the measuring bean and the JIT may allocate a
        // few one-off kilobytes on this thread, so the bound is a tenth of a byte per frame.
        final long frames = 1_800L * framesPerLoop;
        assertTrue(allocated < frames / 10, allocated + " bytes allocated over " + frames + " frames");
        assertEquals(0, session.stats().framesDroppedOverflow());
        assertEquals(0, session.stats().framesDroppedPreConnect());
        assertTrue(session.stats().framesToCaller() > 1_800 * framesPerLoop);
    }

    @Test
    void shouldRefuseToStartTwice() {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        assertThrows(IllegalStateException.class, () -> session.start(nowNs));
    }

    @Test
    void shouldRecordFromTheAnswerWithRecordAll() {
        recordings = new RecordingRing("/rec", 1 << 16);
        recordMode = RecordMode.ALL;
        final CallSession session = session(new ScriptedAgent(AudioFormat.MULAW_8K, true), CallSessionConfig.defaults());
        assertSame(RecordingTap.State.OFF, session.stats().recording().state());

        session.start(nowNs);

        assertSame(RecordingTap.State.RECORDING, session.stats().recording().state());
        assertEquals("/rec/CA1.wav", session.stats().recording().path());
    }

    @Test
    void shouldRecordOnRequestOnlyOnceStartedThroughTheCommandRing() {
        recordings = new RecordingRing("/rec", 1 << 16);
        recordMode = RecordMode.ON_REQUEST;
        final CallSession session = session(new ScriptedAgent(AudioFormat.MULAW_8K, true), CallSessionConfig.defaults());
        session.start(nowNs);
        speak(session, quiet(100));
        assertSame(RecordingTap.State.OFF, session.stats().recording().state());
        assertEquals(null, recordings.pollOpened());

        assertTrue(session.proxy().offer(CallCommand.RECORDING_START));
        loop.forEach(Runnable::run);

        assertSame(RecordingTap.State.RECORDING, session.stats().recording().state());
        assertSame(session.stats().recording(), recordings.pollOpened());
    }

    @Test
    void shouldCountImpossibleRecordingRequestsAndIgnoreThem() {
        final CallSession session = session(new ScriptedAgent(AudioFormat.MULAW_8K, true), CallSessionConfig.defaults());
        session.start(nowNs);

        assertTrue(session.proxy().offer(CallCommand.RECORDING_START));
        loop.forEach(Runnable::run);

        assertEquals(null, session.stats().recording());
        assertEquals(1, session.stats().recordingRequestsRefused());
    }

    @Test
    void shouldLetTheAgentPauseAndResumeTheRecording() {
        recordings = new RecordingRing("/rec", 1 << 16);
        recordMode = RecordMode.ALL;
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
        final CallSession session = session(agent, CallSessionConfig.defaults());
        session.start(nowNs);

        agent.listener.onAgentEvent(new AgentEvent(AgentEvent.Kind.RECORDING, "assistant", "pause"));
        assertSame(RecordingTap.State.PAUSED, session.stats().recording().state());
        agent.listener.onAgentEvent(new AgentEvent(AgentEvent.Kind.RECORDING, "assistant", "pause"));
        agent.listener.onAgentEvent(new AgentEvent(AgentEvent.Kind.RECORDING, "assistant", "rewind"));
        agent.listener.onAgentEvent(new AgentEvent(AgentEvent.Kind.RECORDING, "assistant", "resume"));

        assertSame(RecordingTap.State.RECORDING, session.stats().recording().state());
        assertEquals(2, session.stats().recordingRequestsRefused());
    }

    @Test
    void shouldStopTheRecordingWhenTheCallEnds() {
        recordings = new RecordingRing("/rec", 1 << 16);
        recordMode = RecordMode.ALL;
        final CallSession session = session(new ScriptedAgent(AudioFormat.MULAW_8K, true), CallSessionConfig.defaults());
        session.start(nowNs);
        advanceTo(nowNs + 2_000 * MS);

        session.end("bye", nowNs);

        assertSame(RecordingTap.State.STOPPED, session.stats().recording().state());
        assertEquals(16_000, session.stats().recording().endPosition());
    }
}

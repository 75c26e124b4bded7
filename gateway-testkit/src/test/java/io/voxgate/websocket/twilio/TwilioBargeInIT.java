package io.voxgate.websocket.twilio;

import static io.voxgate.websocket.twilio.TwilioEdgeIT.awaitTrue;
import static io.voxgate.websocket.twilio.TwilioEdgeIT.withoutSilence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.agent.ParrotAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.websocket.http.HttpEdgeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Barge-in as the caller hears it: the Twilio caller simulator talks to the parrot agent through the gateway, says
 * something over the parrot's 1.2 s replay 300 ms into it, and the test reads what the simulated caller actually heard
 * (after every {@code clear}). A cough or a backchannel must cost nothing of the turn; a real interruption must clear
 * Twilio quickly and leave no old audio behind.
 */
class TwilioBargeInIT {
    private static final String TOKEN = "test-auth-token-0123456789";
    private static final String PUBLIC_URL = "https://gw.example.com";
    /** Silence, then the 1 s utterance the parrot replays (with its 200 ms pre-roll of silence: a 1.2 s replay). */
    private static final int LEAD_IN_MS = 500;
    private static final int UTTERANCE_MS = 1_000;
    /** The parrot starts its replay 600 ms after the utterance; the caller speaks 300 ms into the replay. */
    private static final int INTO_REPLAY_MS = ParrotAgent.SILENCE_BEFORE_REPLAY_MS + 300;
    private static final int SPEAKS_AT_MS = LEAD_IN_MS + UTTERANCE_MS + INTO_REPLAY_MS;
    /** Amplitude of a sine at -20 dBFS (a full-scale square wave is 0 dBFS). */
    private static final int MINUS_20_DBFS = (int) Math.round(32_768 * Math.sqrt(2) * 0.1);

    private final CallRegistry registry = new CallRegistry(10);
    private HttpEdgeServer server;
    private TwilioEdge edge;
    private TwilioCallSimulator simulator;

    private void start(final CallSessionConfig session) {
        final TwilioEdgeConfig config = TwilioEdgeConfig.builder().publicUrl(PUBLIC_URL).authToken(TOKEN).build();
        edge = new TwilioEdge(config, registry::precheck,
            new CallOpener(registry, call -> new ParrotAgent(AudioFormat.MULAW_8K), session, SystemNanoClock.INSTANCE),
            new LoopTickers(SystemNanoClock.INSTANCE));
        server = edge.register(HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).workerThreads(1)).build().start();
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", server.port()).publicUrl(PUBLIC_URL).authToken(TOKEN)
            .threads(1).strict(true).closeTimeoutMs(15_000).build();
    }

    @AfterEach
    void stop() {
        simulator.close();
        server.close();
    }

    private static SimulatedAudio utterance() {
        return SimulatedAudio.tone(200, UTTERANCE_MS, 8_000);
    }

    /** A cough-like burst: loud broadband noise with an 8 ms attack and an exponential decay, 200 ms. */
    private static SimulatedAudio cough() {
        final Random random = new Random(7);
        final byte[] mulaw = new byte[200 * 8];
        for (int i = 0; i < mulaw.length; i++) {
            final double envelope = Math.min(1.0, i / 64.0) * Math.exp(-i / 480.0);
            mulaw[i] = MuLawCodec.INSTANCE.encode((short) (20_000 * envelope * (2 * random.nextDouble() - 1)));
        }
        return SimulatedAudio.ofMuLaw(mulaw);
    }

    /** A short voiced "mm-hm": 250 ms at -20 dBFS. */
    private static SimulatedAudio mmHm() {
        return SimulatedAudio.tone(180, 250, MINUS_20_DBFS);
    }

    private SimulatedCallResult call(final SimulatedAudio overReplay) throws Exception {
        final Path wav = Files.createTempFile("voxgate-bargein-", ".wav");
        try {
            final SimulatedAudio said = SimulatedAudio.concat(SimulatedAudio.silence(LEAD_IN_MS), utterance(),
                SimulatedAudio.silence(INTO_REPLAY_MS), overReplay, SimulatedAudio.silence(4_000));
            final CallPlan plan = CallPlan.builder().audio(said).listenAfterMs(500).recording(wav).build();
            final SimulatedCallResult result = simulator.call(plan).get(30, TimeUnit.SECONDS);
            assertTrue(result.ok(), result.toString());
            return result;
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** The share of the parrot's replay of {@link #utterance()} the caller heard, counting what was heard twice twice. */
    private static double shareOfReplayHeard(final SimulatedCallResult result) {
        return withoutSilence(result.heard()).length / (double) withoutSilence(utterance().mulaw()).length;
    }

    @Test
    void shouldHearTheWholeReplayOnceThroughACough() throws Exception {
        start(CallSessionConfig.defaults());

        final SimulatedCallResult result = call(cough());

        final double heard = shareOfReplayHeard(result);
        System.out.printf("cough 300 ms into the replay: %.1f %% of the replay heard, %d clears%n", heard * 100,
            result.clearTimesNs().size());
        assertEquals(0, result.clearTimesNs().size(), "a cough is not even a pause");
        assertTrue(heard >= 0.95 && heard <= 1.03, "heard " + heard + " of the replay");
        awaitTrue(() -> registry.size() == 0);
    }

    @Test
    void shouldHearTheWholeReplayOnceThroughABackchannel() throws Exception {
        start(CallSessionConfig.defaults());

        final SimulatedCallResult result = call(mmHm());

        final double heard = shareOfReplayHeard(result);
        System.out.printf("mm-hm 300 ms into the replay: %.1f %% of the replay heard (%d bytes received), %d clears%n",
            heard * 100, result.bytesReceived(), result.clearTimesNs().size());
        assertEquals(1, result.clearTimesNs().size(), "paused once");
        assertTrue(heard >= 0.95, "heard " + heard + " of the replay");
        assertTrue(heard <= 1.03, "nothing heard twice beyond a few ms: " + heard);
        awaitTrue(() -> registry.size() == 0);
    }

    @Test
    void shouldLoseWhatWasQueuedOnABackchannelWhenTheConfirmWaitIsZero() throws Exception {
        start(CallSessionConfig.defaults().withBargeInConfirmMs(0));

        final SimulatedCallResult result = call(mmHm());

        final double heard = shareOfReplayHeard(result);
        System.out.printf("mm-hm with --barge-in-confirm-ms 0: %.1f %% of the replay heard%n", heard * 100);
        assertEquals(1, result.clearTimesNs().size());
        // The flush drops what the parrot had sent ahead (its burst and Twilio's lead); the parrot keeps its turn.
        assertTrue(heard < 0.95, "the old behaviour flushes what was queued: heard " + heard);
        awaitTrue(() -> registry.size() == 0);
    }

    @Test
    void shouldClearWithinAHundredMillisecondsOfARealInterruptionAndPlayNoOldAudioAfter() throws Exception {
        start(CallSessionConfig.defaults());
        final int interruptionMs = 900;

        final SimulatedCallResult result = call(SimulatedAudio.tone(300, interruptionMs, 8_000));

        assertEquals(1, result.clearTimesNs().size(), result.clearTimesNs().toString());
        final long clearMs = result.clearTimesNs().get(0) / 1_000_000L - SPEAKS_AT_MS;
        System.out.printf("real interruption: clear %d ms after speech onset%n", clearMs);
        assertTrue(clearMs >= 0 && clearMs <= 100, "clear " + clearMs + " ms after the onset");
        // From just after the clear until the parrot could replay the interruption, the caller hears nothing.
        final byte[] heard = result.heard();
        final int from = (int) (result.clearTimesNs().get(0) / 1_000_000L + 40) * 8;
        final int to = Math.min(heard.length, (SPEAKS_AT_MS + interruptionMs + ParrotAgent.SILENCE_BEFORE_REPLAY_MS / 2) * 8);
        int oldAudio = 0;
        for (int i = from; i < to; i++) {
            if (heard[i] != (byte) 0xFF) {
                oldAudio++;
            }
        }
        assertEquals(0, oldAudio, "bytes of the interrupted turn heard after the clear");
        awaitTrue(() -> registry.size() == 0);
    }
}

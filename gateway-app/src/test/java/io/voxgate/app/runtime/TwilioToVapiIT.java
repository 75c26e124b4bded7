package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.SimulatorListener;
import io.voxgate.testkit.vapi.StandInCall;
import io.voxgate.testkit.vapi.StandInScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole calls through the gateway: a simulated Twilio caller, the gateway started from its configuration with
 * {@code --agent vapi}, and the local Vapi stand-in, all on real loopback sockets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class TwilioToVapiIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void shouldPassTheCallersMuLawToVapiByteExact() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).bargeInVad(false).start()) {
            final byte[] said = CallerAudio.noise(1, 1_000);
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.ofMuLaw(said)).listenAfterMs(300).build();

            final SimulatedCallResult result = rig.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);

            assertTrue(result.ok(), result::toString);
            assertNotNull(vapi);
            assertEquals("mulaw/8000", vapi.audioFormat());
            assertTrue(vapi.awaitSocketClosed(WAIT), vapi::toString);
            final byte[] received = vapi.receivedAudio();
            final byte[] sent = CallerAudio.sentStream(said, result.framesSent());
            assertTrue(received.length >= said.length, "Vapi got " + received.length + " of the caller's " + said.length + " bytes");
            assertTrue(received.length <= sent.length, "Vapi got " + received.length + " bytes, more than the " + sent.length + " sent");
            assertArrayEquals(Arrays.copyOf(sent, received.length), received,
                () -> "first difference at byte " + CallerAudio.firstDifference(sent, received));
        }
    }

    @Test
    void shouldPlayVapisEchoBackToTheCallerByteExactInOrder() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).bargeInVad(false).start()) {
            final byte[] said = CallerAudio.noise(2, 1_000);
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.ofMuLaw(said)).listenAfterMs(1_000).build();

            final SimulatedCallResult result = rig.call(plan);

            assertTrue(result.ok(), result::toString);
            // What arrived, not what played: under CPU load playout may insert silence between late frames.
            final byte[] heard = result.received();
            final byte[] sent = CallerAudio.sentStream(said, result.framesSent());
            assertTrue(heard.length >= said.length, "the caller heard " + heard.length + " bytes of its " + said.length + "-byte echo");
            final int compared = Math.min(heard.length, sent.length);
            assertArrayEquals(Arrays.copyOf(sent, compared), Arrays.copyOf(heard, compared),
                () -> "first difference at byte " + CallerAudio.firstDifference(sent, heard));
        }
    }

    @Test
    void shouldAskVapiForPcm16At16kHzWhenTheAgentFormatSaysSo() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).agentFormat("pcm16/16000").bargeInVad(false).start()) {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.silence(200)).listenAfterMs(0).build();

            final SimulatedCallResult result = rig.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);

            assertTrue(result.ok(), result::toString);
            assertNotNull(vapi);
            assertEquals("pcm_s16le/16000", vapi.audioFormat(), vapi.requestJson());
        }
    }

    @Test
    void shouldCarryACallersToneThroughThe16kHzResamplerBothWaysWithoutLosingFrames() throws Exception {
        final double toneHz = 1_000;
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).agentFormat("pcm16/16000").bargeInVad(false).start()) {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.tone(toneHz, 1_500, 8_000)).listenAfterMs(1_000).build();

            final SimulatedCallResult result = rig.call(plan);
            final TwilioVapiRig.EndedCall gateway = rig.awaitEnded(plan.callSid());
            final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);

            assertTrue(result.ok(), result::toString);
            final byte[] heard = result.heard();
            final int onset = CallerAudio.firstAudibleFrame(heard);
            assertTrue(onset >= 0, "the caller heard nothing");
            // 500 ms from 100 ms after the echo's onset: clear of the resampler's start-up, inside the 1.5 s tone.
            final int from = (onset + 5) * CallerAudio.FRAME_BYTES;
            final int samples = 4_000;
            assertTrue(heard.length >= from + samples, "the caller heard only " + heard.length + " bytes");
            final double share = CallerAudio.toneShare(heard, from, samples, toneHz);
            assertTrue(share > 0.9, "only " + share + " of the heard energy is at " + toneHz + " Hz");
            final int level = CallerAudio.meanAbs(heard, from, samples);
            // The tone's mean absolute value is 8000 * 2 / pi, about 5093; allow 1 dB either way.
            assertTrue(level > 4_540 && level < 5_715, "heard level " + level + " instead of about 5093");
            assertEquals(result.framesSent(), gateway.framesFromCaller(), "caller frames lost at the gateway");
            assertEquals(gateway.framesFromCaller(), gateway.framesToAgent(), "caller frames not passed to Vapi");
            assertEquals(gateway.framesToCaller(), result.framesReceived(), "agent frames lost on the way to the caller");
            assertEquals(result.framesSent() * 640, vapi.audioBytesReceived(), "Vapi got other than 20 ms of 16 kHz PCM per caller frame");
        }
    }

    @Test
    void shouldClearTheCallerAndDropTheRestOfTheTurnWhenVapiReportsABargeIn() throws Exception {
        final MediaAndClears events = new MediaAndClears();
        // The gateway's own VAD is off: the clear can only come from Vapi's user-interrupted.
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.interrupt()).bargeInVad(false).listener(events).start()) {
            final byte[] said = concat(SimulatedAudio.silence(800).mulaw(), SimulatedAudio.tone(300, 1_000, 10_000).mulaw());
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.ofMuLaw(said)).listenAfterMs(1_500).build();

            final SimulatedCallResult result = rig.call(plan);

            assertTrue(result.ok(), result::toString);
            assertFalse(result.clearTimesNs().isEmpty(), "no clear reached the caller");
            final List<String> seen = events.seen();
            final int firstClear = seen.indexOf("clear");
            assertTrue(firstClear > 0, "the caller heard none of the turn before the clear: " + seen.size() + " events");
            assertEquals(List.of(), seen.subList(firstClear, seen.size()).stream().filter("media"::equals).toList(),
                "audio of the interrupted turn after the clear");
            // The stand-in spoke 3 s at once; the caller got only what was paced out before the barge-in.
            assertTrue(result.bytesReceived() < 3_000 * SimulatedAudio.BYTES_PER_MS, result.bytesReceived() + " bytes reached the caller");
        }
    }

    @Test
    void shouldLoseNoEchoedAudioToShortBurstsWithTheGatewaysVadOn() throws Exception {
        // The case: an echo through the stand-in, a short 1 kHz burst every 500 ms for 10 s. Flushing at each VAD
        // onset lost audio every time; now each burst pauses the echo and resumes it, and the echo, which streams at
        // real time (silence included), catches the pause up in its silence instead of falling further behind.
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).bargeInVad(true).start()) {
            final SimulatedAudio[] parts = new SimulatedAudio[40];
            for (int i = 0; i < parts.length; i += 2) {
                parts[i] = SimulatedAudio.tone(1_000, 100, 8_000);
                parts[i + 1] = SimulatedAudio.silence(400);
            }
            final SimulatedAudio said = SimulatedAudio.concat(parts);
            final CallPlan plan = CallPlan.builder().audio(said).listenAfterMs(2_000).build();

            final SimulatedCallResult result = rig.call(plan);
            final TwilioVapiRig.EndedCall gateway = rig.awaitEnded(plan.callSid());

            assertTrue(result.ok(), result::toString);
            assertEquals(gateway.framesToCaller(), result.framesReceived(), "agent frames lost on the way to the caller");
            // Energy heard over energy said: every burst's echo heard once, whatever frame grid it lands on.
            final byte[] heard = result.heard();
            final double share = (double) CallerAudio.meanAbs(heard, 0, heard.length) * heard.length
                / ((double) CallerAudio.meanAbs(said.mulaw(), 0, said.length()) * said.length());
            System.out.printf("echo with 1 kHz bursts every 500 ms: %d clears, %.1f %% of the bursts' energy heard%n",
                result.clearTimesNs().size(), share * 100);
            assertTrue(share >= 0.95 && share <= 1.05, "heard " + share + " of the bursts");
        }
    }

    @Test
    void shouldEndTheVapiCallAndEmptyTheRegistryWhenTheCallerHangsUp() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).bargeInVad(false).start()) {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.silence(600)).listenAfterMs(0).build();

            final SimulatedCallResult result = rig.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);

            assertTrue(result.ok(), result::toString);
            assertNotNull(vapi);
            assertTrue(vapi.awaitControl("end-call", WAIT), vapi::toString);
            assertTrue(vapi.awaitSocketClosed(WAIT), vapi::toString);
            assertEquals(1000, vapi.closeCodeReceived());
            assertTrue(vapi.controlMessages().contains("{\"type\":\"end-call\"}"), () -> vapi.controlMessages().toString());
            rig.awaitEnded(plan.callSid());
            assertEquals(0, rig.gateway.registry().size());
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The order in which media messages and clears reached the caller. */
    private static final class MediaAndClears implements SimulatorListener {
        private final List<String> seen = new ArrayList<>();

        @Override
        public synchronized void onMediaReceived(final String callSid, final int bytes, final long nowNs) {
            seen.add("media");
        }

        @Override
        public synchronized void onClear(final String callSid, final long nowNs) {
            seen.add("clear");
        }

        synchronized List<String> seen() {
            return new ArrayList<>(seen);
        }
    }
}

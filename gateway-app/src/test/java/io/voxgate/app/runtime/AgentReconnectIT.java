package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.app.config.GatewayOption;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.AgentRecovery;
import io.voxgate.core.call.HoldPrompt;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.SimulatorListener;
import io.voxgate.testkit.vapi.StandInCall;
import io.voxgate.testkit.vapi.StandInScript;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The agent leg survives: the Vapi stand-in drops its transport socket mid-call (no close frame, as a network failure
 * would); the simulated Twilio caller hears the hold prompt at once, frame after frame, and then the new assistant's
 * greeting, with no gap in the media stream beyond pacing; the new Vapi call carries the call's metadata marked
 * resumed and a note saying so. Without a window, or when no agent comes back, the fallback decides.
 */
@Timeout(90)
class AgentReconnectIT {
    private static final int FRAME = 160;

    /** Arrival time of each media message the caller received, and its size. */
    private record Arrival(long atNs, int bytes) {
    }

    @Test
    void shouldPlayTheHoldPromptThenTheNewAgentWithoutAGapWhenTheVapiSocketDrops() throws Exception {
        final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        final SimulatorListener timing = new SimulatorListener() {
            @Override
            public void onMediaReceived(final String callSid, final int bytes, final long nowNs) {
                arrivals.add(new Arrival(nowNs, bytes));
            }
        };
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.speakThenListen()).bargeInVad(false)
            .listener(timing).flag(GatewayOption.AGENT_RECONNECT_MS, "6000").start()) {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.silence(6_000)).listenAfterMs(0).build();
            final CompletableFuture<SimulatedCallResult> call = rig.simulator.call(plan);
            final StandInCall first = rig.standIn.awaitCall(0, Duration.ofSeconds(10));
            assertNotNull(first);
            assertTrue(first.awaitAudioBytes(8_000 * 2, Duration.ofSeconds(10)), "two seconds into the call");

            final long droppedAtNs = System.nanoTime();
            assertTrue(first.drop());

            final StandInCall second = rig.standIn.awaitCall(1, Duration.ofSeconds(10));
            assertNotNull(second, "a new Vapi call was created");
            assertTrue(second.requestJson().contains("\"voxgateResumed\":\"true\""), second.requestJson());
            assertTrue(second.requestJson().contains(plan.callSid()), "the call's metadata goes along");
            assertTrue(second.awaitControl("add-message", Duration.ofSeconds(5)));
            assertTrue(second.controlMessages().stream().anyMatch(m -> m.contains("This call was resumed")));
            final SimulatedCallResult result = call.get(30, TimeUnit.SECONDS);

            assertTrue(result.ok(), result.toString());
            final byte[] received = result.received();
            final long[] at = frameArrivals(arrivals, received.length);
            int firstAfterDrop = 0;
            while (firstAfterDrop < at.length && at[firstAfterDrop] < droppedAtNs) {
                firstAfterDrop++;
            }
            final int holdStart = indexOf(received, holdFrame(0), firstAfterDrop);
            assertTrue(holdStart >= 0, "the caller heard the hold prompt");
            int heldFrames = 0;
            while (Arrays.equals(frame(received, holdStart + heldFrames), holdFrame(heldFrames))) {
                heldFrames++;
            }
            final int greeting = holdStart + heldFrames;
            assertTrue(loud(frame(received, greeting)), "the new assistant's greeting follows the prompt directly");
            long largestGapNs = 0;
            for (int i = Math.max(1, firstAfterDrop); i <= greeting + 10 && i < at.length; i++) {
                largestGapNs = Math.max(largestGapNs, at[i] - at[i - 1]);
            }
            assertTrue(largestGapNs < TimeUnit.MILLISECONDS.toNanos(150),
                "no gap in the caller's stream across the drop: largest " + largestGapNs / 1_000_000 + " ms");
            assertEquals(1, rig.gateway.registry().agentRecovery().lost());
            assertEquals(1, rig.gateway.registry().agentRecovery().reconnected());
            LoggerFactory.getLogger(AgentReconnectIT.class).info("agent reconnect: drop -> hold prompt {} ms, drop -> new agent"
                    + " audio {} ms ({} hold frames), largest media gap {} ms",
                (at[holdStart] - droppedAtNs) / 1_000_000, (at[greeting] - droppedAtNs) / 1_000_000, heldFrames,
                largestGapNs / 1_000_000);
        }
    }

    @Test
    void shouldHangUpAfterTheWindowWhenNoAgentComesBack() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).bargeInVad(false)
            .flag(GatewayOption.AGENT_RECONNECT_MS, "1500").start()) {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.silence(1_000)).listenAfterMs(0).hangUp(false).build();
            final CompletableFuture<SimulatedCallResult> call = rig.simulator.call(plan);
            final StandInCall first = rig.standIn.awaitCall(0, Duration.ofSeconds(10));
            assertTrue(first.awaitAudioBytes(8_000 / 2, Duration.ofSeconds(10)));

            final long droppedAtNs = System.nanoTime();
            first.drop();
            rig.standIn.close();

            final SimulatedCallResult result = call.get(30, TimeUnit.SECONDS);
            final long endedMs = (System.nanoTime() - droppedAtNs) / 1_000_000;
            assertEquals(1000, result.closeCode(), result.toString());
            assertTrue(indexOf(result.received(), holdFrame(0), 0) >= 0, "the caller heard the hold prompt meanwhile");
            assertTrue(endedMs >= 1_500 && endedMs < 10_000, "hung up once the window passed: " + endedMs + " ms");
            assertEquals(1, rig.gateway.registry().agentRecovery().reconnectsFailed());
            assertEquals(1, rig.gateway.registry().agentRecovery().fallbacks(AgentRecovery.Fallback.HANGUP));
        }
    }

    private static long[] frameArrivals(final List<Arrival> arrivals, final int receivedBytes) {
        final long[] at = new long[receivedBytes / FRAME];
        int offset = 0;
        for (final Arrival a : arrivals) {
            for (int b = 0; b < a.bytes() && (offset + b) / FRAME < at.length; b += FRAME) {
                at[(offset + b) / FRAME] = a.atNs();
            }
            offset += a.bytes();
        }
        return at;
    }

    private static byte[] holdFrame(final int index) {
        final HoldPrompt prompt = HoldPrompt.of(AudioFormat.MULAW_8K);
        final byte[] out = new byte[FRAME];
        prompt.cycle().getBytes(index * FRAME % prompt.cycleBytes(), out, 0, FRAME);
        return out;
    }

    private static byte[] frame(final byte[] received, final int index) {
        return (index + 1) * FRAME <= received.length ? Arrays.copyOfRange(received, index * FRAME, (index + 1) * FRAME)
            : new byte[0];
    }

    private static int indexOf(final byte[] received, final byte[] wanted, final int fromFrame) {
        for (int i = fromFrame; (i + 1) * FRAME <= received.length; i++) {
            if (Arrays.equals(frame(received, i), wanted)) {
                return i;
            }
        }
        return -1;
    }

    /** Speech, not silence: the mean distance of the mu-law codes from silence (0xFF/0x7F) is large. */
    private static boolean loud(final byte[] frame) {
        long sum = 0;
        for (final byte b : frame) {
            sum += 0x7F - (b & 0x7F);
        }
        return frame.length > 0 && sum / frame.length > 20;
    }
}

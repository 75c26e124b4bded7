package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.app.config.GatewayOption;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.vapi.StandInCall;
import io.voxgate.testkit.vapi.StandInScript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole calls through the gateway when Vapi misbehaves: refused, slow, failing or dropping its socket. Calls the
 * gateway must end are placed without a hang-up: the simulated caller waits for the gateway to close and fails the
 * call when it has not within {@link TwilioCallSimulator#DEFAULT_CLOSE_TIMEOUT_MS} of the plan's end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class TwilioToVapiFailureIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** The Special Information Tone lasts about a second; half of it must be heard. */
    private static final int PROMPT_FRAMES = 25;

    @Test
    void shouldPlayTheFailurePromptAndHangUpWhenVapiRefusesTheKey() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).wrongKey().start()) {
            final CallPlan plan = waitForTheGatewayToHangUp();

            final SimulatedCallResult result = rig.call(plan);

            assertHungUpCleanly(result);
            assertTrue(CallerAudio.audibleFrames(result.heard()) >= PROMPT_FRAMES, "no failure prompt heard");
            assertEquals(1, rig.standIn.createRequests(), "a refused key must not be retried");
            assertEquals(List.of(), rig.standIn.calls());
            rig.awaitEnded(plan.callSid());
            assertEquals(0, rig.gateway.registry().size());
        }
    }

    @Test
    void shouldPlayTheFailurePromptAndHangUpWhenTheAssistantIsUnknown() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo()).unknownAssistant().start()) {
            final CallPlan plan = waitForTheGatewayToHangUp();

            final SimulatedCallResult result = rig.call(plan);

            assertHungUpCleanly(result);
            assertTrue(CallerAudio.audibleFrames(result.heard()) >= PROMPT_FRAMES, "no failure prompt heard");
            assertEquals(1, rig.standIn.createRequests(), "an unknown assistant must not be retried");
            rig.awaitEnded(plan.callSid());
            assertEquals(0, rig.gateway.registry().size());
        }
    }

    @Test
    void shouldConnectWhenVapiAnswersSlowlyWithinTheDeadline() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo().withRestDelayMs(2_000)).bargeInVad(false).start()) {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.ofMuLaw(CallerAudio.noise(3, 3_000))).listenAfterMs(500).build();

            final SimulatedCallResult result = rig.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);

            assertTrue(result.ok(), result::toString);
            assertNotNull(vapi);
            assertTrue(vapi.socketOpened(), vapi::toString);
            assertTrue(CallerAudio.audibleFrames(result.heard()) > 0, "the caller heard no echo");
        }
    }

    @Test
    void shouldRetryOnceAfterA500AndConnect() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo().withRejectFirst(500, 1)).bargeInVad(false).start()) {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.ofMuLaw(CallerAudio.noise(4, 1_000))).listenAfterMs(500).build();

            final SimulatedCallResult result = rig.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);

            assertTrue(result.ok(), result::toString);
            assertEquals(2, rig.standIn.createRequests());
            assertNotNull(vapi);
            assertTrue(vapi.socketOpened(), vapi::toString);
            assertTrue(CallerAudio.audibleFrames(result.heard()) > 0, "the caller heard no echo");
        }
    }

    @Test
    void shouldEndTheCallWhenVapiFailsTwice() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo().withRejectFirst(500, 2)).start()) {
            final CallPlan plan = waitForTheGatewayToHangUp();

            final SimulatedCallResult result = rig.call(plan);

            assertHungUpCleanly(result);
            assertEquals(2, rig.standIn.createRequests(), "one retry, no more");
            assertEquals(List.of(), rig.standIn.calls());
            rig.awaitEnded(plan.callSid());
            assertEquals(0, rig.gateway.registry().size());
        }
    }

    @Test
    void shouldCloseTheTwilioStreamCleanlyWhenTheVapiSocketDrops() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.echo().withDropAfterFrames(25)).bargeInVad(false)
            .flag(GatewayOption.AGENT_RECONNECT_MS, "0").start()) {
            final CallPlan plan = waitForTheGatewayToHangUp();

            final SimulatedCallResult result = rig.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, WAIT);

            assertHungUpCleanly(result);
            assertNotNull(vapi);
            assertTrue(vapi.audioFramesReceived() >= 25, vapi::toString);
            rig.awaitEnded(plan.callSid());
            assertEquals(0, rig.gateway.registry().size());
        }
    }

    /** A caller that says a little and then waits for the gateway to end the call. */
    private static CallPlan waitForTheGatewayToHangUp() {
        return CallPlan.builder().audio(SimulatedAudio.silence(200)).listenAfterMs(0).hangUp(false).build();
    }

    private static void assertHungUpCleanly(final SimulatedCallResult result) {
        assertNull(result.error(), result::toString);
        assertEquals(101, result.upgradeStatus(), result::toString);
        assertEquals(1000, result.closeCode(), result::toString);
        assertEquals(0, result.protocolViolations(), result::toString);
    }
}

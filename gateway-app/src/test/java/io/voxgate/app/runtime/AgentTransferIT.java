package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.transfer.TransferState;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.vapi.StandInCall;
import io.voxgate.testkit.vapi.StandInScript;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent asks for the transfer: the Vapi stand-in sends {@code transfer-update} with a number destination on the
 * transport socket (what Vapi's transfer tool is assumed to produce for a WebSocket-transport call, docs/vapi.md), the
 * gateway transfers the Twilio call through the REST API stand-in, and the stream ends as Twilio would end it. When the
 * transfer fails the assistant is told with a system message and the call goes on.
 */
@Timeout(90)
class AgentTransferIT {

    /** A caller talking to an assistant that listens: nothing of the agent's is queued when the transfer comes. */
    private static CallPlan longCall() {
        return CallPlan.builder().audio(SimulatedAudio.tone(440, 20_000, 8_000)).hangUp(false).build();
    }

    @Test
    void shouldTransferWhenTheAssistantsTransferToolFires() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.silent()).bargeInVad(false).twilioApi().start()) {
            final CallPlan plan = longCall();
            rig.twilioApi.callInProgress(plan.callSid());
            rig.twilioApi.onUpdate((callSid, twiml) -> rig.simulator.endStream(callSid));
            final CompletableFuture<SimulatedCallResult> call = rig.simulator.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, Duration.ofSeconds(10));
            assertNotNull(vapi, "the gateway created a Vapi call");
            assertTrue(vapi.awaitAudioBytes(1_600, Duration.ofSeconds(10)), "audio flows before the transfer");

            assertTrue(vapi.sendText("{\"type\":\"transfer-update\",\"destination\":{\"type\":\"number\","
                + "\"number\":\"+14155550111\",\"message\":\"Connecting you to a person now\"}}"));

            final SimulatedCallResult result = call.get(30, TimeUnit.SECONDS);
            assertEquals(1, rig.twilioApi.updates().size(), "Twilio was asked to dial the target");
            final String twiml = rig.twilioApi.updates().get(0).twiml();
            assertTrue(twiml.contains("<Say>Connecting you to a person now</Say>"), twiml);
            assertTrue(twiml.contains("<Number>+14155550111</Number>"), twiml);
            assertEquals(1000, result.closeCode(), result.toString());
            assertTrue(vapi.awaitControl("end-call", Duration.ofSeconds(5)), "the Vapi call was ended after the transfer");
            assertEquals(1, rig.gateway.registry().transfers().ended(TransferState.SUCCEEDED));
        }
    }

    @Test
    void shouldTellTheAssistantWhenItsTransferFailsAndKeepTheCall() throws Exception {
        try (TwilioVapiRig rig = TwilioVapiRig.with(StandInScript.silent()).bargeInVad(false).twilioApi().start()) {
            final CallPlan plan = longCall();
            rig.twilioApi.callCompleted(plan.callSid());
            final CompletableFuture<SimulatedCallResult> call = rig.simulator.call(plan);
            final StandInCall vapi = rig.standIn.awaitCall(0, Duration.ofSeconds(10));
            assertTrue(vapi.awaitAudioBytes(1_600, Duration.ofSeconds(10)));

            vapi.sendText("{\"type\":\"transfer-update\",\"destination\":{\"type\":\"sip\",\"sipUri\":\"sip:desk@pbx.example.test\"}}");

            assertTrue(vapi.awaitControl("add-message", Duration.ofSeconds(10)), "the assistant was told");
            final String told = vapi.controlMessages().stream().filter(m -> m.contains("add-message")).findFirst().orElse("");
            assertTrue(told.contains("did not go through") && told.contains("21220") && told.contains("\"role\":\"system\""),
                told);
            final long before = vapi.audioBytesReceived();
            assertTrue(vapi.awaitAudioBytes(before + 1_600, Duration.ofSeconds(5)), "the caller is still connected");
            vapi.sendText("{\"type\":\"transfer-update\",\"destination\":{\"type\":\"sip\",\"sipUri\":\"http://x\"}}");
            assertTrue(waitFor(() -> vapi.controlMessages().stream().filter(m -> m.contains("could not be made")).count() == 1),
                "an unusable target is refused back to the assistant");
            rig.simulator.endStream(plan.callSid());
            call.get(30, TimeUnit.SECONDS);
        }
    }

    private static boolean waitFor(final BooleanSupplier condition) throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return true;
    }
}

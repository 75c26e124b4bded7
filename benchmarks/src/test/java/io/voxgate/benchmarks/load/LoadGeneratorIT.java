package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real loopback gateway: a small run must be clean and its figures plausible. */
class LoadGeneratorIT {
    @TempDir
    Path out;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldEchoEveryFrameOfFiveTranscodedCallsAndWriteTheResult() throws Exception {
        final LoadOptions options = new LoadOptions(5, 50, 3, 500, 1, "echo", "pcm16/16000", out, 0, OptionalInt.empty(),
            OptionalInt.empty(), 1, 0, 0, Optional.empty(), 0, "twilio", OptionalInt.empty());
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();

        final LoadResult result = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertEquals(5, result.callsOk(), () -> printed.toString(StandardCharsets.UTF_8));
        assertEquals(0, result.framesLost(), () -> "frames sent and never echoed (nor held for playout at hang-up): "
            + result.json().get("frames"));
        assertEquals(0, result.framesUnpaired(), "frames echoed that were never sent");
        // 3.5 s of 20 ms frames per call: the whole plan was streamed and every frame was paired with its echo.
        assertTrue(result.framesSent() >= 5 * 170, "frames sent " + result.framesSent());
        // Round trips are recorded until the steady window ends, 2.5 s into the calls: about 125 frames per call.
        assertTrue(result.roundTripUs().getTotalCount() >= 5 * 100 && result.roundTripUs().getTotalCount() <= result.framesReceived(),
            "round trips recorded " + result.roundTripUs().getTotalCount());
        assertEquals(0, result.json().get("frames").get("lostGatewayToCaller").asLong(), "frames the gateway sent that never arrived");
        assertEquals(0, result.json().get("frames").get("lostCallerToGateway").asLong(), "frames the caller sent that never arrived");
        // Loose bound: the machine is shared, and this proves the pairing, not the gateway's speed (JMH and load.sh do).
        assertTrue(result.roundTripUs().getValueAtPercentile(99) < 200_000, "p99 round trip µs "
            + result.roundTripUs().getValueAtPercentile(99));
        assertTrue(result.roundTripUs().getMinValue() > 0, "an echo cannot come back before it was sent");
        assertTrue(result.setupUs().getTotalCount() == 5);
        assertTrue(Files.size(out.resolve("result.json")) > 0);
        assertTrue(Files.size(out.resolve("latency.png")) > 0);
        assertEquals(5, result.json().get("calls").get("ok").asInt());
        assertTrue(result.json().get("gatewayReported").get("inboundUs").get("count").asLong() >= result.roundTripUs().getTotalCount(),
            "the gateway's own inbound figures cover every frame");
        assertEquals(0, result.json().get("soak").get("registryAtEnd").asLong());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReplaceEndedCallsForTheWholeDurationAndSampleMemory() throws Exception {
        final LoadOptions options = new LoadOptions(3, 50, 2, 300, 0, "echo", "pcm16/16000", out, 0, OptionalInt.empty(),
            OptionalInt.empty(), 1, 6, 0, Optional.empty(), 0, "twilio", OptionalInt.empty());
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();

        final LoadResult result = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        // 3 calls of 2.3 s kept up for 6 s: each slot is refilled at least once even when a busy machine stretches the
        // calls' set-up and close (twice on a quiet one).
        assertTrue(result.callsPlaced() >= 6,
            () -> "calls placed " + result.callsPlaced() + "\n" + printed.toString(StandardCharsets.UTF_8));
        assertEquals(result.callsPlaced(), result.callsOk(), () -> printed.toString(StandardCharsets.UTF_8));
        assertEquals(0, result.framesLost(), () -> "frames: " + result.json().get("frames"));
        final var soak = result.json().get("soak");
        assertEquals(0, soak.get("registryAtEnd").asLong());
        // One sample at the start, then every 10 s, and one at the end.
        assertTrue(soak.get("samples").size() >= 2, soak.toString());
        assertTrue(soak.get("samples").get(0).get("heapUsedBytes").asLong() > 0, soak.toString());
        // Under a minute of samples: no verdict either way, and the run stays clean.
        assertEquals("inconclusive", soak.get("flatness").get("verdict").asText());
        assertTrue(Files.size(out.resolve("memory.png")) > 0);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldMeasureTheClearOfEveryBargeInOnTheParrot() throws Exception {
        // The tail outlasts the parrot's 600 ms wait, so the call that does not barge in hears its replay too.
        final LoadOptions options = new LoadOptions(3, 50, 4, 1_200, 0, "parrot", "pcm16/16000", out, 0, OptionalInt.empty(),
            OptionalInt.empty(), 1, 0, 2 / 3.0, Optional.empty(), 0, "twilio", OptionalInt.empty());
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();

        final LoadResult result = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertEquals(3, result.callsOk(), () -> printed.toString(StandardCharsets.UTF_8));
        final var barge = result.json().get("bargeIn");
        assertEquals(2, barge.get("calls").asLong(), barge::toString);
        assertEquals(2, barge.get("bargeIns").asLong(), () -> barge + "\n" + printed.toString(StandardCharsets.UTF_8));
        assertEquals(0, barge.get("withoutClear").asLong(), barge::toString);
        final var clear = barge.get("onsetToClearUs");
        assertEquals(2, clear.get("count").asLong(), barge::toString);
        // Loose bound (shared machine): the demo fails a barge-in slower than 300 ms on a quiet one.
        assertTrue(clear.get("max").asLong() < 1_000_000, barge::toString);
        assertTrue(barge.get("onsetToOldTurnEndUs").get("max").asLong() < 1_000_000, barge::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportBackchannelsAsPausesTheTurnResumesFromWithTheReplayHeardOnce() throws Exception {
        final LoadOptions options = new LoadOptions(2, 50, 4, 1_200, 0, "parrot", "mulaw/8000", out, 0, OptionalInt.empty(),
            OptionalInt.empty(), 1, 0, 1.0, Optional.empty(), 0, "twilio", OptionalInt.empty());
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();

        final LoadResult result = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertEquals(2, result.callsOk(), () -> printed.toString(StandardCharsets.UTF_8));
        final var back = result.json().get("bargeIn").get("backchannels");
        assertEquals(2, back.get("count").asLong(), () -> back + "\n" + printed.toString(StandardCharsets.UTF_8));
        assertEquals(2, back.get("paused").asLong(), back::toString);
        assertEquals(2, back.get("resumed").asLong(), back::toString);
        assertTrue(back.get("heardPerMille").get("min").asLong() >= 950, back::toString);
        final var reported = result.json().get("bargeIn").get("gatewayReported");
        assertEquals(2, reported.get("resumed").asLong(), reported::toString);
        assertEquals(2, reported.get("confirmed").asLong(), reported::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldEchoEveryFrameThroughTheVapiStandIn() throws Exception {
        // A longer tail than the echo's: the stand-in's hop puts echoes in flight outside the gateway at hang-up.
        // A warm-up call first: the first Vapi call of a JVM pays for its HTTP client and JIT, seconds on a busy machine.
        final LoadOptions options = new LoadOptions(2, 50, 3, 1_500, 1, "vapi", "pcm16/16000", out, 0, OptionalInt.empty(),
            OptionalInt.empty(), 1, 0, 0, Optional.empty(), 0, "twilio", OptionalInt.empty());
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();

        final LoadResult result = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertEquals(2, result.callsOk(), () -> printed.toString(StandardCharsets.UTF_8));
        assertEquals(0, result.framesLost(), () -> "frames: " + result.json().get("frames"));
        assertEquals(0, result.framesUnpaired());
        assertTrue(result.roundTripUs().getTotalCount() > 0, () -> printed.toString(StandardCharsets.UTF_8));
        assertTrue(result.json().get("run").get("agentNote").asText().contains("stand-in"));
    }
}

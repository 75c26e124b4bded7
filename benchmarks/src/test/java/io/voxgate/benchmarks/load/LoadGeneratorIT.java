package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            OptionalInt.empty(), 1, "twilio", 0, OptionalInt.empty());
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
    }
}

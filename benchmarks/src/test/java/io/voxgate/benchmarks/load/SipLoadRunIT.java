package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SipLoadRunIT {
    @TempDir
    Path out;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldEchoEveryToneFrameOfFiveSipCallsAndWriteTheResult() throws Exception {
        final LoadOptions options = LoadOptions.parse("--edge", "sip", "--calls", "5", "--ramp-per-second", "10", "--hold-seconds", "3",
            "--tail-ms", "1000", "--warmup-seconds", "0", "--simulator-threads", "1", "--out", out.toString());
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();

        final LoadResult result = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        final String summary = printed.toString(StandardCharsets.UTF_8);
        assertEquals(5, result.callsOk(), summary);
        assertEquals(5 * 3 * 50, result.framesSent(), summary);
        assertTrue(result.framesReceived() >= 5 * 3 * 50 - 5 * 3, "tone frames echoed: " + summary);
        assertEquals(0, result.framesLost(), "tone frames lost beyond the jitter buffers' counted drops: " + summary);
        assertEquals(result.framesReceived(), result.roundTripUs().getTotalCount(), summary);
        assertEquals(5, result.setupUs().getTotalCount(), summary);
        assertEquals("sip", result.json().get("edge").asText());
        assertTrue(result.json().get("gatewayRtp").get("packetsReceived").asLong() >= 5 * (3 * 50 + 50), summary);
        assertTrue(Files.size(out.resolve("result.json")) > 0);
        assertTrue(Files.size(out.resolve("latency.png")) > 0);
    }
}

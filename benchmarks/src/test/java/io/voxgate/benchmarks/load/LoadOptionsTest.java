package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Parsing and bounds of the load generator's options. */
class LoadOptionsTest {
    @Test
    void shouldDefaultToFiftyEchoCallsThroughPcm16() {
        final LoadOptions o = LoadOptions.parse();
        assertEquals(50, o.calls());
        assertEquals("echo", o.agent());
        assertEquals("pcm16/16000", o.agentFormat());
        assertTrue(o.externalPort().isEmpty());
        assertTrue(o.out().startsWith(Path.of("load-results")));
    }

    @Test
    void shouldParseEveryOption() {
        final LoadOptions o = LoadOptions.parse("--calls", "200", "--ramp-per-second", "20", "--hold-seconds", "30", "--tail-ms", "800",
            "--warmup-seconds", "5", "--agent", "parrot", "--agent-format", "mulaw/8000", "--out", "x", "--gateway-port", "9000",
            "--external-port", "8080", "--external-pid", "42", "--simulator-threads", "3", "--edge", "sip", "--duration-seconds", "60",
            "--external-sip-port", "5070");
        assertEquals(new LoadOptions(200, 20, 30, 800, 5, "parrot", "mulaw/8000", Path.of("x"), 9000, OptionalInt.of(8080),
            OptionalInt.of(42), 3, "sip", 60, OptionalInt.of(5070)), o);
    }

    @Test
    void shouldRefuseCallsBeyondTheBound() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--calls", "5001"));
        assertTrue(ex.getMessage().contains("--calls"), ex.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownAgent() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--agent", "vapi"));
    }

    @Test
    void shouldRefuseAnOptionWithoutItsValue() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--hold-seconds"));
    }

    @Test
    void shouldRefuseAnUnknownOption() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--bogus", "1"));
    }

    @Test
    void shouldTakeTheRampTimeFromCallsAndRate() {
        assertEquals(9.95, LoadOptions.parse("--calls", "200", "--ramp-per-second", "20").rampSeconds(), 1e-9);
    }

    @Test
    void shouldRefuseAnUnknownEdge() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--edge", "webrtc"));
        assertTrue(ex.getMessage().contains("--edge"), ex.getMessage());
    }

    @Test
    void shouldDefaultToTheTwilioEdgeAndASinglePass() {
        final LoadOptions o = LoadOptions.parse();
        assertEquals("twilio", o.edge());
        assertEquals(0, o.durationSeconds());
    }
}

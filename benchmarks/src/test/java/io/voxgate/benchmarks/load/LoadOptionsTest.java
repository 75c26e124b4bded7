package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
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
    void shouldReadAnExternalGatewaysMetricsFromTheAdminPortGivenOrItsDefault() {
        assertEquals(9090, LoadOptions.parse().externalAdminPort());
        assertEquals(19090, LoadOptions.parse("--external-admin-port", "19090").externalAdminPort());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--external-admin-port", "0"));
    }

    @Test
    void shouldParseEveryOption() {
        final LoadOptions o = LoadOptions.parse("--calls", "200", "--ramp-per-second", "20", "--hold-seconds", "30", "--tail-ms", "800",
            "--warmup-seconds", "5", "--agent", "parrot", "--agent-format", "mulaw/8000", "--out", "x", "--gateway-port", "9000",
            "--external-port", "8080", "--external-pid", "42", "--simulator-threads", "3", "--duration-seconds", "600",
            "--barge-in-calls", "0.25", "--external-gc-log", "gc.log", "--vapi-port", "8099", "--edge", "twilio",
            "--external-sip-port", "5070");
        assertEquals(new LoadOptions(200, 20, 30, 800, 5, "parrot", "mulaw/8000", Path.of("x"), 9000, OptionalInt.of(8080),
            OptionalInt.of(42), 3, 600, 0.25, Optional.of(Path.of("gc.log")), 8099, "twilio", OptionalInt.of(5070)), o);
    }

    @Test
    void shouldRefuseCallsBeyondTheBound() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--calls", "5001"));
        assertTrue(ex.getMessage().contains("--calls"), ex.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownAgent() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--agent", "siri"));
    }

    @Test
    void shouldAcceptTheVapiAgentAndPairItsFramesLikeTheEcho() {
        final LoadOptions o = LoadOptions.parse("--agent", "vapi");
        assertEquals("vapi", o.agent());
        assertTrue(o.echoes());
        assertFalse(LoadOptions.parse("--agent", "parrot").echoes());
    }

    @Test
    void shouldPlaceOneWaveUnlessADurationIsGiven() {
        assertEquals(0, LoadOptions.parse().durationSeconds());
        assertFalse(LoadOptions.parse().sustained());
        assertTrue(LoadOptions.parse("--duration-seconds", "600").sustained());
    }

    @Test
    void shouldRefuseADurationBeyondAnHour() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LoadOptions.parse("--duration-seconds", "3601"));
        assertTrue(ex.getMessage().contains("--duration-seconds"), ex.getMessage());
        assertEquals(3_600, LoadOptions.parse("--duration-seconds", "3600").durationSeconds());
    }

    @Test
    void shouldMakeEveryCallBargeInWithTheBareFlag() {
        assertEquals(1.0, LoadOptions.parse("--agent", "parrot", "--barge-in", "--calls", "3").bargeInFraction());
        assertEquals(3, LoadOptions.parse("--agent", "parrot", "--barge-in", "--calls", "3").calls());
    }

    @Test
    void shouldRefuseBargeInWithoutTheParrot() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--barge-in"));
        assertTrue(ex.getMessage().contains("parrot"), ex.getMessage());
    }

    @Test
    void shouldRefuseABargeInShareOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--agent", "parrot", "--barge-in-calls", "1.5"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--agent", "parrot", "--barge-in-calls", "-0.1"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--agent", "parrot", "--barge-in-calls", "NaN"));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--agent", "parrot", "--barge-in-calls", "half"));
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

    @Test
    void shouldRefuseBargeInOnTheSipEdge() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LoadOptions.parse("--edge", "sip", "--agent", "parrot", "--barge-in"));
        assertTrue(ex.getMessage().contains("--edge sip"), ex.getMessage());
    }

    @Test
    void shouldRecordEveryCallIntoTheGivenDirectory() {
        assertEquals(Optional.of(Path.of("/tmp/rec")), LoadOptions.parse("--record-dir", "/tmp/rec").recordDir());
        assertEquals(Optional.empty(), LoadOptions.parse().recordDir());
    }
}

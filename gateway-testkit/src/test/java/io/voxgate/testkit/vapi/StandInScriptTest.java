package io.voxgate.testkit.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class StandInScriptTest {

    @Test
    void shouldKeepEveryModifier() {
        final StandInScript script = StandInScript.interrupt().withRestDelayMs(10).withSocketDelayMs(20).withRejectFirst(500, 2)
            .withDropAfterFrames(3).withEndAfterFrames(4);

        assertEquals(StandInScript.Mode.INTERRUPT, script.mode());
        assertEquals(10, script.restDelayMs());
        assertEquals(20, script.socketDelayMs());
        assertEquals(500, script.rejectStatus());
        assertEquals(2, script.rejectCount());
        assertEquals(3, script.dropAfterFrames());
        assertEquals(4, script.endAfterFrames());
    }

    @Test
    void shouldParseScriptNames() {
        assertEquals(StandInScript.Mode.SPEAK_THEN_LISTEN, StandInScript.named("speak-then-listen").mode());
        assertThrows(IllegalArgumentException.class, () -> StandInScript.named("sing"));
    }

    @Test
    void shouldRefuseARejectStatusThatIsNotAnError() {
        assertThrows(IllegalArgumentException.class, () -> StandInScript.echo().withReject(201));
    }

    @Test
    void shouldRejectAlwaysWhenNoCountIsGiven() {
        assertEquals(StandInScript.ALWAYS, StandInScript.echo().withReject(401).rejectCount());
    }
}

package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallStateTest {

    private static Set<CallState> successors(final CallState from) {
        final Set<CallState> next = EnumSet.noneOf(CallState.class);
        for (final CallState to : CallState.values()) {
            if (from.canMoveTo(to)) {
                next.add(to);
            }
        }
        return next;
    }

    @Test
    void shouldAllowExactlyTheDocumentedLifecycle() {
        assertEquals(EnumSet.of(CallState.CONNECTING_AGENT, CallState.ENDING), successors(CallState.CREATED));
        assertEquals(EnumSet.of(CallState.ACTIVE, CallState.ENDING), successors(CallState.CONNECTING_AGENT));
        assertEquals(EnumSet.of(CallState.ENDING), successors(CallState.ACTIVE));
        assertEquals(EnumSet.of(CallState.ENDED), successors(CallState.ENDING));
        assertEquals(EnumSet.noneOf(CallState.class), successors(CallState.ENDED));
    }

    @Test
    void shouldCallOnlyEndingAndEndedTerminating() {
        for (final CallState state : CallState.values()) {
            assertEquals(state == CallState.ENDING || state == CallState.ENDED, state.isTerminating(), state.name());
        }
        assertTrue(CallState.ENDED.isTerminating());
    }
}

package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private final ReplayWindow window = new ReplayWindow(128);

    @Test
    void shouldAcceptTheFirstIndexAndRejectItAgain() {
        assertEquals(ReplayWindow.FRESH, window.check(1000));
        window.accept(1000);
        assertEquals(ReplayWindow.DUPLICATE, window.check(1000));
    }

    @Test
    void shouldAcceptLatePacketsInsideTheWindowOnce() {
        window.accept(1000);
        assertEquals(ReplayWindow.FRESH, window.check(1000 - 127));
        window.accept(1000 - 127);
        assertEquals(ReplayWindow.DUPLICATE, window.check(1000 - 127));
        assertEquals(ReplayWindow.FRESH, window.check(999));
    }

    @Test
    void shouldRefuseIndicesBelowTheWindow() {
        window.accept(1000);
        assertEquals(ReplayWindow.TOO_OLD, window.check(1000 - 128));
        assertEquals(ReplayWindow.TOO_OLD, window.check(-1));
    }

    @Test
    void shouldForgetSlotsTheTopMovesPast() {
        window.accept(10);
        window.accept(10 + 128);
        assertEquals(ReplayWindow.TOO_OLD, window.check(10));
        assertEquals(ReplayWindow.FRESH, window.check(11 + 64), "a slot reused by a higher index starts clear");
        window.accept(10 + 129 + 500);
        assertEquals(ReplayWindow.FRESH, window.check(10 + 129 + 500 - 1));
    }
}

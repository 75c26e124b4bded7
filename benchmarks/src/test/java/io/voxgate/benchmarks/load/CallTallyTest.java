package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CallTallyTest {
    @Test
    void shouldCountStreamsLeftOpenAfterStopApartFromOtherFailuresBeyondTheErrorsKept() {
        final CallTally tally = new CallTally(true);
        for (int i = 0; i < CallTally.MAX_ERRORS_KEPT + 5; i++) {
            tally.add(new CallTally.EndedCall("CA" + i, false, "gateway did not close within 10000 ms after stop", 50, 50, 0, 0, 0),
                null);
        }
        tally.add(new CallTally.EndedCall("CAx", false, "close 1011 agent failed", 50, 0, 0, 0, 0), null);
        tally.add(new CallTally.EndedCall("CAy", true, null, 50, 50, 0, 0, 0), null);

        assertEquals(CallTally.MAX_ERRORS_KEPT + 5, tally.leftOpen());
        assertEquals(1, tally.ok());
        assertEquals(CallTally.MAX_ERRORS_KEPT, tally.errors().size());
    }
}

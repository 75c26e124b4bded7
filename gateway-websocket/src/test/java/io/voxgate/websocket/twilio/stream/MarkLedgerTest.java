package io.voxgate.websocket.twilio.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkLedgerTest {
    private final MarkLedger ledger = new MarkLedger(800, 4);

    @Test
    void shouldAskForAMarkEveryIntervalOfAudio() {
        for (int frame = 1; frame <= 4; frame++) {
            assertEquals(0, ledger.onAudioSent(160));
        }
        assertEquals(1, ledger.onAudioSent(160));
        assertEquals(0, ledger.onAudioSent(160));
        assertEquals(1, ledger.marksOutstanding());
    }

    @Test
    void shouldCountAnEchoedMarkAsPlayedUpToItsBytes() {
        final long mark = ledger.onAudioSent(800);
        ledger.onAudioSent(400);
        assertTrue(ledger.onMarkEchoed(mark));
        assertEquals(800, ledger.bytesPlayed());
        assertEquals(1, ledger.marksPlayed());
        assertEquals(0, ledger.marksOutstanding());
    }

    @Test
    void shouldCountMarksOutstandingAtAClearAsClearedNotPlayed() {
        final long first = ledger.onAudioSent(800);
        assertTrue(ledger.onMarkEchoed(first));
        final long second = ledger.onAudioSent(800);
        final long third = ledger.onAudioSent(800);
        ledger.onClear();
        assertTrue(ledger.onMarkEchoed(second));
        assertTrue(ledger.onMarkEchoed(third));
        assertEquals(800, ledger.bytesPlayed(), "only audio before the clear's marks was heard");
        assertEquals(1, ledger.marksPlayed());
        assertEquals(2, ledger.marksCleared());
        final long fourth = ledger.onAudioSent(800);
        assertTrue(ledger.onMarkEchoed(fourth));
        assertEquals(3200, ledger.bytesPlayed(), "marks after the clear count as played again");
    }

    @Test
    void shouldRetireEarlierMarksWhenALaterOneIsEchoed() {
        ledger.onAudioSent(800);
        final long second = ledger.onAudioSent(800);
        assertTrue(ledger.onMarkEchoed(second));
        assertEquals(1600, ledger.bytesPlayed());
        assertEquals(0, ledger.marksOutstanding());
    }

    @Test
    void shouldIgnoreEchoesOfMarksItNeverSent() {
        final long mark = ledger.onAudioSent(800);
        assertFalse(ledger.onMarkEchoed(-1));
        assertFalse(ledger.onMarkEchoed(mark + 5));
        assertEquals(1, ledger.marksOutstanding(), "a bogus echo retires nothing");
        assertTrue(ledger.onMarkEchoed(mark));
        assertFalse(ledger.onMarkEchoed(mark), "an echo comes once");
        assertEquals(3, ledger.marksUnknown());
    }

    @Test
    void shouldSkipMarksWhileItsRingIsFull() {
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, ledger.onAudioSent(800));
        }
        assertEquals(0, ledger.onAudioSent(800));
        assertEquals(1, ledger.marksSkipped());
        assertTrue(ledger.onMarkEchoed(1));
        assertEquals(5, ledger.onAudioSent(0), "the pending interval is marked once a slot frees");
    }
}

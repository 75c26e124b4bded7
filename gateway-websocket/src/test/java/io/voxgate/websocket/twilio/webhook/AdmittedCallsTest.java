package io.voxgate.websocket.twilio.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmittedCallsTest {
    private final AtomicInteger made = new AtomicInteger();
    private final AdmittedCalls calls = new AdmittedCalls(2, 100, true);

    private AdmittedCalls.Answer admit(final String callSid, final long now) {
        return calls.admit(callSid, now, () -> "twiml-" + made.incrementAndGet());
    }

    @Test
    void shouldAnswerARepeatedWebhookWithTheRecordedTwiml() {
        assertEquals(new AdmittedCalls.Answer("twiml-1", false), admit("CA1", 0));
        assertEquals(new AdmittedCalls.Answer("twiml-1", true), admit("CA1", 50));
        assertEquals(1, made.get());
    }

    @Test
    void shouldLetAnAdmittedCallStreamOnceOnly() {
        admit("CA1", 0);
        assertTrue(calls.mayStream("CA1", 1));
        assertEquals(AdmittedCalls.Claim.CLAIMED, calls.claim("CA1", 1));
        assertFalse(calls.mayStream("CA1", 2));
        assertEquals(AdmittedCalls.Claim.ALREADY_STREAMED, calls.claim("CA1", 2));
        calls.streamEnded("CA1", 3);
        assertEquals(AdmittedCalls.Claim.ALREADY_STREAMED, calls.claim("CA1", 4));
    }

    @Test
    void shouldRefuseAStreamForACallSidNeverAdmitted() {
        assertFalse(calls.mayStream("CA9", 0));
        assertEquals(AdmittedCalls.Claim.NOT_ADMITTED, calls.claim("CA9", 0));
    }

    @Test
    void shouldRefuseNewCallsWhenFullRatherThanDropALiveRecord() {
        admit("CA1", 0);
        admit("CA2", 0);
        assertNull(admit("CA3", 10));
        assertEquals(AdmittedCalls.Claim.CLAIMED, calls.claim("CA1", 10), "the first record was kept");
    }

    @Test
    void shouldMakeRoomOnceRecordsExpire() {
        admit("CA1", 0);
        admit("CA2", 0);
        assertNotNull(admit("CA3", 101));
        assertEquals(AdmittedCalls.Claim.NOT_ADMITTED, calls.claim("CA1", 101));
    }

    @Test
    void shouldNeverExpireTheRecordOfARunningStream() {
        admit("CA1", 0);
        calls.claim("CA1", 1);
        admit("CA2", 0);
        assertNotNull(admit("CA3", 1_000), "CA2 expired and made room");
        assertNull(admit("CA4", 1_000), "CA1 still streams, so its record stays");
        assertEquals(new AdmittedCalls.Answer("twiml-1", true), admit("CA1", 1_000));
    }

    @Test
    void shouldLetAnyCallSidStreamOnceWhenTheWebhookIsNotOurs() {
        final AdmittedCalls startStream = new AdmittedCalls(10, 100, false);
        assertTrue(startStream.mayStream("CA1", 0));
        assertEquals(AdmittedCalls.Claim.CLAIMED, startStream.claim("CA1", 0));
        assertEquals(AdmittedCalls.Claim.ALREADY_STREAMED, startStream.claim("CA1", 1));
    }
}

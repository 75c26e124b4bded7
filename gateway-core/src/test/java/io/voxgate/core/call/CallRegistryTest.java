package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.pipeline.PacedOutboundQueue;
import io.voxgate.core.pipeline.PreConnectBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallRegistryTest {
    private static final long S = 1_000_000_000L;

    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<CallCommand> delivered = new ArrayList<>();

    private CallLiveness call(final String id, final long startedNs) {
        final CallCommandProxy proxy = new CallCommandProxy(4, scheduled::add, () -> 0L,
            (command, nowNs) -> delivered.add(command));
        return new CallLiveness(id, "twilio", startedNs, 3_600 * S, 30 * S, proxy, stats());
    }

    private static CallStats stats() {
        return new CallStats(new PacedOutboundQueue(AudioFormat.MULAW_8K, 100, 0L),
            new PreConnectBuffer(AudioFormat.MULAW_8K, 160, 1, 160), new CallLatencyRecorders(), "twilio");
    }

    @Test
    void shouldTellTheEndObserverAboutEachCallThatLeaves() {
        final List<String> ended = new ArrayList<>();
        final CallRegistry registry = new CallRegistry(2, (callId, edge, stats) -> ended.add(callId));
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);

        registry.remove(a);
        registry.remove(a);

        assertEquals(List.of("a"), ended);
    }

    @Test
    void shouldShowEveryRunningCallToAScrape() {
        final CallRegistry registry = new CallRegistry(3);
        registry.tryRegister(call("a", 0));
        registry.tryRegister(call("b", 0));
        final List<String> seen = new ArrayList<>();

        registry.forEachCall((callId, edge, stats) -> seen.add(edge + ":" + callId));

        seen.sort(String::compareTo);
        assertEquals(List.of("twilio:a", "twilio:b"), seen);
    }

    private void runCallThreads() {
        final List<Runnable> tasks = new ArrayList<>(scheduled);
        scheduled.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    void shouldAcceptUpToTheLimitThenRefuseAsFull() {
        final CallRegistry registry = new CallRegistry(2);
        assertEquals(CallRegistry.Admission.ACCEPTED, registry.tryRegister(call("a", 0)));
        assertEquals(CallRegistry.Admission.ACCEPTED, registry.tryRegister(call("b", 0)));

        assertEquals(CallRegistry.Admission.FULL, registry.tryRegister(call("c", 0)));

        assertEquals(2, registry.size());
        assertEquals(1, registry.callsRejectedFull());
    }

    @Test
    void shouldAdmitAgainAfterARemove() {
        final CallRegistry registry = new CallRegistry(1);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);

        assertTrue(registry.remove(a));

        assertEquals(CallRegistry.Admission.ACCEPTED, registry.tryRegister(call("b", 0)));
        assertEquals(1, registry.callsEnded());
    }

    @Test
    void shouldRefuseADuplicateIdWithoutUsingASlot() {
        final CallRegistry registry = new CallRegistry(5);
        registry.tryRegister(call("a", 0));

        assertEquals(CallRegistry.Admission.DUPLICATE, registry.tryRegister(call("a", 0)));
        assertEquals(1, registry.size());
    }

    @Test
    void shouldNotRemoveANewerCallRegisteredUnderTheSameId() {
        final CallRegistry registry = new CallRegistry(5);
        final CallLiveness stale = call("a", 0);

        registry.tryRegister(call("a", 0));

        assertFalse(registry.remove(stale));
        assertEquals(1, registry.size());
    }

    @Test
    void shouldRefuseNewCallsWhileDraining() {
        final CallRegistry registry = new CallRegistry(5);
        registry.beginDrain(10 * S);

        assertEquals(CallRegistry.Admission.DRAINING, registry.tryRegister(call("a", 0)));
        assertTrue(registry.isDraining());
        assertTrue(registry.isDrained());
    }

    @Test
    void shouldAskACallPastItsMaximumDurationToHangUpOnce() {
        final CallRegistry registry = new CallRegistry(5);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);
        a.callerAudioAt(3_600 * S - 1);

        assertEquals(0, registry.expire(3_600 * S - 1));
        assertEquals(1, registry.expire(3_600 * S));
        assertEquals(0, registry.expire(3_601 * S), "asked once");

        runCallThreads();
        assertEquals(List.of(CallCommand.HANG_UP_MAX_DURATION), delivered);
        assertEquals(1, registry.callsExpiredMaxDuration());
    }

    @Test
    void shouldAskACallWithoutCallerAudioForTheIdleTimeoutToHangUp() {
        final CallRegistry registry = new CallRegistry(5);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);
        a.callerAudioAt(10 * S);

        assertEquals(0, registry.expire(40 * S - 1));
        assertEquals(1, registry.expire(40 * S));

        runCallThreads();
        assertSame(CallCommand.HANG_UP_IDLE, delivered.get(0));
        assertEquals(1, registry.callsExpiredIdle());
    }

    @Test
    void shouldHangUpCallsStillRunningAtTheDrainDeadline() {
        final CallRegistry registry = new CallRegistry(5);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);
        a.callerAudioAt(20 * S);
        registry.beginDrain(25 * S);
        assertFalse(registry.isDrained());

        assertEquals(0, registry.expire(25 * S - 1));
        assertEquals(1, registry.expire(25 * S));

        runCallThreads();
        assertSame(CallCommand.HANG_UP_DRAIN, delivered.get(0));
        assertEquals(1, registry.callsEndedByDrain());
    }

    @Test
    void shouldAskAgainOnTheNextSweepWhenTheCallsRingWasFull() {
        final CallRegistry registry = new CallRegistry(5);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);
        for (int i = 0; i < 4; i++) {
            a.proxy().offer(CallCommand.BARGE_IN);
        }

        assertEquals(0, registry.expire(3_600 * S));
        runCallThreads();
        assertEquals(1, registry.expire(3_600 * S));
    }

    @Test
    void shouldFindAProxyById() {
        final CallRegistry registry = new CallRegistry(5);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);

        assertSame(a.proxy(), registry.proxy("a"));
        assertNull(registry.proxy("b"));
    }

    @Test
    void shouldRejectANonPositiveLimitNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CallRegistry(0)).getMessage().contains("maxCalls"));
    }
}

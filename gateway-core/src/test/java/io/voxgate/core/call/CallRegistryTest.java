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
        return call("twilio", id, startedNs);
    }

    private CallLiveness call(final String edge, final String id, final long startedNs) {
        final CallCommandProxy<CallCommand> proxy = new CallCommandProxy<>(id, 4, scheduled::add, () -> 0L,
            new CallCommandHandler<>() {
                @Override
                public void onCommand(final CallCommand command, final long nowNs) {
                    delivered.add(command);
                }

                @Override
                public void onCommandFailed(final CallCommand command, final RuntimeException failure, final long nowNs) {
                    throw new AssertionError("no command fails here", failure);
                }
            });
        return new CallLiveness(id, edge, startedNs, 3_600 * S, 30 * S, proxy, stats());
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
        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.tryRegister(call("a", 0)));
        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.tryRegister(call("b", 0)));

        assertEquals(CallAdmission.Verdict.FULL, registry.tryRegister(call("c", 0)));

        assertEquals(2, registry.size());
        assertEquals(1, registry.callsRejectedFull());
    }

    @Test
    void shouldAdmitAgainAfterARemove() {
        final CallRegistry registry = new CallRegistry(1);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);

        assertTrue(registry.remove(a));

        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.tryRegister(call("b", 0)));
        assertEquals(1, registry.callsEnded());
    }

    @Test
    void shouldRefuseADuplicateIdWithoutUsingASlot() {
        final CallRegistry registry = new CallRegistry(5);
        registry.tryRegister(call("a", 0));

        assertEquals(CallAdmission.Verdict.DUPLICATE, registry.tryRegister(call("a", 0)));
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

        assertEquals(CallAdmission.Verdict.DRAINING, registry.tryRegister(call("a", 0)));
        assertTrue(registry.isDraining());
        assertTrue(registry.isDrained());
    }

    @Test
    void shouldAdmitWhileDrainingACallPromisedBeforeTheDrainBegan() {
        final CallRegistry registry = new CallRegistry(5);
        registry.beginDrain(10 * S);

        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.tryRegister(call("a", 0), true));

        assertEquals(1, registry.size());
        assertFalse(registry.isDrained(), "the drain now waits for the promised call");
    }

    @Test
    void shouldRefuseAPromisedCallWhenTheNodeIsFull() {
        final CallRegistry registry = new CallRegistry(1);
        registry.tryRegister(call("a", 0));
        registry.beginDrain(10 * S);

        assertEquals(CallAdmission.Verdict.FULL, registry.tryRegister(call("b", 0), true));
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

        assertSame(a.proxy(), registry.proxy("twilio", "a"));
        assertNull(registry.proxy("twilio", "b"));
    }

    @Test
    void shouldKeepCallsOfTwoEdgesWithTheSameIdApart() {
        final CallRegistry registry = new CallRegistry(5);
        final CallLiveness twilio = call("twilio", "same-id", 0);
        final CallLiveness sip = call("sip", "same-id", 0);

        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.tryRegister(twilio));
        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.tryRegister(sip), "a SIP Call-ID never blocks a CallSid");
        assertEquals(CallAdmission.Verdict.DUPLICATE, registry.tryRegister(call("sip", "same-id", 0)));

        assertSame(twilio.proxy(), registry.proxy("twilio", "same-id"));
        assertSame(sip.proxy(), registry.proxy("sip", "same-id"));
        assertTrue(registry.remove(sip));
        assertSame(twilio.proxy(), registry.proxy("twilio", "same-id"), "ending one leaves the other");
        assertEquals(1, registry.size());
    }

    @Test
    void shouldAnswerThePrecheckWithoutRegisteringOrCounting() {
        final CallRegistry registry = new CallRegistry(1);
        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.precheck());
        registry.tryRegister(call("a", 0));

        assertEquals(CallAdmission.Verdict.FULL, registry.precheck());
        registry.beginDrain(0);
        assertEquals(CallAdmission.Verdict.DRAINING, registry.precheck());
        assertEquals(0, registry.callsRejectedFull() + registry.callsRejectedDraining());
        assertEquals(1, registry.size());
    }

    @Test
    void shouldRejectANonPositiveLimitNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CallRegistry(0)).getMessage().contains("maxCalls"));
    }
    /** A gate with a fixed number of seats that records what it was told. */
    private static final class SeatGate implements CallAdmissionGate {
        private int seats;
        private final List<String> log = new ArrayList<>();

        SeatGate(final int seats) {
            this.seats = seats;
        }

        @Override
        public boolean admit(final String edge, final String callId) {
            if (seats == 0) {
                log.add("refused " + callId);
                return false;
            }
            seats--;
            log.add("admitted " + callId);
            return true;
        }

        @Override
        public void released(final String edge, final String callId) {
            seats++;
            log.add("released " + callId);
        }

        @Override
        public boolean hasRoom() {
            return seats > 0;
        }
    }

    @Test
    void shouldRefuseAsFullWhenTheGateRefuses() {
        final SeatGate gate = new SeatGate(1);
        final CallRegistry registry = new CallRegistry(10, CallRegistry.CallVisitor.NONE, gate);

        assertEquals(CallAdmission.Verdict.ACCEPTED, registry.tryRegister(call("a", 0)));
        assertEquals(CallAdmission.Verdict.FULL, registry.precheck());
        assertEquals(CallAdmission.Verdict.FULL, registry.tryRegister(call("b", 0)));

        assertEquals(1, registry.size());
        assertEquals(1, registry.callsRejectedFull());
        assertEquals(List.of("admitted a", "refused b"), gate.log);
    }

    @Test
    void shouldGiveTheGateItsSeatBackWhenACallLeavesOrIsADuplicate() {
        final SeatGate gate = new SeatGate(5);
        final CallRegistry registry = new CallRegistry(10, CallRegistry.CallVisitor.NONE, gate);
        final CallLiveness a = call("a", 0);
        registry.tryRegister(a);

        assertEquals(CallAdmission.Verdict.DUPLICATE, registry.tryRegister(call("a", 0)));
        registry.remove(a);

        assertEquals(List.of("admitted a", "admitted a", "released a", "released a"), gate.log);
        assertEquals(5, gate.seats);
    }

    @Test
    void shouldNotAskTheGateForACallTheNodeRefusesItself() {
        final SeatGate gate = new SeatGate(5);
        final CallRegistry registry = new CallRegistry(1, CallRegistry.CallVisitor.NONE, gate);
        registry.tryRegister(call("a", 0));
        registry.beginDrain(0);

        registry.tryRegister(call("b", 0));

        assertEquals(List.of("admitted a"), gate.log);
    }
}

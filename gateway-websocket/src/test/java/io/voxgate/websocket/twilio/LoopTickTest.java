package io.voxgate.websocket.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopTickTest {
    private static final long INTERVAL_NS = 2_000_000L;
    private static final long T0 = 5_000_000_000L;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private long clockNs = T0;
    private final LoopTick tick = new LoopTick(channel.eventLoop(), INTERVAL_NS, () -> clockNs);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** A member that records the {@code nowNs} of each of its ticks. */
    private static class Recording implements LoopTick.Member {
        final List<Long> ticks = new ArrayList<>();
        RuntimeException failure;

        @Override
        public void onTick(final long nowNs) {
            ticks.add(nowNs);
        }

        @Override
        public void onTickFailed(final RuntimeException failure) {
            this.failure = failure;
        }
    }

    @Test
    void shouldTickEveryMemberOnceWithTheSameNow() {
        final Recording a = new Recording();
        final Recording b = new Recording();
        tick.add(a);
        tick.add(b);

        tick.tick(T0 + 7);

        assertEquals(List.of(T0 + 7), a.ticks);
        assertEquals(List.of(T0 + 7), b.ticks);
        assertEquals(1, tick.ticks());
    }

    @Test
    void shouldTickAtTheClocksNowWhenTheTimerRuns() {
        final Recording a = new Recording();
        tick.add(a);
        clockNs = T0 + 123;

        tick.run();

        assertEquals(List.of(T0 + 123), a.ticks);
    }

    @Test
    void shouldStartTheTimerWithTheFirstMemberAndStopItWithTheLast() {
        final Recording a = new Recording();
        final Recording b = new Recording();
        assertFalse(tick.running(), "an idle loop is not woken");

        tick.add(a);
        tick.add(b);
        assertTrue(tick.running());
        tick.remove(a);
        assertTrue(tick.running(), "b is still served");
        tick.remove(b);

        assertFalse(tick.running());
        assertEquals(0, tick.size());
    }

    @Test
    void shouldNoLongerTickARemovedMember() {
        final Recording a = new Recording();
        final Recording b = new Recording();
        tick.add(a);
        tick.add(b);

        tick.remove(a);
        tick.tick(T0);

        assertTrue(a.ticks.isEmpty());
        assertEquals(List.of(T0), b.ticks);
    }

    @Test
    void shouldIgnoreTheRemovalOfAMemberItDoesNotServe() {
        final Recording a = new Recording();
        tick.add(a);

        tick.remove(new Recording());
        tick.tick(T0);

        assertEquals(1, tick.size());
        assertEquals(List.of(T0), a.ticks);
    }

    @Test
    void shouldTickEveryOtherMemberExactlyOnceWhenMembersRemoveThemselvesDuringTheTick() {
        final List<Recording> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            final boolean leaves = i % 3 == 0;
            final Recording member = new Recording() {
                @Override
                public void onTick(final long nowNs) {
                    super.onTick(nowNs);
                    if (leaves) {
                        tick.remove(this);
                    }
                }
            };
            members.add(member);
            tick.add(member);
        }

        tick.tick(T0);
        tick.tick(T0 + INTERVAL_NS);

        for (int i = 0; i < members.size(); i++) {
            final int expected = i % 3 == 0 ? 1 : 2;
            assertEquals(expected, members.get(i).ticks.size(), "member " + i);
        }
        assertEquals(6, tick.size());
    }

    @Test
    void shouldKeepTickingTheOtherMembersWhenOneThrows() {
        final IllegalStateException bug = new IllegalStateException("bug");
        final Recording broken = new Recording() {
            @Override
            public void onTick(final long nowNs) {
                throw bug;
            }
        };
        final Recording before = new Recording();
        final Recording after = new Recording();
        tick.add(before);
        tick.add(broken);
        tick.add(after);

        tick.tick(T0);

        assertSame(bug, broken.failure);
        assertEquals(List.of(T0), before.ticks);
        assertEquals(List.of(T0), after.ticks);
        assertEquals(1, tick.memberFailures());
    }

    @Test
    void shouldServeMoreMembersThanItsInitialCapacity() {
        final List<Recording> members = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            final Recording member = new Recording();
            members.add(member);
            tick.add(member);
        }

        tick.tick(T0);

        assertEquals(1_000, tick.size());
        assertTrue(members.stream().allMatch(m -> m.ticks.equals(List.of(T0))));
    }

    @Test
    void shouldRefuseAPeriodThatIsNotPositive() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new LoopTick(channel.eventLoop(), 0, () -> 0L));

        assertTrue(ex.getMessage().contains("intervalNs"), ex.getMessage());
    }
}

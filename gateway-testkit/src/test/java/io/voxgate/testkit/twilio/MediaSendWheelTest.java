package io.voxgate.testkit.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaSendWheelTest {
    private static final long MS = 1_000_000L;
    private static final long FRAME_NS = 20 * MS;

    private final MediaSendWheel wheel = new MediaSendWheel(FRAME_NS, 20);
    private final List<String> log = new ArrayList<>();

    /** Records every frame it is given as {@code name@deadline-in-ms}. */
    private final class Recorder extends MediaSendWheel.Member {
        private final String name;
        private final List<Long> deadlinesNs = new ArrayList<>();

        Recorder(final String name) {
            this.name = name;
        }

        @Override
        void onFrameDue(final long deadlineNs) {
            deadlinesNs.add(deadlineNs);
            log.add(name + "@" + deadlineNs / MS);
        }
    }

    @Test
    void shouldSendTheFirstFrameOfTheFirstMemberAtOnce() {
        final Recorder a = new Recorder("a");
        assertEquals(5 * MS, wheel.add(a, 5 * MS));
        assertEquals(1, wheel.runDue(5 * MS));
        assertEquals(List.of(5 * MS), a.deadlinesNs);
    }

    @Test
    void shouldSendEveryFrameOnItsAbsoluteDeadlineWithoutDrift() {
        final Recorder a = new Recorder("a");
        wheel.add(a, 0);
        // Woken late every time, by a varying amount below a slot: the deadlines stay on the 20 ms grid.
        for (long t = 0; t <= 1_000 * MS; t += MS) {
            wheel.runDue(t + (t / MS % 7) * 100_000L);
        }
        assertEquals(51, a.deadlinesNs.size());
        for (int i = 0; i < a.deadlinesNs.size(); i++) {
            assertEquals(i * FRAME_NS, a.deadlinesNs.get(i));
        }
    }

    @Test
    void shouldPutALaterMemberInTheNextSlotNotYetRun() {
        final Recorder a = new Recorder("a");
        final Recorder b = new Recorder("b");
        wheel.add(a, 0);
        wheel.runDue(0);
        wheel.runDue(3 * MS);
        assertEquals(4 * MS, wheel.add(b, 3 * MS + 400_000L));
        for (long t = 4 * MS; t <= 40 * MS; t += MS) {
            wheel.runDue(t);
        }
        assertEquals(List.of("a@0", "b@4", "a@20", "b@24", "a@40"), log);
    }

    @Test
    void shouldPutAMemberJoiningAfterAStallInTheFirstSlotNotYetPast() {
        final Recorder a = new Recorder("a");
        wheel.add(a, 0);
        wheel.runDue(0);
        assertEquals(7 * MS, wheel.add(new Recorder("b"), 6 * MS + 1));
        assertEquals(7 * MS, wheel.add(new Recorder("c"), 7 * MS));
    }

    @Test
    void shouldNotMakeAMemberJoiningAStalledWheelCatchUpFramesFromBeforeItJoined() {
        final Recorder a = new Recorder("a");
        final Recorder b = new Recorder("b");
        wheel.add(a, 0);
        wheel.runDue(0);
        // The loop was stalled for 105 ms when b joined: a catches up, b starts at its join.
        assertEquals(106 * MS, wheel.add(b, 105 * MS + 1));
        while (wheel.runDue(106 * MS) > 0) {
            assertTrue(wheel.size() == 2);
        }
        assertEquals(List.of("a@0", "a@20", "a@40", "a@60", "a@80", "a@100", "b@106"), log);
        wheel.runDue(126 * MS);
        assertEquals(List.of(106 * MS, 126 * MS), b.deadlinesNs);
    }

    @Test
    void shouldCatchUpEveryMissedFrameInDeadlineOrderAfterAStall() {
        final Recorder a = new Recorder("a");
        final Recorder b = new Recorder("b");
        wheel.add(a, 0);
        wheel.runDue(0);
        wheel.add(b, 10 * MS);
        assertEquals(2, wheel.runDue(65 * MS), "one frame per member per run");
        assertEquals(2, wheel.runDue(65 * MS));
        assertEquals(2, wheel.runDue(65 * MS));
        assertEquals(0, wheel.runDue(65 * MS));
        assertEquals(List.of("a@0", "b@10", "a@20", "b@30", "a@40", "b@50", "a@60"), log);
    }

    @Test
    void shouldSendAtMostOneFramePerMemberPerRun() {
        final Recorder a = new Recorder("a");
        wheel.add(a, 0);
        assertEquals(1, wheel.runDue(1_000 * MS));
        assertEquals(1, wheel.runDue(1_000 * MS));
        assertEquals(List.of(0L, FRAME_NS), a.deadlinesNs);
    }

    @Test
    void shouldNotSendBeforeTheDeadline() {
        final Recorder a = new Recorder("a");
        wheel.add(a, 0);
        wheel.runDue(0);
        assertEquals(0, wheel.runDue(20 * MS - 1));
        assertEquals(1, wheel.runDue(20 * MS));
    }

    @Test
    void shouldStopSendingToARemovedMember() {
        final Recorder a = new Recorder("a");
        wheel.add(a, 0);
        wheel.runDue(0);
        wheel.remove(a);
        assertFalse(a.inWheel());
        assertEquals(0, wheel.size());
        assertEquals(0, wheel.runDue(100 * MS));
        assertEquals(List.of("a@0"), log);
    }

    @Test
    void shouldRunEveryOtherMemberOfTheSlotWhenOneLeavesFromItsOwnFrame() {
        final List<Recorder> members = new ArrayList<>();
        final MediaSendWheel.Member leaver = new MediaSendWheel.Member() {
            @Override
            void onFrameDue(final long deadlineNs) {
                log.add("leaver@" + deadlineNs / MS);
                wheel.remove(this);
            }
        };
        wheel.add(leaver, 0);
        for (int i = 0; i < 5; i++) {
            final Recorder r = new Recorder("m" + i);
            members.add(r);
            wheel.add(r, 0);
        }
        assertEquals(6, wheel.runDue(0));
        assertEquals(5, wheel.size());
        assertEquals(5, wheel.runDue(20 * MS));
        for (final Recorder r : members) {
            assertEquals(List.of(0L, FRAME_NS), r.deadlinesNs);
        }
    }

    @Test
    void shouldGrowASlotBeyondItsFirstArray() {
        for (int i = 0; i < 100; i++) {
            wheel.add(new Recorder("m" + i), 0);
        }
        assertEquals(100, wheel.runDue(0));
        assertEquals(100, wheel.size());
    }

    @Test
    void shouldStartANewOriginWhenMembersJoinAnEmptyWheel() {
        final Recorder a = new Recorder("a");
        wheel.add(a, 0);
        wheel.runDue(0);
        wheel.remove(a);
        final Recorder b = new Recorder("b");
        assertEquals(1_234 * MS + 5, wheel.add(b, 1_234 * MS + 5));
        assertEquals(1, wheel.runDue(1_234 * MS + 5));
    }

    @Test
    void shouldRefuseAMemberAlreadyInAWheel() {
        final Recorder a = new Recorder("a");
        wheel.add(a, 0);
        assertTrue(a.inWheel());
        assertThrows(IllegalArgumentException.class, () -> wheel.add(a, 0));
    }

    @Test
    void shouldRefuseAFrameThatSlotsDoNotDivide() {
        assertThrows(IllegalArgumentException.class, () -> new MediaSendWheel(FRAME_NS + 1, 20));
        assertThrows(IllegalArgumentException.class, () -> new MediaSendWheel(FRAME_NS, 0));
    }

    @Test
    void shouldIgnoreRemovingAMemberThatIsNotIn() {
        wheel.remove(new Recorder("stranger"));
        assertEquals(0, wheel.size());
    }
}

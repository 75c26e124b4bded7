package io.voxgate.testkit.twilio;

import java.util.Arrays;

/**
 * The send schedule of every simulated call on one event loop: a timing wheel of one frame period cut into slots, each
 * call in the slot it joined, so one periodic task per loop sends every due call's next frame instead of one timer per
 * call per frame.
 *
 * <p>Slot {@code k} of revolution {@code r} is due at {@code origin + (r * slots + k) * slotNs}; a call that
 * joins is put in the first slot due at or after it joins, so its frames are due every {@code frameNs} from there,
 * on absolute deadlines (no drift). {@link #runDue} runs the slots whose deadline has passed, in deadline order and at
 * most one revolution per run, so a loop that stalls catches its calls up frame by frame rather than skipping, one
 * frame per call per run with the loop's I/O in between (a burst of a call's frames with no echo read between would
 * play out as silence); a call that joins while the wheel is behind does not inherit that backlog (its slot's earlier
 * deadlines pass it by). Time is an argument
 * ({@code nowNs}, any monotonic nanosecond clock, the same for every call), so tests drive it by hand.
 *
 * <p>Threading: confined to its event loop. Ownership: holds its members until they leave; allocates only when a slot
 * outgrows its array (call setup), never per frame.
 */
final class MediaSendWheel {
    /** A call in the wheel; one wheel at a time. */
    abstract static class Member {
        private int slot = -1;
        private int index = -1;
        private long firstDeadlineNs;

        /** Sends the frame due at {@code deadlineNs} (it may leave the wheel from here). */
        abstract void onFrameDue(long deadlineNs);

        /** Whether it is in a wheel. */
        final boolean inWheel() {
            return slot >= 0;
        }
    }

    private final long frameNs;
    private final long slotNs;
    private final Member[][] slots;
    private final int[] counts;
    private int size;
    private int nextSlot;
    private long nextDeadlineNs;

    /**
     * A wheel of {@code slotCount} slots per {@code frameNs}.
     *
     * @throws IllegalArgumentException when {@code frameNs} is not a positive multiple of {@code slotCount}
     */
    MediaSendWheel(final long frameNs, final int slotCount) {
        if (slotCount < 1 || frameNs < slotCount || frameNs % slotCount != 0) {
            throw new IllegalArgumentException("frameNs " + frameNs + " must be a positive multiple of slotCount " + slotCount);
        }
        this.frameNs = frameNs;
        this.slotNs = frameNs / slotCount;
        this.slots = new Member[slotCount][4];
        this.counts = new int[slotCount];
    }

    /** Time between two slots. */
    long slotNs() {
        return slotNs;
    }

    /** Time between two frames of one member. */
    long frameNs() {
        return frameNs;
    }

    /** Members in the wheel. */
    int size() {
        return size;
    }

    /** The deadline of the next slot to run. */
    long nextDeadlineNs() {
        return nextDeadlineNs;
    }

    /**
     * Puts {@code member} in the first slot due at or after {@code nowNs} (the wheel's origin when it is empty: its
     * first slot is due at {@code nowNs}).
     *
     * @return the deadline of the member's first frame
     * @throws IllegalArgumentException when it is already in a wheel (a bug)
     */
    long add(final Member member, final long nowNs) {
        if (member.inWheel()) {
            throw new IllegalArgumentException("member already in a wheel");
        }
        if (size == 0) {
            nextSlot = 0;
            nextDeadlineNs = nowNs;
        }
        // Behind (the loop was busy): the first slot whose deadline is not yet past.
        final long behind = nowNs - nextDeadlineNs;
        final long ahead = behind <= 0 ? 0 : (behind + slotNs - 1) / slotNs;
        final int slot = (int) ((nextSlot + ahead) % slots.length);
        if (counts[slot] == slots[slot].length) {
            slots[slot] = Arrays.copyOf(slots[slot], counts[slot] * 2);
        }
        member.slot = slot;
        member.index = counts[slot];
        member.firstDeadlineNs = nextDeadlineNs + ahead * slotNs;
        slots[slot][counts[slot]++] = member;
        size++;
        return member.firstDeadlineNs;
    }

    /** Takes {@code member} out (no-op when it is not in this wheel); safe from inside {@link Member#onFrameDue}. */
    void remove(final Member member) {
        final int slot = member.slot;
        if (slot < 0 || slot >= slots.length || slots[slot][member.index] != member) {
            return;
        }
        final Member[] in = slots[slot];
        final int last = --counts[slot];
        final Member moved = in[last];
        in[member.index] = moved;
        moved.index = member.index;
        in[last] = null;
        member.slot = -1;
        member.index = -1;
        size--;
    }

    /**
     * Runs the slots due at {@code nowNs}, oldest first, at most one revolution (one frame per member): each member of
     * a slot gets {@link Member#onFrameDue} with that slot's deadline, from its first deadline on. When the wheel is
     * further behind, {@link #nextDeadlineNs()} is still past and the next run goes on.
     *
     * @return frames due (members called)
     */
    int runDue(final long nowNs) {
        int frames = 0;
        for (int run = 0; run < slots.length && size > 0 && nowNs - nextDeadlineNs >= 0; run++) {
            final int slot = nextSlot;
            final long deadlineNs = nextDeadlineNs;
            nextSlot = slot + 1 == slots.length ? 0 : slot + 1;
            nextDeadlineNs = deadlineNs + slotNs;
            int i = 0;
            while (i < counts[slot]) {
                final Member member = slots[slot][i];
                if (deadlineNs - member.firstDeadlineNs < 0) {
                    i++;
                    continue;
                }
                member.onFrameDue(deadlineNs);
                frames++;
                // A member that left was replaced by the slot's last one, which is still to run.
                if (i < counts[slot] && slots[slot][i] == member) {
                    i++;
                }
            }
        }
        return frames;
    }
}

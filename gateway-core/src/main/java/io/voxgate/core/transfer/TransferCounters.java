package io.voxgate.core.transfer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's transfers: how many were asked for and how many ended in each final {@link TransferState}, for
 * {@code /metrics}.
 *
 * <p>Threading: counted on the calls' threads, read on any thread.
 */
public final class TransferCounters {
    private final LongAdder requested = new LongAdder();
    private final Map<TransferState, LongAdder> outcomes = new EnumMap<>(TransferState.class);

    /** Counters at zero. */
    public TransferCounters() {
        for (final TransferState state : TransferState.values()) {
            if (state.isFinal()) {
                outcomes.put(state, new LongAdder());
            }
        }
    }

    /** A transfer was asked for. */
    public void countRequested() {
        requested.increment();
    }

    /** A transfer ended in {@code outcome}; states that are not final are ignored. */
    public void countEnded(final TransferState outcome) {
        final LongAdder counter = outcomes.get(outcome);
        if (counter != null) {
            counter.increment();
        }
    }

    /** Transfers asked for; those not yet in {@link #ended} are under way. */
    public long requested() {
        return requested.sum();
    }

    /** Transfers that ended in {@code outcome} (0 for a state that is not final). */
    public long ended(final TransferState outcome) {
        final LongAdder counter = outcomes.get(outcome);
        return counter == null ? 0 : counter.sum();
    }
}

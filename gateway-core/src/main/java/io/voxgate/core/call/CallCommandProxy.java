package io.voxgate.core.call;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.NanoClock;
import org.jctools.queues.MpscArrayQueue;

/**
 * The only way into a call from another thread: commands go into a bounded lock-free multi-producer ring and are
 * applied on the call's thread.
 *
 * <p>{@link #offer} may be called from any thread. The first offer after the ring was drained schedules one
 * preallocated drain task on the call's executor (an atomic flag keeps it to one scheduled task at a time); the
 * task applies every queued command in order, then clears the flag and looks again, so no command is stranded.
 * A full ring refuses the command and counts it in {@link #commandsRejectedFull()}: the sender decides whether to
 * retry (the registry's sweep retries on its next pass).
 *
 * <p>Threading: {@link #offer} and the counters are safe on any thread; the handler runs on the call's thread only.
 * Ownership: commands are immutable and shared. Time: the handler gets the time read from the clock the call was
 * built with, on the call's thread, when the command is applied.
 */
public final class CallCommandProxy {
    private final MpscArrayQueue<CallCommand> ring;
    private final Executor executor;
    private final NanoClock clock;
    private final CallCommandHandler handler;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final AtomicLong commandsOffered = new AtomicLong();
    private final AtomicLong commandsRejectedFull = new AtomicLong();
    private final AtomicLong drainsRejectedByExecutor = new AtomicLong();
    private long commandsApplied;

    CallCommandProxy(final int capacity, final Executor executor, final NanoClock clock, final CallCommandHandler handler) {
        if (capacity < 2) {
            throw new IllegalArgumentException("command ring capacity must be at least 2, was " + capacity);
        }
        this.ring = new MpscArrayQueue<>(capacity);
        this.executor = executor;
        this.clock = clock;
        this.handler = handler;
    }

    /**
     * Queues {@code command} for the call's thread; any thread.
     *
     * @return {@code true} when it was queued and a drain is scheduled; {@code false} when the ring was full
     *     (counted in {@link #commandsRejectedFull()}) or the call's executor refused the drain task (counted in
     *     {@link #drainsRejectedByExecutor()}; the command then waits for the next successful schedule)
     */
    public boolean offer(final CallCommand command) {
        if (!ring.offer(command)) {
            commandsRejectedFull.incrementAndGet();
            return false;
        }
        commandsOffered.incrementAndGet();
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(drainTask);
            } catch (final RejectedExecutionException ex) {
                drainScheduled.set(false);
                drainsRejectedByExecutor.incrementAndGet();
                return false;
            }
        }
        return true;
    }

    private void drain() {
        try {
            do {
                CallCommand command;
                while ((command = ring.relaxedPoll()) != null) {
                    commandsApplied++;
                    handler.onCommand(command, clock.nanoTime());
                }
                drainScheduled.set(false);
            } while (!ring.isEmpty() && drainScheduled.compareAndSet(false, true));
        } catch (final RuntimeException ex) {
            drainScheduled.set(false);
            throw ex;
        }
    }

    /** The ring's capacity (the requested capacity rounded up to a power of two). */
    public int capacity() {
        return ring.capacity();
    }

    /** Commands queued so far; any thread. */
    public long commandsOffered() {
        return commandsOffered.get();
    }

    /** Commands refused because the ring was full; any thread. */
    public long commandsRejectedFull() {
        return commandsRejectedFull.get();
    }

    /** Times the call's executor refused the drain task (its loop is shutting down); any thread. */
    public long drainsRejectedByExecutor() {
        return drainsRejectedByExecutor.get();
    }

    /** Commands applied on the call's thread; read racily from other threads. */
    public long commandsApplied() {
        return commandsApplied;
    }
}

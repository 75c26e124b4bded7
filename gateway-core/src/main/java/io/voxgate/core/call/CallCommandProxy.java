package io.voxgate.core.call;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.NanoClock;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way into a call from another thread, for both edges and the core: commands go into a bounded lock-free
 * multi-producer ring and are applied on the call's thread.
 *
 * <p>{@link #offer} may be called from any thread. The first offer after the ring was drained schedules one
 * preallocated drain task on the call's executor (an atomic flag keeps it to one scheduled task at a time); the
 * task applies every queued command in order, then clears the flag and looks again, so no command is stranded.
 * A full ring refuses the command and counts it in {@link #commandsRejectedFull()}: the sender decides whether to
 * retry (the registry's sweep retries on its next pass).
 *
 * <p>Failure isolation: a command that throws is counted ({@link #commandsFailed()}); the first one is logged with
 * the call's id and handed to {@link CallCommandHandler#onCommandFailed}, which ends the call. The drain then goes
 * on with the commands behind it, and the flag is cleared however the drain leaves, so a bug in one command never
 * keeps the call from receiving its hang-up.
 *
 * <p>Threading: {@link #offer} and the counters are safe on any thread; the handler runs on the call's thread only.
 * Ownership: commands are immutable and shared. Time: the handler gets the time read from the proxy's clock once
 * per drain, on the call's thread.
 *
 * @param <C> the command type, immutable
 */
public final class CallCommandProxy<C> {
    private static final Logger LOG = LoggerFactory.getLogger(CallCommandProxy.class);

    private final String callId;
    private final MpscArrayQueue<C> ring;
    private final Executor executor;
    private final NanoClock clock;
    private final CallCommandHandler<C> handler;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final AtomicLong commandsOffered = new AtomicLong();
    private final AtomicLong commandsRejectedFull = new AtomicLong();
    private final AtomicLong drainsRejectedByExecutor = new AtomicLong();
    private long commandsApplied;
    private long commandsFailed;
    private boolean failureReported;

    /**
     * A ring for the call {@code callId}.
     *
     * @param callId   names the call in the one log line of a failing command
     * @param capacity slots, at least 2 (rounded up to a power of two)
     * @param executor runs the drain task on the call's thread (its event loop)
     * @param clock    read once per drain for the handler's {@code nowNs}
     * @param handler  applies the commands
     * @throws IllegalArgumentException when the capacity is below 2
     */
    public CallCommandProxy(final String callId, final int capacity, final Executor executor, final NanoClock clock,
                            final CallCommandHandler<C> handler) {
        if (capacity < 2) {
            throw new IllegalArgumentException("command ring capacity must be at least 2, was " + capacity);
        }
        this.callId = Objects.requireNonNull(callId, "callId");
        this.ring = new MpscArrayQueue<>(capacity);
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Queues {@code command} for the call's thread; any thread.
     *
     * @return {@code true} when it was queued and a drain is scheduled; {@code false} when the ring was full
     *     (counted in {@link #commandsRejectedFull()}) or the call's executor refused the drain task (counted in
     *     {@link #drainsRejectedByExecutor()}; the command then waits for the next successful schedule)
     */
    public boolean offer(final C command) {
        if (!ring.offer(command)) {
            commandsRejectedFull.incrementAndGet();
            return false;
        }
        commandsOffered.incrementAndGet();
        return scheduleDrain();
    }

    private boolean scheduleDrain() {
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
        final long nowNs = clock.nanoTime();
        boolean finished = false;
        try {
            do {
                C command;
                while ((command = ring.relaxedPoll()) != null) {
                    apply(command, nowNs);
                }
                drainScheduled.set(false);
            } while (!ring.isEmpty() && drainScheduled.compareAndSet(false, true));
            finished = true;
        } finally {
            if (!finished) {
                // Only onCommandFailed itself can get here; the commands still queued get a drain of their own.
                drainScheduled.set(false);
                if (!ring.isEmpty()) {
                    scheduleDrain();
                }
            }
        }
    }

    private void apply(final C command, final long nowNs) {
        commandsApplied++;
        try {
            handler.onCommand(command, nowNs);
        } catch (final RuntimeException failure) {
            commandsFailed++;
            if (!failureReported) {
                failureReported = true;
                LOG.error("call {}: command {} failed; the call is ended", callId, command, failure);
                handler.onCommandFailed(command, failure, nowNs);
            }
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

    /** Commands that threw on the call's thread; read racily from other threads. */
    public long commandsFailed() {
        return commandsFailed;
    }
}

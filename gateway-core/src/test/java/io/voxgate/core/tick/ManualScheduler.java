package io.voxgate.core.tick;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that never runs anything by itself: it records the fixed-rate timers asked of it and whether they were
 * cancelled, so a test runs the wake-ups by hand with a time of its choosing.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    /** One timer asked of the scheduler. */
    static final class Timer implements ScheduledFuture<Object> {
        final Runnable task;
        final long initialDelayNs;
        final long periodNs;
        boolean cancelled;

        Timer(final Runnable task, final long initialDelayNs, final long periodNs) {
            this.task = task;
            this.initialDelayNs = initialDelayNs;
            this.periodNs = periodNs;
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(final long timeout, final TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getDelay(final TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(final Delayed other) {
            return 0;
        }
    }

    final List<Timer> timers = new ArrayList<>();

    /** Timers not cancelled. */
    long running() {
        return timers.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(final Runnable command, final long initialDelay, final long period,
                                                  final TimeUnit unit) {
        final Timer timer = new Timer(command, unit.toNanos(initialDelay), unit.toNanos(period));
        timers.add(timer);
        return timer;
    }

    @Override
    public ScheduledFuture<?> schedule(final Runnable command, final long delay, final TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <V> ScheduledFuture<V> schedule(final Callable<V> callable, final long delay, final TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(final Runnable command, final long initialDelay, final long delay,
                                                     final TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(final Runnable command) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) {
        return true;
    }
}

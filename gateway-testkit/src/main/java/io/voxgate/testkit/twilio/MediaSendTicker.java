package io.voxgate.testkit.twilio;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives one event loop's {@link MediaSendWheel}: a single fixed-rate task per loop, one run per slot, while any call
 * on the loop is streaming; cancelled when the last one leaves.
 *
 * <p>Why the wheel's origin is read just before the task is scheduled: Netty sets the task's deadlines from its own
 * clock read a moment later and never runs a task early, so every run finds its slot due. Threading: confined to
 * {@code loop} (every method is called on it). Ownership: one per loop, owned by the simulator.
 */
final class MediaSendTicker implements Runnable {
    private final EventLoop loop;
    private final MediaSendWheel wheel;
    private ScheduledFuture<?> task;

    MediaSendTicker(final EventLoop loop, final MediaSendWheel wheel) {
        this.loop = loop;
        this.wheel = wheel;
    }

    /** Starts sending {@code member}'s frames from the next slot. */
    void add(final MediaSendWheel.Member member) {
        final boolean idle = wheel.size() == 0;
        wheel.add(member, System.nanoTime());
        if (idle) {
            task = loop.scheduleAtFixedRate(this, 0, wheel.slotNs(), TimeUnit.NANOSECONDS);
        }
    }

    /** Stops sending {@code member}'s frames (no-op when it is not sending). */
    void remove(final MediaSendWheel.Member member) {
        wheel.remove(member);
        stopWhenIdle();
    }

    @Override
    public void run() {
        wheel.runDue(System.nanoTime());
        stopWhenIdle();
    }

    private void stopWhenIdle() {
        if (wheel.size() == 0 && task != null) {
            task.cancel(false);
            task = null;
        }
    }
}

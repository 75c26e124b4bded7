package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallCommandProxyTest {

    /** An executor that runs tasks only when the test says so, like an event loop the test drives. */
    private static final class ManualExecutor implements java.util.concurrent.Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(final Runnable task) {
            tasks.add(task);
        }

        synchronized int pending() {
            return tasks.size();
        }

        void runAll() {
            Runnable task;
            while ((task = poll()) != null) {
                task.run();
            }
        }

        private synchronized Runnable poll() {
            return tasks.poll();
        }
    }

    private final ManualExecutor executor = new ManualExecutor();
    private final List<CallCommand> applied = new ArrayList<>();
    private final List<Long> appliedAtNs = new ArrayList<>();
    private final AtomicLong clockNs = new AtomicLong(5_000L);

    private final List<CallCommand> failed = new ArrayList<>();
    private CallCommand throwOn;

    /** Applies commands into {@link #applied}; throws on {@link #throwOn}, recording failures in {@link #failed}. */
    private final CallCommandHandler<CallCommand> handler = new CallCommandHandler<>() {
        @Override
        public void onCommand(final CallCommand command, final long nowNs) {
            if (command == throwOn) {
                throw new IllegalStateException("bug in " + command);
            }
            applied.add(command);
            appliedAtNs.add(nowNs);
        }

        @Override
        public void onCommandFailed(final CallCommand command, final RuntimeException failure, final long nowNs) {
            failed.add(command);
        }
    };

    private CallCommandProxy<CallCommand> proxy(final int capacity) {
        return new CallCommandProxy<>("CA1", capacity, executor, clockNs::get, handler);
    }

    private static CallCommandHandler<CallCommand> counting(final Runnable onCommand) {
        return new CallCommandHandler<>() {
            @Override
            public void onCommand(final CallCommand command, final long nowNs) {
                onCommand.run();
            }

            @Override
            public void onCommandFailed(final CallCommand command, final RuntimeException failure, final long nowNs) {
                throw new AssertionError("no command fails here", failure);
            }
        };
    }

    @Test
    void shouldApplyCommandsInOrderOnTheCallThreadWithItsClock() {
        final CallCommandProxy<CallCommand> proxy = proxy(8);
        proxy.offer(CallCommand.BARGE_IN);
        proxy.offer(CallCommand.hangUp("admin"));
        assertTrue(applied.isEmpty(), "nothing runs on the offering thread");

        clockNs.set(9_000L);
        executor.runAll();

        assertEquals(List.of(CallCommand.BARGE_IN.toString(), "HANG_UP(admin)"),
            List.of(applied.get(0).toString(), applied.get(1).toString()));
        assertEquals(List.of(9_000L, 9_000L), appliedAtNs);
    }

    @Test
    void shouldScheduleOneDrainTaskForABurstOfCommands() {
        final CallCommandProxy<CallCommand> proxy = proxy(8);
        for (int i = 0; i < 5; i++) {
            proxy.offer(CallCommand.BARGE_IN);
        }

        assertEquals(1, executor.pending());
        executor.runAll();
        assertEquals(5, applied.size());
        assertEquals(5, proxy.commandsApplied());
    }

    @Test
    void shouldScheduleAgainAfterADrain() {
        final CallCommandProxy<CallCommand> proxy = proxy(8);
        proxy.offer(CallCommand.BARGE_IN);
        executor.runAll();

        proxy.offer(CallCommand.BARGE_IN);

        assertEquals(1, executor.pending());
        executor.runAll();
        assertEquals(2, applied.size());
    }

    @Test
    void shouldRefuseAndCountCommandsWhenTheRingIsFull() {
        final CallCommandProxy<CallCommand> proxy = proxy(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(proxy.offer(CallCommand.BARGE_IN));
        }

        assertFalse(proxy.offer(CallCommand.HANG_UP_IDLE));

        assertEquals(1, proxy.commandsRejectedFull());
        executor.runAll();
        assertEquals(4, applied.size());
        assertTrue(proxy.offer(CallCommand.HANG_UP_IDLE), "room again once drained");
    }

    @Test
    void shouldCountEveryRefusalWhenManyThreadsFillTheRing() throws Exception {
        final CallCommandProxy<CallCommand> proxy = proxy(64);
        final int threads = 4;
        final int perThread = 1_000;
        final ExecutorService senders = Executors.newFixedThreadPool(threads);
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicLong accepted = new AtomicLong();
        try {
            for (int t = 0; t < threads; t++) {
                senders.execute(() -> {
                    try {
                        start.await();
                    } catch (final InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        if (proxy.offer(CallCommand.BARGE_IN)) {
                            accepted.incrementAndGet();
                        }
                    }
                });
            }
            start.countDown();
        } finally {
            senders.shutdown();
            assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS));
        }

        assertEquals(64, accepted.get());
        assertEquals(threads * perThread - 64, proxy.commandsRejectedFull());
        assertEquals(1, executor.pending());
        executor.runAll();
        assertEquals(64, applied.size());
    }

    @Test
    void shouldDeliverEveryCommandSentFromManyThreadsToARealLoop() throws Exception {
        final ExecutorService loop = Executors.newSingleThreadExecutor();
        final AtomicLong seen = new AtomicLong();
        final CountDownLatch all = new CountDownLatch(4_000);
        final CallCommandProxy<CallCommand> proxy = new CallCommandProxy<>("CA1", 1_024, loop, clockNs::get, counting(() -> {
            seen.incrementAndGet();
            all.countDown();
        }));
        final ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            for (int t = 0; t < 4; t++) {
                senders.execute(() -> {
                    int sent = 0;
                    while (sent < 1_000) {
                        if (proxy.offer(CallCommand.BARGE_IN)) {
                            sent++;
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                });
            }
            assertTrue(all.await(30, TimeUnit.SECONDS), "delivered " + seen.get());
        } finally {
            senders.shutdown();
            loop.shutdown();
            assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(loop.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(4_000, seen.get());
    }

    @Test
    void shouldCountADrainTheExecutorRefused() {
        final CallCommandProxy<CallCommand> proxy = new CallCommandProxy<>("CA1", 8, task -> {
            throw new RejectedExecutionException("loop shut down");
        }, clockNs::get, handler);

        assertFalse(proxy.offer(CallCommand.BARGE_IN));
        assertEquals(1, proxy.drainsRejectedByExecutor());
    }

    @Test
    void shouldEndTheCallOnceWhenACommandThrowsAndApplyTheCommandsBehindIt() {
        final CallCommandProxy<CallCommand> proxy = proxy(8);
        throwOn = CallCommand.BARGE_IN;
        proxy.offer(CallCommand.BARGE_IN);
        proxy.offer(CallCommand.BARGE_IN);
        proxy.offer(CallCommand.HANG_UP_IDLE);

        executor.runAll();

        assertEquals(List.of(CallCommand.BARGE_IN), failed, "the call is told once");
        assertEquals(2, proxy.commandsFailed(), "every throw is counted");
        assertEquals(List.of(CallCommand.HANG_UP_IDLE), applied, "the hang-up behind the bug still runs");
    }

    @Test
    void shouldScheduleADrainForCommandsOfferedAfterOneThrew() {
        final CallCommandProxy<CallCommand> proxy = proxy(8);
        throwOn = CallCommand.BARGE_IN;
        proxy.offer(CallCommand.BARGE_IN);
        executor.runAll();

        assertTrue(proxy.offer(CallCommand.HANG_UP_DRAIN));

        assertEquals(1, executor.pending(), "the drain flag was cleared: the ring is not stranded");
        executor.runAll();
        assertEquals(List.of(CallCommand.HANG_UP_DRAIN), applied);
    }

    @Test
    void shouldDrainTheRestInANewTaskWhenEndingTheFailedCallThrowsToo() {
        final List<CallCommand> seen = new ArrayList<>();
        final CallCommandProxy<CallCommand> proxy = new CallCommandProxy<>("CA1", 8, executor, clockNs::get,
            new CallCommandHandler<>() {
                @Override
                public void onCommand(final CallCommand command, final long nowNs) {
                    if (command == CallCommand.BARGE_IN) {
                        throw new IllegalStateException("bug");
                    }
                    seen.add(command);
                }

                @Override
                public void onCommandFailed(final CallCommand command, final RuntimeException failure, final long nowNs) {
                    throw new IllegalStateException("second bug");
                }
            });
        proxy.offer(CallCommand.BARGE_IN);
        proxy.offer(CallCommand.HANG_UP_IDLE);

        try {
            executor.runAll();
        } catch (final IllegalStateException expected) {
            assertEquals("second bug", expected.getMessage());
        }

        assertEquals(1, executor.pending(), "the command behind has a drain of its own");
        executor.runAll();
        assertEquals(List.of(CallCommand.HANG_UP_IDLE), seen);
        assertTrue(proxy.offer(CallCommand.HANG_UP_DRAIN), "and the ring takes commands again");
    }
}

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

    private CallCommandProxy proxy(final int capacity) {
        return new CallCommandProxy(capacity, executor, clockNs::get, (command, nowNs) -> {
            applied.add(command);
            appliedAtNs.add(nowNs);
        });
    }

    @Test
    void shouldApplyCommandsInOrderOnTheCallThreadWithItsClock() {
        final CallCommandProxy proxy = proxy(8);
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
        final CallCommandProxy proxy = proxy(8);
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
        final CallCommandProxy proxy = proxy(8);
        proxy.offer(CallCommand.BARGE_IN);
        executor.runAll();

        proxy.offer(CallCommand.BARGE_IN);

        assertEquals(1, executor.pending());
        executor.runAll();
        assertEquals(2, applied.size());
    }

    @Test
    void shouldRefuseAndCountCommandsWhenTheRingIsFull() {
        final CallCommandProxy proxy = proxy(4);
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
        final CallCommandProxy proxy = proxy(64);
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
        final CallCommandProxy proxy = new CallCommandProxy(1_024, loop, clockNs::get, (command, nowNs) -> {
            seen.incrementAndGet();
            all.countDown();
        });
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
        final CallCommandProxy proxy = new CallCommandProxy(8, task -> {
            throw new RejectedExecutionException("loop shut down");
        }, clockNs::get, (command, nowNs) -> applied.add(command));

        assertFalse(proxy.offer(CallCommand.BARGE_IN));
        assertEquals(1, proxy.drainsRejectedByExecutor());
    }
}

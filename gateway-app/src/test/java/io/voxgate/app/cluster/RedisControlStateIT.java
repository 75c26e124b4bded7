package io.voxgate.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** A node's control state against a real redis-server: ownership keys, liveness, the cluster limit's seats, Redis lost. */
@Timeout(60)
class RedisControlStateIT {
    private final RedisServer redis = new RedisServer();
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void startRedis() {
        assumeTrue(RedisServer.available(), "redis-server is not installed (Debian package redis-server)");
        redis.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (final AutoCloseable node : nodes) {
            node.close();
        }
        redis.close();
    }

    private RedisControlState node(final String id, final int limit, final long heartbeatMs) {
        final RedisLink link = new RedisLink(redis.endpoint());
        final RedisControlState state = new RedisControlState(new ClusterSettings(redis.endpoint(), id, limit, heartbeatMs,
            heartbeatMs * 3, heartbeatMs * 6, 2_000), link, () -> false, () -> true, calls::get, "https://" + id + ".test");
        nodes.add(link);
        state.start();
        return state;
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private String get(final String key) {
        try (Jedis jedis = redis.client()) {
            return jedis.get(key);
        }
    }

    @Test
    void shouldWriteOwnershipAtAdmissionAndDeleteItWhenTheCallEnds() throws Exception {
        final RedisControlState a = node("a", 0, 200);

        assertTrue(a.admit("sip", "call-1"));
        await(() -> "a".equals(get(ClusterKeys.call("sip", "call-1"))), "ownership written");
        a.released("sip", "call-1");

        await(() -> get(ClusterKeys.call("sip", "call-1")) == null, "ownership deleted");
    }

    @Test
    void shouldKeepTheRunningCallsOwnershipWhenADuplicateAdmissionIsGivenBack() throws Exception {
        final RedisControlState a = node("a", 0, 200);
        a.admit("sip", "call-1");
        a.admit("sip", "call-1");

        a.released("sip", "call-1");

        await(() -> "a".equals(get(ClusterKeys.call("sip", "call-1"))), "ownership written");
        TimeUnit.MILLISECONDS.sleep(500);
        assertEquals("a", get(ClusterKeys.call("sip", "call-1")), "the running call still owned after heartbeats");
    }

    @Test
    void shouldPublishLivenessThatExpiresWhenTheNodeStops() throws Exception {
        final RedisControlState a = node("a", 0, 200);
        await(() -> get(ClusterKeys.node("a")) != null, "liveness written");
        assertTrue(get(ClusterKeys.node("a")).contains("\"ready\":true"), get(ClusterKeys.node("a")));

        nodes.remove(0).close();

        await(() -> get(ClusterKeys.node("a")) == null, "liveness expired");
        assertTrue(a.settings().nodeTtlMs() <= 600);
    }

    @Test
    void shouldLetOwnershipExpireWhenTheNodeDies() throws Exception {
        final RedisControlState a = node("a", 0, 200);
        a.admit("twilio", "CA1");
        await(() -> "a".equals(get(ClusterKeys.call("twilio", "CA1"))), "ownership written");

        nodes.remove(0).close();

        final long diedNs = System.nanoTime();
        await(() -> get(ClusterKeys.call("twilio", "CA1")) == null, "ownership expired");
        assertTrue(System.nanoTime() - diedNs < TimeUnit.SECONDS.toNanos(5), "expired within its TTL (1.2 s)");
    }

    @Test
    void shouldNeverAdmitMoreThanTheClusterLimitUnderABurstOf100OverTwoNodes() throws Exception {
        final RedisControlState a = node("a", 10, 200);
        final RedisControlState b = node("b", 10, 200);
        await(() -> a.seatsHeld() == RedisControlState.SPARE_SEATS && b.seatsHeld() == RedisControlState.SPARE_SEATS,
            "spare seats granted");
        final AtomicInteger admitted = new AtomicInteger();
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            final RedisControlState node = i % 2 == 0 ? a : b;
            final String id = "burst-" + i;
            final Thread caller = new Thread(() -> {
                try {
                    go.await();
                    // Each INVITE is retried for a while, as a caller's proxy would: seats are topped up meanwhile.
                    for (int attempt = 0; attempt < 50; attempt++) {
                        if (node.admit("sip", id)) {
                            admitted.incrementAndGet();
                            return;
                        }
                        TimeUnit.MILLISECONDS.sleep(10);
                    }
                } catch (final InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            caller.start();
            callers.add(caller);
        }

        go.countDown();
        for (final Thread caller : callers) {
            caller.join();
        }

        assertEquals(10, admitted.get(), "the cluster limit, no more and (with retries) no less");
        assertTrue(a.refusedClusterFull() + b.refusedClusterFull() > 0, "refusals counted");
        try (Jedis jedis = redis.client()) {
            final long seats = jedis.hvals(ClusterKeys.SEATS).stream().mapToLong(Long::parseLong).sum();
            assertTrue(seats <= 10, "seats held in Redis: " + seats);
        }
    }

    @Test
    void shouldTakeBackTheSeatsOfADeadNode() throws Exception {
        final RedisControlState a = node("a", 4, 200);
        for (int i = 0; i < 2; i++) {
            await(a::hasRoom, "a seat");
            assertTrue(a.admit("sip", "a-" + i));
        }
        await(() -> a.seatsHeld() == 4, "a holds its calls and two spare seats");
        final RedisControlState b = node("b", 4, 200);
        await(() -> b.redisUp(), "b connected");
        assertFalse(b.hasRoom(), "a holds every seat");

        nodes.remove(0).close();

        await(b::hasRoom, "a's seats taken back once its liveness expired");
        assertTrue(b.admit("sip", "b-0"));
    }

    @Test
    void shouldKeepCallsAndRefuseOnlyNewOnesWhenRedisIsLostWithAClusterLimit() throws Exception {
        final RedisControlState a = node("a", 10, 200);
        await(a::hasRoom, "seats granted");
        assertTrue(a.admit("sip", "running"));

        redis.stop();

        await(() -> !a.redisUp(), "Redis lost noticed");
        assertFalse(a.ready(), "not ready: the cluster limit cannot be kept");
        assertFalse(a.admit("sip", "new"), "a new call needs the cluster");
        assertEquals(1, a.refusedRedisDown());
        a.released("sip", "running");
        redis.start();
        await(a::redisUp, "Redis back");
        await(a::hasRoom, "seats granted again");
        assertTrue(a.ready());
    }

    @Test
    void shouldAdmitWithoutRedisWhenNoClusterLimitIsSetAndWriteOwnershipOnceItIsBack() throws Exception {
        final RedisControlState a = node("a", 0, 200);
        await(a::redisUp, "connected");
        redis.stop();
        await(() -> !a.redisUp(), "Redis lost noticed");

        assertTrue(a.ready(), "without a cluster limit the node needs no cluster to take calls");
        assertTrue(a.admit("sip", "during-outage"));
        redis.start();

        await(() -> "a".equals(get(ClusterKeys.call("sip", "during-outage"))), "ownership written after the outage");
        assertNull(get(ClusterKeys.call("sip", "never")));
    }
}

package io.voxgate.app.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.core.call.CallAdmissionGate;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * This node's part of the cluster's shared control state in Redis, and the {@link CallAdmissionGate} of its registry.
 *
 * <p><b>Ownership.</b> A call admitted here is written as {@code voxgate:call:{edge}:{id} -> node} with a TTL the
 * heartbeat refreshes, and deleted when the call ends; a node that dies stops refreshing, so its calls' keys expire.
 * <b>Liveness.</b> {@code voxgate:node:{id}} carries the node's readiness and call count with a TTL of a few
 * heartbeats.
 *
 * <p><b>The cluster call limit</b> ({@code --max-calls-cluster}) is kept by seats: each node holds, in the hash
 * {@code voxgate:seats}, a number of seats granted by one Lua script that counts the seats of every live node and
 * never grants past the limit (a dead node's seats are taken back by the same script once its liveness key expired).
 * The node admits a call only onto a seat it already holds, so admission answers at once from local state (it may run
 * on a media loop) and the cluster can never run more calls than the limit, however many INVITEs arrive at once. A
 * node holds its running calls plus {@link #SPARE_SEATS} spare seats, topped up after every admission and on every
 * heartbeat, and gives seats back as calls end (a draining node holds no spare). The price: near the limit, up to
 * {@code SPARE_SEATS} seats per other node may sit unused, so a node may refuse while the cluster runs slightly fewer
 * calls than the limit.
 *
 * <p><b>Without Redis</b> the node keeps every running call. With a cluster limit it refuses new calls (the limit
 * cannot be kept) and is not ready; without one it admits calls and writes their ownership once Redis is back.
 *
 * <p>Threading: the gate's methods run on any thread and never wait (a short lock guards two counters); every Redis
 * request runs on the {@link RedisLink}'s thread.
 */
public final class RedisControlState implements CallAdmissionGate, AutoCloseable {
    /** Seats held beyond the running calls: a burst is admitted at once while the top-up is on its way. */
    static final int SPARE_SEATS = 2;
    /** Ownership changes queued for Redis at most: a minute of calls at 1,000 setups a second. */
    static final int MAX_PENDING_CHANGES = 65_536;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Sets this node's seats to what it wants, capped so that every live node's seats together stay within the limit;
     * drops the seats of nodes whose liveness key expired. KEYS[1] seats hash; ARGV node, wanted, limit, node prefix.
     */
    private static final String SEAT_SCRIPT = String.join("\n",
        "local others = 0",
        "local all = redis.call('HGETALL', KEYS[1])",
        "for i = 1, #all, 2 do",
        "  local node = all[i]",
        "  if node ~= ARGV[1] then",
        "    if redis.call('EXISTS', ARGV[4] .. node) == 1 then",
        "      others = others + tonumber(all[i + 1])",
        "    else",
        "      redis.call('HDEL', KEYS[1], node)",
        "    end",
        "  end",
        "end",
        "local grant = math.min(tonumber(ARGV[2]), tonumber(ARGV[3]) - others)",
        "if grant < 0 then grant = 0 end",
        "redis.call('HSET', KEYS[1], ARGV[1], grant)",
        "return grant");

    private final ClusterSettings settings;
    private final RedisLink link;
    private final BooleanSupplier draining;
    private final BooleanSupplier locallyReady;
    private final IntSupplier calls;
    private final String publicUrl;
    /**
     * Ownership keys of the calls running here, each with the number of admissions holding it: a duplicate admission
     * (refused by the registry after the gate admitted it) gives its key back without taking the running call's.
     */
    private final Map<String, Integer> owned = new ConcurrentHashMap<>();
    /**
     * Ownership keys to write (owned) or delete (no longer owned), in order, for the link's thread; at most
     * {@link #MAX_PENDING_CHANGES}: while Redis is away a change past that is dropped and counted, as the heartbeat
     * rewrites every owned key anyway and a key left behind expires with its TTL.
     */
    private final Queue<String> changed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger changesPending = new AtomicInteger();
    private final LongAdder changesDropped = new LongAdder();
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    private final Function<Jedis, Void> syncRequest = this::sync;
    private final Object seatLock = new Object();
    /** Seats Redis granted this node (never more than Redis holds for it); guarded by seatLock. */
    private int seatsHeld;
    /** Calls admitted and not yet released; guarded by seatLock. */
    private int seatsInUse;
    private final LongAdder refusedClusterFull = new LongAdder();
    private final LongAdder refusedRedisDown = new LongAdder();

    /**
     * This node's state in the cluster described by {@code settings}; nothing is written before {@link #start}.
     *
     * @param link         the node's Redis link
     * @param draining     whether the node is draining (it then holds no spare seat)
     * @param locallyReady whether the node itself takes calls (not draining, below {@code --max-calls})
     * @param calls        the calls running on the node now
     * @param publicUrl    the node's public URL, published with its liveness for operators
     */
    public RedisControlState(final ClusterSettings settings, final RedisLink link, final BooleanSupplier draining,
                             final BooleanSupplier locallyReady, final IntSupplier calls, final String publicUrl) {
        this.settings = settings;
        this.link = link;
        this.draining = draining;
        this.locallyReady = locallyReady;
        this.calls = calls;
        this.publicUrl = publicUrl;
    }

    /** Starts the heartbeat: liveness, ownership refresh and seats, now and every heartbeat. */
    public void start() {
        link.schedule(this::heartbeat, settings.heartbeatMs());
    }

    @Override
    public boolean admit(final String edge, final String callId) {
        synchronized (seatLock) {
            if (settings.limited()) {
                if (!link.up()) {
                    refusedRedisDown.increment();
                    return false;
                }
                if (seatsInUse >= seatsHeld) {
                    refusedClusterFull.increment();
                    return false;
                }
            }
            seatsInUse++;
        }
        final String key = ClusterKeys.call(edge, callId);
        owned.merge(key, 1, Integer::sum);
        queueChange(key);
        return true;
    }

    @Override
    public void released(final String edge, final String callId) {
        synchronized (seatLock) {
            seatsInUse--;
        }
        final String key = ClusterKeys.call(edge, callId);
        owned.computeIfPresent(key, (k, holders) -> holders == 1 ? null : holders - 1);
        queueChange(key);
    }

    private void queueChange(final String key) {
        if (changesPending.incrementAndGet() > MAX_PENDING_CHANGES) {
            changesPending.decrementAndGet();
            changesDropped.increment();
            return;
        }
        changed.add(key);
        scheduleSync();
    }

    @Override
    public boolean hasRoom() {
        if (!settings.limited()) {
            return true;
        }
        synchronized (seatLock) {
            return link.up() && seatsInUse < seatsHeld;
        }
    }

    /** Tells the cluster at once that the node's readiness changed (drain began): liveness and seats are rewritten. */
    public void nodeChanged() {
        scheduleSync();
        link.submit(jedis -> {
            publishLiveness(jedis);
            return null;
        });
    }

    /** One sync request at a time is queued on the link; a change made while it waits rides along with it. */
    private void scheduleSync() {
        if (syncScheduled.compareAndSet(false, true)) {
            link.submit(syncRequest);
        }
    }

    /** On the link's thread: writes the queued ownership changes and tops the seats up (or gives spare ones back). */
    private Void sync(final Jedis jedis) {
        syncScheduled.set(false);
        writeOwnershipChanges(jedis);
        if (settings.limited()) {
            reseat(jedis);
        }
        return null;
    }

    private void heartbeat() {
        link.submit(jedis -> {
            publishLiveness(jedis);
            final Pipeline pipeline = jedis.pipelined();
            final SetParams ttl = SetParams.setParams().px(settings.ownershipTtlMs());
            for (final String key : owned.keySet()) {
                pipeline.set(key, settings.nodeId(), ttl);
            }
            pipeline.sync();
            writeOwnershipChanges(jedis);
            if (settings.limited()) {
                reseat(jedis);
            }
            return null;
        });
    }

    private void publishLiveness(final Jedis jedis) {
        final Map<String, Object> state = Map.of("node", settings.nodeId(), "ready", locallyReady.getAsBoolean(),
            "draining", draining.getAsBoolean(), "calls", calls.getAsInt(), "publicUrl", publicUrl);
        final String value;
        try {
            value = JSON.writeValueAsString(state);
        } catch (final com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("node state not serialisable", ex);
        }
        jedis.set(ClusterKeys.node(settings.nodeId()), value, SetParams.setParams().px(settings.nodeTtlMs()));
    }

    private void writeOwnershipChanges(final Jedis jedis) {
        final Pipeline pipeline = jedis.pipelined();
        final SetParams ttl = SetParams.setParams().px(settings.ownershipTtlMs());
        String key;
        boolean any = false;
        while ((key = changed.poll()) != null) {
            changesPending.decrementAndGet();
            any = true;
            if (owned.containsKey(key)) {
                pipeline.set(key, settings.nodeId(), ttl);
            } else {
                pipeline.del(key);
            }
        }
        if (any) {
            pipeline.sync();
        }
    }

    /**
     * Asks for the running calls plus the spare seats (none while draining). A smaller holding is taken locally
     * before Redis hears of it and a larger one only after Redis granted it, so the node never admits onto a seat
     * Redis does not count.
     */
    private void reseat(final Jedis jedis) {
        final int want;
        synchronized (seatLock) {
            want = Math.min(settings.maxCallsCluster(), seatsInUse + (draining.getAsBoolean() ? 0 : SPARE_SEATS));
            if (want < seatsHeld) {
                seatsHeld = Math.max(want, seatsInUse);
            }
        }
        final Object granted = jedis.eval(SEAT_SCRIPT, List.of(ClusterKeys.SEATS), List.of(settings.nodeId(),
            Integer.toString(want), Integer.toString(settings.maxCallsCluster()), ClusterKeys.NODE_PREFIX));
        synchronized (seatLock) {
            seatsHeld = (int) (long) (Long) granted;
        }
    }

    /**
     * Whether the node may be sent new calls as far as the cluster is concerned: always without a cluster limit;
     * with one, only while Redis is reachable.
     */
    public boolean ready() {
        return !settings.limited() || link.up();
    }

    /** Why the node is not ready for the cluster's sake, or {@code null}. */
    public String notReadyReason() {
        return ready() ? null : "redis unreachable";
    }

    /** Whether the last Redis request succeeded. */
    public boolean redisUp() {
        return link.up();
    }

    /** Ownership changes dropped because too many waited for Redis (their keys are rewritten or expire). */
    public long changesDropped() {
        return changesDropped.sum();
    }

    /** Redis requests that failed. */
    public long redisErrors() {
        return link.errors();
    }

    /** Cluster seats this node holds now. */
    public int seatsHeld() {
        synchronized (seatLock) {
            return seatsHeld;
        }
    }

    /** Calls refused because the cluster limit was reached (no seat left here). */
    public long refusedClusterFull() {
        return refusedClusterFull.sum();
    }

    /** Calls refused because Redis was unreachable while a cluster limit is configured. */
    public long refusedRedisDown() {
        return refusedRedisDown.sum();
    }

    /** The settings. */
    public ClusterSettings settings() {
        return settings;
    }

    /** Deletes this node's liveness key and seats (best effort); the link is closed by its owner. */
    @Override
    public void close() {
        link.submit(jedis -> {
            writeOwnershipChanges(jedis);
            jedis.del(ClusterKeys.node(settings.nodeId()));
            return jedis.hdel(ClusterKeys.SEATS, settings.nodeId());
        });
    }
}
